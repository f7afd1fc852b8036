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
        return toBuilder().announceEvery(d).build();
    }

    public SyncConfig withRate(double perSecond, int burst) {
        return toBuilder().rate(perSecond, burst).build();
    }

    /** At most {@code running} catch-ups at once, {@code waiting} candidates kept (see {@link CatchUps}). */
    public SyncConfig withCatchUps(int running, int waiting) {
        return toBuilder().catchUps(running, waiting).build();
    }

    /**
     * Announcements list at most {@code heads} heads, the most recently accepted: in a wide DAG
     * (every node's reveal is a head until pruned) a full list is 1024 ids, 72 KiB that every node
     * sends and checks every few seconds. A newcomer still gets every head from its catch-up's
     * inventory.
     */
    public SyncConfig withMaxAnnouncedHeads(int heads) {
        return toBuilder().maxAnnouncedHeads(heads).build();
    }

    /** A builder holding this configuration; {@link Builder#build()} validates like the constructor. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some numbers of a configuration; the record's constructor validates the result. */
    public static final class Builder {
        private int batch;
        private int maxAncestorDepth;
        private int maxResponseNodes;
        private int maxResponseBytes;
        private double requestsPerSecond;
        private int burst;
        private Duration announceEvery;
        private Duration requestTimeout;
        private int maxCatchUps;
        private int maxWaitingCatchUps;
        private Duration catchUpBackoff;
        private int maxAnnouncedHeads;

        private Builder(SyncConfig c) {
            batch = c.batch;
            maxAncestorDepth = c.maxAncestorDepth;
            maxResponseNodes = c.maxResponseNodes;
            maxResponseBytes = c.maxResponseBytes;
            requestsPerSecond = c.requestsPerSecond;
            burst = c.burst;
            announceEvery = c.announceEvery;
            requestTimeout = c.requestTimeout;
            maxCatchUps = c.maxCatchUps;
            maxWaitingCatchUps = c.maxWaitingCatchUps;
            catchUpBackoff = c.catchUpBackoff;
            maxAnnouncedHeads = c.maxAnnouncedHeads;
        }

        public Builder announceEvery(Duration d) {
            announceEvery = d;
            return this;
        }

        public Builder rate(double perSecond, int burst) {
            requestsPerSecond = perSecond;
            this.burst = burst;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            requestTimeout = timeout;
            return this;
        }

        public Builder catchUps(int running, int waiting) {
            maxCatchUps = running;
            maxWaitingCatchUps = waiting;
            return this;
        }

        public Builder catchUpBackoff(Duration backoff) {
            catchUpBackoff = backoff;
            return this;
        }

        public Builder maxAnnouncedHeads(int heads) {
            maxAnnouncedHeads = heads;
            return this;
        }

        public SyncConfig build() {
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
                    maxAnnouncedHeads);
        }
    }
}
