package dev.hyperj.subnet.dag.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.gossipsub.ValidationResult;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.reqresp.RequestOptions;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.Checkpoint;
import dev.hyperj.subnet.dag.DagFormatException;
import dev.hyperj.subnet.dag.DagNode;
import dev.hyperj.subnet.dag.DagNodes;
import dev.hyperj.subnet.dag.DagSchema;
import dev.hyperj.subnet.dag.Ingested;
import dev.hyperj.subnet.dag.MerkleDag;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's Merkle DAG on the network: nodes it publishes are signed with its identity, ingested
 * and sent as {@code node_gossip} on the {@value #TOPIC} topic; its heads are announced every few
 * seconds; it serves {@value #PROTOCOL} ({@link SyncResponder}) and catches up by itself
 * ({@link #syncWith}) when a peer announces heads it lacks or a gossiped node turns out an orphan.
 * Catching up walks back from the peer's heads in batches of 32 ids; a node far behind (a newcomer)
 * first takes the peer's checkpoint, if any, and the nodes epoch by epoch, parents first.
 */
public final class DagService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DagService.class);
    public static final String TOPIC = "merkle_dag_sync";
    public static final String PROTOCOL = "/subnet/merkle_dag_sync_protocol/1.0.0";
    private static final int MAX_SYNC_ROUNDS = 100_000;

    private final Host host;
    private final GossipSub gossip;
    private final MerkleDag dag;
    private final PrivateKey identity;
    private final SyncConfig config;
    private final String self;
    private final SyncResponder responder;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dag-", 0).factory());
    /**
     * One timer for every DAG service in the process: announcing is a short task, and a devnet runs
     * hundreds of nodes in one JVM (a timer thread each was hundreds of idle platform threads).
     */
    private static final ScheduledExecutorService ANNOUNCER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dag-announce");
        t.setDaemon(true);
        return t;
    });

    private final CatchUps catchUps;
    private final ArrayDeque<String> recent = new ArrayDeque<>(); // ids accepted lately, newest last
    private final AutoCloseable recentListener;
    private volatile ScheduledFuture<?> announcing;
    private final Map<PeerId, CompletableFuture<SyncResult>> syncing = new ConcurrentHashMap<>();
    private final AtomicLong fetchedNodes = new AtomicLong(),
            fetchedBytes = new AtomicLong(),
            requests = new AtomicLong();
    private volatile boolean closed;

    /** What one catch-up with a peer brought: nodes newly accepted, requests made, response bytes. */
    public record SyncResult(long accepted, long requests, long bytes) {}

    private DagService(Host host, GossipSub gossip, MerkleDag dag, PrivateKey identity, SyncConfig config) {
        this.host = host;
        this.gossip = gossip;
        this.dag = dag;
        this.identity = identity;
        this.config = config;
        this.self = host.peerId().toBase58();
        this.responder = new SyncResponder(dag, config, self);
        this.catchUps = new CatchUps(
                config.maxCatchUps(),
                config.maxWaitingCatchUps(),
                config.catchUpBackoff().toNanos(),
                Math.max(config.catchUpBackoff().toNanos(), TimeUnit.MINUTES.toNanos(1)));
        this.recentListener = dag.onAccepted(n -> {
            synchronized (recent) {
                recent.addLast(n.id());
                while (recent.size() > 4 * config.maxAnnouncedHeads()) recent.pollFirst();
            }
        });
    }

    /** Serves the sync protocol, joins the topic and starts announcing. */
    public static CompletableFuture<DagService> start(
            Host host, GossipSub gossip, MerkleDag dag, PrivateKey identity, SyncConfig config) {
        DagService s = new DagService(host, gossip, dag, identity, config);
        RequestResponse.register(
                host,
                PROTOCOL,
                (ctx, request) -> s.serve(ctx.peer(), request),
                RequestOptions.defaults()
                        .withMaxFrame(config.maxResponseBytes() + 4096)
                        .withMaxConcurrent(64));
        return gossip.setValidator(TOPIC, (from, m) -> CompletableFuture.supplyAsync(() -> s.check(m), s.workers))
                .thenCompose(v -> gossip.subscribe(TOPIC, d -> {}))
                .thenApply(v -> {
                    if (s.closed) return s;
                    long every = config.announceEvery().toMillis();
                    s.announcing = ANNOUNCER.scheduleWithFixedDelay(s::announce, every, every, TimeUnit.MILLISECONDS);
                    return s;
                });
    }

    public MerkleDag dag() {
        return dag;
    }

    /** Lets nodes of {@code namespace} with {@code schema.id()} in (see {@link MerkleDag#register}). */
    public void register(String namespace, DagSchema schema) {
        dag.register(namespace, schema);
    }

    public SortedSet<String> heads() {
        return dag.heads();
    }

    public long count() {
        return dag.count();
    }

    /**
     * Signs a node with this node's identity, ingests it and gossips it. Throws
     * {@link IllegalArgumentException} naming the reason if the DAG refuses it (unknown schema,
     * invalid payload, ...); a node whose parents are unknown is refused too (publish parents first).
     */
    public DagNode publish(
            String namespace, String schemaId, Collection<String> parents, JsonNode payload, ObjectNode metadata) {
        DagNode n =
                DagNodes.create(identity, namespace, schemaId, parents, payload, metadata, System.currentTimeMillis());
        Ingested r = dag.ingest(n);
        if (r.status() != Ingested.Status.ACCEPTED) throw new IllegalArgumentException("DAG refused the node: " + r);
        gossipNode(n);
        return n;
    }

    /**
     * Sends a node built elsewhere (any author's) as {@code node_gossip} without ingesting it here:
     * for relaying, and for tests that check what peers do with a node this one would refuse.
     */
    public void offer(DagNode n) {
        gossipNode(n);
    }

    private void gossipNode(DagNode n) {
        byte[] msg = CanonicalJson.encode(SyncMessages.nodeGossip(n, self, System.currentTimeMillis()));
        gossip.publish(TOPIC, msg).whenComplete((id, e) -> {
            if (e != null) log.debug("node {} not gossiped: {}", n.id(), e.toString());
        });
    }

    /** Announces this node's heads now. */
    public void announce() {
        if (closed || dag.count() == 0) return;
        try {
            byte[] msg = CanonicalJson.encode(
                    SyncMessages.announcement(announcedHeads(), dag.count(), self, System.currentTimeMillis()));
            gossip.publish(TOPIC, msg).exceptionally(e -> null);
        } catch (RuntimeException e) {
            log.debug("announce failed: {}", e.toString());
        }
    }

    /**
     * The heads an announcement lists: all of them up to {@link SyncConfig#maxAnnouncedHeads}, else
     * the most recently accepted first (those a peer is likeliest to lack), filled up with the rest.
     */
    List<String> announcedHeads() {
        SortedSet<String> heads = dag.heads();
        int max = config.maxAnnouncedHeads();
        if (heads.size() <= max) return List.copyOf(heads);
        Set<String> out = new LinkedHashSet<>();
        synchronized (recent) {
            for (var it = recent.descendingIterator(); it.hasNext() && out.size() < max; ) {
                String id = it.next();
                if (heads.contains(id)) out.add(id);
            }
        }
        for (var it = heads.iterator(); it.hasNext() && out.size() < max; ) out.add(it.next());
        return List.copyOf(out);
    }

    ValidationResult check(Rpc.Message m) {
        JsonNode msg;
        PeerId from;
        try {
            if (m.from() == null) return ValidationResult.REJECT;
            from = PeerId.fromBytes(m.from());
            msg = CanonicalJson.parse(m.data());
            if (!SyncMessages.peerId(msg).equals(from.toBase58())) return ValidationResult.REJECT;
            switch (SyncMessages.kind(msg)) {
                case SyncMessages.NODE_GOSSIP -> {
                    Ingested r = dag.ingest(DagNode.fromJson(msg.get("node")));
                    return switch (r.status()) {
                        case ACCEPTED, PENDING_BODY -> ValidationResult.ACCEPT;
                        case ORPHAN -> {
                            catchUp(from, List.of(r.nodeId()));
                            yield ValidationResult.ACCEPT;
                        }
                        case DUPLICATE -> ValidationResult.IGNORE;
                        case REJECTED -> {
                            log.debug("gossiped node {} from {} rejected: {}", r.nodeId(), from, r.rejection());
                            yield ValidationResult.REJECT;
                        }
                    };
                }
                case SyncMessages.ANNOUNCEMENT -> {
                    List<String> unknown = new ArrayList<>();
                    for (String h : SyncMessages.idList(msg, "head_ids", 1024)) {
                        if (!known(h)) unknown.add(h);
                        if (unknown.size() >= CatchUps.MAX_WANTED) break;
                    }
                    if (!unknown.isEmpty()) catchUp(from, unknown);
                    return ValidationResult.ACCEPT;
                }
                default -> {
                    return ValidationResult.REJECT;
                }
            }
        } catch (IllegalArgumentException e) {
            return ValidationResult.REJECT;
        }
    }

    private boolean known(String id) {
        return dag.reader().contains(id);
    }

    /** {@code peer} showed ids this node lacks: catch up with it now, later or not, as {@link CatchUps} says. */
    private void catchUp(PeerId peer, List<String> unknown) {
        if (closed || peer.equals(host.peerId())) return;
        if (catchUps.offer(peer, unknown, System.nanoTime())) runCatchUp(peer);
    }

    private void runCatchUp(PeerId peer) {
        syncWith(peer).whenComplete((r, e) -> {
            if (closed) return;
            catchUps.finished(peer, e == null, System.nanoTime(), this::known).ifPresent(this::runCatchUp);
        });
    }

    /** Catches up with {@code peer} (at most one catch-up per peer at a time: a second call joins the first). */
    public CompletableFuture<SyncResult> syncWith(PeerId peer) {
        CompletableFuture<SyncResult> f = new CompletableFuture<>();
        CompletableFuture<SyncResult> running = syncing.putIfAbsent(peer, f);
        if (running != null) return running;
        try {
            workers.execute(() -> {
                try {
                    f.complete(doSync(peer));
                } catch (Exception e) {
                    log.debug("sync with {} failed: {}", peer, e.toString());
                    f.completeExceptionally(e);
                } finally {
                    syncing.remove(peer, f);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) { // closed meanwhile
            syncing.remove(peer, f);
            f.completeExceptionally(e);
        }
        return f;
    }

    private SyncResult doSync(PeerId peer) throws Exception {
        long before = dag.count();
        long[] stats = new long[2]; // requests, bytes
        JsonNode inv = call(
                peer,
                SyncMessages.envelope(SyncMessages.INVENTORY_REQUEST, SyncMessages.ALL, self, now())
                        .put("node_count", dag.count()),
                stats);
        JsonNode summary = inv.get("summary");
        if (summary == null) throw new DagFormatException("inventory without summary");
        List<String> heads = SyncMessages.idList(summary, "head_ids", 1024);
        long theirCount = summary.path("node_count").asLong(0);
        if (dag.count() == 0 && summary.path("checkpoint_through").asLong(-1) >= 0) {
            JsonNode c = call(
                    peer, SyncMessages.envelope(SyncMessages.CHECKPOINT_REQUEST, SyncMessages.ALL, self, now()), stats);
            if (c.hasNonNull("checkpoint") && dag.adopt(Checkpoint.fromJson(c.get("checkpoint"))))
                log.info(
                        "DAG starts from {}'s checkpoint through epoch {}",
                        peer,
                        c.get("checkpoint").path("through_epoch"));
        }
        if (theirCount - dag.count() > config.maxResponseNodes()) sweepEpochs(peer, summary.get("epochs"), stats);
        Set<String> want = new LinkedHashSet<>();
        for (String h : heads) if (!known(h)) want.add(h);
        // the peer's unknown heads in batches (all of them: an announcement may have named only a
        // few), then the parents orphans still wait for, until a round of those brings nothing new
        for (int round = 0; round < MAX_SYNC_ROUNDS && !closed; round++) {
            want.removeIf(this::known); // fetched meanwhile, as an earlier batch's ancestors
            boolean ofHeads = !want.isEmpty();
            if (!ofHeads) {
                want.addAll(dag.wanted(config.batch()));
                for (String b : dag.wantedBodies(config.batch())) if (want.size() < config.batch()) want.add(b);
            }
            if (want.isEmpty()) break;
            List<String> batch = want.stream().limit(config.batch()).toList();
            JsonNode resp =
                    call(peer, SyncMessages.fetchRequest(batch, true, config.maxAncestorDepth(), self, now()), stats);
            int fresh = ingestAll(SyncMessages.nodes(resp, config.maxResponseNodes()));
            batch.forEach(want::remove);
            if (!ofHeads && fresh == 0) break;
            if (!ofHeads) want.clear();
        }
        log.debug("sync with {}: {} new nodes, {} requests, {} bytes", peer, dag.count() - before, stats[0], stats[1]);
        return new SyncResult(dag.count() - before, stats[0], stats[1]);
    }

    /** A node far behind takes the peer's nodes epoch by epoch (ids sorted within one), parents before children. */
    private void sweepEpochs(PeerId peer, JsonNode epochs, long[] stats) throws Exception {
        if (epochs == null || !epochs.isObject()) return;
        long lo = Long.MAX_VALUE, hi = -1;
        List<String> namespaces = new ArrayList<>();
        for (var it = epochs.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isArray() || e.getValue().size() != 2) continue;
            namespaces.add(e.getKey());
            lo = Math.min(lo, e.getValue().get(0).asLong());
            hi = Math.max(hi, e.getValue().get(1).asLong());
        }
        long mine = -1;
        for (String ns : dag.reader().namespaces())
            mine = Math.max(mine, dag.reader().epochs(ns).last());
        java.util.Collections.sort(namespaces);
        for (long e = Math.max(lo, mine - 1); e <= hi && !closed; e++) {
            for (String ns : namespaces) {
                JsonNode range = epochs.get(ns);
                if (e < range.get(0).asLong() || e > range.get(1).asLong()) continue;
                String after = "";
                for (int guard = 0; guard < MAX_SYNC_ROUNDS; guard++) {
                    ObjectNode req = SyncMessages.envelope(SyncMessages.EPOCH_FETCH_REQUEST, ns, self, now())
                            .put("epoch", e)
                            .put("after", after);
                    JsonNode resp = call(peer, req, stats);
                    ingestAll(SyncMessages.nodes(resp, config.maxResponseNodes()));
                    JsonNode next = resp.get("next_after");
                    if (next == null || !next.isTextual()) break;
                    after = next.textValue();
                }
            }
        }
    }

    private int ingestAll(List<DagNode> nodes) {
        int fresh = 0;
        for (DagNode n : nodes) {
            Ingested.Status s = dag.ingest(n).status();
            if (s == Ingested.Status.ACCEPTED || s == Ingested.Status.ORPHAN) fresh++;
        }
        fetchedNodes.addAndGet(nodes.size());
        return fresh;
    }

    /** One request; an {@code error} answer of "rate limited" is retried after a pause, others fail. */
    private JsonNode call(PeerId peer, JsonNode request, long[] stats) throws Exception {
        byte[] req = CanonicalJson.encode(request);
        RequestOptions opts = RequestOptions.defaults()
                .withMaxFrame(config.maxResponseBytes() + 4096)
                .withTimeout(config.requestTimeout());
        for (int attempt = 0; ; attempt++) {
            byte[] resp = RequestResponse.request(host, peer, PROTOCOL, req, opts)
                    .get(config.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            stats[0]++;
            stats[1] += resp.length;
            requests.incrementAndGet();
            fetchedBytes.addAndGet(resp.length);
            JsonNode r = CanonicalJson.parse(resp);
            if (!SyncMessages.ERROR.equals(SyncMessages.kind(r))) return r;
            String reason = r.path("reason").asText("?");
            if (!reason.equals("rate limited") || attempt >= 50 || closed)
                throw new DagFormatException("peer " + peer + " refused: " + reason);
            Thread.sleep((long) (1000 / config.requestsPerSecond()) + 5); // the peer's bucket refills at this pace
        }
    }

    private byte[] serve(PeerId peer, byte[] request) {
        return CanonicalJson.encode(responder.answer(peer.toBase58(), request, System.nanoTime(), now()));
    }

    public SyncResponder responder() {
        return responder;
    }

    /** Totals since start: nodes received in fetch responses, sync requests made, bytes received. */
    public Stats stats() {
        return new Stats(fetchedNodes.get(), requests.get(), fetchedBytes.get());
    }

    public record Stats(long fetchedNodes, long requests, long fetchedBytes) {}

    private static long now() {
        return System.currentTimeMillis();
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> a = announcing;
        if (a != null) a.cancel(false);
        try {
            recentListener.close();
        } catch (Exception e) {
            log.debug("listener close: {}", e.toString());
        }
        host.removeProtocol(PROTOCOL);
        gossip.unsubscribe(TOPIC);
        workers.shutdownNow();
        try { // ingests under way finish before the store below us closes
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
