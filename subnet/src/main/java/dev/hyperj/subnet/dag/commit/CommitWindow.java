package dev.hyperj.subnet.dag.commit;

import dev.hyperj.subnet.epoch.EpochPosition;

/**
 * When commits and reveals of an epoch count, judged by this node's own epoch clock when the node
 * reaches it (the DAG itself carries only the authors' claims of time). Honest nodes commit early
 * in the epoch and reveal from its middle ({@link #revealFrom}); a commit counts only if it arrives
 * before {@link #commitUntil} (two blocks before the middle), so that a node one block ahead or
 * behind still counts an honest commit, while a commit made after seeing any reveal (which reaches
 * no one before the middle minus one block) counts for nothing. A reveal counts from one block
 * before the middle to the first block of the next epoch.
 */
public final class CommitWindow {
    private CommitWindow() {}

    /** First block into the epoch at which honest nodes reveal. */
    public static long revealFrom(int epochLength) {
        return epochLength / 2;
    }

    /** Commits arriving at or after this many blocks into the epoch are late. */
    public static long commitUntil(int epochLength) {
        return Math.max(1, epochLength / 2 - 2);
    }

    public static boolean commitCounts(long epoch, EpochPosition at) {
        long b = at.blocksIntoEpoch();
        return at.epoch() == epoch && b < commitUntil(at.epochLength())
                || at.epoch() == epoch - 1 && b == at.epochLength() - 1;
    }

    public static boolean revealCounts(long epoch, EpochPosition at) {
        long b = at.blocksIntoEpoch();
        return at.epoch() == epoch && b + 1 >= revealFrom(at.epochLength()) || at.epoch() == epoch + 1 && b == 0;
    }
}
