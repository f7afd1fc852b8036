package dev.hyperj.subnet.dag.sync;

import java.time.Duration;

/**
 * Numbers of the DAG's sync: fetch batches of {@code batch} ids (32, SUBNET.md), ancestors to at
 * most {@code maxAncestorDepth} levels, responses of at most {@code maxResponseNodes} nodes and
 * {@code maxResponseBytes}; each peer may make {@code requestsPerSecond} requests (bursts of
 * {@code burst}); heads are announced every {@code announceEvery}.
 */
public record SyncConfig(
        int batch,
        int maxAncestorDepth,
        int maxResponseNodes,
        int maxResponseBytes,
        double requestsPerSecond,
        int burst,
        Duration announceEvery,
        Duration requestTimeout) {
    public SyncConfig {
        if (batch < 1
                || maxAncestorDepth < 0
                || maxResponseNodes < 1
                || maxResponseBytes < 1024
                || requestsPerSecond <= 0
                || burst < 1) throw new IllegalArgumentException("sync limits must be positive");
    }

    public static SyncConfig defaults() {
        return new SyncConfig(32, 64, 256, 1 << 20, 50, 200, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    public SyncConfig withAnnounceEvery(Duration d) {
        return new SyncConfig(
                batch,
                maxAncestorDepth,
                maxResponseNodes,
                maxResponseBytes,
                requestsPerSecond,
                burst,
                d,
                requestTimeout);
    }

    public SyncConfig withRate(double perSecond, int burst) {
        return new SyncConfig(
                batch,
                maxAncestorDepth,
                maxResponseNodes,
                maxResponseBytes,
                perSecond,
                burst,
                announceEvery,
                requestTimeout);
    }
}
