package dev.hyperj.chain.storage;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Uncommitted writes on top of a parent view: reads see the writes first. A block runs in one
 * overlay over the backend and each call in a child overlay: {@link #commit()} folds a call's
 * writes into its parent, dropping the child discards them (Substrate's transactional calls).
 */
public final class Overlay implements StateView {
    private static final byte[] TOMBSTONE = new byte[0];
    private final StateView parent;
    private final NavigableMap<byte[], byte[]> writes = new TreeMap<>(Arrays::compareUnsigned);

    public Overlay(StateView parent) {
        this.parent = parent;
    }

    /** A child overlay whose writes reach this one only on {@link #commit()}. */
    public Overlay child() {
        return new Overlay(this);
    }

    @Override
    public byte[] get(byte[] key) {
        byte[] v = writes.get(key);
        if (v != null) return v == TOMBSTONE ? null : v;
        return parent.get(key);
    }

    public void put(byte[] key, byte[] value) {
        writes.put(key.clone(), value.clone());
    }

    public void delete(byte[] key) {
        writes.put(key.clone(), TOMBSTONE);
    }

    /** Deletes every key under {@code prefix} (as seen through this overlay). */
    public void deletePrefix(byte[] prefix) {
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        scan(prefix, (k, v) -> keys.add(k));
        for (byte[] k : keys) writes.put(k, TOMBSTONE);
    }

    @Override
    public void scan(byte[] prefix, Visitor visitor) {
        NavigableMap<byte[], byte[]> mine = prefix.length == 0 ? writes : writes.tailMap(prefix, true);
        Iterator<Map.Entry<byte[], byte[]>> it = mine.entrySet().iterator();
        List<Map.Entry<byte[], byte[]>> head = new java.util.ArrayList<>(1);
        head.add(next(it, prefix));
        boolean[] stopped = {false};
        parent.scan(prefix, (k, v) -> {
            // Emit this overlay's keys that sort before the parent's key, then the parent's (or our override).
            while (head.get(0) != null && Arrays.compareUnsigned(head.get(0).getKey(), k) < 0) {
                if (!emit(head.get(0), visitor)) return !(stopped[0] = true);
                head.set(0, next(it, prefix));
            }
            if (head.get(0) != null && Arrays.equals(head.get(0).getKey(), k)) {
                boolean go = emit(head.get(0), visitor);
                head.set(0, next(it, prefix));
                if (!go) stopped[0] = true;
                return go;
            }
            if (!visitor.visit(k, v)) return !(stopped[0] = true);
            return true;
        });
        if (stopped[0]) return;
        while (head.get(0) != null) {
            if (!emit(head.get(0), visitor)) return;
            head.set(0, next(it, prefix));
        }
    }

    private static boolean emit(Map.Entry<byte[], byte[]> e, Visitor visitor) {
        return e.getValue() == TOMBSTONE || visitor.visit(e.getKey(), e.getValue());
    }

    private static Map.Entry<byte[], byte[]> next(Iterator<Map.Entry<byte[], byte[]>> it, byte[] prefix) {
        if (!it.hasNext()) return null;
        Map.Entry<byte[], byte[]> e = it.next();
        return MemoryBackend.startsWith(e.getKey(), prefix) ? e : null;
    }

    /** Folds these writes into the parent overlay. */
    public void commit() {
        if (!(parent instanceof Overlay p))
            throw new IllegalStateException("commit() folds into a parent overlay; use changes() for a backend");
        p.writes.putAll(writes);
        writes.clear();
    }

    /** The writes as a change set for {@link StateBackend#apply}. */
    public ChangeSet changes() {
        TreeMap<byte[], byte[]> out = new TreeMap<>(Arrays::compareUnsigned);
        for (Map.Entry<byte[], byte[]> e : writes.entrySet())
            out.put(e.getKey(), e.getValue() == TOMBSTONE ? null : e.getValue());
        return new ChangeSet(out);
    }

    public int pendingWrites() {
        return writes.size();
    }
}
