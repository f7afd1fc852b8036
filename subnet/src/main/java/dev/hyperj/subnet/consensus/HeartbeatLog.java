package dev.hyperj.subnet.consensus;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which subnet nodes sent a valid heartbeat in which subnet epoch. Keeps the last
 * {@link #EPOCHS_KEPT} epochs only. Thread-safe.
 */
public final class HeartbeatLog {
    static final int EPOCHS_KEPT = 8;
    private final TreeMap<Long, Set<Integer>> byEpoch = new TreeMap<>();

    /** Records a heartbeat; false if this node already had one for the epoch. */
    public synchronized boolean record(long epoch, int subnetNodeId) {
        if (!byEpoch.isEmpty() && epoch < byEpoch.lastKey() - EPOCHS_KEPT) return false;
        boolean fresh = byEpoch.computeIfAbsent(epoch, e -> new TreeSet<>()).add(subnetNodeId);
        while (byEpoch.size() > EPOCHS_KEPT) byEpoch.pollFirstEntry();
        return fresh;
    }

    public synchronized Set<Integer> nodes(long epoch) {
        Set<Integer> s = byEpoch.get(epoch);
        return s == null ? Set.of() : Set.copyOf(s);
    }

    synchronized Map<Long, Set<Integer>> view() {
        return Map.copyOf(byEpoch);
    }
}
