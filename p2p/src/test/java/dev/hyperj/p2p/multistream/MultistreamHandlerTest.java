package dev.hyperj.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drives each role with hand-written peer bytes on an EmbeddedChannel. */
class MultistreamHandlerTest {
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final List<Recorder> recorders = new ArrayList<>();

    /** Everything a test left in a channel or a recorder is released: Netty's leak detector watches. */
    @AfterEach
    void releaseAll() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        recorders.forEach(r -> r.received.forEach(ByteBuf::release));
    }

    EmbeddedChannel embedded(io.netty.channel.ChannelHandler handler) {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        channels.add(ch);
        return ch;
    }

    Recorder recorder() {
        Recorder r = new Recorder();
        recorders.add(r);
        return r;
    }

    static ByteBuf msgs(String... messages) {
        ByteBuf buf = Unpooled.buffer();
        for (String m : messages) {
            MultistreamCodec.write(buf, m);
        }
        return buf;
    }

    static List<String> readMessages(EmbeddedChannel ch) throws Exception {
        List<String> out = new ArrayList<>();
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            all.writeBytes(b);
            b.release();
        }
        for (String m; (m = MultistreamCodec.read(all)) != null; ) {
            out.add(m);
        }
        assertThat(all.isReadable()).as("whole messages only").isFalse();
        return out;
    }

    static class Recorder implements MultistreamSelect.Outcome {
        final AtomicReference<String> selected = new AtomicReference<>();
        final AtomicReference<MultistreamException> failed = new AtomicReference<>();
        final List<ByteBuf> received = new ArrayList<>();

        @Override
        public void selected(Channel channel, String protocol) {
            selected.set(protocol);
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    received.add((ByteBuf) msg);
                }
            });
        }

        @Override
        public void failed(Channel channel, MultistreamException cause) {
            failed.set(cause);
        }

        String receivedText() {
            StringBuilder sb = new StringBuilder();
            received.forEach(b -> sb.append(b.toString(StandardCharsets.UTF_8)));
            return sb.toString();
        }
    }

    @Test
    void dialerFallsBackThroughNaAndPassesPipelinedBytesOn() throws Exception {
        Recorder r = recorder();
        EmbeddedChannel ch =
                embedded(MultistreamSelect.dialer(List.of("/yamux/1.0.0", "/mplex/6.7.0"), Duration.ofSeconds(5), r));
        assertThat(readMessages(ch)).containsExactly(MultistreamSelect.PROTOCOL_ID, "/yamux/1.0.0");
        ch.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID, "na"));
        assertThat(readMessages(ch)).containsExactly("/mplex/6.7.0");
        ByteBuf answer = msgs("/mplex/6.7.0").writeBytes("hello".getBytes(StandardCharsets.UTF_8));
        ch.writeInbound(answer);
        assertThat(r.selected.get()).isEqualTo("/mplex/6.7.0");
        assertThat(r.receivedText()).isEqualTo("hello");
        assertThat(ch.pipeline().get(MultistreamHandler.class)).isNull();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void dialerFailsWhenNothingIsSupported() throws Exception {
        Recorder r = recorder();
        EmbeddedChannel ch = embedded(MultistreamSelect.dialer(List.of("/a"), Duration.ofSeconds(5), r));
        readMessages(ch);
        ch.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID, "na"));
        assertThat(r.failed.get()).hasMessageContaining("supports none");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void dialerRejectsAnUnexpectedAnswer() throws Exception {
        Recorder r = recorder();
        EmbeddedChannel ch = embedded(MultistreamSelect.dialer(List.of("/a"), Duration.ofSeconds(5), r));
        ch.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID, "/b"));
        assertThat(r.failed.get()).hasMessageContaining("unexpected answer");
        assertThat(r.selected.get()).isNull();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void listenerAnswersLsNaAndThenAcceptsWithLazyDataInTheSamePacket() throws Exception {
        Recorder r = recorder();
        EmbeddedChannel ch = embedded(MultistreamSelect.listener(Set.of("/echo/1.0.0"), Duration.ofSeconds(5), r));
        ch.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID, "ls", "/nope"));
        List<String> answers = readMessages(ch);
        assertThat(answers).hasSize(3);
        assertThat(answers.get(0)).isEqualTo(MultistreamSelect.PROTOCOL_ID);
        assertThat(MultistreamCodec.read(Unpooled.copiedBuffer(answers.get(1), StandardCharsets.UTF_8)))
                .isEqualTo("/echo/1.0.0");
        assertThat(answers.get(2)).isEqualTo("na");
        ch.writeInbound(msgs("/echo/1.0.0").writeBytes("data!".getBytes(StandardCharsets.UTF_8)));
        assertThat(readMessages(ch)).containsExactly("/echo/1.0.0");
        assertThat(r.selected.get()).isEqualTo("/echo/1.0.0");
        assertThat(r.receivedText()).isEqualTo("data!");
        // later bytes reach the protocol handler directly
        ch.writeInbound(Unpooled.copiedBuffer("more", StandardCharsets.UTF_8));
        assertThat(r.receivedText()).isEqualTo("data!more");
    }

    @Test
    void listenerRejectsGarbageHeader() {
        Recorder r = recorder();
        EmbeddedChannel ch = embedded(MultistreamSelect.listener(Set.of("/a"), Duration.ofSeconds(5), r));
        // 'G' reads as a 71-byte message that does not end in a newline
        ch.writeInbound(Unpooled.copiedBuffer(
                "GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: curl/8\r\n"
                        + "Accept: */*\r\nConnection: close\r\n\r\n",
                StandardCharsets.US_ASCII));
        assertThat(r.failed.get()).hasMessageContaining("newline");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.outboundMessages()).isEmpty();
    }

    @Test
    void listenerBoundsTheNumberOfRounds() throws Exception {
        Recorder r = recorder();
        EmbeddedChannel ch = embedded(MultistreamSelect.listener(Set.of("/a"), Duration.ofSeconds(5), r));
        String[] many = new String[MultistreamSelect.MAX_ROUNDS + 2];
        many[0] = MultistreamSelect.PROTOCOL_ID;
        for (int i = 1; i < many.length; i++) {
            many[i] = "/unknown/" + i;
        }
        ch.writeInbound(msgs(many));
        assertThat(r.failed.get()).hasMessageContaining("rounds");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void timesOut() throws Exception {
        Recorder r = recorder();
        EmbeddedChannel ch = embedded(MultistreamSelect.listener(Set.of("/a"), Duration.ofMillis(50), r));
        ch.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (r.failed.get() == null && System.nanoTime() < deadline) {
            ch.advanceTimeBy(60, TimeUnit.MILLISECONDS); // embedded clock: no real waiting
            ch.runScheduledPendingTasks();
        }
        assertThat(r.failed.get()).hasMessageContaining("timed out");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void closeDuringNegotiationReportsFailure() {
        Recorder r = recorder();
        EmbeddedChannel ch = embedded(MultistreamSelect.dialer(List.of("/a"), Duration.ofSeconds(5), r));
        ch.close();
        assertThat(r.failed.get()).hasMessageContaining("closed");
    }

    @Test
    void throwingSelectionClosesTheChannel() {
        AtomicReference<MultistreamException> failed = new AtomicReference<>();
        EmbeddedChannel ch = embedded(
                MultistreamSelect.listener(Set.of("/a"), Duration.ofSeconds(5), new MultistreamSelect.Outcome() {
                    @Override
                    public void selected(Channel channel, String protocol) {
                        throw new IllegalStateException("boom");
                    }

                    @Override
                    public void failed(Channel channel, MultistreamException cause) {
                        failed.set(cause);
                    }
                }));
        ch.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID, "/a"));
        assertThat(failed.get()).hasMessageContaining("boom");
        assertThat(ch.isOpen()).isFalse();
    }

    /** The protocol's side of a lazily negotiated stream: writes its request as soon as it is installed. */
    static final class EagerWriter extends Recorder {
        final AtomicReference<Throwable> caught = new AtomicReference<>();
        final List<String> inactive = new ArrayList<>();
        private final String request;

        EagerWriter(String request) {
            this.request = request;
        }

        @Override
        public void selected(Channel channel, String protocol) {
            super.selected(channel, protocol);
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    caught.set(cause);
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    inactive.add("inactive");
                }
            });
        }
    }

    private static String outboundText(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    private EmbeddedChannel lazy(String protocol, Duration timeout, EagerWriter app) {
        recorders.add(app);
        return embedded(MultistreamSelect.lazyDialer(protocol, timeout, app));
    }

    @Test
    void lazyDialerSendsTheRequestBeforeAnyAnswerAndConsumesTheEchoLater() {
        EagerWriter app = new EagerWriter("ping!");
        EmbeddedChannel ch = lazy("/echo/1.0.0", Duration.ofSeconds(5), app);
        // nothing has been read, yet the proposal and the request are both on the wire
        assertThat(app.selected.get()).isEqualTo("/echo/1.0.0");
        String expected = msgs(MultistreamSelect.PROTOCOL_ID, "/echo/1.0.0").toString(StandardCharsets.UTF_8) + "ping!";
        assertThat(outboundText(ch)).isEqualTo(expected);
        assertThat(ch.pipeline().get(MultistreamHandler.class))
                .as("waits for the echo")
                .isNotNull();

        ch.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID, "/echo/1.0.0")
                .writeBytes("pong!".getBytes(StandardCharsets.UTF_8)));
        assertThat(app.receivedText())
                .as("the echo is consumed, the answer passed on")
                .isEqualTo("pong!");
        assertThat(ch.pipeline().get(MultistreamHandler.class)).isNull();
        assertThat(app.caught.get()).isNull();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void lazyDialerChecksAnEchoArrivingByteByByte() {
        EagerWriter app = new EagerWriter("x");
        EmbeddedChannel ch = lazy("/a/1", Duration.ofSeconds(5), app);
        outboundText(ch);
        ByteBuf answer = msgs(MultistreamSelect.PROTOCOL_ID, "/a/1").writeBytes("yz".getBytes(StandardCharsets.UTF_8));
        while (answer.isReadable()) {
            ch.writeInbound(answer.readRetainedSlice(1));
            if (answer.readableBytes() > 2) {
                assertThat(app.receivedText())
                        .as("nothing before the whole echo")
                        .isEmpty();
            }
        }
        answer.release();
        assertThat(app.receivedText()).isEqualTo("yz");
        assertThat(app.caught.get()).isNull();
    }

    @Test
    void lazyDialerFailsTheStreamWithAProtocolErrorOnNa() {
        EagerWriter app = new EagerWriter("request");
        EmbeddedChannel ch = lazy("/missing/1", Duration.ofSeconds(5), app);
        outboundText(ch);
        ch.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID, "na"));
        assertThat(app.caught.get())
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("supports none of [/missing/1]");
        assertThat(((MultistreamException) app.caught.get()).refused())
                .as("an explicit no")
                .isTrue();
        assertThat(app.failed.get()).hasMessageContaining("supports none");
        assertThat(app.receivedText())
                .as("the na never reaches the protocol handler")
                .isEmpty();
        assertThat(ch.isOpen()).isFalse();
        assertThat(app.inactive).containsExactly("inactive");
    }

    @Test
    void lazyDialerRejectsAWrongEchoAndACloseBeforeTheEcho() {
        EagerWriter wrong = new EagerWriter("r");
        EmbeddedChannel ch = lazy("/a/1", Duration.ofSeconds(5), wrong);
        ch.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID, "/b/1"));
        assertThat(wrong.caught.get())
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("unexpected answer");
        assertThat(ch.isOpen()).isFalse();

        EagerWriter closed = new EagerWriter("r");
        EmbeddedChannel ch2 = lazy("/a/1", Duration.ofSeconds(5), closed);
        ch2.writeInbound(msgs(MultistreamSelect.PROTOCOL_ID));
        ch2.close();
        assertThat(closed.caught.get()).isInstanceOf(MultistreamException.class).hasMessageContaining("closed");
        assertThat(((MultistreamException) closed.caught.get()).refused())
                .as("a close is no answer")
                .isFalse();
        assertThat(closed.inactive).containsExactly("inactive");
    }

    @Test
    void lazyDialerTimesOutWithoutAnEcho() {
        EagerWriter app = new EagerWriter("r");
        EmbeddedChannel ch = lazy("/a/1", Duration.ofMillis(50), app);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (app.caught.get() == null && System.nanoTime() < deadline) {
            ch.advanceTimeBy(60, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }
        assertThat(app.caught.get()).hasMessageContaining("timed out");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void lazyDialerRefusesBadProtocolIds() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> MultistreamSelect.lazyDialer("bad\nid", Duration.ofSeconds(1), recorder()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
