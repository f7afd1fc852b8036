package dev.hyperj.subnet.consensus;

import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.util.List;

/**
 * How a subnet scores its nodes for an epoch: the application's judgement of who did the work.
 * Called at the start of each subnet epoch for the one before it. Return each node at most once;
 * the chain keeps only nodes of class Included or higher.
 */
@FunctionalInterface
public interface Scorer {
    /**
     * @param epoch    the subnet epoch being scored (the previous one)
     * @param snapshot the chain's view of the subnet at the start of the current epoch
     */
    List<NodeScore> score(long epoch, SubnetSnapshot snapshot);
}
