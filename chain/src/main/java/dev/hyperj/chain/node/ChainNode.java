package dev.hyperj.chain.node;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.db.BlockOutcome;
import dev.hyperj.chain.db.ChainStore;
import dev.hyperj.chain.runtime.BlockResult;
import dev.hyperj.chain.runtime.CallResult;
import dev.hyperj.chain.runtime.NetworkReads;
import dev.hyperj.chain.runtime.Runtime;
import dev.hyperj.chain.runtime.SignedCall;
import dev.hyperj.chain.storage.ChangeSet;
import dev.hyperj.chain.storage.MemoryBackend;
import dev.hyperj.chain.storage.StateRoot;
import dev.hyperj.chain.tx.Transaction;
import dev.hyperj.chain.tx.TxException;
import dev.hyperj.chain.tx.TxException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dev chain node: the runtime over a RocksDB {@link ChainStore}, a transaction pool and a block
 * producer thread (on a timer, or instant seal). Every block is committed atomically; a restart
 * resumes from the last committed block. Thread-safe; {@link #close} stops production and closes
 * the database (deleting it when it was a temporary one).
 */
public final class ChainNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChainNode.class);
    private static final AccountId NO_AUTHOR = AccountId.of(new byte[20]);

    private final NodeConfig config;
    private final Path dir;
    private final boolean temporary;
    private final ChainStore store;
    private final byte[] genesisHash;
    private final TxPool pool;
    private final ScheduledExecutorService producer;
    private final List<Consumer<ImportedBlock>> listeners = new CopyOnWriteArrayList<>();
    private volatile BlockHeader best;
    private volatile boolean closed;

    private ChainNode(NodeConfig config) throws IOException {
        this.config = config;
        this.temporary = config.basePath().isEmpty();
        this.dir = temporary
                ? Files.createTempDirectory("hyperj-chain-")
                : config.basePath().get();
        this.store = ChainStore.open(dir.resolve("db"));
        try {
            this.genesisHash = initGenesis();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.best = store.header(store.bestNumber().orElseThrow()).orElseThrow();
        this.pool =
                new TxPool(config.maxPool(), config.maxFutureNonces(), config.futureTtlBlocks(), config.futureTtlMs());
        this.producer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hyperj-block-producer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens the database (creating the genesis block if new) and starts producing blocks. */
    public static ChainNode start(NodeConfig config) {
        ChainNode n;
        try {
            n = new ChainNode(config);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the node's directory: " + e.getMessage(), e);
        }
        if (!config.instantSeal()) {
            n.producer.scheduleAtFixedRate(
                    n::produceSafely, config.blockTimeMs(), config.blockTimeMs(), TimeUnit.MILLISECONDS);
        }
        // time-based expiry must also happen when no block comes (instant seal with no ready transaction)
        long sweepMs = Math.max(10, Math.min(1000, config.futureTtlMs() / 4));
        n.producer.scheduleWithFixedDelay(n::expireSafely, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        log.info(
                "chain {} at block #{} (genesis 0x{}) in {}",
                config.chainId(),
                n.best.number(),
                HexFormat.of().formatHex(n.genesisHash),
                n.dir);
        return n;
    }

    /** The genesis header a config produces: block 0 over the genesis state. */
    public static BlockHeader genesisHeader(NodeConfig config) {
        MemoryBackend m = new MemoryBackend();
        m.apply(Runtime.genesis(config.genesis()));
        return new BlockHeader(
                new byte[32], 0, StateRoot.compute(m), BlockHeader.extrinsicsRoot(List.of()), NO_AUTHOR, 0);
    }

    private byte[] initGenesis() {
        BlockHeader g = genesisHeader(config);
        if (store.bestNumber().isEmpty()) {
            ChangeSet changes = Runtime.genesis(config.genesis());
            store.commitBlock(g, List.of(), changes, BlockOutcome.EMPTY, Map.of());
            return g.hash();
        }
        byte[] stored = store.hashOf(0)
                .orElseThrow(() -> new IllegalStateException("the database in " + dir + " has no genesis block"));
        if (!Arrays.equals(stored, g.hash())) {
            throw new IllegalStateException("the database in " + dir + " holds another chain (genesis 0x"
                    + HexFormat.of().formatHex(stored) + "); use another --base-path or the same genesis config");
        }
        return stored;
    }

    public String chainId() {
        return config.chainId();
    }

    public byte[] genesisHash() {
        return genesisHash.clone();
    }

    public NodeConfig config() {
        return config;
    }

    /** The node's directory (its database is in {@code db/}). */
    public Path directory() {
        return dir;
    }

    /** True once {@link #close} began. */
    public boolean isClosed() {
        return closed;
    }

    public BlockHeader bestHeader() {
        return best;
    }

    /** The database, for block and outcome reads. */
    public ChainStore store() {
        return store;
    }

    /**
     * Runs {@code read} over a consistent snapshot of the current state. {@link #close} waits for
     * reads in progress.
     *
     * @throws IllegalStateException once the node is closed (or closing)
     */
    public <T> T read(Function<NetworkReads, T> read) {
        checkOpen();
        try (ChainStore.SnapshotView s = openSnapshot()) {
            return read.apply(new NetworkReads(s));
        }
    }

    private ChainStore.SnapshotView openSnapshot() {
        try {
            return store.snapshot();
        } catch (IllegalStateException e) {
            throw closedError();
        }
    }

    private void checkOpen() {
        if (closed) throw closedError();
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("the chain node is closed");
    }

    /**
     * The nonce the account's next transaction must carry, counting its pending transactions that
     * follow on from its chain nonce (a gap left by a refused or dropped one is the next nonce).
     *
     * @throws IllegalStateException once the node is closed
     */
    public long nextNonce(AccountId account) {
        checkOpen();
        try {
            return pool.nextNonce(account, store.nonce(account));
        } catch (IllegalStateException e) {
            throw closedError();
        }
    }

    public int pendingCount() {
        return pool.size();
    }

    /** Calls {@code listener} on the producer thread after every committed block; close the handle to stop. */
    public AutoCloseable onBlock(Consumer<ImportedBlock> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Checks and queues an encoded transaction. The future completes when its block is committed.
     *
     * @throws TxException if it is malformed, for another chain, badly signed, replayed, too far ahead, or the pool is full
     */
    public CompletableFuture<Included> submit(byte[] encoded) {
        Transaction tx = Transaction.decode(encoded);
        return submit(tx, encoded);
    }

    public CompletableFuture<Included> submit(Transaction tx) {
        return submit(tx, tx.encode());
    }

    private CompletableFuture<Included> submit(Transaction tx, byte[] encoded) {
        if (closed) throw new TxException(Reason.NodeStopped, "the node is shutting down");
        if (!tx.chainId().equals(config.chainId())) {
            throw new TxException(
                    Reason.WrongChain,
                    "signed for chain '" + tx.chainId() + "' but this is '" + config.chainId()
                            + "'; sign for this chain");
        }
        if (!Arrays.equals(tx.genesisHash(), genesisHash)) {
            throw new TxException(
                    Reason.WrongGenesis,
                    "signed for genesis 0x" + HexFormat.of().formatHex(tx.genesisHash()) + " but this chain's is 0x"
                            + HexFormat.of().formatHex(genesisHash) + "; sign for this chain (it was reset?)");
        }
        if (!tx.signatureValid()) {
            throw new TxException(
                    Reason.BadSignature,
                    "the signature does not match the signer " + tx.signer() + " for this payload");
        }
        CompletableFuture<Included> f = new CompletableFuture<>();
        long accountNonce;
        try {
            accountNonce = store.nonce(tx.signer());
        } catch (IllegalStateException e) {
            throw new TxException(Reason.NodeStopped, "the node is shutting down");
        }
        // the pool refuses adds once close() drained it, so no future is left pending forever
        pool.add(new TxPool.Pending(tx, encoded, f, best.number(), System.nanoTime()), accountNonce);
        if (config.instantSeal()) {
            try {
                producer.execute(this::produceIfReady);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pool.remove(tx);
                throw new TxException(Reason.NodeStopped, "the node is shutting down");
            }
        }
        return f;
    }

    /** Produces {@code count} blocks now (with whatever is ready), for dev chains and tests; returns the new best number. */
    public long produceBlocks(int count) {
        if (count < 1 || count > 10_000) throw new IllegalArgumentException("produce 1..10000 blocks at a time");
        checkOpen();
        try {
            return producer.submit(() -> {
                        for (int i = 0; i < count; i++) produce();
                        return best.number();
                    })
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "block production failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw closedError();
        }
    }

    private void produceIfReady() {
        if (closed) return;
        if (pool.hasReady(store::nonce)) produceSafely();
    }

    private void expireSafely() {
        if (closed) return;
        try {
            expire();
        } catch (RuntimeException e) {
            log.error("transaction expiry failed: {}", e.toString(), e);
        }
    }

    private void expire() {
        for (TxPool.Dropped d : pool.expire(best.number(), System.nanoTime(), store::nonce)) {
            log.debug("{}", d.reason().getMessage());
            d.pending().inclusion().completeExceptionally(d.reason());
        }
    }

    private void produceSafely() {
        if (closed) return;
        try {
            produce();
        } catch (RuntimeException e) {
            log.error("block production failed: {}", e.toString(), e);
        }
    }

    private void produce() {
        if (closed) throw new IllegalStateException("the node is closed");
        List<TxPool.Pending> txs = pool.ready(config.maxBlockTxs(), store::nonce);
        BlockHeader parent = best;
        long number = parent.number() + 1;
        byte[] parentHash = parent.hash();
        BlockResult r;
        try {
            r = Runtime.executeBlock(store.state(), number, parentHash, config.author(), calls(txs));
        } catch (RuntimeException e) {
            // A runtime fault on these transactions must not stop the chain: drop them and seal an empty block.
            log.error("block #{} failed with {} transactions; dropping them: {}", number, txs.size(), e.toString(), e);
            for (TxPool.Pending p : txs) {
                pool.remove(p.tx());
                p.inclusion()
                        .completeExceptionally(new IllegalStateException("the runtime failed on this block: " + e));
            }
            txs = List.of();
            r = Runtime.executeBlock(store.state(), number, parentHash, config.author(), List.of());
        }
        List<byte[]> body = txs.stream().map(TxPool.Pending::encoded).toList();
        BlockHeader header = new BlockHeader(
                parentHash,
                number,
                r.stateRoot(),
                BlockHeader.extrinsicsRoot(body),
                config.author(),
                System.currentTimeMillis());
        Map<AccountId, Long> nonces = new HashMap<>();
        for (TxPool.Pending p : txs) nonces.put(p.tx().signer(), p.tx().nonce() + 1);
        BlockOutcome outcome = new BlockOutcome(r.events(), r.callResults());
        store.commitBlock(header, body, r.changes(), outcome, nonces);
        best = header;
        pool.prune(store::nonce);
        expire();
        byte[] hash = header.hash();
        for (int i = 0; i < txs.size(); i++) {
            TxPool.Pending p = txs.get(i);
            CallResult cr = r.callResults().get(i);
            p.inclusion().complete(new Included(number, hash, p.tx().hash(), cr));
        }
        ImportedBlock imported = new ImportedBlock(header, outcome);
        for (Consumer<ImportedBlock> l : listeners) {
            try {
                l.accept(imported);
            } catch (RuntimeException e) {
                log.warn("block listener failed: {}", e.toString());
            }
        }
        if (config.instantSeal() && !closed && pool.hasReady(store::nonce)) producer.execute(this::produceIfReady);
    }

    private static List<SignedCall> calls(List<TxPool.Pending> txs) {
        List<SignedCall> out = new ArrayList<>(txs.size());
        for (TxPool.Pending p : txs) out.add(new SignedCall(p.tx().signer(), p.tx().call()));
        return out;
    }

    /**
     * Stops block production (finishing the block in progress), fails pending transactions, waits for
     * reads in progress and closes the database. Later reads throw {@link IllegalStateException},
     * later submits {@link TxException} {@link Reason#NodeStopped}.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        producer.shutdown();
        try {
            if (!producer.awaitTermination(30, TimeUnit.SECONDS)) producer.shutdownNow();
        } catch (InterruptedException e) {
            producer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        for (TxPool.Pending p : pool.drain())
            p.inclusion()
                    .completeExceptionally(new TxException(Reason.NodeStopped, "the node stopped before including it"));
        store.close();
        if (temporary) deleteRecursively(dir);
        log.info("chain node stopped at block #{}", best.number());
    }

    private static void deleteRecursively(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", p, e.toString());
        }
    }
}
