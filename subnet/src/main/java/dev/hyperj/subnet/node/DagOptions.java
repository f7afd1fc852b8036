package dev.hyperj.subnet.node;

import dev.hyperj.subnet.dag.DagLimits;
import dev.hyperj.subnet.dag.sync.SyncConfig;

/**
 * How a node keeps its Merkle DAG: the ingest limits, the sync numbers, whether it is stored in
 * RocksDB under the node's storage directory (else in memory), and how many epochs it retains
 * before pruning older ones to a signed checkpoint.
 */
public record DagOptions(DagLimits limits, SyncConfig sync, boolean persistent, int retainEpochs) {
    public DagOptions {
        if (retainEpochs < 2) throw new IllegalArgumentException("retain at least 2 epochs");
    }

    /** RocksDB, default limits and sync, 64 epochs kept. */
    public static DagOptions defaults() {
        return new DagOptions(DagLimits.defaults(), SyncConfig.defaults(), true, 64);
    }

    public DagOptions withSync(SyncConfig s) {
        return new DagOptions(limits, s, persistent, retainEpochs);
    }

    public DagOptions inMemory() {
        return new DagOptions(limits, sync, false, retainEpochs);
    }

    public DagOptions withRetainEpochs(int n) {
        return new DagOptions(limits, sync, persistent, n);
    }
}
