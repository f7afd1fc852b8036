package dev.hyperj.subnet.dag;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A {@link DagStore} in RocksDB. Every lookup is a point read or a prefix seek on one of these
 * key families (never a scan of the whole store):
 *
 * <pre>
 * n id                      -> epoch (8 bytes) + the node's canonical JSON   by id
 * c parent 0x00 child       -> ()                                           by parent
 * e namespace 0x00 epoch id -> ()                                           by namespace and epoch
 * h id                      -> ()                                           heads
 * s namespace               -> ()                                           namespaces
 * m count | m bytes | m checkpoint                                          totals, checkpoint
 * </pre>
 *
 * Each put or removal is one atomic write batch, totals included.
 */
public final class RocksDagStore implements DagStore {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte N = 'n', C = 'c', E = 'e', H = 'h', S = 's';
    private static final byte[] COUNT = "mcount".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES = "mbytes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHECKPOINT = "mcheckpoint".getBytes(StandardCharsets.US_ASCII);

    private final RocksDB db;
    private final Options options;
    private final WriteOptions write = new WriteOptions();
    private long count, bytes;
    private Checkpoint checkpoint;
    private volatile boolean closed;
    /** Readers and writers hold it shared, close exclusively: RocksDB freed under a reader would crash the JVM. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock lock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    private <T> T guarded(java.util.function.Supplier<T> op) {
        lock.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("DAG store closed");
            return op.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private RocksDagStore(RocksDB db, Options options) throws RocksDBException {
        this.db = db;
        this.options = options;
        byte[] c = db.get(COUNT), b = db.get(BYTES), cp = db.get(CHECKPOINT);
        count = c == null ? 0 : ByteBuffer.wrap(c).getLong();
        bytes = b == null ? 0 : ByteBuffer.wrap(b).getLong();
        checkpoint = cp == null ? null : Checkpoint.decode(cp);
    }

    public static RocksDagStore open(Path dir) {
        try {
            Files.createDirectories(dir);
            Options o =
                    new Options().setCreateIfMissing(true).setMaxOpenFiles(128).setKeepLogFileNum(2);
            return new RocksDagStore(RocksDB.open(o, dir.toString()), o);
        } catch (RocksDBException | java.io.IOException e) {
            throw new DagStoreException("cannot open the DAG store in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static byte[] key(byte family, String... parts) {
        int n = 1;
        byte[][] bs = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            bs[i] = parts[i].getBytes(StandardCharsets.UTF_8);
            n += bs[i].length + (i < parts.length - 1 ? 1 : 0);
        }
        ByteBuffer b = ByteBuffer.allocate(n).put(family);
        for (int i = 0; i < bs.length; i++) {
            b.put(bs[i]);
            if (i < bs.length - 1) b.put((byte) 0);
        }
        return b.array();
    }

    private static byte[] epochPrefix(String namespace, long epoch) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + ns.length + 1 + 8)
                .put(E)
                .put(ns)
                .put((byte) 0)
                .putLong(epoch)
                .array();
    }

    private static byte[] concat(byte[] a, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private byte[] read(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new DagStoreException("DAG store read failed: " + e.getMessage(), e);
        }
    }

    /** Keys under {@code prefix}, suffixes only, at most {@code max}. */
    private List<byte[]> suffixes(byte[] prefix, int max) {
        List<byte[]> out = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions().setPrefixSameAsStart(true);
                RocksIterator it = db.newIterator(ro)) {
            for (it.seek(prefix); it.isValid() && out.size() < max; it.next()) {
                byte[] k = it.key();
                if (!startsWith(k, prefix)) break;
                out.add(Arrays.copyOfRange(k, prefix.length, k.length));
            }
        }
        return out;
    }

    private static boolean startsWith(byte[] k, byte[] prefix) {
        if (k.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (k[i] != prefix[i]) return false;
        return true;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public Optional<DagNode> get(String id) {
        return guarded(() -> {
            byte[] v = read(key(N, id));
            return v == null ? Optional.empty() : Optional.of(DagNode.decode(Arrays.copyOfRange(v, 8, v.length)));
        });
    }

    @Override
    public boolean contains(String id) {
        return guarded(() -> {
            return read(key(N, id)) != null;
        });
    }

    @Override
    public List<String> children(String id) {
        return guarded(() -> {
            return suffixes(key(C, id, ""), Integer.MAX_VALUE).stream()
                    .map(RocksDagStore::text)
                    .toList();
        });
    }

    @Override
    public List<String> ids(String namespace, long epoch) {
        return guarded(() -> {
            return suffixes(epochPrefix(namespace, epoch), Integer.MAX_VALUE).stream()
                    .map(RocksDagStore::text)
                    .toList();
        });
    }

    @Override
    public NavigableSet<Long> epochs(String namespace) {
        return guarded(() -> {
            TreeSet<Long> out = new TreeSet<>();
            byte[] nsPrefix = key(E, namespace, "");
            try (RocksIterator it = db.newIterator()) {
                it.seek(nsPrefix);
                while (it.isValid() && startsWith(it.key(), nsPrefix)) {
                    long e = ByteBuffer.wrap(it.key(), nsPrefix.length, 8).getLong();
                    out.add(e);
                    if (e == Long.MAX_VALUE) break;
                    it.seek(epochPrefix(namespace, e + 1)); // skip the epoch's nodes: one seek per epoch
                }
            }
            return out;
        });
    }

    @Override
    public SortedSet<String> namespaces() {
        return guarded(() -> {
            TreeSet<String> out = new TreeSet<>();
            for (byte[] s : suffixes(new byte[] {S}, Integer.MAX_VALUE)) out.add(text(s));
            return out;
        });
    }

    @Override
    public SortedSet<String> heads() {
        return guarded(() -> {
            TreeSet<String> out = new TreeSet<>();
            for (byte[] s : suffixes(new byte[] {H}, Integer.MAX_VALUE)) out.add(text(s));
            return out;
        });
    }

    @Override
    public synchronized long count() {
        return count;
    }

    @Override
    public long epochOf(String id) {
        return guarded(() -> {
            byte[] v = read(key(N, id));
            return v == null ? -1 : ByteBuffer.wrap(v).getLong();
        });
    }

    @Override
    public synchronized void put(DagNode node, long epoch) {
        guarded(() -> {
            String id = node.id();
            if (contains(id)) return null;
            byte[] enc = node.encode();
            byte[] value =
                    ByteBuffer.allocate(8 + enc.length).putLong(epoch).put(enc).array();
            try (WriteBatch b = new WriteBatch()) {
                b.put(key(N, id), value);
                for (String p : node.header().parentIds()) {
                    b.put(key(C, p, id), new byte[0]);
                    b.delete(key(H, p));
                }
                if (suffixes(key(C, id, ""), 1).isEmpty()) b.put(key(H, id), new byte[0]);
                b.put(concat(epochPrefix(node.header().namespace(), epoch), id), new byte[0]);
                b.put(key(S, node.header().namespace()), new byte[0]);
                b.put(COUNT, longBytes(count + 1));
                b.put(BYTES, longBytes(bytes + value.length));
                db.write(write, b);
                count++;
                bytes += value.length;
            } catch (RocksDBException e) {
                throw new DagStoreException("DAG store write failed: " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public synchronized void remove(Collection<String> ids) {
        guarded(() -> {
            long c = count, by = bytes;
            TreeSet<String> touched = new TreeSet<>();
            try (WriteBatch b = new WriteBatch()) {
                for (String id : ids) {
                    byte[] v = read(key(N, id));
                    if (v == null) continue;
                    long epoch = ByteBuffer.wrap(v).getLong();
                    DagNode n = DagNode.decode(Arrays.copyOfRange(v, 8, v.length));
                    b.delete(key(N, id));
                    b.delete(key(H, id));
                    for (String p : n.header().parentIds()) b.delete(key(C, p, id));
                    b.delete(concat(epochPrefix(n.header().namespace(), epoch), id));
                    touched.add(n.header().namespace());
                    c--;
                    by -= v.length;
                }
                b.put(COUNT, longBytes(c));
                b.put(BYTES, longBytes(by));
                db.write(write, b);
                count = c;
                bytes = by;
                for (String ns : touched) if (suffixes(key(E, ns, ""), 1).isEmpty()) db.delete(key(S, ns));
            } catch (RocksDBException e) {
                throw new DagStoreException("DAG store write failed: " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public synchronized Optional<Checkpoint> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    @Override
    public synchronized void checkpoint(Checkpoint cp) {
        guarded(() -> {
            try {
                db.put(write, CHECKPOINT, cp.encode());
                checkpoint = cp;
            } catch (RocksDBException e) {
                throw new DagStoreException("DAG store write failed: " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public synchronized long bytes() {
        return bytes + (checkpoint == null ? 0 : checkpoint.encode().length);
    }

    /** RocksDB's own estimate of live data (SST files and memtables), for tests of boundedness. */
    public long liveBytes() {
        return guarded((java.util.function.Supplier<Long>) () -> {
            try {
                return db.getLongProperty("rocksdb.estimate-live-data-size")
                        + db.getLongProperty("rocksdb.cur-size-all-mem-tables");
            } catch (RocksDBException e) {
                return -1L;
            }
        });
    }

    /** Flushes memtables and compacts, so that removed keys free their space (tests, benchmarks). */
    public void compact() {
        guarded(() -> {
            try {
                db.compactRange();
            } catch (RocksDBException e) {
                throw new DagStoreException("DAG store compaction failed: " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
        db.close();
        options.close();
        write.close();
    }
}
