package dev.hyperj.cli;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.ReputationFactorUpdates;
import dev.hyperj.cli.TxCommand.Group;
import dev.hyperj.cli.TxCommand.OnSubnet;
import dev.hyperj.cli.TxCommand.SubnetValue;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyperj tx owner <setting> <subnet> ...}: the subnet owner's settings. */
final class TxOwner {
    private TxOwner() {}

    /** {@code hyperj tx owner <setting> <subnet> ...}: the subnet owner's calls. */
    @Command(
            name = "owner",
            description = "Subnet owner calls.",
            mixinStandardHelpOptions = true,
            subcommands = {
                OwnerDeactivate.class,
                OwnerName.class,
                OwnerRepo.class,
                OwnerDescription.class,
                OwnerMisc.class,
                OwnerChurnLimit.class,
                OwnerQueueEpochs.class,
                OwnerIdleEpochs.class,
                OwnerIncludedEpochs.class,
                OwnerMaxRegisteredNodes.class,
                OwnerMinNodeReputation.class,
                OwnerStakeRange.class,
                OwnerDelegatePercentage.class,
                OwnerTargetRegistrations.class,
                OwnerAddBootnodeAccess.class,
                OwnerRemoveBootnodeAccess.class,
                OwnerEmergencyValidators.class,
                OwnerRevertEmergencyValidators.class,
                OwnerReputationFactors.class,
                OwnerMinWeightThreshold.class,
                OwnerAddInitialValidators.class,
                OwnerRemoveInitialValidators.class
            })
    static final class Owner extends Group {}

    @Command(name = "deactivate", description = "Remove the subnet (owner); stakes stay claimable.")
    static final class OwnerDeactivate extends OnSubnet<Call.OwnerDeactivateSubnet> {
        Call.OwnerDeactivateSubnet call() {
            return new Call.OwnerDeactivateSubnet(subnet.id);
        }
    }

    @Command(name = "name", description = "Rename the subnet (unique).")
    static final class OwnerName extends SubnetValue<Call.OwnerUpdateName> {
        Call.OwnerUpdateName call() {
            return new Call.OwnerUpdateName(subnet.id, value);
        }
    }

    @Command(name = "repo", description = "Change the subnet's repository (unique).")
    static final class OwnerRepo extends SubnetValue<Call.OwnerUpdateRepo> {
        Call.OwnerUpdateRepo call() {
            return new Call.OwnerUpdateRepo(subnet.id, value);
        }
    }

    @Command(name = "description", description = "Change the subnet's description.")
    static final class OwnerDescription extends SubnetValue<Call.OwnerUpdateDescription> {
        Call.OwnerUpdateDescription call() {
            return new Call.OwnerUpdateDescription(subnet.id, value);
        }
    }

    @Command(name = "misc", description = "Change the subnet's misc field.")
    static final class OwnerMisc extends SubnetValue<Call.OwnerUpdateMisc> {
        Call.OwnerUpdateMisc call() {
            return new Call.OwnerUpdateMisc(subnet.id, value);
        }
    }

    @Command(name = "churn-limit", description = "Nodes activated from the queue per step, in [1, 64].")
    static final class OwnerChurnLimit extends SubnetValue<Call.OwnerUpdateChurnLimit> {
        Call.OwnerUpdateChurnLimit call() {
            return new Call.OwnerUpdateChurnLimit(subnet.id, intValue());
        }
    }

    @Command(name = "queue-epochs", description = "Epochs a registered node waits in the queue.")
    static final class OwnerQueueEpochs extends SubnetValue<Call.OwnerUpdateRegistrationQueueEpochs> {
        Call.OwnerUpdateRegistrationQueueEpochs call() {
            return new Call.OwnerUpdateRegistrationQueueEpochs(subnet.id, intValue());
        }
    }

    @Command(name = "idle-epochs", description = "Consensus epochs before Idle nodes become Included.")
    static final class OwnerIdleEpochs extends SubnetValue<Call.OwnerUpdateIdleClassificationEpochs> {
        Call.OwnerUpdateIdleClassificationEpochs call() {
            return new Call.OwnerUpdateIdleClassificationEpochs(subnet.id, intValue());
        }
    }

    @Command(name = "included-epochs", description = "Consecutive epochs before Included nodes become Validators.")
    static final class OwnerIncludedEpochs extends SubnetValue<Call.OwnerUpdateIncludedClassificationEpochs> {
        Call.OwnerUpdateIncludedClassificationEpochs call() {
            return new Call.OwnerUpdateIncludedClassificationEpochs(subnet.id, intValue());
        }
    }

    @Command(name = "max-registered-nodes", description = "Most nodes waiting in the registration queue.")
    static final class OwnerMaxRegisteredNodes extends SubnetValue<Call.OwnerUpdateMaxRegisteredNodes> {
        Call.OwnerUpdateMaxRegisteredNodes call() {
            return new Call.OwnerUpdateMaxRegisteredNodes(subnet.id, intValue());
        }
    }

    @Command(name = "min-node-reputation", description = "Minimum node reputation in %%, in [5, 50].")
    static final class OwnerMinNodeReputation extends SubnetValue<Call.OwnerUpdateMinSubnetNodeReputation> {
        Call.OwnerUpdateMinSubnetNodeReputation call() {
            return new Call.OwnerUpdateMinSubnetNodeReputation(subnet.id, ChainArgs.percent(value));
        }
    }

