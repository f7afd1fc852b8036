package dev.hyperj.cli;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.cli.TxCommand.OnSubnet;
import dev.hyperj.cli.TxCommand.SubnetValue;
import dev.hyperj.cli.TxCommand.Tx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hyperj tx register-subnet} and the subnet lifecycle: activate, pause, ownership, bootnodes. */
final class TxSubnets {
    private TxSubnets() {}

    @Command(name = "register-subnet", description = "Register a subnet (the signer becomes its owner).")
    static final class RegisterSubnet extends Tx<Call.RegisterSubnet> {
        @Option(names = "--name", required = true)
        String name;

        @Option(names = "--repo", required = true)
        String repo;

        @Option(names = "--description", defaultValue = "")
        String description;

        @Option(names = "--misc", defaultValue = "")
        String misc;

        @Option(names = "--min-stake", defaultValue = "100", description = "TENSOR, default ${DEFAULT-VALUE}.")
        String minStake;

        @Option(names = "--max-stake", defaultValue = "1000", description = "TENSOR, default ${DEFAULT-VALUE}.")
        String maxStake;

        @Option(names = "--delegate-percentage", defaultValue = "10", description = "%%, default ${DEFAULT-VALUE}.")
        String delegatePercentage;

        @Option(
                names = "--initial-validator",
                required = true,
                split = ",",
                description = "validatorId=maxRegistrations (at least 3).")
        Map<Integer, Integer> initialValidators;

        @Option(names = "--bootnode", required = true, description = "peerId=multiaddr (1..32).")
        Map<String, String> bootnodes;

        @Option(
                names = "--max-cost",
                defaultValue = "1000",
                description = "Most TENSOR to pay for registration, default ${DEFAULT-VALUE}.")
        String maxCost;

        Call.RegisterSubnet call() {
            return new Call.RegisterSubnet(
                    ChainArgs.amount(maxCost),
                    new SubnetRegistrationData(
                            name,
                            repo,
                            description,
                            misc,
                            ChainArgs.amount(minStake),
                            ChainArgs.amount(maxStake),
                            ChainArgs.percent(delegatePercentage),
                            initialValidators,
                            ChainArgs.multiaddrs(bootnodes)));
        }
    }

    @Command(name = "activate-subnet", description = "Activate a registered subnet (owner).")
    static final class ActivateSubnet extends OnSubnet<Call.ActivateSubnet> {
        Call.ActivateSubnet call() {
            return new Call.ActivateSubnet(subnet.id);
        }
    }

    @Command(name = "pause-subnet", description = "Pause a subnet (owner).")
    static final class PauseSubnet extends OnSubnet<Call.OwnerPauseSubnet> {
        Call.OwnerPauseSubnet call() {
            return new Call.OwnerPauseSubnet(subnet.id);
        }
    }

    @Command(name = "unpause-subnet", description = "Unpause a subnet (owner).")
    static final class UnpauseSubnet extends OnSubnet<Call.OwnerUnpauseSubnet> {
        Call.OwnerUnpauseSubnet call() {
            return new Call.OwnerUnpauseSubnet(subnet.id);
        }
    }

    @Command(
            name = "transfer-subnet-ownership",
            description = "Offer a subnet to a new owner (owner); it becomes theirs when they accept.")
    static final class TransferSubnetOwnership extends SubnetValue<Call.TransferSubnetOwnership> {
        Call.TransferSubnetOwnership call() {
            return new Call.TransferSubnetOwnership(subnet.id, ChainArgs.account(value));
        }
    }

    @Command(name = "accept-subnet-ownership", description = "Accept a subnet offered to the signer.")
    static final class AcceptSubnetOwnership extends OnSubnet<Call.AcceptSubnetOwnership> {
        Call.AcceptSubnetOwnership call() {
            return new Call.AcceptSubnetOwnership(subnet.id);
        }
    }

    @Command(
            name = "update-bootnodes",
            description =
                    "Add (--add peerId=multiaddr) and remove (--remove peerId) official bootnodes (owner or access list).")
    static final class UpdateBootnodes extends OnSubnet<Call.UpdateBootnodes> {
        @Option(names = "--add", description = "peerId=multiaddr")
        Map<String, String> add = new LinkedHashMap<>();

        @Option(names = "--remove", split = ",", description = "peer id")
        List<String> remove = new ArrayList<>();

        Call.UpdateBootnodes call() {
            return new Call.UpdateBootnodes(subnet.id, ChainArgs.multiaddrs(add), remove);
        }
    }
}
