package dev.hyperj.chain.storage;

/**
 * Where the chain state lives: a sorted byte-key store. The runtime never writes to it directly:
 * it accumulates a {@link ChangeSet} in an {@link Overlay} and the caller applies it atomically
 * (in memory now; issue 7 maps {@link #apply} onto a RocksDB write batch).
 */
public interface StateBackend extends StateView {
    /** Applies every change at once: puts and deletes (null values). */
    void apply(ChangeSet changes);
}
