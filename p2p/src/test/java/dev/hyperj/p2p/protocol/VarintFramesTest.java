package dev.hyperj.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class VarintFramesTest {

    private static List<byte[]> drain(EmbeddedChannel ch) {
        List<byte[]> frames = new ArrayList<>();
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            frames.add(ByteBufUtil.getBytes(b));
            b.release();
        }
        return frames;
    }

    @Property(tries = 200)
    void framesSurviveAnySlicing(
            @ForAll @Size(max = 8) List<@Size(max = 600) byte[]> bodies,
            @ForAll @IntRange(min = 1, max = 700) int sliceSize) {
        ByteBuf wire = Unpooled.buffer();
        for (byte[] b : bodies) {
            ByteBuf f = VarintFrames.encode(UnpooledByteBufAllocator.DEFAULT, b);
            wire.writeBytes(f);
            f.release();
        }
        EmbeddedChannel ch = new EmbeddedChannel(VarintFrames.decoder(1000));
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(Math.min(sliceSize, wire.readableBytes())));
        }
        wire.release();
        List<byte[]> got = drain(ch);
        assertThat(got).hasSize(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(got.get(i)).isEqualTo(bodies.get(i));
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Property(tries = 500)
    void garbageOnlyEverYieldsFramesOrFrameException(@ForAll("garbage") byte[] garbage) {
        EmbeddedChannel ch = new EmbeddedChannel(VarintFrames.decoder(300));
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(garbage));
            for (byte[] f : drain(ch)) {
                assertThat(f.length).isLessThanOrEqualTo(300);
            }
        } catch (FrameException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    }

    @Test
    void oversizedFrameIsRejectedAsSoonAsItsLengthIsKnown() {
        EmbeddedChannel ch = new EmbeddedChannel(VarintFrames.decoder(1024));
        ByteBuf header = Unpooled.buffer();
        VarintFrames.writeLength(header, 1025);
        assertThatThrownBy(() -> ch.writeInbound(header))
                .isInstanceOfSatisfying(
                        FrameException.class, e -> assertThat(e.tooLarge()).isTrue())
                .hasMessageContaining("1025");
        ch.finishAndReleaseAll();
    }

    @Test
    void overlongAndNonMinimalVarintsAreRejected() {
        EmbeddedChannel a = new EmbeddedChannel(VarintFrames.decoder(Integer.MAX_VALUE));
        assertThatThrownBy(() -> a.writeInbound(Unpooled.wrappedBuffer(
                        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1})))
                .isInstanceOf(FrameException.class);
        a.finishAndReleaseAll();
        EmbeddedChannel b = new EmbeddedChannel(VarintFrames.decoder(100));
        assertThatThrownBy(() -> b.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0x00})))
                .isInstanceOfSatisfying(
                        FrameException.class, e -> assertThat(e.tooLarge()).isFalse())
                .hasMessageContaining("minimal");
        b.finishAndReleaseAll();
    }

    @Test
    void truncatedFrameWaitsForTheRestAndHoldsNothingElse() {
        EmbeddedChannel ch = new EmbeddedChannel(VarintFrames.decoder(100));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {10, 1, 2, 3}));
        assertThat(drain(ch)).isEmpty();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {4, 5, 6, 7, 8, 9, 10, 2, 42}));
        List<byte[]> got = drain(ch);
        assertThat(got).hasSize(1);
        assertThat(got.getFirst()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void lengthsEncodeAsUnsignedVarints() {
        ByteBuf b = Unpooled.buffer();
        VarintFrames.writeLength(b, 300);
        assertThat(ByteBufUtil.getBytes(b)).containsExactly(0xac, 0x02);
        assertThat(VarintFrames.readLength(b, 300)).isEqualTo(300);
        assertThat(b.isReadable()).isFalse();
    }
}
