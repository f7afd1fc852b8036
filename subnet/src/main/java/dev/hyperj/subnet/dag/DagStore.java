package dev.hyperj.subnet.dag;

import java.util.Collection;
import java.util.Optional;

/**
 * Where accepted nodes live: {@link MemoryDagStore} or {@link RocksDagStore}. Only
 * {@link MerkleDag} writes to it (ingest and pruning), under its lock; reads may come from any
 * thread.
 */
public interface DagStore extends DagReader, AutoCloseable {
    /** Stores an accepted node under {@code epoch}; its parents stop being heads and it becomes one. */
    void put(DagNode node, long epoch);

    /** Removes pruned nodes (their ids remain known through the checkpoint's boundary). */
    void remove(Collection<String> ids);

    /** The latest checkpoint pruning left, if any. */
    Optional<Checkpoint> checkpoint();

    void checkpoint(Checkpoint checkpoint);

    /** Approximate bytes held (node encodings and index entries). */
    long bytes();

    @Override
    void close();
}
