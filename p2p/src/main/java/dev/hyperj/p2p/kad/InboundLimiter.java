package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.peer.PeerId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-peer token buckets for inbound requests, tracking a bounded number of peers (least recently
 * active forgotten first, so memory stays bounded whatever the number of identities a flood uses).
 * Confined to the DHT's executor.
 */
final class InboundLimiter {
    private static final class Bucket {
        double tokens;
        long updatedAt;
    }

    private final double ratePerMilli;
    private final int burst;
    private final LinkedHashMap<PeerId, Bucket> buckets;

    InboundLimiter(double ratePerSecond, int burst, int maxTracked) {
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PeerId, Bucket> eldest) {
                return size() > maxTracked;
            }
        };
    }

    /** Takes one token for {@code peer}; false if it is over its rate. */
    boolean tryAcquire(PeerId peer, long now) {
        Bucket b = buckets.get(peer);
        if (b == null) {
            b = new Bucket();
            b.tokens = burst;
            b.updatedAt = now;
            buckets.put(peer, b);
        }
        b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.updatedAt) * ratePerMilli);
        b.updatedAt = now;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    int tracked() {
        return buckets.size();
    }
}
