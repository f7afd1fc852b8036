package dev.hyperj.subnet.dag.commit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.subnet.dag.DagNode;
import dev.hyperj.subnet.dag.DagSchema;
import dev.hyperj.subnet.epoch.EpochPosition;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which accepted commits and reveals count, per epoch: a state machine fed with each accepted node
 * and this node's epoch position when it arrived ({@link CommitWindow}), no I/O. A reveal counts
 * when it and its commit both arrived in their windows (the DAG's schemas already refused reveals
 * without a commit, copied ones and those that do not hash to their commit). Keeps the last
 * {@link #EPOCHS_KEPT} epochs. Thread-safe.
 */
public final class CommitRevealBook {
    public static final int EPOCHS_KEPT = 16;

    private final Set<String> commitsInWindow = new HashSet<>();
    private final TreeMap<Long, Map<String, JsonNode>> reveals = new TreeMap<>();
    private final TreeMap<Long, Set<String>> commitIds = new TreeMap<>();

    /** Records an accepted node of the commit/reveal namespace that arrived at {@code at}. */
    public synchronized void accepted(DagNode node, EpochPosition at) {
        if (!node.header().namespace().equals(CommitRevealSchemas.NAMESPACE)) return;
        long epoch = node.header().epoch();
        if (!reveals.isEmpty() && epoch < reveals.lastKey() - EPOCHS_KEPT) return;
        switch (node.header().schemaId()) {
            case CommitRevealSchemas.COMMIT -> {
                if (CommitWindow.commitCounts(epoch, at)) {
                    commitsInWindow.add(node.id());
                    commitIds.computeIfAbsent(epoch, e -> new HashSet<>()).add(node.id());
                }
            }
            case CommitRevealSchemas.REVEAL -> {
                if (!CommitWindow.revealCounts(epoch, at)) return;
                if (!commitsInWindow.contains(node.header().parentIds().getFirst())) return;
                try {
                    Commitment c = CommitRevealSchemas.commitment(node.payload());
                    // first valid reveal per author counts; an author cannot reveal twice for one commit
                    reveals.computeIfAbsent(epoch, e -> new HashMap<>()).putIfAbsent(c.peerId(), c.scores());
                } catch (DagSchema.InvalidNodeException e) {
                    return; // cannot happen: the schema accepted it
                }
            }
            default -> {}
        }
        while (reveals.size() > EPOCHS_KEPT) reveals.pollFirstEntry();
        while (commitIds.size() > EPOCHS_KEPT)
            commitsInWindow.removeAll(commitIds.pollFirstEntry().getValue());
    }

    /** The values revealed for {@code epoch} that count, by author peer id. */
    public synchronized SortedMap<String, JsonNode> reveals(long epoch) {
        return new TreeMap<>(reveals.getOrDefault(epoch, Map.of()));
    }

    /** SUBNET.md's scores for {@code epoch} from the reveals that count; see {@link #meanScores}. */
    public SortedMap<String, BigInteger> scores(long epoch) {
        return meanScores(reveals(epoch));
    }

    /**
     * The integer mean of the scores others' reveals gave each peer: revealed values are maps
     * {peer id: integer}; a peer's own score for itself is ignored, entries that are not
     * non-negative integers are skipped; a peer without a reveal of its own among {@code reveals}
     * scores 0.
     */
    public static SortedMap<String, BigInteger> meanScores(Map<String, JsonNode> reveals) {
        Map<String, BigInteger> sum = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        reveals.forEach((author, scores) -> {
            if (!scores.isObject()) return;
            for (Iterator<Map.Entry<String, JsonNode>> it = scores.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals(author) || !e.getValue().isIntegralNumber()) continue;
                BigInteger v = e.getValue().bigIntegerValue();
                if (v.signum() < 0) continue;
                sum.merge(e.getKey(), v, BigInteger::add);
                count.merge(e.getKey(), 1, Integer::sum);
            }
        });
        SortedMap<String, BigInteger> out = new TreeMap<>();
        sum.forEach((peer, s) -> out.put(
                peer, reveals.containsKey(peer) ? s.divide(BigInteger.valueOf(count.get(peer))) : BigInteger.ZERO));
        return out;
    }
}
