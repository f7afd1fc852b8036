package dev.hyperj.examples.inference;

import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.subnet.consensus.HeartbeatLog;
import dev.hyperj.subnet.consensus.HeartbeatScorer;
import dev.hyperj.subnet.consensus.Scorer;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example's {@link Scorer}: a node of class Included or higher scores
 * {@link HeartbeatScorer#FULL_SCORE} for an epoch if it sent a heartbeat in it and answered its
 * challenge as the reference model does; otherwise it is left out (which the chain counts as 0).
 *
 * <p>The consensus loop attests only to a proposal equal to its own scores, so every honest node
 * must compute the very same list: the inputs are only facts each node verifies itself (gossip
 * delivered, signed by on-chain nodes, recomputed with its own model), and the score is all or
 * nothing, never a measurement such as latency that differs from node to node.
 */
final class InferenceScorer implements Scorer {
    private static final Logger log = LoggerFactory.getLogger(InferenceScorer.class);
    private final HeartbeatLog heartbeats;
    private final AnswerSource answers;
    private final InferenceModel reference;

    InferenceScorer(HeartbeatLog heartbeats, AnswerSource answers, InferenceModel reference) {
        this.heartbeats = heartbeats;
        this.answers = answers;
        this.reference = reference;
    }

    @Override
    public List<NodeScore> score(long epoch, SubnetSnapshot snapshot) {
        Inference expected = reference.infer(Challenge.input(snapshot.subnetId(), epoch));
        Set<Integer> alive = heartbeats.nodes(epoch);
        Map<Integer, Inference> answered = answers.answers(epoch);
        List<NodeScore> out = new ArrayList<>();
        for (var n : snapshot.nodesAtLeast(NodeClass.Included)) {
            int id = n.node().id();
            if (alive.contains(id) && expected.equals(answered.get(id)))
                out.add(new NodeScore(id, HeartbeatScorer.FULL_SCORE));
        }
        log.info(
                "subnet {} epoch {}: heartbeats from {}, answers from {}, right: {}",
                snapshot.subnetId(),
                epoch,
                new java.util.TreeSet<>(alive),
                answered.keySet(),
                answered.entrySet().stream()
                        .filter(e -> expected.equals(e.getValue()))
                        .map(Map.Entry::getKey)
                        .toList());
        return out;
    }
}
