package dev.hyperj.cli;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.cli.TxCommand.Group;
import dev.hyperj.cli.TxCommand.OnNode;
import dev.hyperj.cli.TxCommand.OnSubnet;
import dev.hyperj.cli.TxCommand.Tx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hyperj tx collective ...}: the collective's (sudo's) calls. */
final class TxCollective {
    private TxCollective() {}

    @Command(
            name = "collective",
            description = "Collective (sudo account) calls.",
            mixinStandardHelpOptions = true,
            subcommands = {
                CollectiveRemoveSubnet.class,
                CollectiveRemoveNode.class,
                CollectiveOverwatchEligibility.class,
                CollectivePauseCooldown.class,
                CollectiveMaxSubnets.class
            })
    static final class Collective extends Group {}

    @Command(name = "remove-subnet", description = "Remove a subnet (reason Council).")
    static final class CollectiveRemoveSubnet extends OnSubnet<Call.CollectiveRemoveSubnet> {
        Call.CollectiveRemoveSubnet call() {
            return new Call.CollectiveRemoveSubnet(subnet.id);
        }
    }

    @Command(name = "remove-node", description = "Remove a subnet node.")
    static final class CollectiveRemoveNode extends OnNode<Call.CollectiveRemoveSubnetNode> {
        Call.CollectiveRemoveSubnetNode call() {
            return new Call.CollectiveRemoveSubnetNode(at.subnet, at.node);
        }
    }

    @Command(
            name = "overwatch-eligibility",
            description = "Whitelist (true) or not (false) a coldkey for overwatch: <coldkey> <true|false>.")
    static final class CollectiveOverwatchEligibility extends Tx<Call.CollectiveSetColdkeyOverwatchNodeEligibility> {
        @Parameters(index = "0", paramLabel = "<coldkey>")
        String coldkey;

        @Parameters(index = "1", paramLabel = "<eligible>")
        boolean eligible;

        Call.CollectiveSetColdkeyOverwatchNodeEligibility call() {
            return new Call.CollectiveSetColdkeyOverwatchNodeEligibility(ChainArgs.account(coldkey), eligible);
        }
    }

    @Command(
            name = "pause-cooldown-epochs",
            description = "Epochs an owner waits after an unpause before pausing again.")
    static final class CollectivePauseCooldown extends Tx<Call.CollectiveSetSubnetPauseCooldownEpochs> {
        @Parameters(index = "0", paramLabel = "<epochs>")
        int epochs;

        Call.CollectiveSetSubnetPauseCooldownEpochs call() {
            return new Call.CollectiveSetSubnetPauseCooldownEpochs(epochs);
        }
    }

    @Command(name = "max-subnets", description = "MaxSubnets, at most EpochLength - 3.")
    static final class CollectiveMaxSubnets extends Tx<Call.CollectiveSetMaxSubnets> {
        @Parameters(index = "0", paramLabel = "<count>")
        int count;

        Call.CollectiveSetMaxSubnets call() {
            return new Call.CollectiveSetMaxSubnets(count);
        }
    }
}
