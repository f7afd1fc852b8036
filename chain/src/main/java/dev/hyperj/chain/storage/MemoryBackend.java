package dev.hyperj.chain.storage;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** An in-memory {@link StateBackend} over a sorted map. Not thread-safe. */
public final class MemoryBackend implements StateBackend {
    private final NavigableMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    @Override
    public void scan(byte[] prefix, Visitor visitor) {
        Map<byte[], byte[]> tail = prefix.length == 0 ? map : map.tailMap(prefix, true);
        for (Map.Entry<byte[], byte[]> e : tail.entrySet()) {
            if (!startsWith(e.getKey(), prefix)) return;
            if (!visitor.visit(e.getKey(), e.getValue())) return;
        }
    }

    @Override
    public void apply(ChangeSet changes) {
        for (Map.Entry<byte[], byte[]> e : changes.entries().entrySet()) {
            if (e.getValue() == null) map.remove(e.getKey());
            else map.put(e.getKey(), e.getValue());
        }
    }

    public int size() {
        return map.size();
    }

    /** An independent copy (for benchmarks and what-if runs). */
    public MemoryBackend copy() {
        MemoryBackend c = new MemoryBackend();
        c.map.putAll(map);
        return c;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
