package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class KadKeyTest {
    @Property
    void xorDistanceIsAMetricOrder(@ForAll @Size(32) byte[] a, @ForAll @Size(32) byte[] b, @ForAll @Size(32) byte[] c) {
        KadKey ka = KadKey.ofHash(a);
        KadKey kb = KadKey.ofHash(b);
        KadKey kc = KadKey.ofHash(c);
        assertThat(ka.distance(kb)).isEqualTo(kb.distance(ka));
        assertThat(ka.distance(ka)).isEqualTo(KadKey.ofHash(new byte[32]));
        // compareDistance agrees with comparing the distances themselves as unsigned numbers
        assertThat(Integer.signum(ka.compareDistance(kb, kc)))
                .isEqualTo(Integer.signum(ka.distance(kb).compareTo(ka.distance(kc))));
        // the common prefix length is the number of leading zero bits of the distance
        int cpl = ka.commonPrefixLength(kb);
        byte[] d = ka.distance(kb).bytes();
        int zeros = 0;
        for (byte x : d) {
            if (x == 0) {
                zeros += 8;
            } else {
                zeros += Integer.numberOfLeadingZeros(x & 0xff) - 24;
                break;
            }
        }
        assertThat(cpl).isEqualTo(zeros);
    }

    @Property(tries = 50)
    void aimedPreimagesLandInTheRequestedBucket(
            @ForAll @Size(32) byte[] self, @ForAll @IntRange(min = 0, max = 12) int cpl, @ForAll long seed) {
        KadKey k = KadKey.ofHash(self);
        byte[] pre = k.randomPreimageWithPrefix(cpl, new SplittableRandom(seed));
        assertThat(k.commonPrefixLength(KadKey.of(pre))).isEqualTo(cpl);
    }

    @Test
    void hashesWithSha256() {
        // sha256("") = e3b0c442...
        assertThat(KadKey.of(new byte[0]).toString()).startsWith("e3b0c44298fc");
    }
}
