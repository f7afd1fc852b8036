package dev.hyperj.p2p.gossipsub;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** Message ids seen in the last TTL, so duplicates are neither delivered nor forwarded twice. */
final class SeenCache {
    private record Stamp(long at, MessageId id) {}

    private final long ttlNanos;
    private final Map<MessageId, Long> ids = new HashMap<>();
    private final ArrayDeque<Stamp> order = new ArrayDeque<>();

    SeenCache(long ttlNanos) {
        this.ttlNanos = ttlNanos;
    }

    /** Adds the id; false if it was already there. */
    boolean add(MessageId id, long now) {
        if (ids.putIfAbsent(id, now) != null) return false;
        order.add(new Stamp(now, id));
        return true;
    }

    boolean contains(MessageId id) {
        return ids.containsKey(id);
    }

    void expire(long now) {
        while (!order.isEmpty() && now - order.peek().at() > ttlNanos) {
            Stamp s = order.poll();
            // An id removed and added again has a newer stamp; only its own stamp expires it.
            ids.remove(s.id(), s.at());
        }
    }

    int size() {
        return ids.size();
    }
}
