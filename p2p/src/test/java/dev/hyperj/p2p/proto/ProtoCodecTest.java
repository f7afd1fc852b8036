package dev.hyperj.p2p.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ProtoCodecTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void writesTheWireFormatByteForByte() {
        byte[] out = new ProtoWriter()
                .writeVarint(1, 150)
                .writeString(2, "testing")
                .writeBool(3, true)
                .writeVarint(4, -1)
                .writeFixed32(5, 1)
                .writeFixed64(6, 2)
                .toByteArray();
        // Field 1 = 150 is the protobuf documentation's "08 96 01"; -1 is ten bytes.
        assertThat(HexFormat.of().formatHex(out))
                .isEqualTo("089601" + "120774657374696e67" + "1801" + "20ffffffffffffffffff01" + "2d01000000"
                        + "310200000000000000");
    }

    @Test
    void readsEveryWireTypeAndSkipsUnreadFields() {
        byte[] msg = new ProtoWriter()
                .writeVarint(1, 150)
                .writeString(2, "testing")
                .writeBool(3, true)
                .writeVarint(4, -1)
                .writeFixed32(5, 7)
                .writeFixed64(6, 9)
                .writeBytes(7, new byte[] {1, 2})
                .writeMessage(8, new ProtoWriter().writeVarint(1, 5))
                .toByteArray();
        ProtoReader r = new ProtoReader(msg);
        assertThat(r.next()).isTrue();
        assertThat(r.field()).isEqualTo(1);
        assertThat(r.varint()).isEqualTo(150);
        assertThat(r.next()).isTrue();
        assertThat(r.string()).isEqualTo("testing");
        assertThat(r.next()).isTrue();
        assertThat(r.bool()).isTrue();
        assertThat(r.next()).isTrue();
        assertThat(r.varint()).isEqualTo(-1L);
        assertThat(r.next()).isTrue(); // fixed32 left unread: next() skips it
        assertThat(r.next()).isTrue();
        assertThat(r.field()).isEqualTo(6);
        assertThat(r.wireType()).isEqualTo(1);
        assertThat(r.fixed64()).isEqualTo(9);
        assertThat(r.next()).isTrue();
        r.skip();
        assertThat(r.next()).isTrue();
        ProtoReader inner = new ProtoReader(r.bytes());
        assertThat(inner.next()).isTrue();
        assertThat(inner.varintAsInt()).isEqualTo(5);
        assertThat(inner.next()).isFalse();
        assertThat(r.next()).isFalse();
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> read(hex("12")))
                .isInstanceOf(ProtoException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(hex("1205abcd")))
                .isInstanceOf(ProtoException.class)
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> read(hex("12ffffffffffffffffff01"))).isInstanceOf(ProtoException.class);
        assertThatThrownBy(() -> read(hex("0b")))
                .isInstanceOf(ProtoException.class)
                .hasMessageContaining("groups");
        assertThatThrownBy(() -> read(hex("0e00")))
                .isInstanceOf(ProtoException.class)
                .hasMessageContaining("wire type");
        assertThatThrownBy(() -> read(hex("0000")))
                .isInstanceOf(ProtoException.class)
                .hasMessageContaining("field number");
        assertThatThrownBy(() -> read(hex("08ffffffffffffffffff7f")))
                .isInstanceOf(ProtoException.class)
                .hasMessageContaining("64 bits");
        assertThatThrownBy(() -> read(hex("2d0100"))).isInstanceOf(ProtoException.class);
        ProtoReader wrongType = new ProtoReader(hex("0801"));
        wrongType.next();
        assertThatThrownBy(wrongType::bytes).isInstanceOf(ProtoException.class).hasMessageContaining("wire type");
        ProtoReader badUtf8 = new ProtoReader(hex("0a02c328"));
        badUtf8.next();
        assertThatThrownBy(badUtf8::string).isInstanceOf(ProtoException.class).hasMessageContaining("UTF-8");
        ProtoReader notBool = new ProtoReader(hex("0802"));
        notBool.next();
        assertThatThrownBy(notBool::bool).isInstanceOf(ProtoException.class);
    }

    private static void read(byte[] msg) {
        ProtoReader r = new ProtoReader(msg);
        while (r.next()) {
            r.skip();
        }
    }
}
