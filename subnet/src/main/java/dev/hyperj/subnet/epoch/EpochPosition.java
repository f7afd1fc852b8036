package dev.hyperj.subnet.epoch;

/**
 * Where a subnet is in its own epoch at a block. Subnet epochs start at the subnet's slot block:
 * {@code epoch = (block - slot) / epochLength} (0 before the slot), the same rule the runtime uses.
 *
 * @param block       the chain block
 * @param epoch       the subnet epoch at that block
 * @param slot        the subnet's slot (first block of each of its epochs, modulo epochLength)
 * @param epochLength blocks per epoch
 */
public record EpochPosition(long block, long epoch, int slot, int epochLength) {
    public EpochPosition {
        if (epochLength < 1) throw new IllegalArgumentException("epoch length must be positive");
        if (slot < 0) throw new IllegalArgumentException("negative slot");
    }

    /** The position of {@code block} for a subnet at {@code slot}. */
    public static EpochPosition at(long block, int slot, int epochLength) {
        long epoch = block < slot ? 0 : (block - slot) / epochLength;
        return new EpochPosition(block, epoch, slot, epochLength);
    }

    /** Blocks into the current epoch, in [0, epochLength). */
    public long blocksIntoEpoch() {
        return block < slot ? 0 : (block - slot) % epochLength;
    }

    /** Fraction of the epoch gone by, in [0, 1). */
    public double progress() {
        return (double) blocksIntoEpoch() / epochLength;
    }

    /** The first block of the current epoch. */
    public long epochStartBlock() {
        return block < slot ? 0 : (long) slot + epoch * epochLength;
    }

    /** The first block of the next epoch. */
    public long nextEpochBlock() {
        return block < slot ? slot : epochStartBlock() + epochLength;
    }
}
