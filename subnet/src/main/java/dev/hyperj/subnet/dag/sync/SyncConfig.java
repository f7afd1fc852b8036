package dev.hyperj.subnet.dag.sync;

import java.time.Duration;

/**
 * Numbers of the DAG's sync: fetch batches of {@code batch} ids (32, SUBNET.md), ancestors to at
 * most {@code maxAncestorDepth} levels, responses of at most {@code maxResponseNodes} nodes and
 * {@code maxResponseBytes}; each peer may make {@code requestsPerSecond} requests (bursts of
 * {@code burst}); heads are announced every {@code announceEvery}. A node catches up with at most
 * {@code maxCatchUps} peers at once and keeps the {@code maxWaitingCatchUps} most recent other
 * candidates ({@link CatchUps}); a peer whose catch-up failed waits {@code catchUpBackoff}, doubled
 * with each failure in a row up to a minute. An announcement lists at most {@code maxAnnouncedHeads}
 * heads, the most recently accepted (1024, the most a receiver reads).
 */
public record SyncConfig(
        int batch,
        int maxAncestorDepth,
        int maxResponseNodes,
        int maxResponseBytes,
        double requestsPerSecond,
        int burst,
        Duration announceEvery,
        Duration requestTimeout,
        int maxCatchUps,
        int maxWaitingCatchUps,
        Duration catchUpBackoff,
        int maxAnnouncedHeads) {
    public SyncConfig {
        if (batch < 1
                || maxAncestorDepth < 0
                || maxResponseNodes < 1
                || maxResponseBytes < 1024
                || requestsPerSecond <= 0
                || burst < 1
                || maxCatchUps < 1
                || maxWaitingCatchUps < 0
                || catchUpBackoff.isNegative()
                || maxAnnouncedHeads < 1
                || maxAnnouncedHeads > 1024) throw new IllegalArgumentException("sync limits must be positive");
    }

    public static SyncConfig defaults() {
        return new SyncConfig(
                32,
                64,
                256,
                1 << 20,
                50,
                200,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                3,
                8,
                Duration.ofSeconds(2),
                1024);
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
                requestTimeout,
                maxCatchUps,
                maxWaitingCatchUps,
                catchUpBackoff,
                maxAnnouncedHeads);
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
                requestTimeout,
                maxCatchUps,
                maxWaitingCatchUps,
                catchUpBackoff,
                maxAnnouncedHeads);
    }

    /** At most {@code running} catch-ups at once, {@code waiting} candidates kept (see {@link CatchUps}). */
    public SyncConfig withCatchUps(int running, int waiting) {
        return new SyncConfig(
                batch,
                maxAncestorDepth,
                maxResponseNodes,
                maxResponseBytes,
                requestsPerSecond,
                burst,
                announceEvery,
                requestTimeout,
                running,
                waiting,
                catchUpBackoff,
                maxAnnouncedHeads);
    }

    /**
     * Announcements list at most {@code heads} heads, the most recently accepted: in a wide DAG
     * (every node's reveal is a head until pruned) a full list is 1024 ids, 72 KiB that every node
     * sends and checks every few seconds. A newcomer still gets every head from its catch-up's
     * inventory.
     */
    public SyncConfig withMaxAnnouncedHeads(int heads) {
        return new SyncConfig(
                batch,
                maxAncestorDepth,
                maxResponseNodes,
                maxResponseBytes,
                requestsPerSecond,
                burst,
                announceEvery,
                requestTimeout,
                maxCatchUps,
                maxWaitingCatchUps,
                catchUpBackoff,
                heads);
    }
}
