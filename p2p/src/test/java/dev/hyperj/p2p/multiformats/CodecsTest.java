package dev.hyperj.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Known answers for varint, base58, base32, multibase, multihash and CID. */
class CodecsTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void varintMatchesTheMultiformatsExamples() {
        // unsigned-varint README examples
        assertThat(Varint.encode(1)).isEqualTo(hex("01"));
        assertThat(Varint.encode(127)).isEqualTo(hex("7f"));
        assertThat(Varint.encode(128)).isEqualTo(hex("8001"));
        assertThat(Varint.encode(255)).isEqualTo(hex("ff01"));
        assertThat(Varint.encode(300)).isEqualTo(hex("ac02"));
        assertThat(Varint.encode(16384)).isEqualTo(hex("808001"));
        assertThat(Varint.encode(Long.MAX_VALUE)).hasSize(9);
        assertThat(Varint.decode(hex("ac02"))).isEqualTo(300);
        assertThat(Varint.decode(Varint.encode(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Varint.encodedLength(0)).isEqualTo(1);
        ByteBuffer buf = ByteBuffer.wrap(hex("ac0201"));
        assertThat(Varint.decode(buf)).isEqualTo(300);
        assertThat(buf.position()).isEqualTo(2);
    }

    @Test
    void varintRejectsNonMinimalOverlongTruncatedAndNegative() {
        assertThatThrownBy(() -> Varint.decode(hex("8100")))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("minimal");
        assertThatThrownBy(() -> Varint.decode(hex("80")))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Varint.decode(hex("ffffffffffffffffff01")))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("9 bytes");
        assertThatThrownBy(() -> Varint.decode(hex("0101")))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> Varint.decode(new byte[0])).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> Varint.encode(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Varint.decode(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> Varint.decode(new ByteArrayInputStream(hex("ff"))))
                .isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> Varint.decodeInt(ByteBuffer.wrap(hex("ac02")), 299))
                .isInstanceOf(FormatException.class);
    }

    @Test
    void base58KnownAnswers() {
        assertThat(Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("2NEpo7TZRRrLZSi2U");
        assertThat(Base58.encode(hex("0000287fb4cd"))).isEqualTo("11233QC4");
        assertThat(Base58.encode(new byte[0])).isEmpty();
        assertThat(Base58.decode("11233QC4")).isEqualTo(hex("0000287fb4cd"));
        assertThat(Base58.decode("2NEpo7TZRRrLZSi2U")).isEqualTo("Hello World!".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Base58.decode("0OIl")).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> Base58.decode("1".repeat(Base58.MAX_DECODE_CHARS + 1)))
                .isInstanceOf(FormatException.class);
    }

    @Test
    void base32KnownAnswersFromRfc4648() {
        String[][] vectors = {
            {"", ""},
            {"f", "my"},
            {"fo", "mzxq"},
            {"foo", "mzxw6"},
            {"foob", "mzxw6yq"},
            {"fooba", "mzxw6ytb"},
            {"foobar", "mzxw6ytboi"}
        };
        for (String[] v : vectors) {
            assertThat(Base32.encode(v[0].getBytes(StandardCharsets.US_ASCII))).isEqualTo(v[1]);
            assertThat(Base32.decode(v[1])).isEqualTo(v[0].getBytes(StandardCharsets.US_ASCII));
        }
        assertThatThrownBy(() -> Base32.decode("MZXW6")).isInstanceOf(FormatException.class); // uppercase
        assertThatThrownBy(() -> Base32.decode("mzxw6===")).isInstanceOf(FormatException.class); // padding
        assertThatThrownBy(() -> Base32.decode("m")).isInstanceOf(FormatException.class); // impossible length
        assertThatThrownBy(() -> Base32.decode("mz")).isInstanceOf(FormatException.class); // non-zero trailing bits
    }

    @Test
    void multibaseSpecVectors() {
        // multiformats/multibase tests: "yes mani !"
        byte[] data = "yes mani !".getBytes(StandardCharsets.US_ASCII);
        String[] encoded = {
            "f796573206d616e692021",
            "F796573206D616E692021",
            "bpfsxgidnmfxgsibb",
            "BPFSXGIDNMFXGSIBB",
            "z7paNL19xttacUY",
            "meWVzIG1hbmkgIQ",
            "ueWVzIG1hbmkgIQ"
        };
        for (String e : encoded) {
            assertThat(Multibase.decode(e)).as(e).isEqualTo(data);
            assertThat(Multibase.encode(Multibase.baseOf(e), data)).isEqualTo(e);
        }
        assertThatThrownBy(() -> Multibase.decode("")).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> Multibase.decode("Qabc"))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> Multibase.decode("f7g")).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> Multibase.decode("meWVzIG1hbmkgIQ==")).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> Multibase.decode("meWVzIG1hbmkgIR"))
                .isInstanceOf(FormatException.class); // trailing bits
        assertThatThrownBy(() -> Multibase.decode("m" + "A".repeat(5))).isInstanceOf(FormatException.class);
    }

    @Test
    void multihashAndCid() {
        Multihash sha = Multihash.sha256("hello world".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(sha.bytes()))
                .isEqualTo("1220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        assertThat(Multihash.decode(sha.bytes())).isEqualTo(sha);
        assertThat(Multihash.identity(hex("0102")).bytes()).isEqualTo(hex("00020102"));
        assertThatThrownBy(() -> Multihash.decode(hex("1221" + "00".repeat(33))))
                .isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> Multihash.decode(hex("0005aa"))).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> Multihash.decode(hex("000101ff")))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("trailing");

        // CIDv0 -> v1 conversion from the CID spec: QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n
        Cid v0 = Cid.parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
        assertThat(v0.version()).isZero();
        assertThat(v0.codec()).isEqualTo(Cid.DAG_PB);
        Cid v1 = Cid.v1(Cid.DAG_PB, v0.multihash());
        assertThat(v1.toString()).isEqualTo("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertThat(Cid.parse(v1.toString())).isEqualTo(v1);
        assertThat(Cid.parse(v1.toString(Multibase.Base.BASE58BTC))).isEqualTo(v1);
        assertThatThrownBy(() -> Cid.decode(hex("02701220" + "00".repeat(32))))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> Cid.parse("z" + Base58.encode(v0.bytes()))).isInstanceOf(FormatException.class);
    }
}
