package dev.hyperj.chain.storage;

import java.util.Arrays;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A sorted batch of writes: key -> new value, or null for a delete. Immutable once built. */
public final class ChangeSet {
    private final NavigableMap<byte[], byte[]> changes;

    ChangeSet(NavigableMap<byte[], byte[]> changes) {
        this.changes = Collections.unmodifiableNavigableMap(changes);
    }

    public static ChangeSet empty() {
        return new ChangeSet(new TreeMap<>(Arrays::compareUnsigned));
    }

    /** The writes in key order; a null value deletes the key. Arrays must not be modified. */
    public NavigableMap<byte[], byte[]> entries() {
        return changes;
    }

    public int size() {
        return changes.size();
    }
}
