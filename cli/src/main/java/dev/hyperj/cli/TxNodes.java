package dev.hyperj.cli;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.cli.TxCommand.OnNode;
import dev.hyperj.cli.TxCommand.PeerOptions;
import dev.hyperj.cli.TxCommand.Tx;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hyperj tx register-node}, {@code update-node-*} and {@code remove-node}: subnet nodes. */
final class TxNodes {
    private TxNodes() {}

    @Command(name = "register-node", description = "Register a subnet node for a validator (signed by its coldkey).")
    static final class RegisterNode extends Tx<Call.RegisterSubnetNode> {
        @Option(names = "--validator-id", required = true)
        int validatorId;

        @Option(names = "--subnet", required = true)
        int subnetId;

        @Mixin
        PeerOptions peer;

        @Option(names = "--bootnode-peer-id")
        String bootnodePeerId;

        @Option(names = "--bootnode-multiaddr")
        String bootnodeMultiaddr;

        @Option(names = "--client-peer-id")
        String clientPeerId;

        @Option(names = "--client-multiaddr")
        String clientMultiaddr;

        @Option(names = "--hotkey", description = "The node's own hotkey (default: the validator's).")
        String hotkey;

        @Option(names = "--unique", description = "Unique parameter: 0x hex or text.")
        String unique;

        @Option(names = "--non-unique", description = "Non-unique parameter: 0x hex or text.")
        String nonUnique;

        @Option(names = "--stake", defaultValue = "100", description = "TENSOR, default ${DEFAULT-VALUE}.")
        String stake;

        @Option(
                names = "--max-burn",
                defaultValue = "1",
                description = "Most TENSOR to burn, default ${DEFAULT-VALUE}.")
        String maxBurn;

        Call.RegisterSubnetNode call() {
            return new Call.RegisterSubnetNode(
                    validatorId,
                    subnetId,
                    Optional.ofNullable(hotkey).map(ChainArgs::account),
                    peer.required(),
                    ChainArgs.peer(bootnodePeerId, bootnodeMultiaddr),
                    ChainArgs.peer(clientPeerId, clientMultiaddr),
                    ChainArgs.amount(stake),
                    Optional.ofNullable(unique).map(ChainArgs::bytes),
                    Optional.ofNullable(nonUnique).map(ChainArgs::bytes),
                    ChainArgs.amount(maxBurn));
        }
    }

    @Command(
            name = "update-node-hotkey",
            description = "Set (or with no --hotkey, clear) a node's own hotkey (coldkey).")
    static final class UpdateNodeHotkey extends OnNode<Call.UpdateNodeHotkey> {
        @Option(names = "--hotkey")
        String hotkey;

        Call.UpdateNodeHotkey call() {
            return new Call.UpdateNodeHotkey(
                    at.subnet, at.node, Optional.ofNullable(hotkey).map(ChainArgs::account));
        }
    }

    @Command(name = "update-node-peer", description = "Update a node's main peer info (coldkey).")
    static final class UpdateNodePeer extends OnNode<Call.UpdateNodePeerInfo> {
        @Mixin
        PeerOptions peer;

        Call.UpdateNodePeerInfo call() {
            return new Call.UpdateNodePeerInfo(at.subnet, at.node, peer.required());
        }
    }

    @Command(
            name = "update-node-bootnode",
            description = "Set (or with no --peer-id, clear) a node's bootnode peer info (coldkey).")
    static final class UpdateNodeBootnode extends OnNode<Call.UpdateNodeBootnodePeerInfo> {
        @Mixin
        PeerOptions peer;

        Call.UpdateNodeBootnodePeerInfo call() {
            return new Call.UpdateNodeBootnodePeerInfo(at.subnet, at.node, peer.optional());
        }
    }

    @Command(
            name = "update-node-client",
            description = "Set (or with no --peer-id, clear) a node's client peer info (coldkey).")
    static final class UpdateNodeClient extends OnNode<Call.UpdateNodeClientPeerInfo> {
        @Mixin
        PeerOptions peer;

        Call.UpdateNodeClientPeerInfo call() {
            return new Call.UpdateNodeClientPeerInfo(at.subnet, at.node, peer.optional());
        }
    }

    @Command(
            name = "update-node-unique",
            description = "Set (or with no --value, clear) a node's unique parameter, 0x hex or text (coldkey).")
    static final class UpdateNodeUnique extends OnNode<Call.UpdateNodeUnique> {
        @Option(names = "--value")
        String value;

        Call.UpdateNodeUnique call() {
            return new Call.UpdateNodeUnique(
                    at.subnet, at.node, Optional.ofNullable(value).map(ChainArgs::bytes));
        }
    }

    @Command(
            name = "update-node-non-unique",
            description = "Set (or with no --value, clear) a node's non-unique parameter (coldkey).")
    static final class UpdateNodeNonUnique extends OnNode<Call.UpdateNodeNonUnique> {
        @Option(names = "--value")
        String value;

        Call.UpdateNodeNonUnique call() {
            return new Call.UpdateNodeNonUnique(
                    at.subnet, at.node, Optional.ofNullable(value).map(ChainArgs::bytes));
        }
    }

    @Command(name = "remove-node", description = "Remove a subnet node (coldkey); its stake stays claimable.")
    static final class RemoveNode extends OnNode<Call.RemoveSubnetNode> {
        Call.RemoveSubnetNode call() {
            return new Call.RemoveSubnetNode(at.subnet, at.node);
        }
    }
}
