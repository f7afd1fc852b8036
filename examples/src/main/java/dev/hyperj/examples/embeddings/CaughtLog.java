package dev.hyperj.examples.embeddings;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The nodes proven (by checked evidence) to have served wrong embeddings, per epoch. Thread-safe. */
final class CaughtLog {
    static final int EPOCHS_KEPT = 8;
    private final TreeMap<Long, Set<Integer>> byEpoch = new TreeMap<>();

    synchronized boolean isCaught(long epoch, int node) {
        return byEpoch.getOrDefault(epoch, Set.of()).contains(node);
    }

    /** Records {@code node} as caught in {@code epoch}; false if it already was. */
    synchronized boolean record(long epoch, int node) {
        if (!byEpoch.isEmpty() && epoch < byEpoch.lastKey() - EPOCHS_KEPT) return false;
        boolean added = byEpoch.computeIfAbsent(epoch, e -> new HashSet<>()).add(node);
        while (byEpoch.size() > EPOCHS_KEPT) byEpoch.pollFirstEntry();
        return added;
    }

    synchronized Set<Integer> caught(long epoch) {
        return new TreeSet<>(byEpoch.getOrDefault(epoch, Set.of()));
    }

    synchronized Map<Long, Set<Integer>> all() {
        Map<Long, Set<Integer>> out = new TreeMap<>();
        byEpoch.forEach((e, s) -> out.put(e, new TreeSet<>(s)));
        return out;
    }
}
