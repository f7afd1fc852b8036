package dev.hyperj.subnet.dag;

/**
 * Bounds on what one node, and the ingest state machine, will hold. A node beyond them is rejected
 * with {@link RejectReason#OVERSIZED_BODY} or {@link RejectReason#MALFORMED}; the pools of orphans
 * and of headers waiting for their body drop their oldest entry when full, so a flood can cost an
 * honest node some retries, never unbounded memory.
 */
public record DagLimits(int maxBodyBytes, int maxParents, int maxOrphans, int maxPendingBodies) {
    /** Parents a header may list on the wire at all (the reader refuses more before anything else). */
    public static final int MAX_PARENTS_ON_WIRE = 256;
    /** Longest string field in a header. */
    public static final int MAX_FIELD_CHARS = 4096;

    public DagLimits {
        if (maxBodyBytes <= 0
                || maxParents <= 0
                || maxParents > MAX_PARENTS_ON_WIRE
                || maxOrphans <= 0
                || maxPendingBodies <= 0)
            throw new IllegalArgumentException("limits must be positive (parents at most " + MAX_PARENTS_ON_WIRE + ")");
    }

    /** 256 KiB bodies, 64 parents, 10,000 orphans, 10,000 headers waiting for a body. */
    public static DagLimits defaults() {
        return new DagLimits(256 * 1024, 64, 10_000, 10_000);
    }

    public DagLimits withMaxBodyBytes(int bytes) {
        return new DagLimits(bytes, maxParents, maxOrphans, maxPendingBodies);
    }

    public DagLimits withMaxOrphans(int n) {
        return new DagLimits(maxBodyBytes, maxParents, n, maxPendingBodies);
    }
}
