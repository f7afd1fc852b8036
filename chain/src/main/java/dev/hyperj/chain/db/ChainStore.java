package dev.hyperj.chain.db;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.scale.Scale;
import dev.hyperj.chain.scale.ScaleReader;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.chain.storage.ChangeSet;
import dev.hyperj.chain.storage.StateBackend;
import dev.hyperj.chain.storage.StateView;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's database (RocksDB): chain state, headers, bodies, block hash by number, per-block
 * events and results, account nonces and the best block. A block is written in ONE synced
 * {@link WriteBatch} ({@link #commitBlock}), so after a crash at any moment the database holds
 * exactly the blocks committed before it, each with its state.
 *
 * <p>Key layout, one keyspace with a one-byte prefix per item: {@code 0x00 + state key},
 * {@code 'H' + hash -> header}, {@code 'B' + hash -> body}, {@code 'N' + number (u64 BE) -> hash},
 * {@code 'E' + number -> outcome}, {@code 'A' + account -> nonce}, {@code 'M' + name -> metadata}.
 */
public final class ChainStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte STATE = 0x00,
            HEADER = 'H',
            BODY = 'B',
            NUMBER = 'N',
            OUTCOME = 'E',
            NONCE = 'A',
            META = 'M';
    private static final byte[] BEST = meta("best");

    private final RocksDB db;
    private final Options options;
    private final WriteOptions syncWrites;
    private final StateBackend state;
    private final Lifetime lifetime = new Lifetime();

    private ChainStore(RocksDB db, Options options) {
        this.db = db;
        this.options = options;
        this.syncWrites = new WriteOptions().setSync(true);
        this.state = new LiveState();
    }

    /** Opens (creating if needed) the database in {@code dir}. */
    public static ChainStore open(Path dir) {
        try {
            Files.createDirectories(dir);
            Options o =
                    new Options().setCreateIfMissing(true).setMaxOpenFiles(256).setKeepLogFileNum(2);
            return new ChainStore(RocksDB.open(o, dir.toString()), o);
        } catch (RocksDBException | java.io.IOException e) {
            throw new StoreException("cannot open the chain database in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The current state; {@link StateBackend#apply} writes a synced batch of state changes only (use {@link #commitBlock} for blocks). */
    public StateBackend state() {
        return state;
    }

    /** The number of the best (last committed) block, empty for a new database. */
    public Optional<Long> bestNumber() {
        byte[] v = get(BEST);
        return v == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(v).getLong());
    }

    public Optional<byte[]> hashOf(long number) {
        return Optional.ofNullable(get(key(NUMBER, be(number))));
    }

    public Optional<BlockHeader> header(byte[] hash) {
        byte[] v = get(key(HEADER, hash));
        return v == null ? Optional.empty() : Optional.of(BlockHeader.decode(v));
    }

    public Optional<BlockHeader> header(long number) {
        return hashOf(number).flatMap(this::header);
    }

    /** The encoded transactions of a block. */
    public Optional<List<byte[]>> body(byte[] hash) {
        byte[] v = get(key(BODY, hash));
        return v == null ? Optional.empty() : Optional.of(BlockHeader.decodeBody(v));
    }

    public Optional<BlockOutcome> outcome(long number) {
        byte[] v = get(key(OUTCOME, be(number)));
        return v == null ? Optional.empty() : Optional.of(Scale.decode(BlockOutcome.class, v));
    }

    /** The next nonce the account must use (0 for a new account). */
    public long nonce(AccountId account) {
        byte[] v = get(key(NONCE, account.bytes()));
        return v == null ? 0 : new ScaleReader(v).u64();
    }

    /**
     * Writes a whole block atomically and durably (fsync): its state changes, header, body,
     * number -> hash, outcome, the signers' new nonces and the best-block pointer.
     */
    public void commitBlock(
            BlockHeader header,
            List<byte[]> body,
            ChangeSet stateChanges,
            BlockOutcome outcome,
            Map<AccountId, Long> nonces) {
        byte[] hash = header.hash();
        try (WriteBatch b = new WriteBatch()) {
            for (Map.Entry<byte[], byte[]> e : stateChanges.entries().entrySet()) {
                if (e.getValue() == null) b.delete(key(STATE, e.getKey()));
                else b.put(key(STATE, e.getKey()), e.getValue());
            }
            b.put(key(HEADER, hash), header.encode());
            b.put(key(BODY, hash), BlockHeader.encodeBody(body));
            b.put(key(NUMBER, be(header.number())), hash);
            b.put(key(OUTCOME, be(header.number())), Scale.encode(outcome));
            for (Map.Entry<AccountId, Long> n : nonces.entrySet())
                b.put(
                        key(NONCE, n.getKey().bytes()),
                        new ScaleWriter().u64(n.getValue()).toByteArray());
            b.put(BEST, be(header.number()));
            write(b);
        } catch (RocksDBException e) {
            throw new StoreException("cannot write block " + header.number() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A consistent read-only view of the state as of now, unaffected by later commits. Close it after
     * use: {@link #close} waits for open views.
     *
     * @throws IllegalStateException if the database is closed
     */
    public SnapshotView snapshot() {
        lifetime.enter();
        try {
            return new SnapshotView();
        } catch (RuntimeException | Error e) {
            lifetime.exit();
            throw e;
        }
    }

    /** A point-in-time view of the state (a RocksDB snapshot); it keeps the database open until closed. */
    public final class SnapshotView implements StateView, AutoCloseable {
        private final Snapshot snapshot = db.getSnapshot();
        private final ReadOptions read = new ReadOptions().setSnapshot(snapshot);
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public byte[] get(byte[] key) {
            if (released.get()) throw new IllegalStateException("this state snapshot is closed");
            try {
                return db.get(read, key(STATE, key));
            } catch (RocksDBException e) {
                throw new StoreException("state read failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void scan(byte[] prefix, Visitor visitor) {
            if (released.get()) throw new IllegalStateException("this state snapshot is closed");
            ChainStore.this.scan(read, prefix, visitor);
        }

        @Override
        public void close() {
            if (!released.compareAndSet(false, true)) return;
            try {
                read.close();
                db.releaseSnapshot(snapshot);
            } finally {
                lifetime.exit();
            }
        }
    }

    private final class LiveState implements StateBackend {
        private final ReadOptions read = new ReadOptions();

        @Override
        public byte[] get(byte[] key) {
            return ChainStore.this.get(key(STATE, key));
        }

        @Override
        public void scan(byte[] prefix, Visitor visitor) {
            lifetime.enter();
            try {
                ChainStore.this.scan(read, prefix, visitor);
            } finally {
                lifetime.exit();
            }
        }

        @Override
        public void apply(ChangeSet changes) {
            try (WriteBatch b = new WriteBatch()) {
                for (Map.Entry<byte[], byte[]> e : changes.entries().entrySet()) {
                    if (e.getValue() == null) b.delete(key(STATE, e.getKey()));
                    else b.put(key(STATE, e.getKey()), e.getValue());
                }
                write(b);
            } catch (RocksDBException e) {
                throw new StoreException("state write failed: " + e.getMessage(), e);
            }
        }
    }

    private void scan(ReadOptions read, byte[] prefix, StateView.Visitor visitor) {
        byte[] start = key(STATE, prefix);
        try (RocksIterator it = db.newIterator(read)) {
            for (it.seek(start); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length < start.length || !Arrays.equals(k, 0, start.length, start, 0, start.length)) return;
                if (!visitor.visit(Arrays.copyOfRange(k, 1, k.length), it.value())) return;
            }
        }
    }

    private void write(WriteBatch b) throws RocksDBException {
        lifetime.enter();
        try {
            db.write(syncWrites, b);
        } finally {
            lifetime.exit();
        }
    }

    private byte[] get(byte[] key) {
        lifetime.enter();
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        } finally {
            lifetime.exit();
        }
    }

    private static byte[] key(byte prefix, byte[] k) {
        byte[] out = new byte[k.length + 1];
        out[0] = prefix;
        System.arraycopy(k, 0, out, 1, k.length);
        return out;
    }

    private static byte[] meta(String name) {
        return key(META, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static byte[] be(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    /** True once {@link #close} began: every later read or write throws {@link IllegalStateException}. */
    public boolean isClosed() {
        return lifetime.closing;
    }

    /**
     * Refuses new reads and writes, waits for those in flight (and open snapshots) to finish, then
     * closes RocksDB. Touching a closed RocksDB handle crashes the JVM, so when users do not finish
     * within {@link #CLOSE_WAIT_MS} the native handles are leaked (logged) rather than freed under them.
     */
    @Override
    public void close() {
        if (!lifetime.closeAndAwait(CLOSE_WAIT_MS)) {
            org.slf4j.LoggerFactory.getLogger(ChainStore.class)
                    .error(
                            "chain database: {} reads still open after {} ms; leaving RocksDB open rather than free it under them",
                            lifetime.active(),
                            CLOSE_WAIT_MS);
            return;
        }
        syncWrites.close();
        db.close();
        options.close();
    }

    static final long CLOSE_WAIT_MS = 30_000;

    /** Counts the operations using the native handles, so that close frees them only when none is running. */
    private static final class Lifetime {
        private int active;
        private volatile boolean closing;

        synchronized void enter() {
            if (closing) throw new IllegalStateException("the chain database is closed");
            active++;
        }

        synchronized void exit() {
            if (--active == 0) notifyAll();
        }

        synchronized int active() {
            return active;
        }

        /** Returns true when the caller should free the handles (exactly once, with no user left). */
        synchronized boolean closeAndAwait(long waitMs) {
            if (closing) return false;
            closing = true;
            long deadline = System.nanoTime() + waitMs * 1_000_000;
            boolean interrupted = false;
            try {
                while (active > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    try {
                        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return true;
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
    }
}
