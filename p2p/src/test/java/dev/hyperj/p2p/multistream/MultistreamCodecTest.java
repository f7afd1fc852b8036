package dev.hyperj.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MultistreamCodecTest {

    @Test
    void encodesTheSpecExample() {
        ByteBuf buf = Unpooled.buffer();
        MultistreamCodec.write(buf, "/echo/1.0");
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        assertThat(bytes).containsExactly(0x0a, '/', 'e', 'c', 'h', 'o', '/', '1', '.', '0', '\n');
    }

    @Test
    void partialMessageLeavesTheBufferUntouched() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        MultistreamCodec.write(buf, "/multistream/1.0.0");
        ByteBuf part = buf.slice(0, 5);
        assertThat(MultistreamCodec.read(part)).isNull();
        assertThat(part.readerIndex()).isZero();
        assertThat(MultistreamCodec.read(buf)).isEqualTo("/multistream/1.0.0");
        assertThat(buf.isReadable()).isFalse();
    }

    @Test
    void rejectsOversizedLengthBeforeTheBodyArrives() {
        ByteBuf buf = Unpooled.buffer();
        MultistreamCodec.writeVarint(buf, MultistreamSelect.MAX_MESSAGE_LENGTH + 1);
        assertThatThrownBy(() -> MultistreamCodec.read(buf))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("longer than");
        ByteBuf huge = Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
        assertThatThrownBy(() -> MultistreamCodec.read(huge)).isInstanceOf(MultistreamException.class);
    }

    @Test
    void rejectsMissingNewlineEmptyAndBadUtf8() {
        assertThatThrownBy(() -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {3, 'a', 'b', 'c'})))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("newline");
        assertThatThrownBy(() -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {0})))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {3, (byte) 0xc3, 0x28, '\n'})))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 0, 'a', '\n'})))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("non-minimal");
    }

    @Test
    void lsListStaysWithinTheLimit() throws Exception {
        List<String> many = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> "/proto/number/" + i)
                .toList();
        ByteBuf buf = Unpooled.buffer();
        MultistreamCodec.writeList(buf, many);
        String body = MultistreamCodec.read(buf);
        assertThat(body).isNotNull();
        ByteBuf inner = Unpooled.wrappedBuffer(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(MultistreamCodec.read(inner)).isEqualTo("/proto/number/0");
    }

    @Property(tries = 500)
    void roundTrips(@ForAll("protocolIds") String id) throws Exception {
        ByteBuf buf = Unpooled.buffer();
        MultistreamCodec.write(buf, id);
        assertThat(MultistreamCodec.read(buf)).isEqualTo(id);
        assertThat(buf.isReadable()).isFalse();
    }

    @Provide
    Arbitrary<String> protocolIds() {
        return Arbitraries.strings()
                .ofMinLength(1)
                .ofMaxLength(300)
                .excludeChars('\n')
                .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
    }

    @Property(tries = 2000)
    void randomBytesOnlyEverThrowTheCodecException(@ForAll @Size(max = 2000) byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            while (MultistreamCodec.read(buf) != null) {
                // keep reading
            }
        } catch (MultistreamException expected) {
            // fine: the codec's own error
        }
    }

    @Property(tries = 1000)
    void mutatedMessagesOnlyEverThrowTheCodecException(
            @ForAll("protocolIds") String id, @ForAll int position, @ForAll byte value) {
        ByteBuf buf = Unpooled.buffer();
        MultistreamCodec.write(buf, id);
        buf.setByte(Math.floorMod(position, buf.readableBytes()), value);
        try {
            MultistreamCodec.read(buf);
        } catch (MultistreamException expected) {
            // fine
        }
    }
}
