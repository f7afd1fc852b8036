package dev.hyperj.examples.embeddings;

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
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embeddings subnet's {@link Scorer}: a node of class Included or higher scores
 * {@link HeartbeatScorer#FULL_SCORE} for an epoch if it sent a heartbeat, revealed (having committed
 * in time) the reference's exact hash as its answer to the epoch's challenge, and no checked evidence shows it serving wrong
 * embeddings in the epoch before; otherwise it is left out. All inputs are facts every honest node
 * checks for itself with bit-exact arithmetic, so they all compute the same list.
 *
 * <p>Why the epoch before: spot checks run early in an epoch and their evidence spreads in seconds,
 * but evidence from late in epoch E could reach some nodes before they score E and others after.
 * Evidence about epoch E - 1 has had all of epoch E to reach everyone.
 */
final class EmbeddingsScorer implements Scorer {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingsScorer.class);
    private final HeartbeatLog heartbeats;
    private final java.util.function.LongFunction<Map<Integer, String>> answers;
    private final CaughtLog caught;
    private final BiFunction<Integer, Long, String> expected;

    /**
     * {@code answers} gives the challenge answers that count for an epoch, by subnet node id;
     * {@code expected} the right answer for (subnet id, epoch).
     */
    EmbeddingsScorer(
            HeartbeatLog heartbeats,
            java.util.function.LongFunction<Map<Integer, String>> answers,
            CaughtLog caught,
            BiFunction<Integer, Long, String> expected) {
        this.heartbeats = heartbeats;
        this.answers = answers;
        this.caught = caught;
        this.expected = expected;
    }

    @Override
    public List<NodeScore> score(long epoch, SubnetSnapshot snapshot) {
        Set<Integer> alive = heartbeats.nodes(epoch);
        Map<Integer, String> answered = answers.apply(epoch);
        // the reference's answer takes a forward pass when this JVM has not computed it: not worth it when no one
        // answered (a network still starting up), and it would delay this node's proposal or attestation
        String right = answered.isEmpty() ? "" : expected.apply(snapshot.subnetId(), epoch);
        Set<Integer> cheats = caught.caught(epoch - 1);
        List<NodeScore> out = new ArrayList<>();
        for (var n : snapshot.nodesAtLeast(NodeClass.Included)) {
            int id = n.node().id();
            if (alive.contains(id) && right.equals(answered.get(id)) && !cheats.contains(id))
                out.add(new NodeScore(id, HeartbeatScorer.FULL_SCORE));
        }
        log.info(
                "subnet {} epoch {}: heartbeats from {}, right answers from {}, caught serving wrong embeddings: {}",
                snapshot.subnetId(),
                epoch,
                new TreeSet<>(alive),
                answered.entrySet().stream()
                        .filter(e -> right.equals(e.getValue()))
                        .map(Map.Entry::getKey)
                        .toList(),
                cheats);
        return out;
    }
}
