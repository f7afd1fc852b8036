package dev.hyperj.chain.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ScaleTest {
    sealed interface Shape permits Circle, Square {}

    record Circle(int radius) implements Shape {}

    record Square(BigInteger side, Optional<String> label) implements Shape {}

    record Sample(
            int a,
            long b,
            BigInteger c,
            boolean d,
            Bytes e,
            String f,
            List<Integer> g,
            Optional<Long> h,
            Map<Integer, String> i,
            AccountId j,
            Shape k) {}

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void compactMatchesTheSpecExamples() {
        assertThat(hex(new ScaleWriter().compact(0).toByteArray())).isEqualTo("00");
        assertThat(hex(new ScaleWriter().compact(1).toByteArray())).isEqualTo("04");
        assertThat(hex(new ScaleWriter().compact(42).toByteArray())).isEqualTo("a8");
        assertThat(hex(new ScaleWriter().compact(69).toByteArray())).isEqualTo("1501");
        assertThat(hex(new ScaleWriter().compact(65535).toByteArray())).isEqualTo("feff0300");
        assertThat(hex(new ScaleWriter()
                        .compact(new BigInteger("100000000000000"))
                        .toByteArray()))
                .isEqualTo("0b00407a10f35a");
    }

    @Test
    void primitivesAreLittleEndian() {
        assertThat(hex(Scale.encode(int.class, 1))).isEqualTo("01000000");
        assertThat(hex(Scale.encode(BigInteger.ONE))).isEqualTo("01" + "00".repeat(15));
        assertThat(hex(new ScaleWriter().u64(1).toByteArray())).isEqualTo("0100000000000000");
        assertThat(hex(Scale.encode("abc"))).isEqualTo("0c616263");
    }

    @Test
    void sealedVariantsEncodeTheirIndex() {
        assertThat(hex(Scale.encode(Shape.class, new Circle(2)))).isEqualTo("0002000000");
        assertThat(Scale.decode(Shape.class, HexFormat.of().parseHex("0002000000")))
                .isEqualTo(new Circle(2));
        assertThatThrownBy(() -> Scale.decode(Shape.class, HexFormat.of().parseHex("0702000000")))
                .isInstanceOf(ScaleException.class);
    }

    @Test
    void hostileLengthsAreRejectedWithoutAllocating() {
        // A Vec claiming 2^30 elements in a 5-byte input.
        byte[] evil = HexFormat.of().parseHex("fffffffF00");
        assertThatThrownBy(() -> Scale.decode(Bytes.class, evil)).isInstanceOf(ScaleException.class);
        assertThatThrownBy(() -> Scale.decode(String.class, HexFormat.of().parseHex("08c328")))
                .isInstanceOf(ScaleException.class);
        assertThatThrownBy(() -> Scale.decode(Integer.class, HexFormat.of().parseHex("0100000000")))
                .isInstanceOf(ScaleException.class);
    }

    @Provide
    Arbitrary<Sample> samples() {
        Arbitrary<Shape> shapes = Arbitraries.oneOf(
                Arbitraries.integers().map(Circle::new),
                Combinators.combine(
                                Arbitraries.bigIntegers().between(BigInteger.ZERO, dev.hyperj.chain.math.U128.MAX),
                                Arbitraries.strings().ofMaxLength(8).optional())
                        .as(Square::new));
        return Combinators.combine(
                        Arbitraries.integers(),
                        Arbitraries.longs(),
                        Arbitraries.bigIntegers().between(BigInteger.ZERO, dev.hyperj.chain.math.U128.MAX),
                        Arbitraries.of(true, false),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::of),
                        Arbitraries.strings().ofMaxLength(20),
                        Arbitraries.integers().list().ofMaxSize(5),
                        Arbitraries.longs().optional())
                .flatAs((a, b, c, d, e, f, g, h) -> Combinators.combine(
                                Arbitraries.maps(
                                                Arbitraries.integers(),
                                                Arbitraries.strings().ofMaxLength(4))
                                        .ofMaxSize(4),
                                Arbitraries.bytes()
                                        .array(byte[].class)
                                        .ofSize(20)
                                        .map(AccountId::of),
                                shapes)
                        .as((i, j, k) -> new Sample(a, b, c, d, e, f, g, h, i, j, k)));
    }

    @Property(tries = 300)
    void recordsRoundTrip(@ForAll("samples") Sample s) {
        byte[] enc = Scale.encode(s);
        Sample back = Scale.decode(Sample.class, enc);
        assertThat(Scale.encode(back)).isEqualTo(enc);
        assertThat(back.a()).isEqualTo(s.a());
        assertThat(back.c()).isEqualTo(s.c());
        assertThat(back.e()).isEqualTo(s.e());
        assertThat(back.i()).isEqualTo(s.i());
        assertThat(back.k()).isEqualTo(s.k());
    }

    @Property(tries = 500)
    void randomAndMutatedBytesOnlyEverThrowScaleException(
            @ForAll("samples") Sample s, @ForAll byte[] noise, @ForAll int pos) {
        byte[] enc = Scale.encode(s);
        if (enc.length > 0) enc[Math.floorMod(pos, enc.length)] ^= (byte) (noise.length == 0 ? 0x5a : noise[0] | 1);
        for (byte[] input : List.of(enc, noise)) {
            try {
                Scale.decode(Sample.class, input);
            } catch (ScaleException expected) {
                // the codec's own error: fine
            }
        }
    }
}
