package dev.hyperj.examples.inference;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory {@link AnswerSource} (the scorer's tests feed it directly): answers per epoch and node. A node that sent two different answers in an epoch
 * (equivocated) is remembered as such and counts as having given none: otherwise each peer would
 * count whichever answer reached it first, and honest nodes would disagree on the scores. Keeps
 * the last {@link #EPOCHS_KEPT} epochs. Thread-safe.
 */
final class AnswerLog implements AnswerSource {
    static final int EPOCHS_KEPT = 8;

    /** What one node said in one epoch: its first answer, and whether another one differed. */
    private record Heard(Inference first, boolean equivocated) {}

    private final TreeMap<Long, Map<Integer, Heard>> byEpoch = new TreeMap<>();

    /**
     * Whether a message with this answer is news, worth accepting and forwarding: the first answer
     * of the node, or the first that differs from it (which proves equivocation to every peer it
     * reaches). Repeats, and anything after proof of equivocation, are not.
     */
    synchronized boolean isNews(long epoch, int subnetNodeId, Inference answer) {
        Heard h = byEpoch.getOrDefault(epoch, Map.of()).get(subnetNodeId);
        return h == null || !h.equivocated() && !h.first().equals(answer);
    }

    synchronized void record(long epoch, int subnetNodeId, Inference answer) {
        if (!byEpoch.isEmpty() && epoch < byEpoch.lastKey() - EPOCHS_KEPT) return;
        byEpoch.computeIfAbsent(epoch, e -> new HashMap<>())
                .merge(
                        subnetNodeId,
                        new Heard(answer, false),
                        (old, now) -> old.first().equals(answer) ? old : new Heard(old.first(), true));
        while (byEpoch.size() > EPOCHS_KEPT) byEpoch.pollFirstEntry();
    }

    /** The one answer each node gave in {@code epoch}, leaving out equivocating nodes. */
    @Override
    public synchronized Map<Integer, Inference> answers(long epoch) {
        Map<Integer, Inference> out = new TreeMap<>();
        byEpoch.getOrDefault(epoch, Map.of()).forEach((node, h) -> {
            if (!h.equivocated()) out.put(node, h.first());
        });
        return out;
    }
}
