package dev.hyperj.subnet.dag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.crypto.PrivateKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Merkle DAG as a state machine: {@link #ingest} takes a node from anywhere (the application,
 * gossip, a sync fetch) and answers one of the five outcomes of {@link Ingested}; accepted nodes go
 * to the {@link DagStore}, orphans wait in a bounded pool for their parents, headers without a body
 * wait in another. No I/O, no clock: tests drive it directly.
 *
 * <p>Checks, cheapest first: known already (duplicate); format, self-parent, size; a cycle through
 * the orphans; node id, author and signature; an epoch already pruned; a registered schema; the
 * body's hash; then, once every parent is accepted, the schema's own validation.
 */
public final class MerkleDag {
    private static final Logger log = LoggerFactory.getLogger(MerkleDag.class);

    private final DagStore store;
    private final DagLimits limits;
    private final Map<String, Map<String, DagSchema>> schemas = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, DagNode> orphans = new LinkedHashMap<>();
    private final Map<String, Set<String>> waiting = new HashMap<>();
    private final LinkedHashMap<String, DagHeader> pendingBodies = new LinkedHashMap<>();
    private final List<Consumer<DagNode>> listeners = new CopyOnWriteArrayList<>();
    private final Map<Ingested.Status, Long> outcomes = new EnumMap<>(Ingested.Status.class);
    private final Map<RejectReason, Long> rejections = new EnumMap<>(RejectReason.class);

