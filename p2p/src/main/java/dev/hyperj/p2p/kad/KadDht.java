package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p Kademlia DHT node (libp2p/specs kad-dht): routing table, iterative lookups, value and
 * provider records, and the maintenance that keeps them alive (bootstrap, bucket refresh, random
 * walk, republish, expiry).
 *
 * <p>All state lives on the node's {@link DhtScheduler}; the public methods may be called from any
 * thread and return futures, which complete on the scheduler's thread (chain heavy work with the
 * {@code *Async} variants). The transport is a {@link DhtNetwork}.
 *
 * <pre>{@code
 * KadDht dht = KadDht.builder(self, network).config(KadConfig.defaults()).build();
 * dht.start().join();
 * dht.bootstrap(List.of(seed)).join();
 * Optional<PeerInfo> p = dht.findPeer(other).join().peers().stream().findFirst();
 * }</pre>
 */
public final class KadDht implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KadDht.class);
    /** Inbound requests waiting for the scheduler beyond which new ones are refused at once. */
    static final int MAX_QUEUED_INBOUND = 1024;
    /** Bootstrap peers remembered to re-seed an empty table. */
    static final int MAX_BOOTSTRAP_PEERS = 64;
    /** How long an inbound peer that failed verification is not checked again. */
    static final long VERIFY_BACKOFF_MILLIS = 10 * 60_000L;
    /** Providers returned by GET_PROVIDERS by default. */
    static final int DEFAULT_PROVIDERS = 20;

    private final PeerId self;
    private final byte[] selfBytes;
    private final KadConfig config;
    private final DhtNetwork network;
    private final DhtScheduler scheduler;
    private final boolean ownsScheduler;
    private final Validators validators;
    private final RandomGenerator random;
    private final RoutingTable table;
    private final RecordStore records;
    private final ProviderStore providers;
    private final InboundLimiter limiter;

    // confined to the scheduler
    private final List<PeerInfo> bootstrapPeers = new ArrayList<>();
    private final Set<PeerId> verifying = new HashSet<>();
    private final LinkedHashMap<PeerId, Long> verifyFailedAt;
    private final Map<Bytes, byte[]> published = new LinkedHashMap<>();
    private final Set<Bytes> provided = new HashSet<>();
    private final List<DhtScheduler.Cancellable> timers = new ArrayList<>();
    private boolean walking;
    private long lastWalkAt = Long.MIN_VALUE / 2;

    private volatile boolean started;
    private volatile boolean closed;
    private volatile int tableSize;
    private volatile int storedRecords;
    private volatile int providerKeys;
    private final AtomicInteger queuedInbound = new AtomicInteger();
    private final AtomicLong requestsSent = new AtomicLong();
    private final AtomicLong requestFailures = new AtomicLong();
    private final AtomicLong inboundRequests = new AtomicLong();
    private final AtomicLong inboundRejected = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong randomWalks = new AtomicLong();
    private final AtomicLong bucketRefreshes = new AtomicLong();

    private KadDht(Builder b) {
        this.self = b.self;
        this.selfBytes = b.self.bytes();
        this.config = b.config;
        this.network = b.network;
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = b.scheduler != null ? b.scheduler : DhtScheduler.singleThread("kad-" + shortId(b.self));
        this.validators = b.validators;
        this.random = b.random != null ? b.random : new SecureRandom();
        long now = scheduler.nowMillis();
        this.table = new RoutingTable(self, config.k(), config.replacementsPerBucket(), config.maxFailures(), now);
        this.records = new RecordStore(
                config.maxRecords(),
                config.maxRecordValueBytes(),
                config.recordTtl().toMillis(),
                validators);
        this.providers = new ProviderStore(
                config.maxProviderKeys(),
                config.maxProvidersPerKey(),
                config.providerTtl().toMillis());
        this.limiter = new InboundLimiter(
                config.inboundRatePerPeer(), config.inboundBurstPerPeer(), config.maxTrackedInboundPeers());
        int maxFailed = config.maxTrackedInboundPeers();
        this.verifyFailedAt = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PeerId, Long> eldest) {
                return size() > maxFailed;
            }
        };
    }

    /** A builder for a node with identity {@code self} speaking over {@code network}. */
    public static Builder builder(PeerId self, DhtNetwork network) {
        return new Builder(self, network);
    }

    public PeerId peerId() {
        return self;
    }

    public KadConfig config() {
        return config;
    }

    /**
     * Starts serving (unless in client mode) and the periodic maintenance: random walk, bucket
     * refresh, thin-table walks, record expiry and republishing.
     */
    public CompletableFuture<Void> start() {
        return async(() -> {
            if (started || closed) {
                return CompletableFuture.completedFuture(null);
            }
            started = true;
            if (!config.clientMode()) {
                network.serve(this::handleInbound);
            }
            every(config.cleanupInterval(), this::purgeExpired);
            every(config.randomWalkInterval(), () -> randomWalkNow());
            every(config.thinTableWalkDelay(), () -> {
                if (table.size() < config.k()) {
                    randomWalkNow();
                }
            });
            every(config.refreshInterval(), this::refreshStaleBuckets);
            every(config.recordRepublishInterval(), this::republishRecords);
            every(config.providerRepublishInterval(), this::republishProviders);
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Contacts {@code peers} (remembered to re-seed an empty table later), adds those that answer,
     * then looks up our own id to fill the buckets near us. Completes with the table size.
     */
    public CompletableFuture<Integer> bootstrap(Collection<PeerInfo> peers) {
        List<PeerInfo> seeds = List.copyOf(peers);
        return async(() -> {
            for (PeerInfo p : seeds) {
                if (!p.id().equals(self)
                        && bootstrapPeers.size() < MAX_BOOTSTRAP_PEERS
                        && bootstrapPeers.stream().noneMatch(q -> q.id().equals(p.id()))) {
                    bootstrapPeers.add(p);
                }
            }
            List<CompletableFuture<KadMessage>> calls = new ArrayList<>();
            for (PeerInfo p : seeds) {
                if (!p.id().equals(self)) {
                    calls.add(call(p, KadMessage.request(KadMessage.Type.FIND_NODE, selfBytes)));
                }
            }
            return CompletableFuture.allOf(
                            calls.stream().map(f -> f.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                    .thenCompose(v -> lookup(selfBytes, new FindNodes(selfBytes)))
                    .thenApply(r -> table.size());
        });
    }

    /** The k peers closest to {@code key} (a peer id's bytes, a record key, a CID), by lookup. */
    public CompletableFuture<LookupResult> findClosestPeers(byte[] key) {
        byte[] k = key.clone();
        return async(() -> lookup(k, new FindNodes(k)));
    }

    /**
     * Finds {@code peer}: from our table if it is there (0 hops), else by lookup, ending as soon as
     * some peer names it. The result's peers are [that peer] or empty.
     */
    public CompletableFuture<LookupResult> findPeer(PeerId peer) {
        return async(() -> {
            Optional<PeerInfo> known = table.get(peer);
            if (known.isPresent()) {
                return CompletableFuture.completedFuture(
                        new LookupResult(List.of(withAddresses(known.get())), new LookupStats(0, 0, 0, 0, false)));
            }
            FindPeer strategy = new FindPeer(peer);
            return lookup(peer.bytes(), strategy)
                    .thenApply(r ->
                            new LookupResult(strategy.found == null ? List.of() : List.of(strategy.found), r.stats()));
        });
    }

    /**
     * Validates the record, stores it locally, and sends PUT_VALUE to the k closest peers to the key.
     * The value is put again every {@link KadConfig#recordRepublishInterval()} while the node runs.
     * Fails with {@link InvalidRecordException} for a record its namespace rejects.
     */
    public CompletableFuture<PutResult> putValue(byte[] key, byte[] value) {
        byte[] k = key.clone();
        byte[] v = value.clone();
        return async(() -> {
            validators.validate(k, v);
            if (v.length > config.maxRecordValueBytes()) {
                throw new InvalidRecordException(
                        "value of " + v.length + " bytes exceeds " + config.maxRecordValueBytes());
            }
            published.put(Bytes.of(k), v);
            return put(new DhtRecord(k, v));
        });
    }

    /**
     * Looks the key up, collecting records from the closest peers until {@link KadConfig#getQuorum()}
     * valid answers (the local store counts as one); the best is chosen by the namespace's selector
     * and sent to peers that answered with a worse one.
     */
    public CompletableFuture<ValueResult> getValue(byte[] key) {
        byte[] k = key.clone();
        return async(() -> {
            validators.requireNamespace(k);
            GetValue strategy = new GetValue(k);
            records.get(k, scheduler.nowMillis()).ifPresent(r -> strategy.offer(null, r));
            return lookup(k, strategy).thenApply(r -> {
                int corrected = strategy.correctOutdated();
                return new ValueResult(Optional.ofNullable(strategy.best), strategy.validAnswers, corrected, r.stats());
            });
        });
    }

    /**
     * Announces this node as a provider of {@code key} to the k closest peers (ADD_PROVIDER), and
     * again every {@link KadConfig#providerRepublishInterval()}. Completes with the number of peers
     * the announcement was sent to.
     */
    public CompletableFuture<Integer> provide(byte[] key) {
        byte[] k = key.clone();
        return async(() -> {
            checkKey(k);
            provided.add(Bytes.of(k));
            providers.add(k, new PeerInfo(self, network.listenAddresses()), scheduler.nowMillis());
            providerKeys = providers.keyCount();
            return announce(k);
        });
    }

    /** Up to {@code max} providers of {@code key}: local records first, then by lookup. */
    public CompletableFuture<List<PeerInfo>> findProviders(byte[] key, int max) {
        byte[] k = key.clone();
        return async(() -> {
            checkKey(k);
            GetProviders strategy = new GetProviders(max);
            for (PeerInfo p : providers.get(k, max, scheduler.nowMillis())) {
                strategy.add(p);
            }
            if (strategy.satisfied()) {
                return CompletableFuture.completedFuture(List.copyOf(strategy.found.values()));
            }
            return lookupProviders(k, strategy).thenApply(r -> List.copyOf(strategy.found.values()));
        });
    }

    /** One random-walk lookup now (a random key; seeds from the table, or the bootstrap peers). */
    public CompletableFuture<LookupResult> randomWalk() {
        return async(() -> {
            CompletableFuture<LookupResult> f = randomWalkNow();
            return f != null
                    ? f
                    : CompletableFuture.completedFuture(
                            new LookupResult(List.of(), new LookupStats(0, 0, 0, 0, false)));
        });
    }

    /** The routing table's peers, closest buckets first. */
    public CompletableFuture<List<PeerInfo>> routingTablePeers() {
        return async(() -> CompletableFuture.completedFuture(table.peers()));
    }

    /** Forgets every routing table entry (operators, and tests of recovery). */
    public CompletableFuture<Void> clearRoutingTable() {
        return async(() -> {
            table.clear();
            tableChanged();
            return CompletableFuture.completedFuture(null);
        });
    }

    /** A snapshot of the counters; safe from any thread. */
    public DhtStats stats() {
        return new DhtStats(
                tableSize,
                requestsSent.get(),
                requestFailures.get(),
                inboundRequests.get(),
                inboundRejected.get(),
                lookups.get(),
                randomWalks.get(),
                bucketRefreshes.get(),
                storedRecords,
                providerKeys);
    }

    /** Stops serving and the maintenance; lookups in progress end with what they have. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!config.clientMode()) {
            network.serve(null);
        }
        scheduler.execute(() -> {
            timers.forEach(DhtScheduler.Cancellable::cancel);
            timers.clear();
        });
        if (ownsScheduler) {
            scheduler.execute(scheduler::close);
        }
    }

    // ---------------------------------------------------------------- outbound requests

    /**
     * Sends one request with our timeout; the result future completes on the scheduler. An answer
     * of the right type puts the peer in the routing table (it proved it serves the DHT); a failure
     * counts against it.
     */
    private CompletableFuture<KadMessage> call(PeerInfo peer, KadMessage request) {
        CompletableFuture<KadMessage> out = new CompletableFuture<>();
        requestsSent.incrementAndGet();
        CompletableFuture<KadMessage> sent;
        try {
            sent = network.request(peer, request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        DhtScheduler.Cancellable timer = scheduler.schedule(
                () -> settle(
                        out,
                        peer,
                        request,
                        null,
                        new TimeoutException("no answer from " + peer.id() + " within " + config.requestTimeout())),
                config.requestTimeout());
        sent.whenComplete((response, error) -> scheduler.execute(() -> {
            timer.cancel();
            settle(out, peer, request, response, error);
        }));
        return out;
    }

    private void settle(
            CompletableFuture<KadMessage> out,
            PeerInfo peer,
            KadMessage request,
            KadMessage response,
            Throwable error) {
        if (out.isDone()) {
            return;
        }
        if (error == null && response.type() != request.type()) {
            error = new KadProtocolException("answer of type " + response.type() + " to a " + request.type());
        }
        if (error != null) {
            requestFailures.incrementAndGet();
            log.debug("request {} to {} failed: {}", request.type(), peer.id(), error.toString());
            if (table.peerFailed(peer.id())) {
                tableChanged();
            }
            out.completeExceptionally(error);
            return;
        }
        admit(peer);
        out.complete(response);
    }

    private void admit(PeerInfo peer) {
        RoutingTable.Admission a = table.peerResponded(peer, scheduler.nowMillis());
        if (a.inTable()) {
            tableChanged();
        }
        // A full bucket: check whether its least-recently-seen member is still alive.
        a.probe().ifPresent(member -> call(member, KadMessage.request(KadMessage.Type.FIND_NODE, selfBytes)));
    }

    private void tableChanged() {
        tableSize = table.size();
    }

    // ---------------------------------------------------------------- lookups

    /** What a particular lookup asks and does with the answers; the {@link Lookup} decides whom to ask. */
    private interface LookupStrategy {
        KadMessage request();

        /** Handles an answer from {@code from}; returns the (validated) closer peers it named. */
        List<PeerInfo> onResponse(PeerInfo from, KadMessage response, int depth);

        /** True once the lookup has what it needs before the normal stop rule. */
        default boolean satisfied() {
            return false;
        }

        /** The hop count to report when {@link #satisfied()} ended the lookup; -1 = the lookup's own. */
        default int satisfiedHops() {
            return -1;
        }
    }

    private CompletableFuture<LookupResult> lookup(byte[] key, LookupStrategy strategy) {
        lookups.incrementAndGet();
        KadKey target = KadKey.of(key);
        long now = scheduler.nowMillis();
        table.markActivity(target, now);
        List<PeerInfo> seeds = table.closest(target, config.k());
        if (seeds.isEmpty()) {
            seeds = bootstrapPeers;
        }
        LookupRun run = new LookupRun(
                new Lookup(target, self, config.k(), config.alpha(), seeds, now, config.lookupTimeout()), strategy);
        run.deadline = scheduler.schedule(
                () -> run.advance(Math.max(scheduler.nowMillis(), run.lookup.deadline())), config.lookupTimeout());
        run.advance(now);
        return run.result;
    }

    /** Carries out one {@link Lookup}: sends what it says to send and feeds it the answers. On the scheduler. */
    private final class LookupRun {
        final Lookup lookup;
        final LookupStrategy strategy;
        final CompletableFuture<LookupResult> result = new CompletableFuture<>();
        DhtScheduler.Cancellable deadline;

        LookupRun(Lookup lookup, LookupStrategy strategy) {
            this.lookup = lookup;
            this.strategy = strategy;
        }

        void advance(long now) {
            if (result.isDone()) {
                return;
            }
            if (strategy.satisfied()) {
                lookup.finish(now);
            }
            while (true) {
                Lookup.Next next = lookup.next(now);
                if (next instanceof Lookup.Contact c) {
                    ask(c.peer(), c.depth());
                    continue;
                }
                if (next instanceof Lookup.Finished) {
                    complete();
                }
                return;
            }
        }

        private void ask(PeerInfo peer, int depth) {
            call(peer, strategy.request()).whenComplete((response, error) -> {
                // call() completes on the scheduler
                if (result.isDone()) {
                    return;
                }
                if (error != null) {
                    lookup.onFailure(peer.id());
                } else {
                    List<PeerInfo> closer;
                    try {
                        closer = strategy.onResponse(peer, response, depth);
                    } catch (RuntimeException e) {
                        closer = List.of();
                    }
                    lookup.onSuccess(peer.id(), closer);
                }
                advance(scheduler.nowMillis());
            });
        }

        private void complete() {
            if (deadline != null) {
                deadline.cancel();
            }
            LookupResult r = lookup.result();
            if (strategy.satisfied() && strategy.satisfiedHops() >= 0) {
                LookupStats st = r.stats();
                r = new LookupResult(
                        r.peers(),
                        new LookupStats(
                                strategy.satisfiedHops(),
                                st.queries(),
                                st.failures(),
                                st.elapsedMillis(),
                                st.timedOut()));
            }
            result.complete(r);
        }
    }

    /** Valid, distinct peers from a response, at most k of them, closest to {@code target} first. */
    private List<PeerInfo> peersFrom(List<KadMessage.WirePeer> wire, KadKey target) {
        List<PeerInfo> out = new ArrayList<>(wire.size());
        Set<PeerId> seen = new HashSet<>();
        for (KadMessage.WirePeer w : wire) {
            PeerInfo p = toPeerInfo(w, Integer.MAX_VALUE);
            if (p != null && !p.id().equals(self) && seen.add(p.id())) {
                out.add(p);
            }
        }
        if (out.size() > config.k()) {
            out.sort((a, b) -> target.compareDistance(KadKey.of(a.id().bytes()), KadKey.of(b.id().bytes())));
            return out.subList(0, config.k());
        }
        return out;
    }

    /**
     * A wire peer as a {@link PeerInfo}, dropping unparsable addresses; null if the id is invalid.
     * Addresses are kept without a trailing {@code /p2p/<id>}, as we send them: js-libp2p's
     * ADD_PROVIDER names the provider's addresses with it. One whose trailing /p2p names another
     * peer cannot reach this one and is dropped.
     */
    static PeerInfo toPeerInfo(KadMessage.WirePeer w, int maxAddrs) {
        PeerId id;
        try {
            id = PeerIds.parse(w.idUnsafe());
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<Multiaddr> addrs = new ArrayList<>();
        for (byte[] a : w.addrsUnsafe()) {
            if (addrs.size() >= maxAddrs) {
                break;
            }
            Multiaddr addr;
            try {
                addr = Multiaddr.fromBytes(a);
            } catch (IllegalArgumentException e) {
                continue; // an address we cannot parse is useless to us; the peer may still be reachable
            }
            Multiaddr bare = addr.withoutPeerId();
            boolean reachesThisPeer = bare.equals(addr) || addr.equals(bare.withPeerId(id));
            if (reachesThisPeer && !addrs.contains(bare)) {
                addrs.add(bare);
            }
        }
        return new PeerInfo(id, addrs);
    }

    static KadMessage.WirePeer toWire(PeerInfo p) {
        List<byte[]> addrs = new ArrayList<>(p.addrs().size());
        for (Multiaddr a : p.addrs()) {
            addrs.add(a.bytes());
        }
        return new KadMessage.WirePeer(p.id().bytes(), addrs, KadMessage.Connection.NOT_CONNECTED);
    }

    private final class FindNodes implements LookupStrategy {
        private final KadKey target;
        private final KadMessage request;

        FindNodes(byte[] key) {
            this.target = KadKey.of(key);
            this.request = KadMessage.request(KadMessage.Type.FIND_NODE, key);
        }

        @Override
        public KadMessage request() {
            return request;
        }

        @Override
        public List<PeerInfo> onResponse(PeerInfo from, KadMessage response, int depth) {
            return peersFrom(response.closerPeers(), target);
        }
    }

    private final class FindPeer implements LookupStrategy {
        private final PeerId target;
        private final KadKey targetKey;
        private final KadMessage request;
        PeerInfo found;
        int foundAtDepth = -1;

        FindPeer(PeerId target) {
            this.target = target;
            this.targetKey = KadKey.of(target.bytes());
            this.request = KadMessage.request(KadMessage.Type.FIND_NODE, target.bytes());
        }

        @Override
        public KadMessage request() {
            return request;
        }

        @Override
        public List<PeerInfo> onResponse(PeerInfo from, KadMessage response, int depth) {
            if (from.id().equals(target) && found == null) {
                found = from;
                foundAtDepth = depth - 1;
            }
            List<PeerInfo> closer = peersFrom(response.closerPeers(), targetKey);
            for (PeerInfo p : closer) {
                if (p.id().equals(target) && found == null) {
                    found = p;
                    foundAtDepth = depth;
                }
            }
            return closer;
        }

        @Override
        public boolean satisfied() {
            return found != null;
        }

        @Override
        public int satisfiedHops() {
            return foundAtDepth;
        }
    }

    private final class GetValue implements LookupStrategy {
        private final byte[] key;
        private final KadKey target;
        private final KadMessage request;
        DhtRecord best;
        int validAnswers;
        private final List<PeerInfo> withBest = new ArrayList<>();
        private final List<PeerInfo> outdated = new ArrayList<>();

        GetValue(byte[] key) {
            this.key = key;
            this.target = KadKey.of(key);
            this.request = KadMessage.request(KadMessage.Type.GET_VALUE, key);
        }

        @Override
        public KadMessage request() {
            return request;
        }

        @Override
        public List<PeerInfo> onResponse(PeerInfo from, KadMessage response, int depth) {
            if (response.record() != null) {
                offer(from, response.record());
            }
            return peersFrom(response.closerPeers(), target);
        }

        /** Considers a record from {@code from} (null = the local store). */
        void offer(PeerInfo from, DhtRecord r) {
            if (!Arrays.equals(r.keyUnsafe(), key)) {
                return; // an answer for another key is no answer
            }
            try {
                validators.validate(key, r.valueUnsafe());
            } catch (InvalidRecordException e) {
                log.debug(
                        "invalid record for {} from {}: {}",
                        KadMessage.printable(key),
                        from == null ? "local store" : from.id(),
                        e.getMessage());
                return;
            }
            validAnswers++;
            if (best == null) {
                best = r;
                addTo(withBest, from);
                return;
            }
            if (Arrays.equals(best.valueUnsafe(), r.valueUnsafe())) {
                addTo(withBest, from);
                return;
            }
            int choice = validators.select(key, List.of(best.valueUnsafe(), r.valueUnsafe()));
            if (choice == 1) {
                outdated.addAll(withBest);
                withBest.clear();
                best = r;
                addTo(withBest, from);
            } else {
                addTo(outdated, from);
            }
        }

        private void addTo(List<PeerInfo> list, PeerInfo p) {
            if (p != null) {
                list.add(p);
            }
        }

        @Override
        public boolean satisfied() {
            return validAnswers >= config.getQuorum();
        }

        /** Sends the best record to peers that answered with a worse one; returns how many. */
        int correctOutdated() {
            if (best == null) {
                return 0;
            }
            DhtRecord clean = new DhtRecord(best.keyUnsafe(), best.valueUnsafe());
            for (PeerInfo p : outdated) {
                call(p, new KadMessage(KadMessage.Type.PUT_VALUE, key, clean, List.of(), List.of(), 0));
            }
            if (records.get(key, scheduler.nowMillis())
                    .map(r -> !Arrays.equals(r.valueUnsafe(), clean.valueUnsafe()))
                    .orElse(false)) {
                records.put(clean, scheduler.nowMillis());
            }
            return outdated.size();
        }
    }

    private final class GetProviders implements LookupStrategy {
        final LinkedHashMap<PeerId, PeerInfo> found = new LinkedHashMap<>();
        private final int max;
        private KadKey target;
        private KadMessage request;

        GetProviders(int max) {
            this.max = max;
        }

        void add(PeerInfo p) {
            if (found.size() < max) {
                found.putIfAbsent(p.id(), p);
            }
        }

        @Override
        public KadMessage request() {
            return request;
        }

        @Override
        public List<PeerInfo> onResponse(PeerInfo from, KadMessage response, int depth) {
            for (KadMessage.WirePeer w : response.providerPeers()) {
                PeerInfo p = toPeerInfo(w, config.maxProviderAddrs());
                if (p != null) {
                    add(p);
                }
            }
            return peersFrom(response.closerPeers(), target);
        }

        @Override
        public boolean satisfied() {
            return found.size() >= max;
        }
    }

    private CompletableFuture<LookupResult> lookupProviders(byte[] key, GetProviders s) {
        s.target = KadKey.of(key);
        s.request = KadMessage.request(KadMessage.Type.GET_PROVIDERS, key);
        return lookup(key, s);
    }

    private CompletableFuture<PutResult> put(DhtRecord record) {
        byte[] key = record.keyUnsafe();
        records.put(record, scheduler.nowMillis());
        storedRecords = records.size();
        return lookup(key, new FindNodes(key)).thenCompose(r -> {
            List<CompletableFuture<Boolean>> acks = new ArrayList<>();
            KadMessage msg = new KadMessage(KadMessage.Type.PUT_VALUE, key, record, List.of(), List.of(), 0);
            for (PeerInfo p : r.peers()) {
                acks.add(call(p, msg)
                        .handle((resp, e) -> e == null
                                && resp.record() != null
                                && Arrays.equals(resp.record().valueUnsafe(), record.valueUnsafe())));
            }
            return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .thenApply(v -> new PutResult(
                            (int) acks.stream().filter(CompletableFuture::join).count(), acks.size(), r.stats()));
        });
    }

    private CompletableFuture<Integer> announce(byte[] key) {
        return lookup(key, new FindNodes(key)).thenApply(r -> {
            KadMessage msg = new KadMessage(
                    KadMessage.Type.ADD_PROVIDER,
                    key,
                    null,
                    List.of(),
                    List.of(toWire(new PeerInfo(self, network.listenAddresses()))),
                    0);
            for (PeerInfo p : r.peers()) {
                requestsSent.incrementAndGet();
                try {
                    network.send(p, msg).whenComplete((v, e) -> {
                        if (e != null) {
                            requestFailures.incrementAndGet();
                        }
                    });
                } catch (RuntimeException e) {
                    requestFailures.incrementAndGet();
                }
            }
            return r.peers().size();
        });
    }

    private void checkKey(byte[] key) {
        if (key.length == 0 || key.length > config.codecLimits().maxKeyBytes()) {
            throw new IllegalArgumentException(
                    "DHT keys are 1 to " + config.codecLimits().maxKeyBytes() + " bytes");
        }
    }

    // ---------------------------------------------------------------- maintenance

    /** Starts a random walk unless one is running; null if none started. Runs on the scheduler. */
    private CompletableFuture<LookupResult> randomWalkNow() {
        if (walking || closed) {
            return null;
        }
        walking = true;
        lastWalkAt = scheduler.nowMillis();
        randomWalks.incrementAndGet();
        // a random sha2-256 multihash: shaped like a peer id, as other implementations send
        byte[] key = new byte[34];
        random.nextBytes(key);
        key[0] = 0x12;
        key[1] = 0x20;
        CompletableFuture<LookupResult> f = lookup(key, new FindNodes(key));
        f.whenComplete((r, e) -> walking = false);
        return f;
    }

    /** Aims one lookup at each bucket nobody explored for refreshInterval, one after another. */
    private void refreshStaleBuckets() {
        List<Integer> due = table.bucketsDueForRefresh(
                scheduler.nowMillis(), config.refreshInterval().toMillis());
        CompletableFuture<?> chain = lookup(selfBytes, new FindNodes(selfBytes));
        for (int cpl : due) {
            chain = chain.handle((r, e) -> null).thenCompose(v -> {
                if (closed) {
                    return CompletableFuture.completedFuture(null);
                }
                bucketRefreshes.incrementAndGet();
                byte[] key = table.selfKey().randomPreimageWithPrefix(cpl, random);
                return lookup(key, new FindNodes(key));
            });
        }
    }

    private void republishRecords() {
        for (Map.Entry<Bytes, byte[]> e : published.entrySet()) {
            put(new DhtRecord(e.getKey().value(), e.getValue()));
        }
    }

    private void republishProviders() {
        long now = scheduler.nowMillis();
        for (Bytes k : provided) {
            providers.add(k.value(), new PeerInfo(self, network.listenAddresses()), now);
            announce(k.value());
        }
    }

    private void purgeExpired() {
        long now = scheduler.nowMillis();
        records.purgeExpired(now);
        providers.purgeExpired(now);
        storedRecords = records.size();
        providerKeys = providers.keyCount();
    }

    /** Runs {@code task} every {@code period} (first after a random fraction of it, so nodes drift apart). */
    private void every(Duration period, Runnable task) {
        if (period.isZero()) {
            return;
        }
        long first = (long) (period.toMillis() * (0.5 + 0.5 * random.nextDouble()));
        scheduleRepeating(Duration.ofMillis(Math.max(1, first)), period, task);
    }

    private void scheduleRepeating(Duration delay, Duration period, Runnable task) {
        if (closed) {
            return;
        }
        DhtScheduler.Cancellable[] self = new DhtScheduler.Cancellable[1];
        self[0] = scheduler.schedule(
                () -> {
                    timers.remove(self[0]);
                    if (closed) {
                        return;
                    }
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("DHT maintenance task failed", e);
                    }
                    scheduleRepeating(period, period, task);
                },
                delay);
        timers.add(self[0]);
    }

    // ---------------------------------------------------------------- inbound

    /** Entry point for the network: bounded queue, then handled on the scheduler. */
    private CompletableFuture<Optional<KadMessage>> handleInbound(PeerInfo from, KadMessage request) {
        inboundRequests.incrementAndGet();
        if (closed) {
            inboundRejected.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("DHT node closed"));
        }
        if (queuedInbound.incrementAndGet() > MAX_QUEUED_INBOUND) {
            queuedInbound.decrementAndGet();
            inboundRejected.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("DHT inbound queue full"));
        }
        CompletableFuture<Optional<KadMessage>> out = new CompletableFuture<>();
        scheduler.execute(() -> {
            queuedInbound.decrementAndGet();
            try {
                out.complete(answer(from, request));
            } catch (RuntimeException e) {
                inboundRejected.incrementAndGet();
                log.debug("rejected {} from {}: {}", request.type(), from.id(), e.getMessage());
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private Optional<KadMessage> answer(PeerInfo from, KadMessage req) {
        long now = scheduler.nowMillis();
        if (!limiter.tryAcquire(from.id(), now)) {
            throw new IllegalStateException(
                    "peer " + from.id() + " exceeds " + config.inboundRatePerPeer() + " requests/s");
        }
        verifyLater(from);
        byte[] key = req.keyUnsafe();
        return switch (req.type()) {
            case PING -> Optional.of(KadMessage.request(KadMessage.Type.PING, new byte[0]));
            case FIND_NODE -> {
                List<KadMessage.WirePeer> closer = Arrays.equals(key, selfBytes)
                        ? List.of(toWire(new PeerInfo(self, network.listenAddresses())))
                        : closerPeers(key, from.id());
                yield Optional.of(new KadMessage(KadMessage.Type.FIND_NODE, key, null, closer, List.of(), 0));
            }
            case GET_VALUE -> {
                requireKey(key);
                DhtRecord r = records.get(key, now).orElse(null);
                yield Optional.of(
                        new KadMessage(KadMessage.Type.GET_VALUE, key, r, closerPeers(key, from.id()), List.of(), 0));
            }
            case PUT_VALUE -> {
                requireKey(key);
                DhtRecord r = req.record();
                if (r == null || !Arrays.equals(r.keyUnsafe(), key)) {
                    throw new InvalidRecordException("PUT_VALUE without a record for its key");
                }
                validators.validate(key, r.valueUnsafe());
                RecordStore.PutOutcome outcome = records.put(new DhtRecord(key, r.valueUnsafe()), now);
                storedRecords = records.size();
                if (outcome != RecordStore.PutOutcome.STORED) {
                    // like go-libp2p: a PUT older than what we hold (by the selector) is an error
                    throw new IllegalStateException("record not stored: " + outcome);
                }
                yield Optional.of(req); // go and js echo the request
            }
            case ADD_PROVIDER -> {
                requireKey(key);
                // only the sender may announce itself (libp2p/specs: providerPeers matching the sender)
                for (KadMessage.WirePeer w : req.providerPeers()) {
                    PeerInfo p = toPeerInfo(w, config.maxProviderAddrs());
                    if (p != null && p.id().equals(from.id())) {
                        PeerInfo stored = p.addrs().isEmpty() ? new PeerInfo(p.id(), limit(from.addrs())) : p;
                        providers.add(key, stored, now);
                        providerKeys = providers.keyCount();
                        break;
                    }
                }
                yield Optional.empty();
            }
            case GET_PROVIDERS -> {
                requireKey(key);
                List<KadMessage.WirePeer> found = new ArrayList<>();
                for (PeerInfo p : providers.get(key, DEFAULT_PROVIDERS, now)) {
                    found.add(toWire(p));
                }
                yield Optional.of(new KadMessage(
                        KadMessage.Type.GET_PROVIDERS, key, null, closerPeers(key, from.id()), found, 0));
            }
        };
    }

    private List<Multiaddr> limit(List<Multiaddr> addrs) {
        return addrs.size() > config.maxProviderAddrs() ? addrs.subList(0, config.maxProviderAddrs()) : addrs;
    }

    private void requireKey(byte[] key) {
        if (key.length == 0) {
            throw new KadProtocolException("request without a key");
        }
    }

    /**
     * A peer that entered the table from an inbound request may have had no known addresses yet
     * (identify still running): ask the transport again when we hand it out.
     */
    private PeerInfo withAddresses(PeerInfo p) {
        if (!p.addrs().isEmpty()) {
            return p;
        }
        List<Multiaddr> known = network.knownAddresses(p.id());
        int max = config.codecLimits().maxAddrsPerPeer();
        return known.isEmpty() ? p : new PeerInfo(p.id(), known.size() > max ? known.subList(0, max) : known);
    }

    private List<KadMessage.WirePeer> closerPeers(byte[] key, PeerId requester) {
        List<KadMessage.WirePeer> out = new ArrayList<>(config.k());
        for (PeerInfo p : table.closest(KadKey.of(key), config.k() + 1)) {
            if (!p.id().equals(requester) && out.size() < config.k()) {
                out.add(toWire(withAddresses(p)));
            }
        }
        return out;
    }

    /**
     * A peer that queried us may be a DHT server worth a table slot; it enters only after it
     * answers a request of ours (client-mode peers never will). Bounded and backed off.
     */
    private void verifyLater(PeerInfo from) {
        if (table.contains(from.id())
                || verifying.contains(from.id())
                || verifying.size() >= config.maxPendingVerifications()) {
            return;
        }
        Long failedAt = verifyFailedAt.get(from.id());
        long now = scheduler.nowMillis();
        if (failedAt != null && now - failedAt < VERIFY_BACKOFF_MILLIS) {
            return;
        }
        verifying.add(from.id());
        call(from, KadMessage.request(KadMessage.Type.FIND_NODE, selfBytes)).whenComplete((r, e) -> {
            verifying.remove(from.id());
            if (e != null) {
                verifyFailedAt.put(from.id(), scheduler.nowMillis());
            } else {
                verifyFailedAt.remove(from.id());
            }
        });
    }

    // ---------------------------------------------------------------- plumbing

    /** Runs {@code body} on the scheduler; the result completes there too. */
    private <T> CompletableFuture<T> async(Supplier<CompletableFuture<T>> body) {
        CompletableFuture<T> out = new CompletableFuture<>();
        if (closed) {
            out.completeExceptionally(new IllegalStateException("DHT node closed"));
            return out;
        }
        scheduler.execute(() -> {
            try {
                body.get().whenComplete((v, e) -> {
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /** Rate-limit entries held (tests of bounded memory; call on the scheduler's thread). */
    int trackedInboundPeers() {
        return limiter.tracked();
    }

    /** Inbound peers being verified now (same caveat). */
    int pendingVerifications() {
        return verifying.size();
    }

    private static String shortId(PeerId id) {
        String s = id.toBase58();
        return s.length() > 8 ? s.substring(s.length() - 8) : s;
    }

    @Override
    public String toString() {
        return "KadDht[" + self + (config.clientMode() ? ", client" : ", server") + ", " + tableSize + " peers]";
    }

    /** Builds a {@link KadDht}. */
    public static final class Builder {
        private final PeerId self;
        private final DhtNetwork network;
        private KadConfig config = KadConfig.defaults();
        private DhtScheduler scheduler;
        private Validators validators = Validators.defaults();
        private RandomGenerator random;

        private Builder(PeerId self, DhtNetwork network) {
            this.self = Objects.requireNonNull(self, "self");
            this.network = Objects.requireNonNull(network, "network");
        }

        public Builder config(KadConfig c) {
            config = Objects.requireNonNull(c);
            return this;
        }

        /** The scheduler to run on; by default the node owns a single-thread one. */
        public Builder scheduler(DhtScheduler s) {
            scheduler = s;
            return this;
        }

        public Builder validators(Validators v) {
            validators = Objects.requireNonNull(v);
            return this;
        }

        /** Randomness for walk keys and timer jitter; seeded in simulations. Default SecureRandom. */
        public Builder random(RandomGenerator r) {
            random = r;
            return this;
        }

        public KadDht build() {
            return new KadDht(this);
        }
    }
}
