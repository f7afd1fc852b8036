package dev.hyperj.chain.client;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.NetworkReads.DelegateStake;
import dev.hyperj.chain.runtime.NetworkReads.ElectedValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.OverwatchNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorStake;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One view of the chain shared by many nodes of one process (a devnet's hundreds of subnet nodes):
 * one new-head subscription pushed to every node, and each distinct read made once per block, however
 * many nodes ask. Each node gets its own {@link #client view}, a {@link ChainClient} that behaves as
 * its own connection would: reads answer with the chain's state at the newest block this view has
 * announced (or newer), heads arrive in order without duplicates, and transactions go through the
 * node's own submitter (its nonces, its transaction watches).
 *
 * <p>Why: at every block, and above all at each epoch boundary, every node reads the same things
 * (the subnet, its nodes, the elected validator, the submission). With one connection per node the
 * chain answers N identical reads per block and the nodes' reads queue behind each other; past ~100
 * nodes on a small machine they no longer fit in the attest window. Here they cost one read each.
 *
 * <p>How: reads made while block {@code B} is the newest announced share one cache generation; the
 * first asker of a (method, arguments) pair starts the read on a thread of its own and every asker
 * waits for that one answer (a failure is not cached: the next asker retries). A new head starts a
 * new generation before it is handed to any listener, so a node reacting to block {@code B+1} never
 * sees an answer from {@code B}. With {@code caching} off every read goes upstream: the same counters
 * then measure what the nodes cost the chain without sharing.
 */
public final class SharedChain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedChain.class);

    /** How long a submit's result waits for its block to be announced before it is handed over anyway. */
    private static final java.time.Duration READ_YOUR_WRITES_WAIT = java.time.Duration.ofSeconds(10);

    private record Key(String method, List<Object> args) {}

    /** Reads made while one block was the newest announced. */
    private record Generation(long block, Map<Key, CompletableFuture<Object>> reads) {}

    /** Per read method: how often nodes asked, and how often the chain was actually asked. */
    public record ReadCount(long requested, long upstream) {}

    private final ChainClient upstream;
    private final boolean caching;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<Generation> generation = new AtomicReference<>(new Generation(-1, Map.of()));
    private final List<View> views = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> requested = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> upstreamReads = new ConcurrentHashMap<>();
    private final AtomicLong heads = new AtomicLong();
    private final Object headLock = new Object();
    /** Futures completed once a block at least this high is announced; guarded by headLock. */
    private final java.util.NavigableMap<Long, List<CompletableFuture<Void>>> awaiting = new java.util.TreeMap<>();

    private final AutoCloseable subscription;
    private volatile boolean closed;

    private SharedChain(ChainClient upstream, boolean caching) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.caching = caching;
        this.subscription = upstream.subscribeNewHeads(this::onHead);
    }

    /** Shares {@code upstream} (not closed by {@link #close}: it belongs to the caller). */
    public static SharedChain over(ChainClient upstream) {
        return new SharedChain(upstream, true);
    }

    /** Like {@link #over}, but every read goes upstream (counted all the same): the cost without sharing. */
    public static SharedChain uncached(ChainClient upstream) {
        return new SharedChain(upstream, false);
    }

    /**
     * A node's own view: reads and heads shared, transactions and nonces through {@code submitter}
     * (which stays the caller's: closing the view does not close it).
     */
    public ChainClient client(ChainClient submitter) {
        if (closed) throw new IllegalStateException("shared chain closed");
        View v = new View(Objects.requireNonNull(submitter, "submitter"));
        views.add(v);
        return v;
    }

    /** Reads by method since start: asked by the nodes, and made upstream. */
    public Map<String, ReadCount> readCounts() {
        Map<String, ReadCount> out = new TreeMap<>();
        requested.forEach((m, n) -> out.put(
                m,
                new ReadCount(
                        n.get(), upstreamReads.getOrDefault(m, new AtomicLong()).get())));
        return out;
    }

    /** Reads made upstream since start, all methods. */
    public long upstreamReads() {
        return upstreamReads.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Reads the nodes asked for since start, all methods. */
    public long requestedReads() {
        return requested.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** New heads received (and pushed to every view) since start. */
    public long heads() {
        return heads.get();
    }

    /** The newest block announced to the views (-1 before the first head). */
    public long block() {
        return generation.get().block();
    }

    /**
     * Completes once block {@code number} (or a later one) is announced, or after {@code timeout}
     * (a head subscription that lags must not hold up the caller for good).
     */
    CompletableFuture<Void> announced(long number, java.time.Duration timeout) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (headLock) {
            if (generation.get().block() >= number) return CompletableFuture.completedFuture(null);
            awaiting.computeIfAbsent(number, n -> new ArrayList<>()).add(f);
        }
        return f.completeOnTimeout(null, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void onHead(BlockHeader h) {
        List<View> to;
        List<CompletableFuture<Void>> due = new ArrayList<>();
        synchronized (headLock) {
            Generation g = generation.get();
            if (h.number() <= g.block()) return; // a head already announced (a reconnect replays the best)
            generation.set(new Generation(h.number(), new ConcurrentHashMap<>()));
            heads.incrementAndGet();
            to = List.copyOf(views);
            var reached = awaiting.headMap(h.number(), true);
            reached.values().forEach(due::addAll);
            reached.clear();
        }
        for (View v : to) v.announce(h);
        due.forEach(f -> f.complete(null));
    }

    @SuppressWarnings("unchecked")
    private <T> T read(String method, List<Object> args, Supplier<T> read) {
        if (closed) throw new ChainClientException(0, "the shared chain view was closed");
        requested.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
        Generation g = generation.get();
        if (!caching || g.block() < 0) { // before the first head there is no block to share answers at
            upstreamReads.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
            return read.get();
        }
        Key key = new Key(method, args);
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> f = g.reads().putIfAbsent(key, mine);
        if (f == null) {
            f = mine;
            upstreamReads.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
            // on a thread of its own: an interrupted asker (its epoch is over) must not fail the others' read
            try {
                readers.execute(() -> {
                    try {
                        mine.complete(read.get());
                    } catch (RuntimeException | Error e) {
                        g.reads().remove(key, mine); // not cached: the next asker retries
                        mine.completeExceptionally(e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                g.reads().remove(key, mine);
                throw new ChainClientException(0, "the shared chain view was closed");
            }
        }
        try {
            return (T) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainClientException(0, "interrupted while waiting for " + method);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new ChainClientException(0, method + " failed: " + e.getCause());
        }
    }

    /** Stops the shared subscription and every view (the upstream client stays open). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("closing the shared head subscription: {}", e.toString());
        }
        for (View v : views) v.close();
        readers.shutdownNow();
    }

    /** One node's client: shared reads and heads, its own submitter. */
    private final class View implements ChainClient {
        private final ChainClient submitter;
        private final List<HeadListener> listeners = new CopyOnWriteArrayList<>();
        private final AtomicBoolean viewClosed = new AtomicBoolean();

        View(ChainClient submitter) {
            this.submitter = submitter;
        }

        /** A listener's heads run in order on a thread of their own: a slow node does not hold up the others. */
        private final class HeadListener {
            final Consumer<BlockHeader> consumer;
            final ExecutorService lane = Executors.newSingleThreadExecutor(
                    Thread.ofVirtual().name("shared-chain-heads").factory());
            long lastSent = -1; // lane only

            HeadListener(Consumer<BlockHeader> consumer) {
                this.consumer = consumer;
            }

            void offer(BlockHeader h) {
                try {
                    lane.execute(() -> {
                        if (h.number() <= lastSent) return;
                        lastSent = h.number();
                        try {
                            consumer.accept(h);
                        } catch (RuntimeException e) {
                            log.warn("new-head listener failed at #{}: {}", h.number(), e.toString());
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // unsubscribed
                }
            }
        }

        void announce(BlockHeader h) {
            if (viewClosed.get()) return;
            for (HeadListener l : listeners) l.offer(h);
        }

        private <T> T shared(String method, List<Object> args, Supplier<T> read) {
            if (viewClosed.get()) throw new ChainClientException(0, "the client was closed");
            return SharedChain.this.read(method, args, read);
        }

        @Override
        public String chainId() {
            return upstream.chainId();
        }

        @Override
        public byte[] genesisHash() {
            return upstream.genesisHash();
        }

        @Override
        public BlockHeader bestHeader() {
            return shared("bestHeader", List.of(), upstream::bestHeader);
        }

        @Override
        public Optional<BlockHeader> header(long number) {
            return shared("header", List.of(number), () -> upstream.header(number));
        }

        @Override
        public EpochInfo epochInfo() {
            return shared("epochInfo", List.of(), upstream::epochInfo);
        }

        @Override
        public long subnetEpoch(int subnetId) {
            return shared("subnetEpoch", List.of(subnetId), () -> upstream.subnetEpoch(subnetId));
        }

        @Override
        public BigInteger balance(AccountId account) {
            return shared("balance", List.of(account), () -> upstream.balance(account));
        }

        @Override
        public Map<Long, BigInteger> unbondings(AccountId account) {
            return shared("unbondings", List.of(account), () -> upstream.unbondings(account));
        }

        @Override
        public long nextNonce(AccountId account) {
            return submitter.nextNonce(account); // the pool changes between blocks: never cached
        }

        @Override
        public BigInteger registrationCost() {
            return shared("registrationCost", List.of(), upstream::registrationCost);
        }

        @Override
        public Optional<SubnetInfo> subnet(int subnetId) {
            return shared("subnet", List.of(subnetId), () -> upstream.subnet(subnetId));
        }

        @Override
        public List<SubnetInfo> subnets() {
            return shared("subnets", List.of(), upstream::subnets);
        }

        @Override
        public Optional<SubnetNodeInfo> subnetNode(int subnetId, int subnetNodeId) {
            return shared(
                    "subnetNode", List.of(subnetId, subnetNodeId), () -> upstream.subnetNode(subnetId, subnetNodeId));
        }

        @Override
        public List<SubnetNodeInfo> subnetNodes(int subnetId) {
            return shared("subnetNodes", List.of(subnetId), () -> upstream.subnetNodes(subnetId));
        }

        @Override
        public Map<Integer, List<SubnetNodeInfo>> allSubnetNodes() {
            return shared("allSubnetNodes", List.of(), upstream::allSubnetNodes);
        }

        @Override
        public Map<String, Optional<Bytes>> bootnodes(int subnetId) {
            return shared("bootnodes", List.of(subnetId), () -> upstream.bootnodes(subnetId));
        }

        @Override
        public List<SubnetNodeInfo> validatorSubnetNodes(int validatorId) {
            return shared(
                    "validatorSubnetNodes", List.of(validatorId), () -> upstream.validatorSubnetNodes(validatorId));
        }

        @Override
        public Optional<ValidatorInfo> validator(int validatorId) {
            return shared("validator", List.of(validatorId), () -> upstream.validator(validatorId));
        }

        @Override
        public Optional<Integer> validatorIdOf(AccountId coldkey) {
            return shared("validatorIdOf", List.of(coldkey), () -> upstream.validatorIdOf(coldkey));
        }

        @Override
        public List<ValidatorStake> validatorStakes(int validatorId) {
            return shared("validatorStakes", List.of(validatorId), () -> upstream.validatorStakes(validatorId));
        }

        @Override
        public List<DelegateStake> delegateStakes(AccountId account) {
            return shared("delegateStakes", List.of(account), () -> upstream.delegateStakes(account));
        }

        @Override
        public Optional<ElectedValidatorInfo> electedValidator(int subnetId, long subnetEpoch) {
            return shared(
                    "electedValidator",
                    List.of(subnetId, subnetEpoch),
                    () -> upstream.electedValidator(subnetId, subnetEpoch));
        }

        @Override
        public Optional<ValidatorsAndAttestors> validatorsAndAttestors(int subnetId, long subnetEpoch) {
            return shared(
                    "validatorsAndAttestors",
                    List.of(subnetId, subnetEpoch),
                    () -> upstream.validatorsAndAttestors(subnetId, subnetEpoch));
        }

        @Override
        public List<OverwatchNodeInfo> overwatchNodes() {
            return shared("overwatchNodes", List.of(), upstream::overwatchNodes);
        }

        @Override
        public Map<Integer, Bytes> overwatchCommits(long overwatchEpoch, int overwatchNodeId) {
            return shared(
                    "overwatchCommits",
                    List.of(overwatchEpoch, overwatchNodeId),
                    () -> upstream.overwatchCommits(overwatchEpoch, overwatchNodeId));
        }

        @Override
        public Map<Integer, BigInteger> overwatchReveals(long overwatchEpoch, int overwatchNodeId) {
            return shared(
                    "overwatchReveals",
                    List.of(overwatchEpoch, overwatchNodeId),
                    () -> upstream.overwatchReveals(overwatchEpoch, overwatchNodeId));
        }

        @Override
        public boolean proofOfStake(int subnetId, String peerId, NodeClass minClass, Optional<BigInteger> minStake) {
            return shared(
                    "proofOfStake",
                    List.of(subnetId, peerId, minClass, minStake),
                    () -> upstream.proofOfStake(subnetId, peerId, minClass, minStake));
        }

        @Override
        public AutoCloseable subscribeNewHeads(Consumer<BlockHeader> listener) {
            if (viewClosed.get()) throw new ChainClientException(0, "the client was closed");
            HeadListener l = new HeadListener(Objects.requireNonNull(listener));
            listeners.add(l);
            return () -> {
                listeners.remove(l);
                l.lane.shutdown();
            };
        }

        @Override
        public CompletableFuture<TxResult> submit(Signer signer, Call call) {
            if (viewClosed.get())
                return CompletableFuture.failedFuture(new ChainClientException(0, "the client was closed"));
            return submitter.submit(signer, call);
        }

        /** This node's view ends: its subscriptions stop and its calls fail; the shared chain goes on. */
        @Override
        public void close() {
            if (!viewClosed.compareAndSet(false, true)) return;
            views.remove(this);
            for (HeadListener l : listeners) l.lane.shutdownNow();
            listeners.clear();
        }
    }
}
