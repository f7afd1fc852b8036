package dev.hyperj.subnet.peers;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ConnectionMaintainer} keeps a node connected (SUBNET.md, "Connection maintenance").
 *
 * @param interval     time between regular ticks (60 s)
 * @param target       peers a node aims for and the most it dials in one tick (64)
 * @param lowWater     below this many connected peers a tick dials on-chain peers (32)
 * @param floor        below this many a lost connection triggers a tick at once (target / 4)
 * @param dialTimeout  how long one dial (one address, or one DHT lookup) may take (5 s)
 * @param backoffBase  wait after a peer's first failed dial; doubled per further failure (15 s)
 * @param backoffMax   the longest wait between dials of one peer (10 min)
 * @param jitter       each wait is shortened by up to this fraction, at random, so that nodes
 *                     that lost the same peer do not all come back at once (0.2)
 * @param minTickGap   least time between two ticks, so that a flapping peer cannot make the
 *                     floor trigger spin (1 s)
 * @param snapshotMaxAgeBlocks how many blocks old the epoch tracker's snapshot may be to stand
 *                     in for a fresh read of the chain (0: only a snapshot of the best block)
 */
public record MaintenanceConfig(
        Duration interval,
        int target,
        int lowWater,
        int floor,
        Duration dialTimeout,
        Duration backoffBase,
        Duration backoffMax,
        double jitter,
        Duration minTickGap,
        long snapshotMaxAgeBlocks) {
    public MaintenanceConfig {
        positive(interval, "interval");
        positive(dialTimeout, "dial timeout");
        positive(backoffBase, "backoff base");
        positive(backoffMax, "backoff max");
        Objects.requireNonNull(minTickGap, "minTickGap");
        if (minTickGap.isNegative()) throw new IllegalArgumentException("negative minimum tick gap");
        if (backoffMax.compareTo(backoffBase) < 0) throw new IllegalArgumentException("backoff max below its base");
        if (target < 1) throw new IllegalArgumentException("target must be positive");
        if (floor < 0 || floor > lowWater || lowWater > target)
            throw new IllegalArgumentException("need 0 <= floor <= lowWater <= target");
        if (!(jitter >= 0 && jitter < 1)) throw new IllegalArgumentException("jitter must be in [0, 1)");
        if (snapshotMaxAgeBlocks < 0) throw new IllegalArgumentException("negative snapshot age");
    }

    /** SUBNET.md's numbers: every minute, 64 peers target, dial below 32, react at once below 16. */
    public static MaintenanceConfig defaults() {
        return new MaintenanceConfig(
                Duration.ofSeconds(60),
                64,
                32,
                16,
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                Duration.ofMinutes(10),
                0.2,
                Duration.ofSeconds(1),
                0);
    }

    public MaintenanceConfig withInterval(Duration d) {
        return new MaintenanceConfig(
                d,
                target,
                lowWater,
                floor,
                dialTimeout,
                backoffBase,
                backoffMax,
                jitter,
                minTickGap,
                snapshotMaxAgeBlocks);
    }

    /** Target and low water; the floor becomes a quarter of the target. */
    public MaintenanceConfig withTarget(int target, int lowWater) {
        return new MaintenanceConfig(
                interval,
                target,
                lowWater,
                Math.min(lowWater, target / 4),
                dialTimeout,
                backoffBase,
                backoffMax,
                jitter,
                minTickGap,
                snapshotMaxAgeBlocks);
    }

    public MaintenanceConfig withFloor(int f) {
        return new MaintenanceConfig(
                interval,
                target,
                lowWater,
                f,
                dialTimeout,
                backoffBase,
                backoffMax,
                jitter,
                minTickGap,
                snapshotMaxAgeBlocks);
    }

    public MaintenanceConfig withDialTimeout(Duration d) {
        return new MaintenanceConfig(
                interval,
                target,
                lowWater,
                floor,
                d,
                backoffBase,
                backoffMax,
                jitter,
                minTickGap,
                snapshotMaxAgeBlocks);
    }

    public MaintenanceConfig withBackoff(Duration base, Duration max, double jitter) {
        return new MaintenanceConfig(
                interval, target, lowWater, floor, dialTimeout, base, max, jitter, minTickGap, snapshotMaxAgeBlocks);
    }

    public MaintenanceConfig withMinTickGap(Duration d) {
        return new MaintenanceConfig(
                interval,
                target,
                lowWater,
                floor,
                dialTimeout,
                backoffBase,
                backoffMax,
                jitter,
                d,
                snapshotMaxAgeBlocks);
    }

    public MaintenanceConfig withSnapshotMaxAgeBlocks(long blocks) {
        return new MaintenanceConfig(
                interval, target, lowWater, floor, dialTimeout, backoffBase, backoffMax, jitter, minTickGap, blocks);
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive");
    }
}