    @Command(name = "stake-range", description = "Node stake bounds: <subnet> <min TENSOR> <max TENSOR>.")
    static final class OwnerStakeRange extends SubnetValue<Call.OwnerUpdateMinMaxStake> {
        @Parameters(index = "2", paramLabel = "<max>")
        String max;

        Call.OwnerUpdateMinMaxStake call() {
            return new Call.OwnerUpdateMinMaxStake(subnet.id, ChainArgs.amount(value), ChainArgs.amount(max));
        }
    }

    @Command(
            name = "delegate-percentage",
            description = "Delegators' share of rewards in %% (+-2 per change, once per 14,400 blocks).")
    static final class OwnerDelegatePercentage extends SubnetValue<Call.OwnerUpdateDelegateStakePercentage> {
        Call.OwnerUpdateDelegateStakePercentage call() {
            return new Call.OwnerUpdateDelegateStakePercentage(subnet.id, ChainArgs.percent(value));
        }
    }

    @Command(name = "target-registrations", description = "Node registrations per epoch at which the burn rate peaks.")
    static final class OwnerTargetRegistrations extends SubnetValue<Call.OwnerUpdateTargetNodeRegistrationsPerEpoch> {
        Call.OwnerUpdateTargetNodeRegistrationsPerEpoch call() {
            return new Call.OwnerUpdateTargetNodeRegistrationsPerEpoch(subnet.id, intValue());
        }
    }

    @Command(name = "add-bootnode-access", description = "Let an account update the official bootnodes (at most 21).")
    static final class OwnerAddBootnodeAccess extends SubnetValue<Call.OwnerAddBootnodeAccess> {
        Call.OwnerAddBootnodeAccess call() {
            return new Call.OwnerAddBootnodeAccess(subnet.id, ChainArgs.account(value));
        }
    }

    @Command(name = "remove-bootnode-access", description = "Take an account off the bootnode access list.")
    static final class OwnerRemoveBootnodeAccess extends SubnetValue<Call.OwnerRemoveBootnodeAccess> {
        Call.OwnerRemoveBootnodeAccess call() {
            return new Call.OwnerRemoveBootnodeAccess(subnet.id, ChainArgs.account(value));
        }
    }

    @Command(
            name = "emergency-validators",
            description = "While paused: the node ids to elect from instead of the Validator class.")
    static final class OwnerEmergencyValidators extends OnSubnet<Call.OwnerSetEmergencyValidatorSet> {
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "<node>")
        List<Integer> nodes;

        Call.OwnerSetEmergencyValidatorSet call() {
            return new Call.OwnerSetEmergencyValidatorSet(subnet.id, nodes);
        }
    }

    @Command(name = "revert-emergency-validators", description = "Drop the emergency validator set.")
    static final class OwnerRevertEmergencyValidators extends OnSubnet<Call.OwnerRevertEmergencyValidatorSet> {
        Call.OwnerRevertEmergencyValidatorSet call() {
            return new Call.OwnerRevertEmergencyValidatorSet(subnet.id);
        }
    }

    @Command(
            name = "reputation-factors",
            description =
                    "Node reputation factors in %% (each in [5, 50]; only those given), from the next subnet epoch.")
    static final class OwnerReputationFactors extends OnSubnet<Call.OwnerUpdateReputationFactors> {
        @Option(names = "--absent")
        String absent;

        @Option(names = "--included")
        String included;

        @Option(names = "--below-min-weight")
        String belowMinWeight;

        @Option(names = "--non-attestor")
        String nonAttestor;

        @Option(names = "--non-consensus-attestor")
        String nonConsensusAttestor;

        @Option(names = "--validator-absent")
        String validatorAbsent;

        @Option(names = "--validator-non-consensus")
        String validatorNonConsensus;

        Call.OwnerUpdateReputationFactors call() {
            return new Call.OwnerUpdateReputationFactors(
                    subnet.id,
                    new ReputationFactorUpdates(
                            pct(absent),
                            pct(included),
                            pct(belowMinWeight),
                            pct(nonAttestor),
                            pct(nonConsensusAttestor),
                            pct(validatorAbsent),
                            pct(validatorNonConsensus)));
        }

        private static Optional<BigInteger> pct(String s) {
            return Optional.ofNullable(s).map(ChainArgs::percent);
        }
    }

    @Command(
            name = "min-weight-threshold",
            description =
                    "Score weight in %% under which a Validator-class node loses reputation (0 = off, at most 10).")
    static final class OwnerMinWeightThreshold
            extends SubnetValue<Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold> {
        Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold call() {
            return new Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold(
                    subnet.id, ChainArgs.percent(value));
        }
    }

    @Command(
            name = "add-initial-validators",
            description = "While registering: whitelist validators, validatorId=maxRegistrations.")
    static final class OwnerAddInitialValidators extends OnSubnet<Call.OwnerAddOrUpdateInitialValidators> {
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "<validator=max>")
        Map<Integer, Integer> validators;

        Call.OwnerAddOrUpdateInitialValidators call() {
            return new Call.OwnerAddOrUpdateInitialValidators(subnet.id, validators);
        }
    }

    @Command(name = "remove-initial-validators", description = "While registering: take validators off the whitelist.")
    static final class OwnerRemoveInitialValidators extends OnSubnet<Call.OwnerRemoveInitialValidators> {
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "<validator>")
        List<Integer> validators;

        Call.OwnerRemoveInitialValidators call() {
            return new Call.OwnerRemoveInitialValidators(subnet.id, validators);
        }
    }
}
