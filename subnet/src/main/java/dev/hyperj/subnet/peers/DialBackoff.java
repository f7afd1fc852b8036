package dev.hyperj.subnet.peers;

import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Per-peer exponential backoff between dials: after the n-th failure in a row a peer is not dialled
 * again for {@code min(max, base * 2^(n-1))}, shortened by up to {@code jitter} of it at random; a
 * success forgets the peer. Thread-safe; bounded by {@link #retainOnly} (maintenance keeps only
 * on-chain peers).
 */
final class DialBackoff {
    /** One peer's failures in a row and when it may be dialled again. */
    record Entry(int failures, Instant retryAt, Duration delay) {}

    private final Duration base;
    private final Duration max;
    private final double jitter;
    private final RandomGenerator random;
    private final Map<PeerId, Entry> entries = new HashMap<>();

    DialBackoff(Duration base, Duration max, double jitter, RandomGenerator random) {
        this.base = base;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    /** The wait after {@code failures} failures in a row, before jitter. */
    Duration delay(int failures) {
        if (failures < 1) return Duration.ZERO;
        int doublings = Math.min(failures - 1, 62);
        long nanos = base.toNanos();
        long maxNanos = max.toNanos();
        // stop doubling once past the cap: no overflow however long a peer stays away
        for (int i = 0; i < doublings && nanos < maxNanos; i++) nanos *= 2;
        return Duration.ofNanos(Math.min(nanos, maxNanos));
    }

    /** True while {@code peer} must not be dialled. */
    synchronized boolean blocked(PeerId peer, Instant now) {
        Entry e = entries.get(peer);
        return e != null && now.isBefore(e.retryAt());
    }

    /** Records a failed dial at {@code now}; returns the peer's new entry. */
    synchronized Entry failed(PeerId peer, Instant now) {
        Entry prior = entries.get(peer);
        int failures = prior == null ? 1 : prior.failures() + 1;
        Duration d = delay(failures);
        long cut = (long) (d.toNanos() * jitter * random.nextDouble());
        d = d.minusNanos(cut);
        Entry e = new Entry(failures, now.plus(d), d);
        entries.put(peer, e);
        return e;
    }

    /** A dial succeeded: the next failure starts from the base again. */
    synchronized void succeeded(PeerId peer) {
        entries.remove(peer);
    }

    synchronized Optional<Entry> entry(PeerId peer) {
        return Optional.ofNullable(entries.get(peer));
    }

    /** Peers currently waiting out a backoff at {@code now}. */
    synchronized int blockedCount(Instant now) {
        return (int)
                entries.values().stream().filter(e -> now.isBefore(e.retryAt())).count();
    }

    /** Forgets every peer not in {@code keep}. */
    synchronized void retainOnly(Set<PeerId> keep) {
        entries.keySet().retainAll(keep);
    }

    synchronized int size() {
        return entries.size();
    }
}
