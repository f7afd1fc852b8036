package dev.hyperj.subnet.peers;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.ConnectionListener;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.kad.KadDht;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.consensus.Heartbeat;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.pos.ProofOfStakeGate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a subnet node connected to the subnet the chain describes (SUBNET.md, "Connection
 * maintenance"). Every {@link MaintenanceConfig#interval() interval} a tick:
 * <ol>
 * <li>reads the subnet's on-chain peer set (the epoch tracker's snapshot if it is of a recent
 *     enough block, else fresh through the chain client) and brings the proof-of-stake gate's cache
 *     in line with it, so a peer removed on chain is refused on its next dial;</li>
 * <li>disconnects connected peers not in that set (configured bootstrap peers excepted) and peers
 *     whose gossip score is below the graylist threshold (these also enter dial backoff);</li>
 * <li>when the heartbeat topic's mesh is below D_lo, dials up to D on-chain peers missing from it
 *     (GossipSub has no way to graft a given peer: connected, its heartbeat grafts them), and,
 *     below {@link MaintenanceConfig#lowWater() low water}, every dialable on-chain or bootstrap
 *     peer not connected, up to the {@link MaintenanceConfig#target() target}; each dial tries the
 *     configured, on-chain and peer-store addresses (else a DHT lookup), each within the dial
 *     timeout. Peers whose dials failed wait out an exponential {@link DialBackoff backoff},
 *     forgotten once a connection to them has lasted the base wait; graylisted peers are not
 *     redialled while gossipsub remembers their score.</li>
 * </ol>
 * When a lost connection leaves fewer than {@link MaintenanceConfig#floor() floor} peers, a tick
 * runs at once (at most one per {@link MaintenanceConfig#minTickGap() minTickGap}). A peer that we
 * dialled and that drops within the backoff base counts as a failed dial, so a peer that accepts and
 * then hangs up cannot be redialled in a loop.
 *
 * <p>What to drop and whom to dial is decided by {@link ConnectionPlan} from a snapshot of the
 * connections, the chain's peers, gossipsub's scores and mesh and the backoff; the maintainer
 * gathers that snapshot and carries the plan out (disconnects, dials, backoff bookkeeping).
 *
 * <p>Ticks run one at a time on the maintainer's own thread (chain reads block). Counters are
 * readable at any time through {@link #stats()}; {@link #onDial} and {@link #onTick} report each
 * dial and each tick.
 */
public final class ConnectionMaintainer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionMaintainer.class);
    /** Addresses tried per dial (one dial timeout each). */
    private static final int MAX_ADDRESSES_PER_DIAL = 4;

    private static final Duration GOSSIP_QUERY_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Counters since start, and two gauges.
     *
     * @param ticks       ticks run
     * @param dialled     dials started (one per peer per tick)
     * @param failed      dials that ended without a connection (or whose connection dropped at once)
     * @param pruned      peers disconnected because the chain does not list them
     * @param lowScore    peers disconnected because their gossip score fell below the graylist threshold
     * @param backoff     dials skipped because the peer was waiting out its backoff
     * @param chainErrors ticks whose chain read failed (they prune nothing)
     * @param connected   peers connected now
     * @param onChain     peers in the last on-chain set read
     */
    public record Stats(
            long ticks,
            long dialled,
            long failed,
            long pruned,
            long lowScore,
            long backoff,
            long chainErrors,
            int connected,
            int onChain) {}

    /**
     * One dial of one peer.
     *
     * @param peer      the peer
     * @param at        when the dial ended
     * @param connected whether it connected
     * @param failures  failures in a row so far (0 after a success)
     * @param retryIn   how long the peer now waits before its next dial (zero after a success)
     * @param error     why it failed, empty on success
     */
    public record DialAttempt(
            PeerId peer, Instant at, boolean connected, int failures, Duration retryIn, String error) {}

    private final Host host;
    private final ChainClient chain;
    private final int subnetId;
    private final MaintenanceConfig config;
    private final GossipSub gossip;
    private final KadDht dht;
    private final EpochTracker tracker;
    private final ProofOfStakeGate gate;
    private final Map<PeerId, Multiaddr> bootstrap;
    private final String meshTopic;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final DialBackoff backoff;
    private final ScheduledExecutorService scheduler;
    private final ConnectionListener connectionListener;
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private final Map<PeerId, Instant> dialledAt = new ConcurrentHashMap<>();
    private final List<Consumer<DialAttempt>> dialListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Stats>> tickListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong dialled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong pruned = new AtomicLong();
    private final AtomicLong lowScore = new AtomicLong();
    private final AtomicLong backoffSkips = new AtomicLong();
    private final AtomicLong chainErrors = new AtomicLong();
    private volatile OnChainPeers lastView = OnChainPeers.empty();
    private volatile Instant lastTickStart;
    private volatile boolean closed;

    private ConnectionMaintainer(Builder b) {
        this.host = b.host;
        this.chain = b.chain;
        this.subnetId = b.subnetId;
        this.config = b.config;
        this.gossip = b.gossip;
        this.dht = b.dht;
        this.tracker = b.tracker;
        this.gate = b.gate;
        this.bootstrap = Collections.unmodifiableMap(new LinkedHashMap<>(b.bootstrap));
        this.meshTopic = b.meshTopic;
        this.clock = b.clock;
        this.random = b.random;
        this.lastTickStart = clock.instant();
        this.backoff = new DialBackoff(config.backoffBase(), config.backoffMax(), config.jitter(), random);
        String name = "connection-maintainer-"
                + host.peerId()
                        .toBase58()
                        .substring(0, Math.min(12, host.peerId().toBase58().length()));
        // a virtual thread: a tick blocks on dials, and hundreds of nodes in one process need not
        // hold hundreds of platform threads for that
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name(name).factory());
        this.connectionListener = new ConnectionListener() {
            @Override
            public void disconnected(Connection c) {
                onDisconnected(c.remotePeer());
            }
        };
    }

    /** Configures a maintainer for {@code host}, a node of {@code subnetId} on {@code chain}. */
    public static Builder builder(Host host, ChainClient chain, int subnetId) {
        return new Builder(host, chain, subnetId);
    }

    private ConnectionMaintainer begin() {
        host.connections().addListener(connectionListener);
        scheduler.scheduleWithFixedDelay(
                () -> runTick("interval"), 0, config.interval().toNanos(), TimeUnit.NANOSECONDS);
        log.debug("maintaining connections of {} in subnet {}: {}", host.peerId(), subnetId, config);
        return this;
    }

    /** Counters since start; see {@link Stats}. */
    public Stats stats() {
        return new Stats(
                ticks.get(),
                dialled.get(),
                failed.get(),
                pruned.get(),
                lowScore.get(),
                backoffSkips.get(),
                chainErrors.get(),
                host.connections().connectedPeers().size(),
                lastView.all().size());
    }

    public MaintenanceConfig config() {
        return config;
    }

    /** Runs a tick now (after any under way); completes with the stats after it. */
    public CompletableFuture<Stats> tickNow() {
        CompletableFuture<Stats> f = new CompletableFuture<>();
        try {
            scheduler.execute(() -> {
                runTick("requested");
                f.complete(stats());
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("connection maintainer closed"));
        }
        return f;
    }

    /** Calls {@code listener} after every dial (on the thread that completed it) until the handle is closed. */
    public AutoCloseable onDial(Consumer<DialAttempt> listener) {
        dialListeners.add(Objects.requireNonNull(listener));
        return () -> dialListeners.remove(listener);
    }

    /** Calls {@code listener} with the stats after every tick (on the maintainer's thread) until the handle is closed. */
    public AutoCloseable onTick(Consumer<Stats> listener) {
        tickListeners.add(Objects.requireNonNull(listener));
        return () -> tickListeners.remove(listener);
    }

    // ------------------------------------------------------------------ triggers

    private void onDisconnected(PeerId peer) {
        if (closed) return;
        Instant since = host.connections().isConnected(peer) ? null : dialledAt.remove(peer);
        if (since != null) {
            Instant now = clock.instant();
            if (Duration.between(since, now).compareTo(config.backoffBase()) < 0) {
                // accepted, then dropped at once: treat as a failed dial so it is not redialled in a loop
                failed.incrementAndGet();
                DialBackoff.Entry e = backoff.failed(peer, now);
                emit(new DialAttempt(
                        peer, now, false, e.failures(), e.delay(), "connection dropped right after the dial"));
            }
        }
        if (host.connections().connectedPeers().size() < config.floor()) requestTick(Duration.ZERO);
    }

    /** A tick after {@code delay}, or later if the minimum gap requires; requests while one is queued are merged. */
    private void requestTick(Duration delay) {
        if (closed || !tickQueued.compareAndSet(false, true)) return;
        long wait = Math.max(
                delay.toNanos(),
                Duration.between(clock.instant(), lastTickStart.plus(config.minTickGap()))
                        .toNanos());
        try {
            scheduler.schedule(
                    () -> {
                        tickQueued.set(false);
                        runTick("below floor");
                    },
                    wait,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            tickQueued.set(false);
        }
    }

    // ------------------------------------------------------------------ the tick

    private void runTick(String why) {
        if (closed) return;
        try {
            tick(why);
        } catch (RuntimeException e) {
            if (closed) return; // interrupted by close
            log.warn("connection maintenance tick failed: {}", e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Stats s = stats();
        for (Consumer<Stats> l : tickListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                log.warn("tick listener failed: {}", e.toString(), e);
            }
        }
    }

    private void tick(String why) throws InterruptedException {
        Instant now = clock.instant();
        lastTickStart = now;
        ticks.incrementAndGet();
        OnChainPeers view;
        boolean fresh;
        try {
            view = readChain();
            fresh = true;
            lastView = view;
        } catch (RuntimeException e) {
            chainErrors.incrementAndGet();
            view = lastView;
            fresh = false;
            log.info("connection maintenance: chain read failed ({}); pruning nothing this tick", e.toString());
        }
        if (fresh && gate != null) gate.retainOnly(view.all());
        Set<PeerId> keep = new HashSet<>(view.all());
        keep.addAll(bootstrap.keySet());
        backoff.retainOnly(keep);

        List<ConnectionPlan.Connected> connected = new ArrayList<>();
        for (PeerId p : host.connections().connectedPeers())
            connected.add(new ConnectionPlan.Connected(p, Optional.ofNullable(dialledAt.get(p))));
        Set<PeerId> candidates = new HashSet<>(view.dialable());
        candidates.addAll(bootstrap.keySet());
        Map<PeerId, Instant> retryAt = new HashMap<>();
        for (PeerId p : candidates) backoff.entry(p).ifPresent(e -> retryAt.put(p, e.retryAt()));
        ConnectionPlan.Snapshot snapshot = new ConnectionPlan.Snapshot(
                now,
                host.peerId(),
                connected,
                view,
                fresh,
                bootstrap.keySet(),
                gossipView(candidates),
                retryAt,
                config);
        ConnectionPlan.Plan plan = ConnectionPlan.plan(snapshot, random);

        for (PeerId p : plan.lasted()) {
            // a connection that lasted the base wait (or that the peer made) proves the peer reachable
            dialledAt.remove(p);
            backoff.succeeded(p);
        }
        for (ConnectionPlan.Drop d : plan.drops()) {
            disconnect(d.peer(), d.reason());
            if (d.reason() == ConnectionPlan.DropReason.LOW_SCORE) backoff.failed(d.peer(), now);
        }
        long prunedNow = plan.dropped(ConnectionPlan.DropReason.OFF_CHAIN);
        long lowNow = plan.dropped(ConnectionPlan.DropReason.LOW_SCORE);
        pruned.addAndGet(prunedNow);
        lowScore.addAndGet(lowNow);
        long skipped = plan.skipped(ConnectionPlan.SkipReason.BACKOFF);
        backoffSkips.addAndGet(skipped);

        List<CompletableFuture<Boolean>> dials = new ArrayList<>();
        for (ConnectionPlan.Dial d : plan.dials()) dials.add(dial(d.peer(), addressesOf(d.peer(), view)));
        int ok = 0;
        if (!dials.isEmpty()) {
            try {
                CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
                        .get(
                                config.dialTimeout().toMillis() * (MAX_ADDRESSES_PER_DIAL + 1) + 1000,
                                TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log.debug("dials of this tick still under way: {}", e.toString());
            }
            for (CompletableFuture<Boolean> d : dials) if (d.isDone() && Boolean.TRUE.equals(d.getNow(false))) ok++;
        }
        int after = host.connections().connectedPeers().size();
        if (after < config.floor()) {
            // below the floor: keep trying at the pace of the backoff, not of the interval, both for
            // peers this tick skipped and for those whose dial just failed (a restarted node whose
            // first dial of its bootnode fails must not wait a whole interval for the next)
            Optional<Instant> firstRetry = plan.firstRetry();
            for (ConnectionPlan.Dial d : plan.dials()) {
                if (host.connections().isConnected(d.peer())) continue;
                Optional<Instant> at = backoff.entry(d.peer()).map(DialBackoff.Entry::retryAt);
                if (at.isPresent() && (firstRetry.isEmpty() || at.get().isBefore(firstRetry.get()))) firstRetry = at;
            }
            firstRetry.ifPresent(t -> requestTick(Duration.between(clock.instant(), t)));
        }
        if (log.isDebugEnabled()) {
            log.debug(
                    "tick ({}): {} on chain{} at #{}, connected {} -> {}, pruned {}, low score {}, mesh missing {}, dialled {} ({} ok), in backoff {}",
                    why,
                    view.all().size(),
                    fresh ? "" : " (stale)",
                    view.block(),
                    connected.size(),
                    after,
                    prunedNow,
                    lowNow,
                    plan.meshMissing(),
                    dials.size(),
                    ok,
                    skipped);
        }
    }

    private OnChainPeers readChain() {
        if (tracker != null) {
            Optional<EpochEvent> ev = tracker.current();
            if (ev.isPresent() && ev.get().snapshot().block() >= chain.blockNumber() - config.snapshotMaxAgeBlocks()) {
                return OnChainPeers.of(ev.get().snapshot());
            }
        }
        return OnChainPeers.read(chain, subnetId);
    }

    /**
     * Gossip scores of the peers gossipsub knows and of {@code alsoAsk} (gossipsub keeps a negative
     * score for a while after a peer leaves, so we do not redial into it), which of {@code alsoAsk}
     * it blacklists, and the mesh of the maintained topic; empty without gossipsub or an answer.
     */
    private Optional<ConnectionPlan.GossipView> gossipView(Set<PeerId> alsoAsk) throws InterruptedException {
        if (gossip == null) return Optional.empty();
        Set<PeerId> blacklisted = new HashSet<>();
        for (PeerId p : alsoAsk) if (gossip.isBlacklisted(p)) blacklisted.add(p);
        try {
            return Optional.of(gossip.call(r -> {
                        Set<PeerId> asked = new HashSet<>(r.peers());
                        asked.addAll(alsoAsk);
                        Map<PeerId, Double> scores = new HashMap<>();
                        for (PeerId p : asked) scores.put(p, r.peerScore(p));
                        return new ConnectionPlan.GossipView(
                                scores,
                                r.thresholds().graylistThreshold(),
                                blacklisted,
                                r.meshPeers(meshTopic),
                                r.config().dLo(),
                                r.config().d());
                    })
                    .get(GOSSIP_QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            log.debug("gossip scores not read this tick: {}", e.toString());
            return Optional.empty();
        }
    }

    private void disconnect(PeerId p, ConnectionPlan.DropReason why) {
        dialledAt.remove(p);
        log.debug("disconnecting {}: {}", p, why);
        for (Connection c : host.connections().connections(p)) c.close();
    }

    /** Configured address first, then the chain's, then the peer store's; each with /p2p/<peer>. */
    private List<Multiaddr> addressesOf(PeerId p, OnChainPeers view) {
        Set<Multiaddr> out = new LinkedHashSet<>();
        Multiaddr configured = bootstrap.get(p);
        if (configured != null) out.add(configured);
        out.addAll(view.addresses().getOrDefault(p, List.of()));
        for (Multiaddr a : host.peerStore().addresses(p))
            out.add(a.withoutPeerId().withPeerId(p));
        return out.stream().limit(MAX_ADDRESSES_PER_DIAL).toList();
    }

    private CompletableFuture<Boolean> dial(PeerId p, List<Multiaddr> addresses) {
        dialled.incrementAndGet();
        CompletableFuture<List<Multiaddr>> where;
        if (!addresses.isEmpty()) {
            where = CompletableFuture.completedFuture(addresses);
        } else if (dht != null) {
            where = dht.findPeer(p)
                    .orTimeout(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(r -> r.peers().stream()
                            .filter(i -> i.id().equals(p))
                            .flatMap(i -> i.addrs().stream())
                            .map(a -> a.withoutPeerId().withPeerId(p))
                            .distinct()
                            .limit(MAX_ADDRESSES_PER_DIAL)
                            .toList());
        } else {
            where = CompletableFuture.completedFuture(List.of());
        }
        return where.thenCompose(list -> tryAddresses(p, list, 0, null)).handle((c, err) -> finish(p, err));
    }

    private CompletableFuture<Connection> tryAddresses(PeerId p, List<Multiaddr> list, int i, Throwable last) {
        if (i >= list.size()) {
            return CompletableFuture.failedFuture(last != null ? last : new IllegalStateException("no known address"));
        }
        return host.connect(list.get(i))
                .orTimeout(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((c, e) -> e == null ? CompletableFuture.completedFuture(c) : tryAddresses(p, list, i + 1, e))
                .thenCompose(f -> f);
    }

    private boolean finish(PeerId p, Throwable err) {
        Instant now = clock.instant();
        if (err == null) {
            dialledAt.put(p, now); // the backoff is forgotten once the connection has lasted (next tick)
            emit(new DialAttempt(p, now, true, 0, Duration.ZERO, ""));
            return true;
        }
        failed.incrementAndGet();
        DialBackoff.Entry e = backoff.failed(p, now);
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause()
                : err;
        String why = cause instanceof TimeoutException ? "timed out" : String.valueOf(cause.getMessage());
        log.debug(
                "dial of {} failed ({} in a row, next in {} ms): {}",
                p,
                e.failures(),
                e.delay().toMillis(),
                why);
        emit(new DialAttempt(p, now, false, e.failures(), e.delay(), why));
        return false;
    }

    private void emit(DialAttempt a) {
        for (Consumer<DialAttempt> l : dialListeners) {
            try {
                l.accept(a);
            } catch (RuntimeException e) {
                log.warn("dial listener failed: {}", e.toString(), e);
            }
        }
    }

    /** Stops ticking (a tick under way is interrupted and its dials abandoned); leaves connections as they are. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        host.connections().removeListener(connectionListener);
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS))
                log.warn("connection maintenance tick still running at close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configures a {@link ConnectionMaintainer}; only the host, chain and subnet are required. */
    public static final class Builder {
        private final Host host;
        private final ChainClient chain;
        private final int subnetId;
        private MaintenanceConfig config = MaintenanceConfig.defaults();
        private GossipSub gossip;
        private KadDht dht;
        private EpochTracker tracker;
        private ProofOfStakeGate gate;
        private final Map<PeerId, Multiaddr> bootstrap = new LinkedHashMap<>();
        private String meshTopic = Heartbeat.TOPIC;
        private InstantSource clock = InstantSource.system();
        private RandomGenerator random = new Random();

        private Builder(Host host, ChainClient chain, int subnetId) {
            this.host = Objects.requireNonNull(host, "host");
            this.chain = Objects.requireNonNull(chain, "chain");
            this.subnetId = subnetId;
        }

        public Builder config(MaintenanceConfig c) {
            this.config = Objects.requireNonNull(c);
            return this;
        }

        /** For gossip scores (graylisted peers are disconnected), the blacklist and the heartbeat mesh. */
        public Builder gossip(GossipSub g) {
            this.gossip = g;
            return this;
        }

        /** For addresses of on-chain peers neither the chain nor the peer store knows. */
        public Builder dht(KadDht d) {
            this.dht = d;
            return this;
        }

        /** Its latest snapshot stands in for a chain read when recent enough. */
        public Builder tracker(EpochTracker t) {
            this.tracker = t;
            return this;
        }

        /** The node's gate: each tick drops its cached answers the chain no longer backs. */
        public Builder gate(ProofOfStakeGate g) {
            this.gate = g;
            return this;
        }

        /** Peers the operator configured (with /p2p/ ids): never pruned for being off chain, dialled below low water. */
        public Builder bootstrap(Collection<Multiaddr> peers) {
            for (Multiaddr a : peers) {
                PeerId p = a.peerId()
                        .orElseThrow(
                                () -> new IllegalArgumentException("a bootstrap address needs /p2p/<peer id>: " + a));
                bootstrap.put(p, a);
            }
            return this;
        }

        /** The topic whose mesh on-chain peers are re-added to (default the heartbeat topic). */
        public Builder meshTopic(String topic) {
            this.meshTopic = Objects.requireNonNull(topic);
            return this;
        }

        /** The one clock of maintenance: dial backoff, the minimum tick gap, each plan's now (tests). */
        public Builder clock(InstantSource c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** Randomness for jitter and dial order (tests). */
        public Builder random(RandomGenerator r) {
            this.random = Objects.requireNonNull(r);
            return this;
        }

        /** Starts ticking at once, then every interval. */
        public ConnectionMaintainer start() {
            return new ConnectionMaintainer(this).begin();
        }
    }
}
