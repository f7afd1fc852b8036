package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.multistream.MultistreamException;
import dev.hyperj.p2p.multistream.MultistreamSelect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Negotiation#LAZY} between real hosts (TCP + Noise + Yamux on loopback): the stream's
 * handler runs before the listener has answered, its request goes out with the proposal, and the
 * listener's multistream answer arrives after it, together with the response.
 */
class LazyStreamTest {
    /** The listener's answer: its header and our protocol, each uvarint(length) text '\n' (lengths < 128 here). */
    private static final String HEADER_AND_ECHO = message(MultistreamSelect.PROTOCOL_ID) + message(TestHosts.ECHO);

    private final TestHosts hosts = new TestHosts();

    @AfterEach
    void close() {
        hosts.close();
    }

    /** Placed first on the stream: what is written and read, in order, from the moment it is added. */
    static final class Sequence extends ChannelDuplexHandler implements ProtocolHandler {
        final List<String> events = new ArrayList<>();
        final CompletableFuture<String> reply = new CompletableFuture<>();
        private final StringBuilder read = new StringBuilder();
        private final String request;
        private final int replyLength;

        Sequence(String request, int replyLength) {
            this.request = request;
            this.replyLength = replyLength;
        }

        @Override
        public void initStream(Channel stream, StreamInfo info) {
            stream.pipeline().addFirst(this);
            stream.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            events.add("write " + ((ByteBuf) msg).toString(StandardCharsets.UTF_8));
            ctx.write(msg, promise);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            String chunk = ((ByteBuf) msg).toString(StandardCharsets.UTF_8);
            events.add("read " + chunk);
            read.append(chunk);
            if (read.length() >= replyLength) {
                reply.complete(read.toString());
            }
            ctx.fireChannelRead(msg);
        }
    }

    private Host connectedTo(Host server) throws Exception {
        Host client = hosts.start(TestHosts.builder());
        client.connect(TestHosts.addr(server)).get(10, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void theRequestLeavesBeforeTheListenersAnswerArrives() throws Exception {
        Host server = hosts.startEchoServer();
        Host client = connectedTo(server);

        Sequence lazy = new Sequence("hello", HEADER_AND_ECHO.length() + 5);
        client.newStream(server.peerId(), lazy, Negotiation.LAZY, TestHosts.ECHO)
                .get(10, TimeUnit.SECONDS);
        // one flight each way: request out, then the negotiation answer and the echo of the request
        assertThat(lazy.reply.get(10, TimeUnit.SECONDS)).isEqualTo(HEADER_AND_ECHO + "hello");
        assertThat(lazy.events.getFirst()).isEqualTo("write hello");
        assertThat(lazy.events.get(1)).startsWith("read " + HEADER_AND_ECHO.substring(0, 5));

        assertNegotiatedBeforeHandover(client, server, Negotiation.FULL, TestHosts.ECHO);
    }

    /** The negotiation takes its own round trip before the handler runs: the handler sees only the echo. */
    private static void assertNegotiatedBeforeHandover(
            Host client, Host server, Negotiation negotiation, String... protocols) throws Exception {
        Sequence s = new Sequence("abc", 3);
        client.newStream(server.peerId(), s, negotiation, protocols).get(10, TimeUnit.SECONDS);
        assertThat(s.reply.get(10, TimeUnit.SECONDS)).isEqualTo("abc");
        assertThat(s.events).containsExactly("write abc", "read abc");
    }

    @Test
    void severalProtocolsAreNegotiatedFullyEvenWhenLazyIsAsked() throws Exception {
        Host server = hosts.startEchoServer();
        Host client = connectedTo(server);
        assertNegotiatedBeforeHandover(client, server, Negotiation.LAZY, "/not/here/1", TestHosts.ECHO);
    }

    @Test
    void anUnsupportedProtocolFailsTheLazyStreamWithAProtocolError() throws Exception {
        Host server = hosts.startEchoServer();
        Host client = connectedTo(server);
        CompletableFuture<Throwable> caught = new CompletableFuture<>();
        CompletableFuture<PeerStream> opened = client.newStream(
                server.peerId(),
                (stream, info) -> stream.pipeline().addLast(new ChannelDuplexHandler() {
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(Unpooled.copiedBuffer("data", StandardCharsets.UTF_8));
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        caught.complete(cause);
                    }
                }),
                Negotiation.LAZY,
                "/missing/1.0.0");
        PeerStream stream = opened.get(10, TimeUnit.SECONDS); // handed over before the answer
        assertThat(caught.get(10, TimeUnit.SECONDS))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("supports none of [/missing/1.0.0]");
        assertThat(stream.closed()).succeedsWithin(java.time.Duration.ofSeconds(10));
        // the connection survives and serves the next stream
        Sequence next = new Sequence("again", HEADER_AND_ECHO.length() + 5);
        client.newStream(server.peerId(), next, Negotiation.LAZY, TestHosts.ECHO)
                .get(10, TimeUnit.SECONDS);
        assertThat(next.reply.get(10, TimeUnit.SECONDS)).endsWith("again");
        assertThat(client.connections().connections(server.peerId())).hasSize(1);
    }

    private static String message(String text) {
        return (char) (text.length() + 1) + text + "\n";
    }
}
