package dev.hyperj.subnet.dag.sync;

import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which peers a node catches up with, and when: the policy of {@link DagService}'s catch-ups, as a
 * state machine without I/O (time is passed in, in nanoseconds).
 *
 * <p>A peer that announces heads this node lacks, or gossips a node whose parents it lacks, is a
 * candidate, with the ids it showed. At most {@code maxRunning} catch-ups run at once; other
 * candidates wait, one entry per peer with its ids merged, the {@code maxWaiting} most recent kept.
 * When a catch-up ends, the most recent waiting candidate that still shows an unknown id starts;
 * candidates whose ids all arrived meanwhile (by gossip, or through the catch-up that just ended)
 * are dropped: one catch-up usually brings what many announcers showed. A peer whose catch-up
 * failed is skipped for a backoff that doubles with each failure in a row, up to
 * {@code maxBackoffNanos}; a success clears it.
 *
 * <p>Why: every node that joins, and every announcement that races the gossip of the node it
 * names, used to start a catch-up with the announcer. In a subnet of N nodes that is up to N
 * catch-ups per node at once, and a devnet of 256 nodes in one JVM queued thousands of them on two
 * cores. With fewer peers than {@code maxRunning} nothing waits, so a small subnet syncs as before.
 */
final class CatchUps {
    /** Ids remembered per waiting candidate: enough to tell whether it still has something new. */
    static final int MAX_WANTED = 32;

    private final int maxRunning;
    private final int maxWaiting;
    private final long backoffNanos;
    private final long maxBackoffNanos;
    private final Set<PeerId> running = new HashSet<>();
    private final LinkedHashMap<PeerId, Set<String>> waiting = new LinkedHashMap<>(); // oldest first
    private final Map<PeerId, Failure> failures = new HashMap<>();

    private record Failure(int inARow, long until) {}

    CatchUps(int maxRunning, int maxWaiting, long backoffNanos, long maxBackoffNanos) {
        if (maxRunning < 1 || maxWaiting < 0 || backoffNanos < 0 || maxBackoffNanos < backoffNanos)
            throw new IllegalArgumentException("catch-up limits must be positive");
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
        this.backoffNanos = backoffNanos;
        this.maxBackoffNanos = maxBackoffNanos;
    }

    /**
     * {@code peer} showed {@code wanted}, ids this node lacks. True if a catch-up with it starts now
     * (the caller runs it and then calls {@link #finished}); false if it waits, is backing off, or
     * one with it already runs (that one, or the next announcement, brings the rest).
     */
    synchronized boolean offer(PeerId peer, Collection<String> wanted, long now) {
        if (running.contains(peer) || backingOff(peer, now)) return false;
        if (running.size() < maxRunning) {
            waiting.remove(peer);
            running.add(peer);
            return true;
        }
        if (maxWaiting == 0) return false;
        Set<String> ids = waiting.remove(peer); // re-inserted as the most recent
        if (ids == null) ids = new LinkedHashSet<>();
        for (String id : wanted) {
            if (ids.size() >= MAX_WANTED) break;
            ids.add(id);
        }
        waiting.put(peer, ids);
        if (waiting.size() > maxWaiting)
            waiting.remove(waiting.keySet().iterator().next());
        return false;
    }

    /**
     * The catch-up with {@code peer} ended ({@code ok} if it did not fail). Returns the candidate
     * to catch up with next, already counted as running, if one still shows an id that
     * {@code known} does not know.
     */
    synchronized Optional<PeerId> finished(PeerId peer, boolean ok, long now, Predicate<String> known) {
        running.remove(peer);
        if (ok) failures.remove(peer);
        else {
            Failure f = failures.get(peer);
            int inARow = f == null ? 1 : f.inARow() + 1;
            long wait = backoffNanos << Math.min(inARow - 1, 20);
            if (wait < 0 || wait > maxBackoffNanos) wait = maxBackoffNanos;
            failures.put(peer, new Failure(inARow, now + wait));
        }
        if (failures.size() > 4 * (maxRunning + maxWaiting) + 16) // bounded: forget the expired
        failures.values().removeIf(f -> f.until() - now <= 0);
        waiting.entrySet().removeIf(w -> w.getValue().stream().allMatch(known));
        if (running.size() >= maxRunning) return Optional.empty();
        List<PeerId> newestFirst = new ArrayList<>(waiting.keySet());
        Collections.reverse(newestFirst);
        for (PeerId p : newestFirst) {
            if (backingOff(p, now) || running.contains(p)) continue;
            waiting.remove(p);
            running.add(p);
            return Optional.of(p);
        }
        return Optional.empty();
    }

    synchronized int running() {
        return running.size();
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private boolean backingOff(PeerId peer, long now) {
        Failure f = failures.get(peer);
        return f != null && f.until() - now > 0;
    }
}
