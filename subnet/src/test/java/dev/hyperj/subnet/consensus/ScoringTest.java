package dev.hyperj.subnet.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.runtime.Model.NodeScore;
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

    @Test
    void scoreSetsCompareAsSetsAndEmptyEqualsEmpty() {
        BigInteger one = BigInteger.ONE, two = BigInteger.TWO;
        assertThat(ConsensusLoop.asSet(List.of())).isEqualTo(ConsensusLoop.asSet(List.of()));
        assertThat(ConsensusLoop.asSet(List.of(new NodeScore(1, one), new NodeScore(2, two))))
                .isEqualTo(ConsensusLoop.asSet(List.of(new NodeScore(2, two), new NodeScore(1, one))));
        assertThat(ConsensusLoop.asSet(List.of(new NodeScore(1, one))))
                .isNotEqualTo(ConsensusLoop.asSet(List.of(new NodeScore(1, two))));
        assertThat(ConsensusLoop.asSet(List.of(new NodeScore(1, one)))).isNotEqualTo(ConsensusLoop.asSet(List.of()));
        // duplicates collapse to the lowest score, as the runtime stores them
        assertThat(ConsensusLoop.asSet(List.of(new NodeScore(1, two), new NodeScore(1, one))))
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
