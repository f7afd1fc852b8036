package dev.hyperj.p2p.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The score's parts one at a time (gossipsub v1.1 P1 to P7, decay and retention), each with
 * parameters that switch every other part off, so a wrong sign, square, cap or window shows as a
 * wrong number.
 */
class PeerScoreTest {
    private static final String T = "t";
    private static final long S = 1_000_000_000L; // one second in nanoseconds
    private static final PeerId A = RouterHarness.peer(1);
    private static final PeerId B = RouterHarness.peer(2);
    private static final PeerId C = RouterHarness.peer(3);

    /** Topic parameters with every weight zero and every decay one half; the caller turns one part on. */
    private static TopicScoreParams off() {
        return new TopicScoreParams(
                1,
                0,
                Duration.ofSeconds(1),
                10,
                0,
                0.5,
                3,
                0,
                0.5,
                100,
                0,
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                0,
                0.5,
                0,
                0.5);
    }

    private static TopicScoreParams with(double p1, double p2, double p3, double p3Threshold, double p3b, double p4) {
        TopicScoreParams o = off();
        return new TopicScoreParams(
                o.topicWeight(),
                p1,
                o.timeInMeshQuantum(),
                o.timeInMeshCap(),
                p2,
                o.firstMessageDeliveriesDecay(),
                o.firstMessageDeliveriesCap(),
                p3,
                o.meshMessageDeliveriesDecay(),
                o.meshMessageDeliveriesCap(),
                p3Threshold,
                o.meshMessageDeliveriesWindow(),
                o.meshMessageDeliveriesActivation(),
                p3b,
                o.meshFailurePenaltyDecay(),
                p4,
                o.invalidMessageDeliveriesDecay());
    }

    private static PeerScore score(TopicScoreParams topic) {
        PeerScoreParams p = PeerScoreParams.defaults().withTopic(T, topic);
        return new PeerScore(p, 60 * S);
    }

    private static MessageId id(int i) {
        return MessageId.of(new byte[] {(byte) i, 7});
    }

    /** A first delivery from {@code from} at {@code now}. */
    private static void firstDelivery(PeerScore s, PeerId from, int msg, long now) {
        s.validating(id(msg), now);
        s.deliver(from, id(msg), T, now);
    }

    @Test
    void timeInMeshGrowsByQuantumUpToItsCapAndStopsAtPrune() {
        PeerScore s = score(with(0.5, 0, 0, 0, 0, 0));
        s.addPeer(A, "10.0.0.1", 0);
        assertThat(s.score(A, 0)).isZero();
        s.graft(A, T, 0);
        assertThat(s.score(A, 3 * S + S / 2)).isCloseTo(1.75, within(1e-9)); // 3.5 quanta * 0.5
        assertThat(s.score(A, 100 * S)).isCloseTo(5.0, within(1e-9)); // cap 10 quanta
        s.prune(A, T);
        assertThat(s.score(A, 100 * S)).isZero();
    }

    @Test
    void firstDeliveriesAreCappedAndDecayAndADuplicateIsNoFirstDelivery() {
        PeerScore s = score(with(0, 2, 0, 0, 0, 0));
        s.addPeer(A, "10.0.0.1", 0);
        s.addPeer(B, "10.0.0.2", 0);
        for (int i = 0; i < 5; i++) firstDelivery(s, A, i, 0);
        s.duplicate(B, id(0), T, 1);
        assertThat(s.score(A, 1)).isCloseTo(6.0, within(1e-9)); // min(5, cap 3) * 2
        assertThat(s.score(B, 1)).isZero();
        s.decay(2);
        assertThat(s.score(A, 2)).isCloseTo(3.0, within(1e-9)); // halved
    }

    @Test
    void aSilentMeshPeerIsPenalisedByItsSquaredDeficitOnlyAfterActivation() {
        PeerScore s = score(with(0, 0, -1, 4, 0, 0));
        s.addPeer(A, "10.0.0.1", 0);
        s.graft(A, T, 0);
        firstDelivery(s, A, 1, S / 2);
        s.decay(S / 2); // before activation (1 s): nothing yet
        assertThat(s.score(A, S / 2)).isZero();
        s.decay(2 * S); // active now; deliveries 1 -> 0.5 -> 0.25 after two decays
        assertThat(s.score(A, 2 * S)).isCloseTo(-(3.75 * 3.75), within(1e-9));
    }

    @Test
    void aDuplicateFromAMeshPeerCountsOnlyWithinTheDeliveryWindow() {
        PeerScore s = score(with(0, 0, -1, 2, 0, 0));
        PeerId[] mesh = {A, B, C};
        for (int i = 0; i < mesh.length; i++) {
            s.addPeer(mesh[i], "10.0.0." + (i + 1), 0);
            s.graft(mesh[i], T, 0);
        }
        s.validating(id(1), S);
        s.deliver(A, id(1), T, S);
        s.duplicate(B, id(1), T, S + Duration.ofMillis(50).toNanos()); // within 100 ms: counts
        s.duplicate(C, id(1), T, S + Duration.ofMillis(500).toNanos()); // too late: does not
        s.decay(2 * S);
        // each count halved once: A and B 0.5 (deficit 1.5), C 0 (deficit 2)
        assertThat(s.score(A, 2 * S)).isCloseTo(-2.25, within(1e-9));
        assertThat(s.score(B, 2 * S)).isCloseTo(-2.25, within(1e-9));
        assertThat(s.score(C, 2 * S)).isCloseTo(-4.0, within(1e-9));
    }

