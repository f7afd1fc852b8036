package dev.hyperj.subnet.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DialBackoffTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    private static final PeerId A =
            PeerId.fromPublicKey(Keys.ed25519FromSeed(new byte[32]).publicKey());
    private static final PeerId B =
            PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());

    @Test
    void waitsDoubleFromTheBaseUpToTheCapWithoutOverflow() {
        DialBackoff b = new DialBackoff(Duration.ofSeconds(15), Duration.ofMinutes(10), 0, new Random(1));
        assertThat(b.delay(0)).isZero();
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(3)).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.delay(6)).isEqualTo(Duration.ofSeconds(480));
        assertThat(b.delay(7)).isEqualTo(Duration.ofMinutes(10));
        assertThat(b.delay(1_000_000)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aFailedPeerIsBlockedUntilItsRetryTimeAndASuccessStartsOver() {
        DialBackoff b = new DialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0, new Random(1));
        assertThat(b.blocked(A, T0)).isFalse();
        DialBackoff.Entry e1 = b.failed(A, T0);
        assertThat(e1.failures()).isEqualTo(1);
        assertThat(e1.retryAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(b.blocked(A, T0.plusMillis(999))).isTrue();
        assertThat(b.blocked(A, T0.plusSeconds(1))).isFalse();
        assertThat(b.blocked(B, T0)).as("per peer").isFalse();

        DialBackoff.Entry e2 = b.failed(A, T0.plusSeconds(1));
        DialBackoff.Entry e3 = b.failed(A, T0.plusSeconds(3));
        assertThat(e2.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(e3.failures()).isEqualTo(3);
        assertThat(e3.retryAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(b.blockedCount(T0.plusSeconds(6))).isEqualTo(1);

        b.succeeded(A);
        assertThat(b.blocked(A, T0.plusSeconds(3))).isFalse();
        assertThat(b.failed(A, T0.plusSeconds(10)).delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retainOnlyBoundsTheTableToTheGivenPeers() {
        DialBackoff b = new DialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2, new Random(1));
        b.failed(A, T0);
        b.failed(B, T0);
        assertThat(b.size()).isEqualTo(2);
        b.retainOnly(Set.of(B));
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.entry(A)).isEmpty();
        assertThat(b.blocked(B, T0)).isTrue();
    }

    /** Jitter only shortens a wait, by at most its fraction; below the cap each wait still outgrows the one before. */
    @Property(tries = 300)
    void jitterStaysWithinItsFractionAndWaitsStillGrow(
            @ForAll @DoubleRange(min = 0, max = 0.49) double jitter,
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int failures) {
        Duration base = Duration.ofMillis(200), max = Duration.ofSeconds(30);
        DialBackoff b = new DialBackoff(base, max, jitter, new Random(seed));
        Instant now = T0;
        Duration previous = Duration.ZERO;
        for (int n = 1; n <= failures; n++) {
            DialBackoff.Entry e = b.failed(A, now);
            Duration full = b.delay(n);
            assertThat(e.failures()).isEqualTo(n);
            assertThat(e.delay()).isLessThanOrEqualTo(full);
            assertThat(e.delay().toNanos()).isGreaterThanOrEqualTo((long) (full.toNanos() * (1 - jitter)) - 1);
            assertThat(e.retryAt()).isEqualTo(now.plus(e.delay()));
            if (full.compareTo(max) < 0) assertThat(e.delay()).isGreaterThan(previous);
            previous = e.delay();
            now = e.retryAt();
        }
    }

    @Test
    void configDefaultsAreSubnetMdsAndNonsenseIsRefused() {
        MaintenanceConfig d = MaintenanceConfig.defaults();
        assertThat(d.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.target()).isEqualTo(64);
        assertThat(d.lowWater()).isEqualTo(32);
        assertThat(d.floor()).isEqualTo(16);
        assertThat(d.dialTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.withTarget(8, 4).floor()).isEqualTo(2);
        assertThatThrownBy(() -> d.withTarget(8, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withFloor(33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
