package dev.hyperj.overwatch;

/**
 * Where a block lies in the chain's overwatch calendar (CHAIN.md): overwatch epoch = block /
 * (EpochLength * multiplier); commits are accepted in the first {@link #COMMIT_PERCENT}% of it,
 * reveals after; the chain scores an overwatch epoch one block after it ends.
 *
 * @param epoch    the overwatch epoch
 * @param start    its first block
 * @param length   its length in blocks
 * @param block    the block this window was computed for
 */
public record OverwatchWindow(long epoch, long start, long length, long block) {
    /** The commit cutoff of the chain's runtime (OverwatchCommitCutoffPercent). */
    public static final int COMMIT_PERCENT = 80;

    public static OverwatchWindow at(long block, int epochLength, int multiplier) {
        if (block < 0 || epochLength < 1 || multiplier < 1) throw new IllegalArgumentException("bad calendar");
        long len = (long) epochLength * multiplier;
        long e = block / len;
        return new OverwatchWindow(e, e * len, len, block);
    }

    /** The first block in which the chain refuses commits and accepts reveals. */
    public long commitEnd() {
        return start + length * COMMIT_PERCENT / 100;
    }

    /** The first block of the next overwatch epoch. */
    public long end() {
        return start + length;
    }

    public boolean inCommitWindow() {
        return block < commitEnd();
    }

    /** Blocks left before the commit window closes (0 in the reveal window). */
    public long commitBlocksLeft() {
        return Math.max(0, commitEnd() - block);
    }

    /** How far through the epoch the block is, in [0, 1). */
    public double progress() {
        return (double) (block - start) / length;
    }
}
