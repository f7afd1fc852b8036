package dev.hyperj.subnet.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.SubnetNode;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ScoringTest {
    @Test
    void heartbeatScorerGivesFullScoreToIncludedOrHigherNodesThatSentOne() throws Exception {
        try (DevChain chain = DevChain.start(20)) {
            List<Integer> vs = chain.registerValidators(3);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
            int n0 = chain.registerNode(DevChain.COLDKEYS.get(0), vs.get(0), sid, peer(1));
            int n1 = chain.registerNode(DevChain.COLDKEYS.get(1), vs.get(1), sid, peer(2));
            SubnetSnapshot snap = new SubnetSnapshot(
                    sid,
                    chain.client.blockNumber(),
                    chain.client.subnet(sid),
                    chain.client.subnetNodes(sid),
                    Set.of(),
                    Set.of());
            HeartbeatLog log = new HeartbeatLog();
            log.record(4, n0);
            log.record(5, n1);
            log.record(4, 777); // not a node
            assertThat(new HeartbeatScorer(log).score(4, snap))
                    .containsExactly(new NodeScore(n0, HeartbeatScorer.FULL_SCORE));
            assertThat(new HeartbeatScorer(log).score(3, snap)).isEmpty();
            assertThat(HeartbeatScorer.FULL_SCORE).isEqualTo(new BigInteger("1000000000000000000"));
            // a snapshot without the subnet scores nobody
            assertThat(new HeartbeatScorer(log)
                            .score(4, new SubnetSnapshot(sid, 0, Optional.empty(), List.of(), Set.of(), Set.of())))
                    .isEmpty();
        }
    }

    /** Nodes below Included (Registered, Idle) get no score even with a heartbeat; Included and Validator do. */
    @Test
    void heartbeatScorerLeavesOutNodesBelowIncluded() throws Exception {
        try (DevChain chain = DevChain.start(20)) {
            List<Integer> vs = chain.registerValidators(3);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
            int n0 = chain.registerNode(DevChain.COLDKEYS.get(0), vs.get(0), sid, peer(1));
            SubnetNodeInfo real = chain.client.subnetNodes(sid).stream()
                    .filter(n -> n.node().id() == n0)
                    .findFirst()
                    .orElseThrow();
            List<SubnetNodeInfo> nodes = List.of(
                    as(real, 101, NodeClass.Registered),
                    as(real, 102, NodeClass.Idle),
                    as(real, 103, NodeClass.Included),
                    as(real, 104, NodeClass.Validator));
            SubnetSnapshot snap = new SubnetSnapshot(sid, 0, chain.client.subnet(sid), nodes, Set.of(), Set.of());
            HeartbeatLog log = new HeartbeatLog();
            for (int id = 101; id <= 104; id++) log.record(4, id);
            assertThat(new HeartbeatScorer(log).score(4, snap))
                    .containsExactlyInAnyOrder(
                            new NodeScore(103, HeartbeatScorer.FULL_SCORE),
                            new NodeScore(104, HeartbeatScorer.FULL_SCORE));
        }
    }

    /** A copy of {@code n} with another id and class (the scorer reads nothing else). */
    private static SubnetNodeInfo as(SubnetNodeInfo n, int id, NodeClass cls) {
        SubnetNode o = n.node();
        SubnetNode copy = new SubnetNode(
                id,
                o.validatorId(),
                o.hotkey(),
                o.peerInfo(),
                o.bootnodePeerInfo(),
                o.clientPeerInfo(),
                cls,
                o.classStartEpoch(),
                o.unique(),
                o.nonUnique(),
                o.reputation(),
                o.classificationCounter());
        return new SubnetNodeInfo(n.subnetId(), copy, n.coldkey(), n.signingKey(), n.stake());
    }

    @Test
    void scoreSetsCompareAsSetsAndEmptyEqualsEmpty() {
        BigInteger one = BigInteger.ONE, two = BigInteger.TWO;
        assertThat(EpochDuty.asSet(List.of())).isEqualTo(EpochDuty.asSet(List.of()));
        assertThat(EpochDuty.asSet(List.of(new NodeScore(1, one), new NodeScore(2, two))))
                .isEqualTo(EpochDuty.asSet(List.of(new NodeScore(2, two), new NodeScore(1, one))));
        assertThat(EpochDuty.asSet(List.of(new NodeScore(1, one))))
                .isNotEqualTo(EpochDuty.asSet(List.of(new NodeScore(1, two))));
        assertThat(EpochDuty.asSet(List.of(new NodeScore(1, one)))).isNotEqualTo(EpochDuty.asSet(List.of()));
        // duplicates collapse to the lowest score, as the runtime stores them
        assertThat(EpochDuty.asSet(List.of(new NodeScore(1, two), new NodeScore(1, one))))
                .isEqualTo(Map.of(1, one));
    }

    static String peer(int i) {
        byte[] seed = new byte[32];
        seed[0] = (byte) i;
        seed[2] = 0x33;
        return dev.hyperj.p2p.peer.PeerId.fromPublicKey(
                        dev.hyperj.p2p.crypto.Keys.ed25519FromSeed(seed).publicKey())
                .toBase58();
    }
}
