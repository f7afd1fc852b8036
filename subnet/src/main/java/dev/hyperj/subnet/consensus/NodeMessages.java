package dev.hyperj.subnet.consensus;

import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.p2p.gossipsub.ValidationResult;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochView;
import java.util.Optional;

/**
 * The checks every per-epoch gossip message from a subnet node needs (heartbeats, an
 * application's own epoch messages): is its signed sender the on-chain node it names, in this
 * subnet, for an epoch we are in?
 */
public final class NodeMessages {
    private NodeMessages() {}

    /**
     * REJECT (the sender is penalised) when the message names another subnet or its sender is not
     * the node it claims; IGNORE (no offence) when it cannot be judged now: no epoch seen yet, a
     * sender not in this epoch's snapshot (a node registered during the epoch), or an epoch other
     * than the current one or the next; ACCEPT otherwise. The next epoch is accepted because at an
     * epoch boundary a sender's tracker may be a head ahead of ours: dropping its message would
     * leave this node, alone, without it, and the nodes' scores would differ.
     */
    public static ValidationResult check(EpochView tracker, PeerId sender, int subnetId, int subnetNodeId, long epoch) {
        if (subnetId != tracker.subnetId()) return ValidationResult.REJECT;
        Optional<EpochEvent> current = tracker.current();
        Optional<EpochPosition> now = tracker.position();
        if (current.isEmpty() || now.isEmpty()) return ValidationResult.IGNORE;
        Optional<SubnetNodeInfo> node = current.get().snapshot().nodeByPeerId(sender.toBase58());
        if (node.isEmpty()) return ValidationResult.IGNORE;
        if (node.get().node().id() != subnetNodeId) return ValidationResult.REJECT;
        long ours = now.get().epoch();
        return epoch == ours || epoch == ours + 1 ? ValidationResult.ACCEPT : ValidationResult.IGNORE;
    }
}
