package dev.hyperj.examples.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.consensus.HeartbeatLog;
import dev.hyperj.subnet.consensus.HeartbeatScorer;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class InferenceScorerTest {
    private static String newPeer() {
        return PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()).toBase58();
    }

    @Test
    void fullScoreOnlyForIncludedNodesWithAHeartbeatAndTheRightAnswer() throws Exception {
        try (DevChain chain = DevChain.start(20)) {
            List<Integer> vs = chain.registerValidators(4);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs.subList(0, 3)), Map.of());
            int a = chain.registerNode(DevChain.COLDKEYS.get(0), vs.get(0), sid, newPeer());
            int b = chain.registerNode(DevChain.COLDKEYS.get(1), vs.get(1), sid, newPeer());
            int c = chain.registerNode(DevChain.COLDKEYS.get(2), vs.get(2), sid, newPeer());
            chain.activate(sid);
            int late = chain.registerNode(
                    DevChain.COLDKEYS.get(3), vs.get(3), sid, newPeer()); // joins after activation: below Included
            SubnetSnapshot snap = new SubnetSnapshot(
                    sid,
                    chain.client.blockNumber(),
                    chain.client.subnet(sid),
                    chain.client.subnetNodes(sid),
                    Set.of(),
                    Set.of());
            assertThat(snap.node(late).orElseThrow().node().nodeClass()).isLessThan(NodeClass.Included);
            assertThat(snap.node(a).orElseThrow().node().nodeClass()).isGreaterThanOrEqualTo(NodeClass.Included);

            long epoch = 6;
            Inference right = InferenceModel.reference().infer(Challenge.input(sid, epoch));
            Inference wrong = InferenceModel.fromSeed("lazy").infer(Challenge.input(sid, epoch));
            HeartbeatLog heartbeats = new HeartbeatLog();
            for (int n : List.of(a, b, late)) heartbeats.record(epoch, n); // c sent no heartbeat
            AnswerLog answers = new AnswerLog();
            answers.record(epoch, a, right);
            answers.record(epoch, b, right);
            answers.record(epoch, b, wrong); // b equivocated
            answers.record(epoch, c, right);
            answers.record(epoch, late, right);
            InferenceScorer scorer = new InferenceScorer(heartbeats, answers, InferenceModel.reference());
            assertThat(scorer.score(epoch, snap)).containsExactly(new NodeScore(a, HeartbeatScorer.FULL_SCORE));

            // another node that heard the same messages in another order scores the same
            AnswerLog otherOrder = new AnswerLog();
            otherOrder.record(epoch, late, right);
            otherOrder.record(epoch, c, right);
            otherOrder.record(epoch, b, wrong);
            otherOrder.record(epoch, b, right);
            otherOrder.record(epoch, a, right);
            assertThat(new InferenceScorer(heartbeats, otherOrder, InferenceModel.reference()).score(epoch, snap))
                    .isEqualTo(scorer.score(epoch, snap));

            // a's right answer of one epoch is no answer to the next one's challenge
            heartbeats.record(epoch + 1, a);
            answers.record(epoch + 1, a, right);
            assertThat(scorer.score(epoch + 1, snap)).isEmpty();
            // nobody heard anything
            assertThat(scorer.score(epoch + 2, snap)).isEmpty();
        }
    }
}
