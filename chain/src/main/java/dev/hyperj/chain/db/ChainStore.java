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
import java.util.concurrent.locks.ReentrantReadWriteLock;
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

    private static final byte STATE = 0x00, HEADER = 'H', BODY = 'B', NUMBER = 'N', OUTCOME = 'E', NONCE = 'A', META = 'M';
    private static final byte[] BEST = meta("best");

    private final RocksDB db;
    private final Options options;
    private final WriteOptions syncWrites;
    private final StateBackend state;
    private volatile boolean closed;
    /**
     * Readers hold the read side while they touch the native database; {@link #close} takes the
     * write side. A read racing a close then fails with a StoreException instead of using a
     * freed RocksDB handle (which crashes the JVM).
     */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

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
            Options o = new Options().setCreateIfMissing(true).setMaxOpenFiles(256).setKeepLogFileNum(2);
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
    public void commitBlock(BlockHeader header, List<byte[]> body, ChangeSet stateChanges, BlockOutcome outcome, Map<AccountId, Long> nonces) {
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
            for (Map.Entry<AccountId, Long> n : nonces.entrySet()) b.put(key(NONCE, n.getKey().bytes()), new ScaleWriter().u64(n.getValue()).toByteArray());
            b.put(BEST, be(header.number()));
            write(b);
        } catch (RocksDBException e) {
            throw new StoreException("cannot write block " + header.number() + ": " + e.getMessage(), e);
        }
    }

    /** A consistent read-only view of the state as of now, unaffected by later commits. Close it after use. */
    public SnapshotView snapshot() {
        return new SnapshotView();
    }

    /** A point-in-time view of the state (a RocksDB snapshot). */
    public final class SnapshotView implements StateView, AutoCloseable {
        private final Snapshot snapshot;
        private final ReadOptions read;

        private SnapshotView() {
            enter();
            try {
                snapshot = db.getSnapshot();
                read = new ReadOptions().setSnapshot(snapshot);
            } finally {
                exit();
            }
        }

        @Override
        public byte[] get(byte[] key) {
            enter();
            try {
                return db.get(read, key(STATE, key));
            } catch (RocksDBException e) {
                throw new StoreException("state read failed: " + e.getMessage(), e);
            } finally {
                exit();
            }
        }

        @Override
        public void scan(byte[] prefix, Visitor visitor) {
            ChainStore.this.scan(read, prefix, visitor);
        }

        @Override
        public void close() {
            lifecycle.readLock().lock();
            try {
                // a closed database has released its snapshots already
                if (!closed) db.releaseSnapshot(snapshot);
            } finally {
                lifecycle.readLock().unlock();
                read.close();
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
            ChainStore.this.scan(read, prefix, visitor);
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
        enter();
        try (RocksIterator it = db.newIterator(read)) {
            for (it.seek(start); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length < start.length || !Arrays.equals(k, 0, start.length, start, 0, start.length)) return;
                if (!visitor.visit(Arrays.copyOfRange(k, 1, k.length), it.value())) return;
            }
        } finally {
            exit();
        }
    }

    private void write(WriteBatch b) throws RocksDBException {
        enter();
        try {
            db.write(syncWrites, b);
        } finally {
            exit();
        }
    }

    private byte[] get(byte[] key) {
        enter();
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        } finally {
            exit();
        }
    }

    /** Takes the read side of the lifecycle lock; throws if the database is closed. */
    private void enter() {
        lifecycle.readLock().lock();
        if (closed) {
            lifecycle.readLock().unlock();
            throw new StoreException("the chain database is closed", null);
        }
    }

    private void exit() {
        lifecycle.readLock().unlock();
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

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            syncWrites.close();
            db.close();
            options.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
