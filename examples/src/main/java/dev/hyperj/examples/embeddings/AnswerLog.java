package dev.hyperj.examples.embeddings;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The challenge answers heard per epoch and node. A node that sent two different answers in an
 * epoch counts as having sent none (otherwise each peer would keep whichever arrived first, and
 * honest nodes would disagree). Keeps the last {@link #EPOCHS_KEPT} epochs. Thread-safe.
 */
final class AnswerLog {
    static final int EPOCHS_KEPT = 8;

    private record Heard(String first, boolean equivocated) {}

    private final TreeMap<Long, Map<Integer, Heard>> byEpoch = new TreeMap<>();

    /** Whether this answer is worth forwarding: a node's first, or the first that differs (the proof of equivocation). */
    synchronized boolean isNews(long epoch, int node, String answer) {
        Heard h = byEpoch.getOrDefault(epoch, Map.of()).get(node);
        return h == null || !h.equivocated() && !h.first().equals(answer);
    }

    synchronized void record(long epoch, int node, String answer) {
        if (!byEpoch.isEmpty() && epoch < byEpoch.lastKey() - EPOCHS_KEPT) return;
        byEpoch.computeIfAbsent(epoch, e -> new HashMap<>())
                .merge(
                        node,
                        new Heard(answer, false),
                        (old, now) -> old.first().equals(answer) ? old : new Heard(old.first(), true));
        while (byEpoch.size() > EPOCHS_KEPT) byEpoch.pollFirstEntry();
    }

    /** The one answer each node gave in {@code epoch}, equivocating nodes left out. */
    synchronized Map<Integer, String> answers(long epoch) {
        Map<Integer, String> out = new TreeMap<>();
        byEpoch.getOrDefault(epoch, Map.of()).forEach((node, h) -> {
            if (!h.equivocated()) out.put(node, h.first());
        });
        return out;
    }
}
