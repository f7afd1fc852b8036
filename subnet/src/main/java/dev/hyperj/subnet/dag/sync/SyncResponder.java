package dev.hyperj.subnet.dag.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.DagFormatException;
import dev.hyperj.subnet.dag.DagNode;
import dev.hyperj.subnet.dag.DagReader;
import dev.hyperj.subnet.dag.MerkleDag;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The serving side of {@code /subnet/merkle_dag_sync_protocol/1.0.0} as a function from request to
 * response (no sockets): per-peer rate limit first, then the request's own bounds. A request asking
 * for more than a batch of ids is refused; ancestor depth is capped at the configured maximum; a
 * response stops at {@code maxResponseNodes} nodes or {@code maxResponseBytes}. Refusals answer
 * {@code error {reason}} and are counted by reason.
 */
public final class SyncResponder {
    private final MerkleDag dag;
    private final SyncConfig config;
    private final String self;
    private final RateLimiter limiter;
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final LongAdder served = new LongAdder();

    public SyncResponder(MerkleDag dag, SyncConfig config, String selfPeerId) {
        this.dag = dag;
        this.config = config;
        this.self = selfPeerId;
        this.limiter = new RateLimiter(config.requestsPerSecond(), config.burst());
    }

    /** Answers the request bytes {@code raw} from {@code peer}; never throws for bad input. */
    public JsonNode answer(String peer, byte[] raw, long nowNanos, long nowMs) {
        if (!limiter.tryAcquire(peer, nowNanos)) return refuse("rate limited", nowMs);
        try {
            JsonNode request = CanonicalJson.parse(raw);
            JsonNode r = switch (SyncMessages.kind(request)) {
                case SyncMessages.INVENTORY_REQUEST -> inventory(nowMs);
                case SyncMessages.FETCH_REQUEST -> fetch(request, nowMs);
                case SyncMessages.EPOCH_FETCH_REQUEST -> epochFetch(request, nowMs);
                case SyncMessages.CHECKPOINT_REQUEST -> checkpoint(nowMs);
                default -> refuse("unknown kind", nowMs);
            };
            served.increment();
            return r;
        } catch (DagFormatException e) {
            return refuse("malformed: " + e.getMessage(), nowMs);
        }
    }

    private JsonNode refuse(String reason, long nowMs) {
        String key = reason.startsWith("malformed") ? "malformed" : reason;
        refused.computeIfAbsent(key, k -> new LongAdder()).increment();
        return SyncMessages.error(reason, self, nowMs);
    }

    /** Refusals so far by reason ("rate limited", "too many ids", "malformed", ...). */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        refused.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long served() {
        return served.sum();
    }

    private JsonNode inventory(long nowMs) {
        DagReader r = dag.reader();
        ObjectNode o = SyncMessages.envelope(SyncMessages.INVENTORY_RESPONSE, SyncMessages.ALL, self, nowMs);
        ObjectNode s = o.putObject("summary");
        s.put("generated_at_ms", nowMs);
        SyncMessages.ids(s.putArray("head_ids"), limit(r.heads(), 1024));
        s.put("namespace", SyncMessages.ALL);
        s.put("node_count", r.count());
        s.put("orphan_count", dag.orphanCount());
        ObjectNode epochs = s.putObject("epochs");
        for (String ns : r.namespaces()) {
            var e = r.epochs(ns);
            if (!e.isEmpty()) epochs.putArray(ns).add(e.first()).add(e.last());
        }
        s.put(
                "checkpoint_through",
                r instanceof dev.hyperj.subnet.dag.DagStore st
                        ? st.checkpoint().map(c -> c.throughEpoch()).orElse(-1L).longValue()
                        : -1L);
        return o;
    }

    private static List<String> limit(Set<String> s, int n) {
        return s.stream().limit(n).toList();
    }

    private JsonNode fetch(JsonNode req, long nowMs) {
        List<String> ids;
        try {
            ids = SyncMessages.idList(req, "node_ids", config.batch());
        } catch (DagFormatException e) {
            if (e.getMessage().contains("more than")) return refuse("too many ids", nowMs);
            throw e;
        }
        JsonNode d = req.get("max_ancestor_depth");
        long asked = d != null && d.isIntegralNumber() ? d.asLong() : 0;
        if (asked < 0) return refuse("malformed: negative depth", nowMs);
        if (asked > config.maxAncestorDepth())
            refused.computeIfAbsent("depth capped", k -> new LongAdder()).increment();
        int depth = (int) Math.min(asked, config.maxAncestorDepth());
        boolean bodies = req.path("include_bodies").asBoolean(true);
        List<DagNode> out = new ArrayList<>();
        List<String> notFound = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<String[]> todo = new ArrayDeque<>(); // {id, depth}
        for (String id : ids) todo.add(new String[] {id, "0"});
        int budget = config.maxResponseBytes() - 512;
        while (!todo.isEmpty() && out.size() < config.maxResponseNodes()) {
            String[] t = todo.poll();
            if (!seen.add(t[0])) continue;
            Optional<DagNode> n = dag.get(t[0]);
            if (n.isEmpty()) {
                if (t[1].equals("0")) notFound.add(t[0]);
                continue;
            }
            DagNode node = bodies ? n.get() : n.get().withoutBody();
            int size = CanonicalJson.encode(node.toJson()).length + 1;
            if (size > budget) break;
            budget -= size;
            out.add(node);
            int level = Integer.parseInt(t[1]);
            if (level < depth)
                for (String p : node.header().parentIds()) todo.add(new String[] {p, String.valueOf(level + 1)});
        }
        java.util.Collections.reverse(out); // ancestors first: fewer orphans on the other side
        return SyncMessages.fetchResponse(out, notFound, self, nowMs);
    }

    private JsonNode epochFetch(JsonNode req, long nowMs) {
        String ns = req.path("namespace").asText("");
        JsonNode e = req.get("epoch");
        if (e == null || !e.isIntegralNumber()) return refuse("malformed: epoch", nowMs);
        String after = req.path("after").asText("");
        List<DagNode> out = new ArrayList<>();
        int budget = config.maxResponseBytes() - 512;
        String next = null;
        for (String id : dag.reader().ids(ns, e.asLong())) {
            if (id.compareTo(after) <= 0) continue;
            if (out.size() >= config.maxResponseNodes()) {
                next = out.getLast().id();
                break;
            }
            Optional<DagNode> n = dag.get(id);
            if (n.isEmpty()) continue;
            int size = CanonicalJson.encode(n.get().toJson()).length + 1;
            if (size > budget) {
                next = out.isEmpty() ? id : out.getLast().id();
                break;
            }
            budget -= size;
            out.add(n.get());
        }
        ObjectNode o = SyncMessages.fetchResponse(out, List.of(), self, nowMs);
        if (next == null) o.putNull("next_after");
        else o.put("next_after", next);
        return o;
    }

    private JsonNode checkpoint(long nowMs) {
        ObjectNode o = SyncMessages.envelope(SyncMessages.CHECKPOINT_RESPONSE, SyncMessages.ALL, self, nowMs);
        Optional<dev.hyperj.subnet.dag.Checkpoint> c =
                dag.reader() instanceof dev.hyperj.subnet.dag.DagStore st ? st.checkpoint() : Optional.empty();
        if (c.isPresent()) o.set("checkpoint", c.get().toJson());
        else o.putNull("checkpoint");
        return o;
    }
}
