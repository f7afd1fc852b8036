package dev.hyperj.chain.client;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.runtime.Call;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The 60 s hang after a node died, made deterministic: a scripted JSON-RPC server holds chosen
 * calls unanswered, so that when it drops the connection one submit waits for its transaction's
 * subscription and another waits for its nonce, the state in which failing the first used to block
 * the connection's thread on the nonce lock that the second held.
 */
class RemoteChainClientDropTest {
    /** A WebSocket JSON-RPC server answering from a script; a method mapped to null is held unanswered. */
    private static final class ScriptedServer implements AutoCloseable {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final Map<String, JsonNode> answers = new ConcurrentHashMap<>();
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        private final Channel server;

        ScriptedServer() throws InterruptedException {
            server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline()
                                    .addLast(
                                            new HttpServerCodec(),
                                            new HttpObjectAggregator(1 << 20),
                                            new WebSocketServerProtocolHandler("/"),
                                            new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                                @Override
                                                protected void channelRead0(
                                                        ChannelHandlerContext ctx, TextWebSocketFrame f)
                                                        throws Exception {
                                                    JsonNode req =
                                                            ChainJson.mapper().readTree(f.text());
                                                    String method =
                                                            req.path("method").asText();
                                                    JsonNode answer = answers.get(method);
                                                    if (answer != null) {
                                                        ObjectNode resp = ChainJson.mapper()
                                                                .createObjectNode();
                                                        resp.put("jsonrpc", "2.0");
                                                        resp.set("id", req.get("id"));
                                                        resp.set("result", answer);
                                                        ctx.writeAndFlush(new TextWebSocketFrame(ChainJson.mapper()
                                                                .writeValueAsString(resp)));
                                                    }
                                                    received.add(method);
                                                }
                                            });
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
        }

        void answer(String method, Object result) {
            answers.put(method, ChainJson.mapper().valueToTree(result));
        }

        void hold(String method) {
            answers.remove(method);
        }

        void awaitCall(String method) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                String m = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(m).as("the client called %s within 30 s", method).isNotNull();
                if (m.equals(method)) return;
            }
        }

        /** Drops every connection at once (TCP close, no WebSocket close frame), as a killed process would. */
        void drop() {
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            drop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(60)
    void submitsWaitingForTheirNonceAndForTheirBlockBothFailAtOnceWhenTheConnectionDrops() throws Exception {
        try (ScriptedServer s = new ScriptedServer()) {
            s.answer("system_chain", "hyperj-dev");
            s.answer("chain_getGenesisHash", ChainJson.hex(new byte[32]));
            s.answer("system_accountNextIndex", 0);
            try (RemoteChainClient c = RemoteChainClient.connect(s.uri())) {
                // the first submit gets its nonce, then waits for the node's subscription id, held
                CompletableFuture<TxResult> watching =
                        c.submit(TestChain.ALITH, new Call.Transfer(DevAccounts.BALTATHAR.account(), tensor(1)));
                s.awaitCall("author_submitAndWatchExtrinsic");
                // the second waits inside the nonce hand-out for the node's answer, held too
                s.hold("system_accountNextIndex");
                CompletableFuture<TxResult> nonceWaiting = CompletableFuture.supplyAsync(
                        () -> c.submit(TestChain.ALITH, new Call.Transfer(DevAccounts.CHARLETH.account(), tensor(1)))
                                .join(),
                        r -> Thread.ofVirtual().start(r));
                s.awaitCall("system_accountNextIndex");

                long dropped = System.nanoTime();
                s.drop();
                for (CompletableFuture<TxResult> f : List.of(watching, nonceWaiting)) {
                    try {
                        f.get(10, TimeUnit.SECONDS);
                        throw new AssertionError("a submit succeeded on a dropped connection");
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException ce
                                ? ce.getCause()
                                : e.getCause();
                        assertThat(cause)
                                .isInstanceOf(ChainClientException.class)
                                .hasMessageContaining("lost the connection");
                    }
                }
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - dropped))
                        .as("seconds until both failed")
                        .isLessThan(5);
            }
        }
    }
}
