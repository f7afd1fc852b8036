package dev.hyperj.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** The transport codec on in-memory channels: framing, slicing, limits and tampering. */
class NoiseTransportCodecTest {

    /** Records what reaches the application behind the codec. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> chunkSizes = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            chunkSizes.add(buf.readableBytes());
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            received.writeBytes(bytes);
            buf.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    record Pair(EmbeddedChannel sender, EmbeddedChannel receiver, Sink sink) {}

    static Pair pair() throws NoiseException {
        HandshakeState.TransportKeys[] keys = TestSessions.keyPair();
        Sink sink = new Sink();
        EmbeddedChannel sender = new EmbeddedChannel(new NoiseTransportCodec(keys[0].sender(), keys[0].receiver()));
        EmbeddedChannel receiver =
                new EmbeddedChannel(new NoiseTransportCodec(keys[1].sender(), keys[1].receiver()), sink);
        return new Pair(sender, receiver, sink);
    }

    /** Everything the sender put on the wire, as one array. */
    static byte[] drainWire(EmbeddedChannel ch) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            wire.writeBytes(b);
            buf.release();
        }
        return wire.toByteArray();
    }

    static List<Integer> frameLengths(byte[] wire) {
        List<Integer> lengths = new ArrayList<>();
        for (int pos = 0; pos < wire.length; ) {
            int len = ((wire[pos] & 0xff) << 8) | (wire[pos + 1] & 0xff);
            lengths.add(len);
            pos += 2 + len;
        }
        return lengths;
    }

    @Test
    void largeWritesAreSplitIntoMaximalFrames() throws Exception {
        Pair p = pair();
        byte[] data = new byte[NoiseTransportCodec.MAX_PLAINTEXT * 2 + 1];
        new Random(1).nextBytes(data);
        p.sender().writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
        byte[] wire = drainWire(p.sender());
        assertThat(frameLengths(wire)).containsExactly(65535, 65535, 17);

        p.receiver().writeInbound(Unpooled.wrappedBuffer(wire));
        assertThat(p.sink().received.toByteArray()).isEqualTo(data);
        assertThat(p.sink().chunkSizes).containsExactly(65519, 65519, 1);
        assertThat(p.sink().errors).isEmpty();
        p.sender().finishAndReleaseAll();
        p.receiver().finishAndReleaseAll();
    }

    @Test
    void writesBeyondOneBatchUseSeveralBuffersAndCompleteThePromise() throws Exception {
        Pair p = pair();
        byte[] data = new byte[5 * 1024 * 1024 + 7];
        new Random(2).nextBytes(data);
        ByteBuf direct = Unpooled.directBuffer(data.length).writeBytes(data); // exercise the non-array path
        assertThat(p.sender().writeAndFlush(direct).sync().isSuccess()).isTrue();
        assertThat(direct.refCnt()).isZero();
        byte[] wire = drainWire(p.sender());
        assertThat(frameLengths(wire)).hasSize((data.length + 65518) / 65519);

        p.receiver().writeInbound(Unpooled.directBuffer(wire.length).writeBytes(wire));
        assertThat(p.sink().received.toByteArray()).isEqualTo(data);
        p.sender().finishAndReleaseAll();
        p.receiver().finishAndReleaseAll();
    }

    private static CipherState keyed(byte[] key) {
        CipherState c = new CipherState();
        c.initializeKey(key);
        return c;
    }

    /**
     * Composites of heap and direct parts (what the muxer writes: headers and payload slices) are
     * encrypted part by part without being gathered first; the wire must be byte for byte what one
     * plain heap write of the same bytes gives under the same key, and must decrypt back.
     */
    @Property(tries = 60)
    void compositeWritesOfHeapAndDirectPartsGiveTheSameWireAsAPlainWrite(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(max = 90_000) Integer> partSizes,
            @ForAll @IntRange(max = 100) int skip,
            @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        byte[] key = new byte[32];
        random.nextBytes(key);
        EmbeddedChannel viaParts = new EmbeddedChannel(new NoiseTransportCodec(keyed(key), keyed(new byte[32])));
        EmbeddedChannel plain = new EmbeddedChannel(new NoiseTransportCodec(keyed(key), keyed(new byte[32])));
        io.netty.buffer.CompositeByteBuf composite = Unpooled.compositeBuffer(partSizes.size());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int size : partSizes) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            all.writeBytes(bytes);
            composite.addComponent(
                    true,
                    random.nextBoolean()
                            ? Unpooled.directBuffer(Math.max(1, size)).writeBytes(bytes)
                            : Unpooled.wrappedBuffer(bytes));
        }
        int skipped = Math.min(skip, composite.readableBytes());
        composite.skipBytes(skipped);
        byte[] expected = java.util.Arrays.copyOfRange(all.toByteArray(), skipped, all.size());

        assertThat(viaParts.writeAndFlush(composite).isSuccess()).isTrue();
        assertThat(composite.refCnt()).isZero();
        plain.writeAndFlush(Unpooled.wrappedBuffer(expected));
        byte[] wire = drainWire(viaParts);
        assertThat(wire).isEqualTo(drainWire(plain));

        Sink sink = new Sink();
        EmbeddedChannel receiver = new EmbeddedChannel(new NoiseTransportCodec(keyed(new byte[32]), keyed(key)), sink);
        receiver.writeInbound(Unpooled.wrappedBuffer(wire));
        assertThat(sink.received.toByteArray()).isEqualTo(expected);
        assertThat(sink.errors).isEmpty();
        viaParts.finishAndReleaseAll();
        plain.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
    }

    @Property(tries = 50)
    void anySlicingOfTheWireDeliversTheSameBytes(
            @ForAll @Size(max = 8) List<@IntRange(max = 150_000) Integer> writeSizes, @ForAll long seed)
            throws Exception {
        Pair p = pair();
        Random random = new Random(seed);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int size : writeSizes) {
            byte[] chunk = new byte[size];
            random.nextBytes(chunk);
            sent.writeBytes(chunk);
            p.sender().writeAndFlush(Unpooled.wrappedBuffer(chunk));
        }
        byte[] wire = drainWire(p.sender());
        for (int pos = 0; pos < wire.length; ) {
            int slice = Math.min(wire.length - pos, 1 + random.nextInt(random.nextBoolean() ? 8 : 70_000));
            p.receiver().writeInbound(Unpooled.copiedBuffer(wire, pos, slice));
            pos += slice;
        }
        assertThat(p.sink().received.toByteArray()).isEqualTo(sent.toByteArray());
        assertThat(p.sink().errors).isEmpty();
        p.sender().finishAndReleaseAll();
        p.receiver().finishAndReleaseAll();
    }

    @Test
    void aFlippedCiphertextBitClosesTheChannelWithNoiseException() throws Exception {
        Pair p = pair();
        p.sender().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})).sync();
        p.sender().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {4, 5, 6})).sync();
        byte[] wire = drainWire(p.sender());
        wire[2 + 19 + 2 + 1] ^= 0x04; // a ciphertext byte of the second frame

        p.receiver().writeInbound(Unpooled.wrappedBuffer(wire));
        assertThat(p.sink().received.toByteArray()).containsExactly(1, 2, 3);
        assertThat(p.sink().errors).singleElement().isInstanceOf(NoiseException.class);
        assertThat(p.receiver().isOpen()).isFalse();
        p.sender().finishAndReleaseAll();
        p.receiver().finishAndReleaseAll();
    }

    @Test
    void aReplayedFrameIsRejected() throws Exception {
        Pair p = pair();
        p.sender().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {9})).sync();
        byte[] wire = drainWire(p.sender());
        p.receiver().writeInbound(Unpooled.wrappedBuffer(wire));
        p.receiver().writeInbound(Unpooled.wrappedBuffer(wire));
        assertThat(p.sink().received.toByteArray()).containsExactly(9);
        assertThat(p.sink().errors).singleElement().isInstanceOf(NoiseException.class);
        assertThat(p.receiver().isOpen()).isFalse();
        p.sender().finishAndReleaseAll();
        p.receiver().finishAndReleaseAll();
    }

    @Test
    void aFrameShorterThanATagIsRejected() throws Exception {
        Pair p = pair();
        p.receiver().writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3}));
        assertThat(p.sink().errors)
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(NoiseException.class)
                .hasMessageContaining("shorter than its tag");
        assertThat(p.receiver().isOpen()).isFalse();
        p.sender().finishAndReleaseAll();
        p.receiver().finishAndReleaseAll();
    }

    @Test
    void aTruncatedFrameIsHeldNotDeliveredAndReleasedOnClose() throws Exception {
        Pair p = pair();
        p.sender().writeAndFlush(Unpooled.wrappedBuffer(new byte[1000])).sync();
        byte[] wire = drainWire(p.sender());
        ByteBuf partial = Unpooled.copiedBuffer(wire, 0, wire.length - 1);
        p.receiver().writeInbound(partial);
        assertThat(p.sink().chunkSizes).isEmpty();
        assertThat(p.sink().errors).isEmpty();
        assertThat(p.receiver().isOpen()).isTrue();
        p.receiver().close().sync();
        assertThat(partial.refCnt()).isZero();
        p.sender().finishAndReleaseAll();
    }

    @Test
    void nonByteBufWritesFailTheirPromise() throws Exception {
        Pair p = pair();
        assertThat(p.sender().writeAndFlush("text").await().cause()).isInstanceOf(IllegalArgumentException.class);
        p.sender().finishAndReleaseAll();
        p.receiver().finishAndReleaseAll();
    }

    @Property(tries = 300)
    void randomBytesOnlyEverProduceNoiseException(@ForAll @Size(max = 300) byte[] garbage) throws Exception {
        Pair p = pair();
        p.receiver().writeInbound(Unpooled.wrappedBuffer(garbage));
        assertThat(p.sink().errors).allMatch(NoiseException.class::isInstance);
        assertThat(p.sink().chunkSizes).isEmpty(); // random bytes never authenticate
        p.sender().finishAndReleaseAll();
        p.receiver().finishAndReleaseAll();
    }
}
