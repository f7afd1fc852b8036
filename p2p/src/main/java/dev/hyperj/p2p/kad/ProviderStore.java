package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records (key -> peers that announced they provide it), with expiry and bounds on keys
 * and providers per key. When a bound is reached newcomers are refused while known providers can
 * still refresh. Confined to the DHT's executor.
 */
final class ProviderStore {
    private record Provider(PeerInfo info, long expiresAt) {}

    private final Map<Bytes, LinkedHashMap<PeerId, Provider>> byKey = new HashMap<>();
    private final int maxKeys;
    private final int maxPerKey;
    private final long ttlMillis;

    ProviderStore(int maxKeys, int maxPerKey, long ttlMillis) {
        this.maxKeys = maxKeys;
        this.maxPerKey = maxPerKey;
        this.ttlMillis = ttlMillis;
    }

    int keyCount() {
        return byKey.size();
    }

    int providerCount() {
        int n = 0;
        for (Map<PeerId, Provider> m : byKey.values()) {
            n += m.size();
        }
        return n;
    }

    /** Adds or refreshes a provider; false if a bound refused it. */
    boolean add(byte[] key, PeerInfo provider, long now) {
        Bytes k = Bytes.of(key);
        LinkedHashMap<PeerId, Provider> providers = byKey.get(k);
        if (providers == null) {
            if (byKey.size() >= maxKeys) {
                purgeExpired(now);
                if (byKey.size() >= maxKeys) {
                    return false;
                }
            }
            providers = new LinkedHashMap<>();
            byKey.put(k, providers);
        }
        if (!providers.containsKey(provider.id()) && providers.size() >= maxPerKey) {
            providers.values().removeIf(p -> p.expiresAt <= now);
            if (providers.size() >= maxPerKey) {
                return false;
            }
        }
        providers.remove(provider.id()); // re-insert: iteration order = freshest last
        providers.put(provider.id(), new Provider(provider, now + ttlMillis));
        return true;
    }

    /** Live providers of {@code key}, most recently announced first, at most {@code max}. */
    List<PeerInfo> get(byte[] key, int max, long now) {
        LinkedHashMap<PeerId, Provider> providers = byKey.get(Bytes.of(key));
        if (providers == null) {
            return List.of();
        }
        List<PeerInfo> out = new ArrayList<>();
        for (Provider p : providers.values()) {
            if (p.expiresAt > now) {
                out.add(p.info);
            }
        }
        java.util.Collections.reverse(out);
        return out.size() > max ? List.copyOf(out.subList(0, max)) : out;
    }

    int purgeExpired(long now) {
        int removed = 0;
        for (Iterator<LinkedHashMap<PeerId, Provider>> it = byKey.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<PeerId, Provider> providers = it.next();
            int before = providers.size();
            providers.values().removeIf(p -> p.expiresAt <= now);
            removed += before - providers.size();
            if (providers.isEmpty()) {
                it.remove();
            }
        }
        return removed;
    }
}
