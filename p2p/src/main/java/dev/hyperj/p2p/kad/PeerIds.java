package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.peer.PeerId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses peer ids from the wire through a bounded, process-wide cache. Parsing an identity peer
 * id decodes an Ed25519 point (tens of microseconds) and every DHT response names up to k peers,
 * mostly the same ones again and again; the result depends only on the bytes, so it is shared.
 */
final class PeerIds {
    static final int CACHE_SIZE = 16_384;

    private static final Map<Bytes, PeerId> CACHE = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, PeerId> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private PeerIds() {}

    /** The peer id of {@code bytes}; throws IllegalArgumentException (FormatException) if invalid. */
    static PeerId parse(byte[] bytes) {
        Bytes key = Bytes.of(bytes);
        synchronized (CACHE) {
            PeerId known = CACHE.get(key);
            if (known != null) {
                return known;
            }
        }
        PeerId parsed = PeerId.fromBytes(bytes);
        synchronized (CACHE) {
            CACHE.put(key, parsed);
        }
        return parsed;
    }
}