    public MerkleDag(DagStore store, DagLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    public MerkleDag(DagStore store) {
        this(store, DagLimits.defaults());
    }

    /** Lets nodes of {@code namespace} carrying {@code schema.id()} in; others of that namespace are refused. */
    public void register(String namespace, DagSchema schema) {
        if (namespace.isEmpty() || namespace.length() > 256)
            throw new IllegalArgumentException("namespace: 1 to 256 chars");
        DagSchema before = schemas.computeIfAbsent(namespace, k -> new ConcurrentHashMap<>())
                .putIfAbsent(schema.id(), schema);
        if (before != null && before != schema)
            throw new IllegalStateException("schema " + schema.id() + " already registered in " + namespace);
    }

    public boolean knows(String namespace, String schemaId) {
        Map<String, DagSchema> m = schemas.get(namespace);
        return m != null && m.containsKey(schemaId);
    }

    /** Calls {@code listener} with every node accepted from now on, in acceptance order, off the DAG's lock. */
    public AutoCloseable onAccepted(Consumer<DagNode> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public DagReader reader() {
        return store;
    }

    public DagLimits limits() {
        return limits;
    }

    public SortedSet<String> heads() {
        return store.heads();
    }

    public long count() {
        return store.count();
    }

    public Optional<DagNode> get(String id) {
        return store.get(id);
    }

    /** Ingests a node (with its body, or a header alone). Never throws for bad input: it is {@link Ingested.Status#REJECTED}. */
    public Ingested ingest(DagNode node) {
        List<DagNode> fresh = new ArrayList<>();
        Ingested r;
        synchronized (this) {
            r = doIngest(node, fresh);
            outcomes.merge(r.status(), 1L, Long::sum);
            if (r.rejection() != null) rejections.merge(r.reason(), 1L, Long::sum);
        }
        for (DagNode n : fresh) {
            for (Consumer<DagNode> l : listeners) {
                try {
                    l.accept(n);
                } catch (RuntimeException e) {
                    log.warn("DAG listener failed on {}: {}", n.id(), e.toString());
                }
            }
        }
        return r;
    }

    /** The body for a header ingested alone. */
    public Ingested ingestBody(String nodeId, JsonNode payload) {
        DagHeader h;
        synchronized (this) {
            h = pendingBodies.get(nodeId);
        }
        if (h == null)
            return store.contains(nodeId)
                    ? Ingested.of(nodeId, Ingested.Status.DUPLICATE)
                    : Ingested.rejected(nodeId, RejectReason.MALFORMED, "no header waits for this body");
        return ingest(new DagNode(h, payload));
    }

    private Ingested doIngest(DagNode node, List<DagNode> fresh) {
        DagHeader h = node.header();
        String id = h.nodeId();
        if (store.contains(id) || orphans.containsKey(id) || !node.hasBody() && pendingBodies.containsKey(id))
            return Ingested.of(id, Ingested.Status.DUPLICATE);
        if (h.parentIds().contains(id))
            return Ingested.rejected(id, RejectReason.SELF_PARENT, "lists itself as parent");
        if (reachesThroughOrphans(h.parentIds(), id))
            return Ingested.rejected(id, RejectReason.CYCLE, "its own ancestor through waiting nodes");
        Optional<DagNodes.Rejection> bad = DagNodes.verifyHeader(h, limits);
        if (bad.isPresent()) return Ingested.rejected(id, bad.get());
        Optional<Checkpoint> cp = store.checkpoint();
        if (cp.isPresent() && h.epoch() >= 0 && h.epoch() <= cp.get().throughEpoch())
            return Ingested.rejected(id, RejectReason.PRUNED_EPOCH, "epoch " + h.epoch() + " pruned");
        if (!knows(h.namespace(), h.schemaId()))
            return Ingested.rejected(id, RejectReason.UNKNOWN_SCHEMA, h.namespace() + "/" + h.schemaId());
        if (!node.hasBody()) {
            pendingBodies.put(id, h);
            while (pendingBodies.size() > limits.maxPendingBodies()) evictFirst(pendingBodies);
            return Ingested.of(id, Ingested.Status.PENDING_BODY);
        }
        bad = DagNodes.verifyBody(h, node.payload(), limits);
        if (bad.isPresent()) return Ingested.rejected(id, bad.get());
        pendingBodies.remove(id);
        List<String> missing = missingParents(h);
        if (!missing.isEmpty()) {
            orphans.put(id, node);
            for (String p : missing)
                waiting.computeIfAbsent(p, k -> new HashSet<>()).add(id);
            while (orphans.size() > limits.maxOrphans())
                dropOrphan(orphans.keySet().iterator().next());
            return Ingested.orphan(id, missing);
        }
        Optional<DagNodes.Rejection> invalid = validate(node);
        if (invalid.isPresent()) return Ingested.rejected(id, invalid.get());
        List<String> accepted = new ArrayList<>();
        Deque<DagNode> ready = new ArrayDeque<>();
        ready.add(node);
        while (!ready.isEmpty()) {
            DagNode n = ready.poll();
            if (n != node) {
                Optional<DagNodes.Rejection> r = validate(n);
                if (r.isPresent()) {
                    log.debug("orphan {} refused once its parents came: {}", n.id(), r.get());
                    rejections.merge(r.get().reason(), 1L, Long::sum);
                    continue;
                }
            }
            store.put(n, fileEpoch(n.header()));
            accepted.add(n.id());
            fresh.add(n);
            Set<String> children = waiting.remove(n.id());
            if (children == null) continue;
            for (String c : new TreeSet<>(children)) {
                DagNode o = orphans.get(c);
                if (o != null && missingParents(o.header()).isEmpty()) {
                    orphans.remove(c);
                    ready.add(o);
                }
            }
        }
        return Ingested.accepted(id, accepted);
    }

    private Optional<DagNodes.Rejection> validate(DagNode n) {
        DagSchema s = schemas.getOrDefault(n.header().namespace(), Map.of())
                .get(n.header().schemaId());
        if (s == null)
            return Optional.of(new DagNodes.Rejection(
                    RejectReason.UNKNOWN_SCHEMA, n.header().schemaId()));
        try {
            s.validate(n, store);
            return Optional.empty();
        } catch (DagSchema.InvalidNodeException e) {
            return Optional.of(new DagNodes.Rejection(RejectReason.INVALID_PAYLOAD, e.getMessage()));
        } catch (RuntimeException e) {
            return Optional.of(new DagNodes.Rejection(RejectReason.INVALID_PAYLOAD, "schema failed: " + e));
        }
    }

    private long fileEpoch(DagHeader h) {
        if (h.epoch() >= 0) return h.epoch();
        long e = 0;
        for (String p : h.parentIds()) e = Math.max(e, store.epochOf(p));
        return e;
    }

    private boolean present(String id) {
        if (store.contains(id)) return true;
        Optional<Checkpoint> cp = store.checkpoint();
        return cp.isPresent()
                && (cp.get().boundary().contains(id) || cp.get().heads().contains(id));
    }

    private List<String> missingParents(DagHeader h) {
        List<String> m = new ArrayList<>();
        for (String p : h.parentIds()) if (!present(p)) m.add(p);
        return m;
    }

    /** Whether {@code target} is an ancestor of {@code parents} through orphans (the only place a cycle can hide). */
    private boolean reachesThroughOrphans(List<String> parents, String target) {
        Deque<String> todo = new ArrayDeque<>(parents);
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String p = todo.poll();
            if (p.equals(target)) return true;
            if (!seen.add(p)) continue;
            DagNode o = orphans.get(p);
            if (o != null) todo.addAll(o.header().parentIds());
        }
        return false;
    }

    private void dropOrphan(String id) {
        DagNode o = orphans.remove(id);
        if (o == null) return;
        for (String p : o.header().parentIds()) {
            Set<String> w = waiting.get(p);
            if (w != null && w.remove(id) && w.isEmpty()) waiting.remove(p);
        }
    }

    private static <K, V> void evictFirst(LinkedHashMap<K, V> m) {
        Iterator<K> it = m.keySet().iterator();
        it.next();
        it.remove();
    }

    /** Parents that orphans wait for, to fetch; at most {@code max}, sorted. */
    public synchronized List<String> wanted(int max) {
        List<String> out = new ArrayList<>();
        for (String p : new TreeSet<>(waiting.keySet())) {
            if (out.size() >= max) break;
            if (!present(p)) out.add(p);
        }
        return out;
    }

    /** Ids of headers that wait for their body, to fetch; at most {@code max}. */
    public synchronized List<String> wantedBodies(int max) {
        return pendingBodies.keySet().stream().limit(max).toList();
    }

    public synchronized int orphanCount() {
        return orphans.size();
    }

    public synchronized int pendingBodyCount() {
        return pendingBodies.size();
    }

    /** How many ingests ended in each status, and rejections per reason (including orphans refused late). */
    public synchronized Stats stats() {
        return new Stats(new EnumMap<>(outcomes), new EnumMap<>(rejections));
    }

    public record Stats(Map<Ingested.Status, Long> outcomes, Map<RejectReason, Long> rejections) {
        public long rejected(RejectReason r) {
            return rejections.getOrDefault(r, 0L);
        }

        public long count(Ingested.Status s) {
            return outcomes.getOrDefault(s, 0L);
        }
    }

    /** The namespace's state: its nodes replayed through their schemas, parents first, ties by node id. */
    public JsonNode state(String namespace) {
        return state(namespace, Long.MAX_VALUE);
    }

    /** The namespace's state after its nodes filed under epochs up to {@code throughEpoch}. */
    public synchronized JsonNode state(String namespace, long throughEpoch) {
        JsonNode atCut = store.checkpoint().map(c -> c.states().get(namespace)).orElse(null);
        JsonNode state = atCut == null ? CanonicalJson.object() : atCut.deepCopy();
        Map<String, DagNode> nodes = new HashMap<>();
        for (long e : store.epochs(namespace).headSet(throughEpoch, true))
            for (String id : store.ids(namespace, e)) store.get(id).ifPresent(n -> nodes.put(id, n));
        Map<String, Integer> indegree = new HashMap<>();
        Map<String, List<String>> kids = new HashMap<>();
        for (DagNode n : nodes.values()) {
            int d = 0;
            for (String p : n.header().parentIds()) {
                if (nodes.containsKey(p)) {
                    d++;
                    kids.computeIfAbsent(p, k -> new ArrayList<>()).add(n.id());
                }
            }
            indegree.put(n.id(), d);
        }
        PriorityQueue<String> ready = new PriorityQueue<>();
        indegree.forEach((id, d) -> {
            if (d == 0) ready.add(id);
        });
        while (!ready.isEmpty()) {
            DagNode n = nodes.get(ready.poll());
            DagSchema s =
                    schemas.getOrDefault(namespace, Map.of()).get(n.header().schemaId());
            if (s != null) state = s.apply(state, n);
            for (String c : kids.getOrDefault(n.id(), List.of()))
                if (indegree.merge(c, -1, Integer::sum) == 0) ready.add(c);
        }
        return state;
    }

    /**
     * Removes every node filed under epochs up to {@code throughEpoch}, leaving a checkpoint signed
     * with {@code key}: each namespace's state at the cut, the cut's heads, and the pruned ids that
     * retained nodes still name as parents. Lookups go by the namespace/epoch index only.
     */
    public synchronized Checkpoint prune(PrivateKey key, long throughEpoch) {
        Optional<Checkpoint> prev = store.checkpoint();
        if (prev.isPresent() && throughEpoch <= prev.get().throughEpoch()) return prev.get();
        SortedMap<String, JsonNode> states = new TreeMap<>();
        Set<String> cut = new HashSet<>();
        for (String ns : store.namespaces()) {
            states.put(ns, state(ns, throughEpoch));
            for (long e : store.epochs(ns).headSet(throughEpoch, true)) cut.addAll(store.ids(ns, e));
        }
        prev.ifPresent(c -> c.states().forEach(states::putIfAbsent));
        SortedSet<String> heads = new TreeSet<>();
        SortedSet<String> boundary = new TreeSet<>();
        for (String id : cut) {
            boolean prunedChild = false, keptChild = false;
            for (String c : store.children(id)) {
                if (cut.contains(c)) prunedChild = true;
                else keptChild = true;
            }
            if (!prunedChild) heads.add(id);
            if (keptChild) boundary.add(id);
        }
        if (prev.isPresent())
            for (String b : prev.get().boundary()) {
                for (String c : store.children(b))
                    if (!cut.contains(c)) {
                        boundary.add(b);
                        break;
                    }
            }
        store.remove(cut);
        Checkpoint c = Checkpoint.sign(key, throughEpoch, heads, boundary, states);
        store.checkpoint(c);
        return c;
    }

    /**
     * Starts an empty DAG from a peer's checkpoint (a newcomer to a pruned network); false, and
     * nothing changed, when the signature does not verify or this DAG already holds nodes.
     */
    public synchronized boolean adopt(Checkpoint c) {
        if (!c.verify() || store.count() > 0 || store.checkpoint().isPresent()) return false;
        store.checkpoint(c);
        return true;
    }

    /**
     * The DAG as it stood at the end of {@code epoch}: nodes filed under epochs up to it, and its
     * heads (those without a child filed up to it). Unlike {@link #heads()} this does not move when
     * the next epoch's nodes arrive, so nodes can compare it at any time after the epoch (status
     * tables). Reads the retained epochs by index.
     */
    public synchronized Cut cut(long epoch) {
        long nodes = 0;
        SortedSet<String> heads = new TreeSet<>();
        for (String ns : store.namespaces()) {
            for (long e : store.epochs(ns).headSet(epoch, true)) {
                for (String id : store.ids(ns, e)) {
                    nodes++;
                    boolean childInCut = false;
                    for (String c : store.children(id)) {
                        long ce = store.epochOf(c);
                        if (ce >= 0 && ce <= epoch) {
                            childInCut = true;
                            break;
                        }
                    }
                    if (!childInCut) heads.add(id);
                }
            }
        }
        return new Cut(epoch, nodes, heads);
    }

    /** See {@link #cut}. */
    public record Cut(long epoch, long nodes, SortedSet<String> heads) {
        /** {@code "<heads>/<first 8 hex of sha256 over the sorted head ids>"}, short enough for a table. */
        public String digest() {
            String h =
                    CanonicalJson.sha256(String.join(",", heads).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return heads.size() + "/" + h.substring("sha256:".length(), "sha256:".length() + 8);
        }
    }

    /** The namespace's state as canonical JSON text. */
    public String stateText(String namespace) {
        return CanonicalJson.encodeToString(state(namespace));
    }
}
