package dev.hyperj.subnet.epoch;

/**
 * A new subnet epoch began (or the tracker first saw it).
 *
 * @param position  where the subnet is at the block that revealed the new epoch
 * @param snapshot  the chain's view of the subnet, read once for this epoch
 * @param skipped   epochs that passed unseen since the previous event (a node that fell behind)
 */
public record EpochEvent(EpochPosition position, SubnetSnapshot snapshot, long skipped) {
    public long epoch() {
        return position.epoch();
    }

    public int subnetId() {
        return snapshot.subnetId();
    }
}
