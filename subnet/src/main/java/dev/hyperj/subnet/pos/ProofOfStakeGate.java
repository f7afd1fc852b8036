package dev.hyperj.subnet.pos;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.p2p.host.ConnectionGater;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proof of stake at the door (SUBNET.md): after the secure handshake, a peer is let in only if
 * the chain's {@code proofOfStake(subnet, peer, minClass)} says yes, or if it is one of the
 * subnet's bootnodes or overwatch peers ({@link #admit}). The chain call blocks, so it runs on a
 * virtual thread, never on the event loop and never inside the handshake; the gate answers
 * within {@code timeout} (no answer = deny, not remembered, so the peer can retry). Yes and no are
 * cached per peer for {@code cacheTtl} (5 minutes by default); concurrent checks of one peer share
 * one chain call. Bounded against floods of fresh peer ids: at most {@code maxCached} answers are
 * kept and at most {@code maxInFlight} chain calls run at once (more are denied at once).
 *
 * <p>Give the host's connection limits a gater timeout longer than this gate's.
 */
public final class ProofOfStakeGate implements ConnectionGater, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProofOfStakeGate.class);

    private record Answer(boolean allowed, Instant expires) {}

    private final ChainClient chain;
    private final int subnetId;
    private final NodeClass minClass;
    private final Optional<BigInteger> minStake;
    private final Duration cacheTtl;
    private final Duration timeout;
    private final InstantSource clock;
    private final int maxCached;
    private final int maxInFlight;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<PeerId, Answer> cache = new ConcurrentHashMap<>();
    private final Map<PeerId, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong chainCalls = new AtomicLong();
    private final AtomicLong allowed = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private volatile Set<PeerId> admitted = Set.of();
    private volatile boolean closed;

    private ProofOfStakeGate(Builder b) {
        this.chain = b.chain;
        this.subnetId = b.subnetId;
        this.minClass = b.minClass;
        this.minStake = b.minStake;
        this.cacheTtl = b.cacheTtl;
        this.timeout = b.timeout;
        this.clock = b.clock;
        this.maxCached = b.maxCached;
        this.maxInFlight = b.maxInFlight;
    }

    public static Builder builder(ChainClient chain, int subnetId) {
        return new Builder(chain, subnetId);
    }

    /**
     * Replaces the peers admitted without asking the chain: the subnet's bootnodes and overwatch
     * peers (from each epoch's snapshot) and any configured by the operator. Texts that are not
     * peer ids are ignored.
     */
    public void admit(Collection<String> peerIds) {
        Set<PeerId> s = new java.util.HashSet<>();
        for (String p : peerIds) {
            try {
                s.add(PeerId.parse(p));
            } catch (IllegalArgumentException e) {
                log.debug("not a peer id, not admitted: {}", p);
            }
        }
        admitted = Set.copyOf(s);
    }

    /** Chain calls made so far (cache misses). */
    public long chainCalls() {
        return chainCalls.get();
    }

    /** Connections allowed so far (admitted peers, cached and fresh answers). */
    public long allowedCount() {
        return allowed.get();
    }

    /** Connections denied so far. */
    public long deniedCount() {
        return denied.get();
    }

    /** Decisions answered from the cache, without a chain call. */
    public long cacheHits() {
        return cacheHits.get();
    }

    /** Forgets every cached answer (e.g. after a chain reorganisation or restart). */
    public void clearCache() {
        cache.clear();
    }

    /** Forgets the cached answer for {@code peer}: its next connection asks the chain again. */
    public void forget(PeerId peer) {
        cache.remove(peer);
    }

    /**
     * Brings the cache in line with the chain's current peer set (connection maintenance calls it
     * every tick): a cached yes for a peer no longer in {@code onChain} is dropped, so a node
     * removed on chain is refused on its next dial instead of up to {@code cacheTtl} later; a
     * cached no for a peer now in the set is dropped too, so a newly registered node gets in at
     * once. Returns how many answers were forgotten.
     */
    public int retainOnly(Set<PeerId> onChain) {
        int[] dropped = {0};
        cache.entrySet().removeIf(e -> {
            boolean stale = e.getValue().allowed() != onChain.contains(e.getKey());
            if (stale) dropped[0]++;
            return stale;
        });
        if (dropped[0] > 0) log.debug("forgot {} cached stake answer(s) the chain no longer backs", dropped[0]);
        return dropped[0];
    }

    @Override
    public CompletableFuture<Boolean> allow(PeerId peer, Multiaddr remote, boolean inbound) {
        return decide(peer).thenApply(yes -> {
            (yes ? allowed : denied).incrementAndGet();
            return yes;
        });
    }

    private CompletableFuture<Boolean> decide(PeerId peer) {
        if (closed) return CompletableFuture.completedFuture(false);
        if (admitted.contains(peer)) return CompletableFuture.completedFuture(true);
        Instant now = clock.instant();
        Answer a = cache.get(peer);
        if (a != null) {
            if (now.isBefore(a.expires())) {
                cacheHits.incrementAndGet();
                return CompletableFuture.completedFuture(a.allowed());
            }
            cache.remove(peer, a);
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> prior = inFlight.putIfAbsent(peer, mine);
        if (prior != null) return prior;
        if (running.incrementAndGet() > maxInFlight) {
            running.decrementAndGet();
            inFlight.remove(peer, mine);
            log.debug("{} denied: {} stake checks already running", peer, maxInFlight);
            mine.complete(false);
            return mine;
        }
        chainCalls.incrementAndGet();
        CompletableFuture<Boolean> call;
        try {
            call = CompletableFuture.supplyAsync(
                    () -> chain.proofOfStake(subnetId, peer.toBase58(), minClass, minStake), calls);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((yes, err) -> {
            running.decrementAndGet();
            if (err != null) {
                inFlight.remove(peer, mine);
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause()
                        : err;
                log.info(
                        "{} denied: stake check {}",
                        peer,
                        cause instanceof TimeoutException
                                ? "timed out after " + timeout.toMillis() + " ms"
                                : "failed: " + cause);
                mine.complete(false);
                return;
            }
            remember(peer, yes);
            inFlight.remove(peer, mine); // after remembering: a check arriving now finds the answer
            if (!yes) log.info("{} denied: no proof of stake in subnet {} (class >= {})", peer, subnetId, minClass);
            mine.complete(yes);
        });
        return mine;
    }

    private void remember(PeerId peer, boolean yes) {
        Instant now = clock.instant();
        if (cache.size() >= maxCached) {
            cache.values().removeIf(a -> !now.isBefore(a.expires()));
            // still full of live answers: drop some to stay bounded (they are re-asked when they come back)
            Iterator<PeerId> it = cache.keySet().iterator();
            while (cache.size() >= maxCached && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
        cache.put(peer, new Answer(yes, now.plus(cacheTtl)));
    }

    /**
     * Denies from now on and waits (up to the timeout) for chain calls still running, so that the
     * chain client can be closed safely right after.
     */
    @Override
    public void close() {
        closed = true;
        calls.shutdown();
        try {
            if (!calls.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                log.warn("stake checks still running at close");
                calls.shutdownNow();
            }
        } catch (InterruptedException e) {
            calls.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Configures a {@link ProofOfStakeGate}. */
    public static final class Builder {
        private final ChainClient chain;
        private final int subnetId;
        private NodeClass minClass = NodeClass.Registered;
        private Optional<BigInteger> minStake = Optional.empty();
        private Duration cacheTtl = Duration.ofMinutes(5);
        private Duration timeout = Duration.ofSeconds(3);
        private InstantSource clock = InstantSource.system();
        private int maxCached = 10_000;
        private int maxInFlight = 256;

        private Builder(ChainClient chain, int subnetId) {
            this.chain = Objects.requireNonNull(chain);
            this.subnetId = subnetId;
        }

        /** Least class a peer's node must have (default Registered: new nodes must reach peers to climb). */
        public Builder minClass(NodeClass c) {
            this.minClass = Objects.requireNonNull(c);
            return this;
        }

        /** Least stake (default: the subnet's minimum). */
        public Builder minStake(BigInteger s) {
            this.minStake = Optional.of(s);
            return this;
        }

        /** How long yes and no are remembered (default 5 minutes). */
        public Builder cacheTtl(Duration d) {
            if (d.isNegative()) throw new IllegalArgumentException("negative cache TTL");
            this.cacheTtl = d;
            return this;
        }

        /** How long the chain may take to answer (default 3 s); no answer = deny. */
        public Builder timeout(Duration d) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeout must be positive");
            this.timeout = d;
            return this;
        }

        public Builder clock(InstantSource c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        public Builder bounds(int maxCached, int maxInFlight) {
            if (maxCached < 1 || maxInFlight < 1) throw new IllegalArgumentException("bounds must be positive");
            this.maxCached = maxCached;
            this.maxInFlight = maxInFlight;
            return this;
        }

        public ProofOfStakeGate build() {
            return new ProofOfStakeGate(this);
        }
    }
}
