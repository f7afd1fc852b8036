package dev.hyperj.subnet.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.peers.ConnectionPlan.Connected;
import dev.hyperj.subnet.peers.ConnectionPlan.Dial;
import dev.hyperj.subnet.peers.ConnectionPlan.DialReason;
import dev.hyperj.subnet.peers.ConnectionPlan.Drop;
import dev.hyperj.subnet.peers.ConnectionPlan.DropReason;
import dev.hyperj.subnet.peers.ConnectionPlan.GossipView;
import dev.hyperj.subnet.peers.ConnectionPlan.Plan;
import dev.hyperj.subnet.peers.ConnectionPlan.Skip;
import dev.hyperj.subnet.peers.ConnectionPlan.SkipReason;
import dev.hyperj.subnet.peers.ConnectionPlan.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The maintenance policy without sockets or a chain: each test builds a snapshot, plans, and
 * checks whom the plan drops and dials and why. The Javadoc of each test names the deliberate bug
 * it catches.
 */
class ConnectionPlanTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** Aims for 6 peers, dials below 4; backoff base 15 s. */
    private static final MaintenanceConfig CONFIG = MaintenanceConfig.defaults()
            .withTarget(6, 4)
            .withBackoff(Duration.ofSeconds(15), Duration.ofMinutes(10), 0.2);

    private static final List<PeerId> P = IntStream.range(0, 12)
            .mapToObj(i -> PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()))
            .toList();
    private static final PeerId SELF = P.get(11);

    /** A snapshot under construction: defaults are a fresh chain listing nobody, no gossip, no backoff. */
    private static final class S {
        final List<Connected> connected = new ArrayList<>();
        Set<PeerId> onChain = new LinkedHashSet<>();
        Set<PeerId> dialable = new LinkedHashSet<>();
        boolean fresh = true;
        Set<PeerId> bootstrap = Set.of();
        GossipView gossip;
        final Map<PeerId, Instant> retryAt = new HashMap<>();
        MaintenanceConfig config = CONFIG;

        S connected(PeerId... peers) {
            for (PeerId p : peers) connected.add(new Connected(p, Optional.empty()));
            return this;
        }

        /** On chain and dialable. */
        S staked(PeerId... peers) {
            onChain.addAll(List.of(peers));
            dialable.addAll(List.of(peers));
            return this;
        }

        Plan plan() {
            return plan(new Random(7));
        }

        Plan plan(Random random) {
            return ConnectionPlan.plan(
                    new Snapshot(
                            NOW,
                            SELF,
                            connected,
                            new OnChainPeers(10, onChain, dialable, Map.of()),
                            fresh,
                            bootstrap,
                            Optional.ofNullable(gossip),
                            retryAt,
                            config),
                    random);
        }
    }

    private static GossipView gossip(Map<PeerId, Double> scores, Set<PeerId> mesh) {
        return new GossipView(scores, -80, Set.of(), mesh, 4, 6);
    }

    private static List<PeerId> dialled(Plan plan) {
        return plan.dials().stream().map(Dial::peer).toList();
    }

    /** Catches: pruning the operator's bootstrap peers, or not pruning peers the chain does not list. */
    @Test
    void peersOffChainAreDroppedButConfiguredBootstrapPeersAreKept() {
        S s = new S().staked(P.get(0)).connected(P.get(0), P.get(1), P.get(2));
        s.bootstrap = Set.of(P.get(2));
        Plan plan = s.plan();
        assertThat(plan.drops()).containsExactly(new Drop(P.get(1), DropReason.OFF_CHAIN));
    }

    /** Catches: pruning everyone on a failed chain read (the stale or empty view lists nobody). */
    @Test
    void aStaleChainViewPrunesNothing() {
        S s = new S().connected(P.get(0), P.get(1));
        s.fresh = false;
        assertThat(s.plan().drops()).isEmpty();
    }

    /** Catches: `<=` for `<` against the graylist threshold, or the low-score pass skipped. */
    @Test
    void peersBelowTheGraylistThresholdAreDroppedAndThoseAtItAreKept() {
        S s = new S().staked(P.get(0), P.get(1), P.get(2)).connected(P.get(0), P.get(1), P.get(2));
        s.gossip =
                gossip(Map.of(P.get(0), -80.5, P.get(1), -80.0, P.get(2), 3.0), Set.of(P.get(0), P.get(1), P.get(2)));
        s.config = CONFIG.withTarget(6, 0);
        assertThat(s.plan().drops()).containsExactly(new Drop(P.get(0), DropReason.LOW_SCORE));
    }

    /** Catches: dialling at low water when the mesh is fine (`<=` for `<`, or the low-water gate removed). */
    @Test
    void atLowWaterWithAFullMeshNobodyIsDialled() {
        S s = new S()
                .staked(P.subList(0, 8).toArray(PeerId[]::new))
                .connected(P.subList(0, 4).toArray(PeerId[]::new));
        s.gossip = gossip(Map.of(), Set.copyOf(P.subList(0, 4)));
        Plan plan = s.plan();
        assertThat(plan.dials()).isEmpty();
        assertThat(plan.meshMissing()).isZero();
    }

    /**
     * Catches: a budget of the target rather than target minus peers kept, or counting dropped
     * peers as kept (then the drop would not free room for a dial).
     */
    @Test
    void belowLowWaterTheBootstrapAndOnChainPeersAreDialledUpToTheTarget() {
        S s = new S().staked(P.subList(0, 9).toArray(PeerId[]::new)).connected(P.get(0), P.get(1), P.get(10));
        s.bootstrap = Set.of(P.get(9));
        Plan plan = s.plan();
        assertThat(plan.drops()).containsExactly(new Drop(P.get(10), DropReason.OFF_CHAIN));
        // two kept, target 6: four dials, the configured peer first
        assertThat(plan.dials()).hasSize(4);
        assertThat(plan.dials().get(0)).isEqualTo(new Dial(P.get(9), DialReason.BOOTSTRAP));
        assertThat(plan.dials().subList(1, 4)).allSatisfy(d -> {
            assertThat(d.reason()).isEqualTo(DialReason.ON_CHAIN);
            assertThat(P.subList(2, 9)).contains(d.peer());
        });
        assertThat(dialled(plan)).doesNotHaveDuplicates();
    }

    /** Catches: the mesh shortage ignored above low water, or its room (D minus the mesh) ignored. */
    @Test
    void aShortMeshDialsOnChainPeersMissingFromItEvenAboveLowWater() {
        // low water 0: only the mesh can ask for dials
        S s = new S().staked(P.subList(0, 9).toArray(PeerId[]::new)).connected(P.get(0));
        s.config = CONFIG.withTarget(6, 0);
        s.gossip = gossip(Map.of(), Set.of(P.get(0), P.get(1)));
        Plan plan = s.plan();
        // mesh of 2 below D_lo 4: room for D - 2 = 4, none of them already in the mesh or connected
        assertThat(plan.meshMissing()).isEqualTo(4);
        assertThat(plan.dials()).hasSize(4).allSatisfy(d -> {
            assertThat(d.reason()).isEqualTo(DialReason.MESH_SHORT);
            assertThat(P.subList(2, 9)).contains(d.peer());
        });
    }

    /** Catches: dialling for the mesh once it is at D_lo (`<=` for `<`). */
    @Test
    void aMeshAtItsLowBoundAsksForNothing() {
        S s = new S()
                .staked(P.subList(0, 9).toArray(PeerId[]::new))
                .connected(P.subList(0, 4).toArray(PeerId[]::new));
        s.config = CONFIG.withTarget(6, 0);
        s.gossip = gossip(Map.of(), Set.copyOf(P.subList(0, 4)));
        assertThat(s.plan().dials()).isEmpty();
    }

    /**
     * Catches: dialling peers still in backoff (or with the comparison reversed, only those), and a
     * first retry that is not the earliest one (the floor trigger would wait too long).
     */
    @Test
    void peersInBackoffAreSkippedUntilTheirRetryTimeAndTheEarliestIsReported() {
        S s = new S().staked(P.get(0), P.get(1), P.get(2));
        s.retryAt.put(P.get(0), NOW.plusSeconds(30));
        s.retryAt.put(P.get(1), NOW.plusSeconds(10));
        s.retryAt.put(P.get(2), NOW); // its wait ends now: dialled
        Plan plan = s.plan();
        assertThat(plan.dials()).containsExactly(new Dial(P.get(2), DialReason.ON_CHAIN));
        assertThat(plan.skips())
                .containsExactlyInAnyOrder(
                        new Skip(P.get(0), SkipReason.BACKOFF, Optional.of(NOW.plusSeconds(30))),
                        new Skip(P.get(1), SkipReason.BACKOFF, Optional.of(NOW.plusSeconds(10))));
        assertThat(plan.firstRetry()).contains(NOW.plusSeconds(10));
    }

    /** Catches: redialling into a graylisted or blacklisted peer (gossipsub would refuse or drop it). */
    @Test
    void graylistedAndBlacklistedPeersAreNeverDialled() {
        S s = new S().staked(P.get(0), P.get(1), P.get(2));
        s.gossip = new GossipView(Map.of(P.get(0), -100.0), -80, Set.of(P.get(1)), Set.of(), 4, 6);
        Plan plan = s.plan();
        assertThat(dialled(plan)).containsExactly(P.get(2));
        assertThat(plan.skips())
                .extracting(Skip::peer, Skip::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(P.get(0), SkipReason.LOW_SCORE),
                        org.assertj.core.groups.Tuple.tuple(P.get(1), SkipReason.BLACKLISTED));
        assertThat(plan.firstRetry()).isEmpty();
    }

    /** Catches: a low-score drop freeing room that the same peer then takes again in the same tick. */
    @Test
    void aPeerDroppedForItsScoreIsNotRedialledInTheSameTick() {
        S s = new S().staked(P.get(0)).connected(P.get(0));
        s.gossip = gossip(Map.of(P.get(0), -90.0), Set.of());
        Plan plan = s.plan();
        assertThat(plan.drops()).containsExactly(new Drop(P.get(0), DropReason.LOW_SCORE));
        assertThat(plan.dials()).isEmpty();
    }

    /** Catches: the node dialling itself when the chain lists it (it always does), or redialling connected peers. */
    @Test
    void neitherItselfNorConnectedPeersAreDialled() {
        S s = new S().staked(SELF, P.get(0), P.get(1)).connected(P.get(0));
        assertThat(dialled(s.plan())).containsExactly(P.get(1));
    }

    /**
     * Catches: forgetting the backoff of a peer we dialled a moment ago (one that accepts and hangs
     * up would be redialled in a loop), or never forgetting it once the connection has lasted.
     */
    @Test
    void aConnectionProvesThePeerReachableOnceItHasLastedTheBackoffBase() {
        S s = new S().staked(P.get(0), P.get(1), P.get(2), P.get(3));
        s.connected.add(new Connected(P.get(0), Optional.empty())); // it dialled us
        s.connected.add(new Connected(P.get(1), Optional.of(NOW.minusSeconds(15)))); // lasted the base
        s.connected.add(new Connected(P.get(2), Optional.of(NOW.minusSeconds(14)))); // not yet
        assertThat(s.plan().lasted()).containsExactly(P.get(0), P.get(1));
    }

    /** Catches: the generator ignored (every node would dial the same peers first), or a plan that is not reproducible from it. */
    @Test
    void theSameGeneratorGivesTheSamePlanAndAnotherShufflesIt() {
        S s = new S().staked(P.subList(0, 10).toArray(PeerId[]::new));
        s.config = CONFIG.withTarget(10, 10);
        assertThat(s.plan(new Random(1))).isEqualTo(s.plan(new Random(1)));
        List<List<PeerId>> orders = IntStream.range(0, 5)
                .mapToObj(i -> dialled(s.plan(new Random(i))))
                .distinct()
                .toList();
        assertThat(orders).hasSizeGreaterThan(1);
    }
}
