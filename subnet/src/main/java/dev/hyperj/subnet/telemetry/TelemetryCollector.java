package dev.hyperj.subnet.telemetry;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.subnet.api.ApiRequest;
import dev.hyperj.subnet.api.ApiResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * Receives signed events ({@code POST} of one envelope), keeps the last {@link #KEEP} genuine ones
 * to show, and counts refusals by reason. A refused event is answered 4xx with the one error
 * shape of the network API and its reason as code.
 */
public final class TelemetryCollector {
    public static final int KEEP = 200;

    private final TelemetryVerifier verifier;
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();
    private final Map<TelemetryVerifier.Refusal, Long> refused = new EnumMap<>(TelemetryVerifier.Refusal.class);
    private long accepted;

    public TelemetryCollector(TelemetryVerifier verifier) {
        this.verifier = verifier;
    }

    /** Verifies against {@code chain}: a peer must be a node of its subnet (read at most every 10 s per subnet). */
    public static TelemetryCollector forChain(ChainClient chain) {
        return new TelemetryCollector(new TelemetryVerifier(
                onChain(chain, Duration.ofSeconds(10)), System::currentTimeMillis, Duration.ofMinutes(5)));
    }

    static BiPredicate<Integer, String> onChain(ChainClient chain, Duration ttl) {
        record Entry(Set<String> peers, long at) {}
        Map<Integer, Entry> cache = new ConcurrentHashMap<>();
        return (subnet, peer) -> {
            Entry e = cache.get(subnet);
            long now = System.nanoTime();
            if (e == null || now - e.at() > ttl.toNanos()) {
                if (cache.size() > 1024) cache.clear();
                Set<String> peers = chain.subnetNodes(subnet).stream()
                        .map(n -> n.node().peerInfo().peerId())
                        .collect(Collectors.toUnmodifiableSet());
                e = new Entry(peers, now);
                cache.put(subnet, e);
            }
            return e.peers().contains(peer);
        };
    }

    /** Handles {@code POST} of one envelope. */
    public ApiResponse receive(ApiRequest r) {
        TelemetryVerifier.Verdict v = verifier.verify(r.body());
        synchronized (this) {
            if (!v.accepted()) {
                refused.merge(v.refusal(), 1L, Long::sum);
                int status = v.refusal() == TelemetryVerifier.Refusal.OVERSIZED
                        ? 413
                        : v.refusal() == TelemetryVerifier.Refusal.MALFORMED ? 400 : 403;
                return ApiResponse.error(status, v.refusal().name().toLowerCase(java.util.Locale.ROOT), v.message());
            }
            accepted++;
            TelemetryEvent e = v.event();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", e.type());
            m.put("peerId", e.peerId());
            m.put("subnetId", e.subnetId());
            m.put("seq", e.seq());
            m.put("tsMillis", e.tsMillis());
            m.put("data", e.data());
            recent.addFirst(m);
            while (recent.size() > KEEP) recent.removeLast();
        }
        return ApiResponse.json(202, Map.of("accepted", true));
    }

    /** Genuine events, newest first. */
    public synchronized List<Map<String, Object>> recent() {
        return new ArrayList<>(recent);
    }

    public synchronized long acceptedCount() {
        return accepted;
    }

    public synchronized Map<TelemetryVerifier.Refusal, Long> refusals() {
        return new EnumMap<>(refused);
    }
}
