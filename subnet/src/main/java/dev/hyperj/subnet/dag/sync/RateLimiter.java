package dev.hyperj.subnet.dag.sync;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per peer ({@code rate} per second, {@code burst} at most), for at most
 * {@link #MAX_PEERS} peers (the least recently seen is forgotten). Time comes from the caller, so
 * tests need no clock. Thread-safe.
 */
final class RateLimiter {
    static final int MAX_PEERS = 4096;

    private record Bucket(double tokens, long atNanos) {}

    private final double rate;
    private final int burst;
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> e) {
            return size() > MAX_PEERS;
        }
    };

    RateLimiter(double ratePerSecond, int burst) {
        this.rate = ratePerSecond;
        this.burst = burst;
    }

    synchronized boolean tryAcquire(String peer, long nowNanos) {
        Bucket b = buckets.get(peer);
        double tokens = b == null ? burst : Math.min(burst, b.tokens() + (nowNanos - b.atNanos()) / 1e9 * rate);
        if (tokens < 1) {
            buckets.put(peer, new Bucket(tokens, nowNanos));
            return false;
        }
        buckets.put(peer, new Bucket(tokens - 1, nowNanos));
        return true;
    }
}
