package dev.hyperj.cli;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.DelegateAccount;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.OverwatchCommit;
import dev.hyperj.chain.runtime.Model.OverwatchReveal;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.ReputationFactorUpdates;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.TxException;
import dev.hyperj.p2p.bytes.Bytes;
import java.io.PrintWriter;
import java.lang.reflect.ParameterizedType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hyperj tx <call> --from <dev account | key file>}: signs a call, submits it and waits for
 * its block. One subcommand per {@link Call} record (a test fails the build when one is missing);
 * each declares its arguments and the call it builds, {@link Signing#submit} does the rest.
 */
@Command(
        name = "tx",
        mixinStandardHelpOptions = true,
        description = "Sign and submit a call to the chain; waits until it is in a block.",
        subcommands = {
            TxCommand.Transfer.class,
            // validators
            TxCommand.RegisterValidator.class,
            TxCommand.UpdateValidatorColdkey.class,
            TxCommand.UpdateValidatorHotkey.class,
            TxCommand.UpdateValidatorRewardRate.class,
            TxCommand.UpdateValidatorDelegateAccount.class,
            TxCommand.UpdateValidatorIdentity.class,
            // subnets
            TxCommand.RegisterSubnet.class,
            TxCommand.ActivateSubnet.class,
            TxCommand.PauseSubnet.class,
            TxCommand.UnpauseSubnet.class,
            TxCommand.TransferSubnetOwnership.class,
            TxCommand.AcceptSubnetOwnership.class,
            TxCommand.UpdateBootnodes.class,
            TxCommand.Owner.class,
            // nodes
            TxCommand.RegisterNode.class,
            TxCommand.UpdateNodeHotkey.class,
            TxCommand.UpdateNodePeer.class,
            TxCommand.UpdateNodeBootnode.class,
            TxCommand.UpdateNodeClient.class,
            TxCommand.UpdateNodeUnique.class,
            TxCommand.UpdateNodeNonUnique.class,
            TxCommand.RemoveNode.class,
            // staking
            TxCommand.AddStake.class,
            TxCommand.RemoveStake.class,
            TxCommand.ClaimUnbondings.class,
            TxCommand.Delegate.class,
            TxCommand.ValidatorDelegate.class,
            // consensus
            TxCommand.Propose.class,
            TxCommand.Attest.class,
            // overwatch, collective
            TxCommand.Overwatch.class,
            TxCommand.Collective.class
        })
public final class TxCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Makes {@code hyperj tx --help} list every call, including those of the groups (owner, delegate, ...), one line each. */
    static void listEveryCallInHelp(CommandLine tx) {
        tx.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> {
            List<String[]> rows = new ArrayList<>();
            collect("", help.commandSpec(), rows);
            int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 2;
            StringBuilder sb = new StringBuilder();
            for (String[] r : rows)
                sb.append("  ")
                        .append(r[0])
                        .append(" ".repeat(width - r[0].length()))
                        .append(r[1])
                        .append(System.lineSeparator());
            return sb.toString();
        });
    }

    private static void collect(String prefix, CommandSpec spec, List<String[]> rows) {
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (!sub.name().equals(e.getKey()) || sub.name().equals("help")) continue; // aliases
            if (sub.userObject() instanceof Tx<?>) {
                String[] d = sub.usageMessage().description();
                rows.add(new String[] {prefix + sub.name(), d.length == 0 ? "" : d[0].replace("%%", "%")});
            } else {
                collect(prefix + sub.name() + " ", sub, rows);
            }
        }
    }

    // ------------------------------------------------------------------ shared parts

    /** Who signs, which node, how long to wait; and the one submit-and-report path of every call. */
    static final class Signing {
        @Option(
                names = "--from",
                required = true,
                description = "Signer: a dev account (alith, baltathar, ...) or a file with a hex private key.")
        String from;

        @Option(
                names = "--rpc",
                defaultValue = ChainArgs.DEFAULT_RPC,
                description = "Node RPC URL, default ${DEFAULT-VALUE}.")
        String rpc;

        @Option(
                names = "--timeout-s",
                defaultValue = "120",
                description = "How long to wait for the block, default ${DEFAULT-VALUE} s.")
        long timeoutSeconds;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        /**
         * Signs with {@code --from}, submits, waits for the block and prints "Name ok in block #n hash" and
         * the events; a runtime error, a refusal or a timeout is a one-line {@link CliException}.
         */
        void submit(Call call, PrintWriter out) {
            Secp256k1 signer = ChainArgs.signer(from);
            String name = call.getClass().getSimpleName();
            try (ChainClient client = ChainArgs.connect(rpc)) {
                TxResult r = client.submit(signer, call).get(timeoutSeconds, TimeUnit.SECONDS);
                if (!r.ok())
                    throw new CliException(name + " failed in block #" + r.blockNumber() + ": "
                            + r.message().orElse(r.error().orElseThrow()));
                out.println(name + " ok in block #" + r.blockNumber() + " " + ChainJson.hex(r.blockHash()));
                for (var e : r.events()) out.println("  " + ChainJson.mapper().valueToTree(e));
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for the block");
            } catch (TimeoutException e) {
                throw new CliException("the transaction is not in a block after " + timeoutSeconds
                        + " s; check the node (hyperj query epoch) and --timeout-s");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof TxException t)
                    throw new CliException("the node refused the transaction (" + t.reason() + "): " + t.getMessage());
                if (c instanceof ChainClientException cc) throw new CliException(cc.getMessage());
                throw new CliException("submitting failed: " + c);
            }
        }
    }

    /** A tx subcommand: its arguments and the {@link Call} they make; {@code C} names the call type (checked by a test). */
    abstract static class Tx<C extends Call> implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        Signing signing;

        abstract C call();

        @Override
        public void run() {
            signing.submit(call(), spec.commandLine().getOut());
        }

        /** The {@link Call} record this command submits. */
        @SuppressWarnings("unchecked")
        Class<C> callType() {
            // the shared bases (OnSubnet<C>, SubnetValue<C>, ...) pass C on as their first type argument
            for (Class<?> c = getClass(); c != Tx.class; c = c.getSuperclass()) {
                if (c.getGenericSuperclass() instanceof ParameterizedType p
                        && p.getActualTypeArguments()[0] instanceof Class<?> call) return (Class<C>) call;
            }
            throw new IllegalStateException(getClass() + " does not name its Call type");
        }
    }

    /** {@code <subnet>} as the first positional argument. */
    static final class SubnetArg {
        @Parameters(index = "0", paramLabel = "<subnet>", description = "Subnet id.")
        int id;
    }

    /** {@code <subnet> <node>} as the first two positional arguments. */
    static final class NodeArgs {
        @Parameters(index = "0", paramLabel = "<subnet>", description = "Subnet id.")
        int subnet;

        @Parameters(index = "1", paramLabel = "<node>", description = "Subnet node id.")
        int node;
    }

    /** {@code <validator>} as the first positional argument. */
    static final class ValidatorArg {
        @Parameters(index = "0", paramLabel = "<validator>", description = "Validator id.")
        int id;
    }

    /** {@code <overwatch-node>} as the first positional argument. */
    static final class OverwatchArg {
        @Parameters(index = "0", paramLabel = "<overwatch-node>", description = "Overwatch node id.")
        int id;
    }

    /** A call on one subnet with one more positional value ({@code <subnet> <value>}). */
    abstract static class SubnetValue<C extends Call> extends Tx<C> {
        @Mixin
        SubnetArg subnet;

        @Parameters(index = "1", paramLabel = "<value>")
        String value;

        int intValue() {
            return ChainArgs.integer(value);
        }
    }

    /** A call on one subnet and nothing else. */
    abstract static class OnSubnet<C extends Call> extends Tx<C> {
        @Mixin
        SubnetArg subnet;
    }

    /** A call on one node and nothing else. */
    abstract static class OnNode<C extends Call> extends Tx<C> {
        @Mixin
        NodeArgs at;
    }

    /** {@code --peer-id} and {@code --multiaddr}; absent peer id = none (clears optional peer infos). */
    static final class PeerOptions {
        @Option(names = "--peer-id", description = "libp2p peer id (12D3KooW..., Qm...).")
        String peerId;

        @Option(names = "--multiaddr", description = "Multiaddr ending in /p2p/<peer id>.")
        String multiaddr;

        Optional<PeerInfo> optional() {
            if (peerId == null && multiaddr != null) throw new CliException("--multiaddr needs --peer-id");
            return Optional.ofNullable(peerId)
                    .map(p -> new PeerInfo(p, Optional.ofNullable(multiaddr).map(ChainArgs::multiaddr)));
        }

        PeerInfo required() {
            return optional().orElseThrow(() -> new CliException("--peer-id is required"));
        }
    }

    /** A validator's identity fields. */
    static final class IdentityOptions {
        @Option(names = "--name", required = true, description = "Identity name (unique).")
        String name;

        @Option(names = "--url", defaultValue = "")
        String url;

        @Option(names = "--image", defaultValue = "")
        String image;

        @Option(names = "--discord", defaultValue = "")
        String discord;

        @Option(names = "--x", defaultValue = "")
        String x;

        @Option(names = "--telegram", defaultValue = "")
        String telegram;

        @Option(names = "--github", defaultValue = "")
        String github;

        @Option(names = "--hugging-face", defaultValue = "")
        String huggingFace;

        @Option(names = "--description", defaultValue = "")
        String description;

        @Option(names = "--misc", defaultValue = "")
        String misc;

        ValidatorIdentity identity() {
            return new ValidatorIdentity(
                    name, url, image, discord, x, telegram, github, huggingFace, description, misc);
        }
    }

    /** {@code --delegate-account} and its rate. */
    static final class DelegateAccountOptions {
        @Option(
                names = "--delegate-account",
                description = "Account that receives --delegate-account-rate of rewards (absent: none).")
        String account;

        @Option(names = "--delegate-account-rate", defaultValue = "0", description = "Its rate in %%.")
        String rate;

        Optional<DelegateAccount> value() {
            return account == null
                    ? Optional.empty()
                    : Optional.of(new DelegateAccount(ChainArgs.account(account), ChainArgs.percent(rate)));
        }
    }

    // ------------------------------------------------------------------ balances

    @Command(name = "transfer", description = "Send TENSOR to an account.")
    static final class Transfer extends Tx<Call.Transfer> {
        @Parameters(index = "0", paramLabel = "<to>", description = "Destination: 0x address or dev account name.")
        String to;

        @Parameters(
                index = "1",
                paramLabel = "<amount>",
                description = "Amount in TENSOR (1.5) or smallest units (1000u).")
        String amount;

        Call.Transfer call() {
            return new Call.Transfer(ChainArgs.account(to), ChainArgs.amount(amount));
        }
    }

    // ------------------------------------------------------------------ validators

    @Command(name = "register-validator", description = "Register the signer (coldkey) as a validator.")
    static final class RegisterValidator extends Tx<Call.RegisterValidator> {
        @Option(names = "--hotkey", required = true, description = "Hotkey account (must differ from the coldkey).")
        String hotkey;

        @Option(
                names = "--reward-rate",
                defaultValue = "10",
                description = "Delegate reward rate in %%, default ${DEFAULT-VALUE}.")
        String rewardRate;

        @Mixin
        IdentityOptions identity;

        @Mixin
        DelegateAccountOptions delegate;

        Call.RegisterValidator call() {
            return new Call.RegisterValidator(
                    ChainArgs.account(hotkey), ChainArgs.percent(rewardRate), delegate.value(), identity.identity());
        }
    }

    @Command(
            name = "update-validator-coldkey",
            description = "Move a validator to a new coldkey (current coldkey signs).")
    static final class UpdateValidatorColdkey extends Tx<Call.UpdateValidatorColdkey> {
        @Mixin
        ValidatorArg v;

        @Parameters(index = "1", paramLabel = "<coldkey>")
        String coldkey;

        Call.UpdateValidatorColdkey call() {
            return new Call.UpdateValidatorColdkey(v.id, ChainArgs.account(coldkey));
        }
    }

    @Command(name = "update-validator-hotkey", description = "Give a validator a new, unused hotkey (coldkey signs).")
    static final class UpdateValidatorHotkey extends Tx<Call.UpdateValidatorHotkey> {
        @Mixin
        ValidatorArg v;

        @Parameters(index = "1", paramLabel = "<hotkey>")
        String hotkey;

        Call.UpdateValidatorHotkey call() {
            return new Call.UpdateValidatorHotkey(v.id, ChainArgs.account(hotkey));
        }
    }

    @Command(
            name = "update-validator-reward-rate",
            description = "Change a validator's delegate reward rate in %% (once per 14,400 blocks).")
    static final class UpdateValidatorRewardRate extends Tx<Call.UpdateValidatorDelegateRewardRate> {
        @Mixin
        ValidatorArg v;

        @Parameters(index = "1", paramLabel = "<percent>")
        String rate;

        Call.UpdateValidatorDelegateRewardRate call() {
            return new Call.UpdateValidatorDelegateRewardRate(v.id, ChainArgs.percent(rate));
        }
    }

    @Command(
            name = "update-validator-delegate-account",
            description = "Set (or with no --delegate-account, clear) a validator's delegate account.")
    static final class UpdateValidatorDelegateAccount extends Tx<Call.UpdateValidatorDelegateAccount> {
        @Mixin
        ValidatorArg v;

        @Mixin
        DelegateAccountOptions delegate;

        Call.UpdateValidatorDelegateAccount call() {
            return new Call.UpdateValidatorDelegateAccount(v.id, delegate.value());
        }
    }

    @Command(name = "update-validator-identity", description = "Replace a validator's identity (name, url, ...).")
    static final class UpdateValidatorIdentity extends Tx<Call.UpdateValidatorIdentity> {
        @Mixin
        ValidatorArg v;

        @Mixin
        IdentityOptions identity;

        Call.UpdateValidatorIdentity call() {
            return new Call.UpdateValidatorIdentity(v.id, identity.identity());
        }
    }

    // ------------------------------------------------------------------ subnets

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
    static final class Owner implements Runnable {
        @Spec
        CommandSpec spec;

        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

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

    // ------------------------------------------------------------------ subnet nodes

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

    // ------------------------------------------------------------------ staking

    /** A call on one node with an amount ({@code <subnet> <node> <TENSOR>}). */
    abstract static class NodeAmount<C extends Call> extends OnNode<C> {
        @Parameters(index = "2", paramLabel = "<amount>", description = "TENSOR (1.5) or smallest units (1000u).")
        String amount;
    }

    @Command(name = "add-stake", description = "Add stake to a node.")
    static final class AddStake extends NodeAmount<Call.AddNodeStake> {
        Call.AddNodeStake call() {
            return new Call.AddNodeStake(at.subnet, at.node, ChainArgs.amount(amount));
        }
    }

    @Command(name = "remove-stake", description = "Unbond stake from a node (claim after the cooldown).")
    static final class RemoveStake extends NodeAmount<Call.RemoveNodeStake> {
        Call.RemoveNodeStake call() {
            return new Call.RemoveNodeStake(at.subnet, at.node, ChainArgs.amount(amount));
        }
    }

    @Command(name = "claim-unbondings", description = "Claim matured unbondings.")
    static final class ClaimUnbondings extends Tx<Call.ClaimUnbondings> {
        Call.ClaimUnbondings call() {
            return new Call.ClaimUnbondings();
        }
    }

    /** {@code <id> <amount or shares>}: the shape of most delegate-stake calls. */
    abstract static class IdValue<C extends Call> extends Tx<C> {
        @Parameters(index = "0", paramLabel = "<id>")
        int id;

        @Parameters(
                index = "1",
                paramLabel = "<value>",
                description = "TENSOR for deposits, shares for withdrawals/transfers/swaps.")
        String value;
    }

    /** {@code <id> <account or id> <shares>}: transfers and swaps. */
    abstract static class IdToShares<C extends Call> extends Tx<C> {
        @Parameters(index = "0", paramLabel = "<from>")
        int id;

        @Parameters(index = "1", paramLabel = "<to>")
        String to;

        @Parameters(index = "2", paramLabel = "<shares>")
        String shares;

        int toId() {
            return ChainArgs.integer(to);
        }
    }

    @Command(
            name = "delegate",
            description = "Subnet delegate stake.",
            mixinStandardHelpOptions = true,
            subcommands = {
                DelegateAdd.class,
                DelegateRemove.class,
                DelegateTransfer.class,
                DelegateSwap.class,
                DelegateSwapToValidator.class,
                DelegateDonate.class
            })
    static final class Delegate implements Runnable {
        @Spec
        CommandSpec spec;

        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "add", description = "Stake TENSOR on a subnet: <subnet> <TENSOR>.")
    static final class DelegateAdd extends IdValue<Call.AddDelegateStake> {
        Call.AddDelegateStake call() {
            return new Call.AddDelegateStake(id, ChainArgs.amount(value));
        }
    }

    @Command(name = "remove", description = "Unstake shares from a subnet: <subnet> <shares>.")
    static final class DelegateRemove extends IdValue<Call.RemoveDelegateStake> {
        Call.RemoveDelegateStake call() {
            return new Call.RemoveDelegateStake(id, shares(value));
        }
    }

    @Command(name = "transfer", description = "Give subnet shares to an account: <subnet> <to> <shares>.")
    static final class DelegateTransfer extends IdToShares<Call.TransferDelegateStake> {
        Call.TransferDelegateStake call() {
            return new Call.TransferDelegateStake(id, ChainArgs.account(to), shares(shares));
        }
    }

    @Command(name = "swap", description = "Move subnet shares to another subnet: <from subnet> <to subnet> <shares>.")
    static final class DelegateSwap extends IdToShares<Call.SwapFromSubnetToSubnet> {
        Call.SwapFromSubnetToSubnet call() {
            return new Call.SwapFromSubnetToSubnet(id, toId(), shares(shares));
        }
    }

    @Command(
            name = "swap-to-validator",
            description = "Move subnet shares to a validator: <from subnet> <to validator> <shares>.")
    static final class DelegateSwapToValidator extends IdToShares<Call.SwapFromSubnetToValidator> {
        Call.SwapFromSubnetToValidator call() {
            return new Call.SwapFromSubnetToValidator(id, toId(), shares(shares));
        }
    }

    @Command(name = "donate", description = "Donate TENSOR to a subnet's delegators: <subnet> <TENSOR>.")
    static final class DelegateDonate extends IdValue<Call.DonateDelegateStake> {
        Call.DonateDelegateStake call() {
            return new Call.DonateDelegateStake(id, ChainArgs.amount(value));
        }
    }

    @Command(
            name = "validator-delegate",
            description = "Validator delegate stake.",
            mixinStandardHelpOptions = true,
            subcommands = {
                ValidatorDelegateAdd.class,
                ValidatorDelegateRemove.class,
                ValidatorDelegateTransfer.class,
                ValidatorDelegateSwap.class,
                ValidatorDelegateSwapToSubnet.class,
                ValidatorDelegateDonate.class
            })
    static final class ValidatorDelegate implements Runnable {
        @Spec
        CommandSpec spec;

        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "add", description = "Stake TENSOR on a validator: <validator> <TENSOR>.")
    static final class ValidatorDelegateAdd extends IdValue<Call.AddValidatorDelegateStake> {
        Call.AddValidatorDelegateStake call() {
            return new Call.AddValidatorDelegateStake(id, ChainArgs.amount(value));
        }
    }

    @Command(name = "remove", description = "Unstake shares from a validator: <validator> <shares>.")
    static final class ValidatorDelegateRemove extends IdValue<Call.RemoveValidatorDelegateStake> {
        Call.RemoveValidatorDelegateStake call() {
            return new Call.RemoveValidatorDelegateStake(id, shares(value));
        }
    }

    @Command(name = "transfer", description = "Give validator shares to an account: <validator> <to> <shares>.")
    static final class ValidatorDelegateTransfer extends IdToShares<Call.TransferValidatorDelegateStake> {
        Call.TransferValidatorDelegateStake call() {
            return new Call.TransferValidatorDelegateStake(id, ChainArgs.account(to), shares(shares));
        }
    }

    @Command(name = "swap", description = "Move validator shares to another validator: <from> <to> <shares>.")
    static final class ValidatorDelegateSwap extends IdToShares<Call.SwapFromValidatorToValidator> {
        Call.SwapFromValidatorToValidator call() {
            return new Call.SwapFromValidatorToValidator(id, toId(), shares(shares));
        }
    }

    @Command(
            name = "swap-to-subnet",
            description = "Move validator shares to a subnet: <from validator> <to subnet> <shares>.")
    static final class ValidatorDelegateSwapToSubnet extends IdToShares<Call.SwapFromValidatorToSubnet> {
        Call.SwapFromValidatorToSubnet call() {
            return new Call.SwapFromValidatorToSubnet(id, toId(), shares(shares));
        }
    }

    @Command(name = "donate", description = "Donate TENSOR to a validator's delegators: <validator> <TENSOR>.")
    static final class ValidatorDelegateDonate extends IdValue<Call.DonateValidatorDelegateStake> {
        Call.DonateValidatorDelegateStake call() {
            return new Call.DonateValidatorDelegateStake(id, ChainArgs.amount(value));
        }
    }

    // ------------------------------------------------------------------ consensus

    @Command(
            name = "propose",
            description = "Propose the epoch's scores as the elected node (hotkey): --score nodeId=score (1 = 1e18).")
    static final class Propose extends OnNode<Call.ProposeAttestation> {
        @Option(names = "--score", split = ",")
        Map<Integer, String> scores = new LinkedHashMap<>();

        @Option(names = "--prioritize-queue-node")
        Integer prioritize;

        @Option(names = "--remove-queue-node")
        Integer remove;

        @Option(names = "--args", description = "0x hex or text.")
        String args;

        @Option(names = "--attest-data", description = "0x hex or text.")
        String attestData;

        Call.ProposeAttestation call() {
            List<NodeScore> data = new ArrayList<>();
            scores.forEach((k, v) -> data.add(new NodeScore(k, ChainArgs.amount(v))));
            return new Call.ProposeAttestation(
                    at.subnet,
                    at.node,
                    data,
                    Optional.ofNullable(prioritize),
                    Optional.ofNullable(remove),
                    Optional.ofNullable(args).map(ChainArgs::bytes),
                    Optional.ofNullable(attestData).map(ChainArgs::bytes));
        }
    }

    @Command(name = "attest", description = "Attest the epoch's proposal (node hotkey).")
    static final class Attest extends OnNode<Call.Attest> {
        @Option(names = "--attest-data", description = "0x hex or text.")
        String attestData;

        Call.Attest call() {
            return new Call.Attest(
                    at.subnet, at.node, Optional.ofNullable(attestData).map(ChainArgs::bytes));
        }
    }

    // ------------------------------------------------------------------ overwatch

    @Command(
            name = "overwatch",
            description = "Overwatch node calls.",
            mixinStandardHelpOptions = true,
            subcommands = {
                OverwatchRegister.class,
                OverwatchRemove.class,
                OverwatchSetPeerId.class,
                OverwatchCommitWeights.class,
                OverwatchRevealWeights.class,
                OverwatchAddStake.class,
                OverwatchRemoveStake.class
            })
    static final class Overwatch implements Runnable {
        @Spec
        CommandSpec spec;

        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(
            name = "register",
            description =
                    "Register an overwatch node for a qualified validator: <validator> --hotkey K --stake TENSOR.")
    static final class OverwatchRegister extends Tx<Call.RegisterOverwatchNode> {
        @Mixin
        ValidatorArg v;

        @Option(names = "--hotkey", required = true)
        String hotkey;

        @Option(names = "--stake", defaultValue = "100", description = "TENSOR, default ${DEFAULT-VALUE}.")
        String stake;

        Call.RegisterOverwatchNode call() {
            return new Call.RegisterOverwatchNode(v.id, ChainArgs.account(hotkey), ChainArgs.amount(stake));
        }
    }

    @Command(name = "remove", description = "Remove an overwatch node.")
    static final class OverwatchRemove extends Tx<Call.RemoveOverwatchNode> {
        @Mixin
        OverwatchArg ow;

        Call.RemoveOverwatchNode call() {
            return new Call.RemoveOverwatchNode(ow.id);
        }
    }

    @Command(
            name = "set-peer-id",
            description = "Set an overwatch node's peer id in a subnet: <subnet> <overwatch-node> <peer id>.")
    static final class OverwatchSetPeerId extends OnSubnet<Call.SetOverwatchNodePeerId> {
        @Parameters(index = "1", paramLabel = "<overwatch-node>")
        int overwatchNode;

        @Parameters(index = "2", paramLabel = "<peer-id>")
        String peerId;

        Call.SetOverwatchNodePeerId call() {
            return new Call.SetOverwatchNodePeerId(subnet.id, overwatchNode, peerId);
        }
    }

    /** {@code --weight subnet=weight} (1 = 100%) and {@code --salt}: the commit hashes them, the reveal sends them. */
    abstract static class OverwatchWeights<C extends Call> extends Tx<C> {
        @Mixin
        OverwatchArg ow;

        @Option(
                names = "--weight",
                required = true,
                split = ",",
                description = "subnetId=weight, weight in [0, 1] (0.25).")
        Map<Integer, String> weights;

        @Option(
                names = "--salt",
                required = true,
                description = "The same salt (0x hex or text) for commit and reveal.")
        String salt;

        BigInteger weight(String w) {
            BigInteger v = ChainArgs.amount(w);
            if (v.compareTo(U128.ONE_E18) > 0) throw new CliException("weight " + w + " is above 1");
            return v;
        }
    }

    @Command(
            name = "commit",
            description =
                    "Commit subnet weights (first 80%% of the overwatch epoch); keep --weight and --salt for the reveal.")
    static final class OverwatchCommitWeights extends OverwatchWeights<Call.CommitOverwatchSubnetWeights> {
        Call.CommitOverwatchSubnetWeights call() {
            Bytes s = ChainArgs.bytes(salt);
            List<OverwatchCommit> commits = new ArrayList<>();
            weights.forEach((subnet, w) -> commits.add(new OverwatchCommit(subnet, commitment(weight(w), s))));
            return new Call.CommitOverwatchSubnetWeights(ow.id, commits);
        }
    }

    @Command(
            name = "reveal",
            description =
                    "Reveal the committed weights with the same --weight and --salt (last 20%% of the overwatch epoch).")
    static final class OverwatchRevealWeights extends OverwatchWeights<Call.RevealOverwatchSubnetWeights> {
        Call.RevealOverwatchSubnetWeights call() {
            Bytes s = ChainArgs.bytes(salt);
            List<OverwatchReveal> reveals = new ArrayList<>();
            weights.forEach((subnet, w) -> reveals.add(new OverwatchReveal(subnet, weight(w), s)));
            return new Call.RevealOverwatchSubnetWeights(ow.id, reveals);
        }
    }

    /** CHAIN.md's commit: blake2b-256(SCALE(weight u128, salt bytes)). */
    static Bytes commitment(BigInteger weight, Bytes salt) {
        return Bytes.of(Hashing.blake2b256(
                new ScaleWriter().u128(weight).bytes(salt.value()).toByteArray()));
    }

    @Command(name = "add-stake", description = "Add stake to an overwatch node: <overwatch-node> <TENSOR>.")
    static final class OverwatchAddStake extends IdValue<Call.AddOverwatchNodeStake> {
        Call.AddOverwatchNodeStake call() {
            return new Call.AddOverwatchNodeStake(id, ChainArgs.amount(value));
        }
    }

    @Command(name = "remove-stake", description = "Unbond stake from an overwatch node: <overwatch-node> <TENSOR>.")
    static final class OverwatchRemoveStake extends IdValue<Call.RemoveOverwatchNodeStake> {
        Call.RemoveOverwatchNodeStake call() {
            return new Call.RemoveOverwatchNodeStake(id, ChainArgs.amount(value));
        }
    }

    // ------------------------------------------------------------------ collective

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
    static final class Collective implements Runnable {
        @Spec
        CommandSpec spec;

        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

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

    static BigInteger shares(String s) {
        try {
            BigInteger v = new BigInteger(s);
            if (v.signum() < 0 || !U128.isValid(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new CliException("'" + s + "' is not a share count (an integer; see 'hyperj query stakes')");
        }
    }
}