    @Test
    void pruningAnActiveMeshPeerShortOfItsQuotaLeavesASquaredMeshFailurePenalty() {
        PeerScore s = score(with(0, 0, 0, 3, -2, 0));
        s.addPeer(A, "10.0.0.1", 0);
        s.graft(A, T, 0);
        s.prune(A, T); // not active yet: no penalty
        assertThat(s.score(A, S)).isZero();
        s.graft(A, T, S);
        s.decay(3 * S); // active
        s.prune(A, T);
        assertThat(s.score(A, 3 * S)).isCloseTo(-18.0, within(1e-9)); // 3^2 * -2
        s.decay(4 * S);
        assertThat(s.score(A, 4 * S)).isCloseTo(-9.0, within(1e-9));
    }

    @Test
    void invalidMessagesCostTheSquareOfTheirCountAndAlsoBlameThoseWhoForwardedThem() {
        PeerScore s = score(with(0, 0, 0, 0, 0, -1));
        s.addPeer(A, "10.0.0.1", 0);
        s.addPeer(B, "10.0.0.2", 0);
        s.validating(id(1), 0);
        s.duplicate(B, id(1), T, 0); // B forwarded it too, while it was being validated
        s.reject(A, id(1), T);
        s.rejectUntracked(A, T);
        s.rejectUntracked(A, T);
        assertThat(s.invalidMessages(A)).isEqualTo(3);
        assertThat(s.score(A, 0)).isCloseTo(-9.0, within(1e-9));
        assertThat(s.invalidMessages(B)).isEqualTo(1);
        assertThat(s.score(B, 0)).isCloseTo(-1.0, within(1e-9));
    }

    @Test
    void theTopicCapBoundsTopicScoresButNotTheApplicationScore() {
        PeerScoreParams p = PeerScoreParams.defaults()
                .withTopic(T, with(100, 0, 0, 0, 0, 0))
                .withAppSpecificScore(peer -> 7, 2);
        PeerScore s = new PeerScore(p, 60 * S);
        s.addPeer(A, "10.0.0.1", 0);
        s.graft(A, T, 0);
        // P1 alone would be 10 quanta * 100 = 1000; the default cap is 50; app adds 7 * 2
        assertThat(s.score(A, 60 * S)).isCloseTo(64.0, within(1e-9));
    }

    @Test
    void colocatedPeersBeyondTheThresholdArePenalisedByTheSquaredSurplusUnlessWhitelisted() {
        PeerScore s = new PeerScore(PeerScoreParams.defaults().withIpColocation(-1, 1, Set.of("10.9.9.9")), 60 * S);
        s.addPeer(A, "10.0.0.1", 0);
        s.addPeer(B, "10.0.0.1", 0);
        s.addPeer(C, "10.0.0.1", 0);
        assertThat(s.score(A, 0)).isCloseTo(-4.0, within(1e-9)); // (3 - 1)^2 * -1
        s.addPeer(C, "10.9.9.9", 0); // C moved to a whitelisted address
        assertThat(s.score(A, 0)).isCloseTo(-1.0, within(1e-9));
        assertThat(s.score(C, 0)).isZero();
    }

    @Test
    void behaviourPenaltyCountsOnlyAboveItsThresholdSquaredAndDecays() {
        PeerScore s = score(off());
        s.addPeer(A, "10.0.0.1", 0);
        s.addPenalty(A, 1);
        assertThat(s.score(A, 0)).isZero(); // threshold 1
        s.addPenalty(A, 2);
        assertThat(s.behaviourPenalty(A)).isEqualTo(3.0);
        assertThat(s.score(A, 0)).isCloseTo(-4.0, within(1e-9)); // (3 - 1)^2 * -1
        s.decay(S);
        assertThat(s.behaviourPenalty(A)).isCloseTo(2.97, within(1e-9)); // decay 0.99
    }

    @Test
    void aNegativeScoreOutlivesADisconnectUntilTheRetentionEndsButAPositiveOneIsForgotten() {
        PeerScore s = score(with(0, 1, 0, 0, 0, -1));
        s.addPeer(A, "10.0.0.1", 0);
        s.addPeer(B, "10.0.0.2", 0);
        s.rejectUntracked(A, T);
        firstDelivery(s, B, 1, 0);
        s.removePeer(A, S);
        s.removePeer(B, S);
        assertThat(s.trackedPeers()).isEqualTo(1);
        s.addPeer(A, "10.0.0.1", 2 * S); // reconnecting does not launder the score
        assertThat(s.score(A, 2 * S)).isCloseTo(-1.0, within(1e-9));
        assertThat(s.score(B, 2 * S)).isZero();
        s.removePeer(A, 3 * S);
        s.decay(3 * S + Duration.ofMinutes(10).toNanos() + 1); // default retention: 10 minutes
        assertThat(s.trackedPeers()).isZero();
    }
}
