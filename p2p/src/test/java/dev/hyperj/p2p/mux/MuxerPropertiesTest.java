package dev.hyperj.p2p.mux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Decoder properties, on an EmbeddedChannel (no socket needed to feed bytes): random and mutated
 * frame streams only ever end in a clean {@link MuxerException} close (no other exception, every
 * buffer released), and valid frames deliver the same bytes however the input is sliced.
 */
class MuxerPropertiesTest {

    /** A muxer on an embedded connection with a counting allocator; children record exceptions. */
    static final class Harness {
        final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, false);
        final EmbeddedChannel conn = new EmbeddedChannel();
        final MuxSession muxer;
        final List<Throwable> childErrors = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int eofs;

        Harness(MuxerProtocol protocol, boolean echo) {
            conn.config().setAllocator(alloc);
            muxer = (MuxSession) StreamMuxer.create(
                    protocol,
                    false,
                    MuxerConfig.defaults().withMaxStreams(8).withMaxBufferedPerStream(100_000),
                    this::initStream);
            conn.pipeline().addLast(muxer);
            this.echo = echo;
        }

        private final boolean echo;

        int streamsOpened;

        private void initStream(Channel ch) {
            streamsOpened++;
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    byte[] a = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), a);
                    received.writeBytes(a);
                    if (echo) ctx.fireChannelRead(b);
                    else b.release();
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    ctx.fireChannelReadComplete();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt == ChannelInputShutdownEvent.INSTANCE) eofs++;
                    ctx.fireUserEventTriggered(evt);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    childErrors.add(cause);
                }
            });
            if (echo) ch.pipeline().addLast(new TestHandlers.Echo());
        }

        void feed(byte[] input, List<Integer> cuts) {
            int at = 0;
            for (int cut : cuts) {
                int end = Math.min(input.length, at + cut);
                if (end > at) feedChunk(input, at, end);
                at = end;
            }
            if (at < input.length) feedChunk(input, at, input.length);
            conn.runPendingTasks();
        }

        private void feedChunk(byte[] input, int from, int to) {
            if (!conn.isOpen()) return;
            ByteBuf b = alloc.buffer(to - from);
            b.writeBytes(input, from, to - from);
            conn.writeInbound(b);
            conn.runPendingTasks();
        }

        /** Closes everything and checks no exception escaped and no buffer is left. */
        void finishClean() {
            conn.checkException();
            conn.finishAndReleaseAll();
            conn.runPendingTasks();
            assertThat(childErrors).isEmpty();
            Throwable failure = muxer.failure();
            if (failure != null) assertThat(failure).isInstanceOf(MuxerException.class);
            var m = ((ByteBufAllocatorMetricProvider) alloc).metric();
            assertThat(m.usedHeapMemory() + m.usedDirectMemory())
                    .as("bytes of unreleased buffers")
                    .isZero();
        }
    }

    // ---- Yamux

    record YFrame(int version, int type, int flags, int stream, long length, int payload) {}

    /** Mostly well-formed frames (so streams open and carry data), with rare bad fields. */
    @Provide
    Arbitrary<List<YFrame>> yamuxFrames() {
        Arbitrary<Integer> version = Arbitraries.frequency(Tuple.of(30, 0), Tuple.of(1, 1));
        Arbitrary<Integer> type =
                Arbitraries.frequency(Tuple.of(12, 0), Tuple.of(8, 1), Tuple.of(2, 2), Tuple.of(1, 3), Tuple.of(1, 9));
        Arbitrary<Integer> flags = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(1)),
                Tuple.of(12, Arbitraries.just(0)),
                Tuple.of(3, Arbitraries.just(4)),
                Tuple.of(1, Arbitraries.just(8)),
                Tuple.of(1, Arbitraries.just(2)),
                Tuple.of(1, Arbitraries.integers().between(0, 15)));
        Arbitrary<Integer> stream = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of(1, 3, 5, 7)),
                Tuple.of(1, Arbitraries.integers().between(0, 12)));
        Arbitrary<Long> length = Arbitraries.frequencyOf(
                Tuple.of(16, Arbitraries.longs().between(0, 600)),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFF_FFFFL)),
                Tuple.of(1, Arbitraries.of(262_144L, 262_145L, 0xFFFF_FFFFL)));
        // -1: exactly the frame's length (aligned); otherwise that many bytes, misframing on purpose.
        Arbitrary<Integer> payload = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, 700)));
        return Combinators.combine(version, type, flags, stream, length, payload)
                .as(YFrame::new)
                .list()
                .ofMaxSize(16);
    }

    static byte[] yamuxBytes(List<YFrame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (YFrame f : frames) {
            out.writeBytes(ByteBuffer.allocate(12)
                    .put((byte) f.version())
                    .put((byte) f.type())
                    .putShort((short) f.flags())
                    .putInt(f.stream())
                    .putInt((int) f.length())
                    .array());
            // Data frames carry (up to) their length, sometimes less or more: misframing on purpose.
            if (f.type() == 0)
                out.writeBytes(new byte[(int) Math.min(f.length(), f.payload() < 0 ? 600 : f.payload())]);
        }
        return out.toByteArray();
    }

    static byte[] mutate(byte[] input, List<Integer> flips) {
        byte[] a = input.clone();
        if (a.length == 0) return a;
        for (int f : flips) a[Math.floorMod(f, a.length)] ^= (byte) (1 << (f & 7));
        return a;
    }

    @Property(tries = 400)
    void randomYamuxFramesOnlyEverCloseCleanly(
            @ForAll("yamuxFrames") List<YFrame> frames,
            @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 100_000) Integer> flips,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 5000) Integer> cuts,
            @ForAll boolean echo) {
        Harness h = new Harness(MuxerProtocol.YAMUX, echo);
        h.feed(mutate(yamuxBytes(frames), flips), cuts);
        Statistics.collect(
                h.muxer.failure() == null ? "still open" : "protocol error",
                h.streamsOpened > 0 ? "streams opened" : "no stream",
                h.received.size() > 0 ? "data read" : "no data");
        h.finishClean();
    }

    @Property(tries = 200)
    void randomBytesIntoYamuxOnlyEverCloseCleanly(
            @ForAll @Size(max = 3000) byte[] input,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 500) Integer> cuts) {
        Harness h = new Harness(MuxerProtocol.YAMUX, false);
        h.feed(input, cuts);
        h.finishClean();
    }

    @Property(tries = 200)
    void validYamuxFramesDeliverTheSameBytesHoweverSliced(
            @ForAll @Size(min = 1, max = 20) List<@Size(max = 2000) byte[]> messages,
            @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 3000) Integer> cuts,
            @ForAll boolean synOnData) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        // Streams open either with a WindowUpdate+SYN (js-libp2p) or with SYN on the first data frame.
        if (!synOnData)
            in.writeBytes(YamuxHostileInputTest.frame(YamuxSession.TYPE_WINDOW_UPDATE, YamuxSession.FLAG_SYN, 1, 0));
        boolean first = true;
        for (byte[] m : messages) {
            int flags = first && synOnData ? YamuxSession.FLAG_SYN : 0;
            first = false;
            in.writeBytes(YamuxHostileInputTest.frame(YamuxSession.TYPE_DATA, flags, 1, m.length));
            in.writeBytes(m);
            expected.writeBytes(m);
        }
        in.writeBytes(YamuxHostileInputTest.frame(YamuxSession.TYPE_DATA, YamuxSession.FLAG_FIN, 1, 0));
        Harness h = new Harness(MuxerProtocol.YAMUX, false);
        h.feed(in.toByteArray(), cuts);
        assertThat(h.muxer.failure()).isNull();
        assertThat(h.received.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(h.eofs).isEqualTo(1);
        h.finishClean();
    }

    // ---- mplex

    record MFrame(long id, int flag, long length, int payload) {}

    @Provide
    Arbitrary<List<MFrame>> mplexFrames() {
        Arbitrary<Integer> flag = Arbitraries.frequency(
                Tuple.of(4, 0),
                Tuple.of(8, 2),
                Tuple.of(2, 1),
                Tuple.of(2, 4),
                Tuple.of(1, 3),
                Tuple.of(1, 6),
                Tuple.of(1, 5),
                Tuple.of(1, 7));
        Arbitrary<Long> length = Arbitraries.frequencyOf(
                Tuple.of(16, Arbitraries.longs().between(0, 600)),
                Tuple.of(1, Arbitraries.longs().between(0, 1L << 40)),
                Tuple.of(1, Arbitraries.of(1_048_576L, 1_048_577L)));
        Arbitrary<Integer> payload = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, 700)));
        return Combinators.combine(Arbitraries.longs().between(0, 4), flag, length, payload)
                .as(MFrame::new)
                .list()
                .ofMaxSize(16);
    }

    static byte[] mplexBytes(List<MFrame> frames) {
        ByteBuf b = io.netty.buffer.Unpooled.buffer();
        for (MFrame f : frames) {
            MplexSession.writeVarint(b, (f.id() << 3) | f.flag());
            MplexSession.writeVarint(b, f.length());
            b.writeZero((int) Math.min(f.length(), f.payload() < 0 ? 600 : f.payload()));
        }
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        return a;
    }

    @Property(tries = 400)
    void randomMplexFramesOnlyEverCloseCleanly(
            @ForAll("mplexFrames") List<MFrame> frames,
            @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 100_000) Integer> flips,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 5000) Integer> cuts,
            @ForAll boolean echo) {
        Harness h = new Harness(MuxerProtocol.MPLEX, echo);
        h.feed(mutate(mplexBytes(frames), flips), cuts);
        Statistics.collect(
                h.muxer.failure() == null ? "still open" : "protocol error",
                h.streamsOpened > 0 ? "streams opened" : "no stream",
                h.received.size() > 0 ? "data read" : "no data");
        h.finishClean();
    }

    @Property(tries = 200)
    void randomBytesIntoMplexOnlyEverCloseCleanly(
            @ForAll @Size(max = 3000) byte[] input,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 500) Integer> cuts) {
        Harness h = new Harness(MuxerProtocol.MPLEX, false);
        h.feed(input, cuts);
        h.finishClean();
    }

    @Property(tries = 200)
    void validMplexFramesDeliverTheSameBytesHoweverSliced(
            @ForAll @Size(min = 1, max = 20) List<@Size(max = 2000) byte[]> messages,
            @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 3000) Integer> cuts) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        in.writeBytes(MplexHostileInputTest.frame(5, MplexSession.NEW_STREAM, "5".getBytes()));
        for (byte[] m : messages) {
            in.writeBytes(MplexHostileInputTest.frame(5, MplexSession.MESSAGE_INITIATOR, m));
            expected.writeBytes(m);
        }
        in.writeBytes(MplexHostileInputTest.frame(5, MplexSession.CLOSE_INITIATOR, new byte[0]));
        Harness h = new Harness(MuxerProtocol.MPLEX, false);
        h.feed(in.toByteArray(), cuts);
        assertThat(h.muxer.failure()).isNull();
        assertThat(h.received.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(h.eofs).isEqualTo(1);
        h.finishClean();
    }
}
