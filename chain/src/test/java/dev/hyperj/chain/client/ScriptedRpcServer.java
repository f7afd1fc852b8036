package dev.hyperj.chain.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.chain.rpc.ChainJson;
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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket JSON-RPC server answering from a script, for the transport's and the remote client's
 * failure tests: a method mapped to null is held unanswered, and the test may push any text to
 * every connection or drop them all.
 */
final class ScriptedRpcServer implements AutoCloseable {
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Map<String, JsonNode> answers = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> errors = new ConcurrentHashMap<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;

    ScriptedRpcServer() throws InterruptedException {
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
                                            protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f)
                                                    throws Exception {
                                                answer(ctx, ChainJson.mapper().readTree(f.text()));
                                            }
                                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    private void answer(ChannelHandlerContext ctx, JsonNode req) throws Exception {
        String method = req.path("method").asText();
        JsonNode result = answers.get(method), error = errors.get(method);
        if (result != null || error != null) {
            ObjectNode resp = ChainJson.mapper().createObjectNode();
            resp.put("jsonrpc", "2.0");
            resp.set("id", req.get("id"));
            if (error != null) resp.set("error", error);
            else resp.set("result", result);
            ctx.writeAndFlush(new TextWebSocketFrame(ChainJson.mapper().writeValueAsString(resp)));
        }
        received.add(method);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
    }

    void answer(String method, Object result) {
        errors.remove(method);
        answers.put(method, ChainJson.mapper().valueToTree(result));
    }

    /** Answers {@code method} with a JSON-RPC error object. */
    void fail(String method, int code, String message, String data) {
        answers.remove(method);
        ObjectNode e = ChainJson.mapper().createObjectNode();
        e.put("code", code);
        e.put("message", message);
        if (data != null) e.put("data", data);
        errors.put(method, e);
    }

    void hold(String method) {
        answers.remove(method);
        errors.remove(method);
    }

    void awaitCall(String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String m = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(m).as("the client called %s within 30 s", method).isNotNull();
            if (m.equals(method)) return;
        }
    }

    /** Sends {@code text} as one text frame to every connection. */
    void push(String text) {
        connections.writeAndFlush(new TextWebSocketFrame(text)).awaitUninterruptibly(5, TimeUnit.SECONDS);
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
