package dev.hyperj.cli;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.DelegateAccount;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.TxException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hyperj tx <call> --from <dev account | key file>}: signs a call, submits it and waits for its block. */
@Command(name = "tx", mixinStandardHelpOptions = true, description = "Sign and submit a call to the chain; waits until it is in a block.",
        subcommands = {TxCommand.Transfer.class, TxCommand.RegisterValidator.class, TxCommand.RegisterSubnet.class, TxCommand.ActivateSubnet.class,
                TxCommand.RegisterNode.class, TxCommand.RemoveNode.class, TxCommand.AddStake.class, TxCommand.RemoveStake.class,
                TxCommand.ClaimUnbondings.class, TxCommand.Delegate.class, TxCommand.ValidatorDelegate.class, TxCommand.UpdateNodePeer.class,
                TxCommand.PauseSubnet.class, TxCommand.UnpauseSubnet.class, TxCommand.Propose.class, TxCommand.Attest.class})
public final class TxCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every call takes, and the submit-and-report step. */
    abstract static class Base implements Runnable {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--from", required = true, description = "Signer: a dev account (alith, baltathar, ...) or a file with a hex private key.")
        String from;

        @Option(names = "--rpc", defaultValue = ChainArgs.DEFAULT_RPC, description = "Node RPC URL, default ${DEFAULT-VALUE}.")
        String rpc;

        @Option(names = "--timeout-s", defaultValue = "120", description = "How long to wait for the block, default ${DEFAULT-VALUE} s.")
        long timeoutSeconds;

        abstract Call call();

        @Override
        public void run() {
            Secp256k1 signer = ChainArgs.signer(from);
            Call call = call();
            try (ChainClient client = ChainArgs.connect(rpc)) {
                TxResult r = client.submit(signer, call).get(timeoutSeconds, TimeUnit.SECONDS);
                var out = spec.commandLine().getOut();
                if (!r.ok()) {
                    throw new CliException(call.getClass().getSimpleName() + " failed in block #" + r.blockNumber() + ": " + r.message().orElse(r.error().orElseThrow()));
                }
                out.println(call.getClass().getSimpleName() + " ok in block #" + r.blockNumber() + " " + ChainJson.hex(r.blockHash()));
                for (var e : r.events()) out.println("  " + ChainJson.mapper().valueToTree(e));
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for the block");
            } catch (TimeoutException e) {
                throw new CliException("the transaction is not in a block after " + timeoutSeconds + " s; check the node (hyperj query epoch) and --timeout-s");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof TxException t) throw new CliException("the node refused the transaction (" + t.reason() + "): " + t.getMessage());
                if (c instanceof ChainClientException cc) throw new CliException(cc.getMessage());
                throw new CliException("submitting failed: " + c);
            }
        }
    }

    @Command(name = "transfer", description = "Send TENSOR to an account.")
    static final class Transfer extends Base {
        @Parameters(index = "0", description = "Destination: 0x address or dev account name.")
        String to;

        @Parameters(index = "1", description = "Amount in TENSOR (1.5) or smallest units (1000u).")
        String amount;

        Call call() {
            return new Call.Transfer(ChainArgs.account(to), ChainArgs.amount(amount));
        }
    }

    @Command(name = "register-validator", description = "Register the signer (coldkey) as a validator.")
    static final class RegisterValidator extends Base {
        @Option(names = "--hotkey", required = true, description = "Hotkey account (must differ from the coldkey).")
        String hotkey;

        @Option(names = "--name", required = true, description = "Identity name (unique).")
        String name;

        @Option(names = "--reward-rate", defaultValue = "10", description = "Delegate reward rate in %, default ${DEFAULT-VALUE}.")
        String rewardRate;

        @Option(names = "--delegate-account", description = "Account that receives --delegate-account-rate of rewards.")
        String delegateAccount;

        @Option(names = "--delegate-account-rate", defaultValue = "0", description = "Its rate in %.")
        String delegateAccountRate;

        Call call() {
            Optional<DelegateAccount> d = delegateAccount == null ? Optional.empty()
                    : Optional.of(new DelegateAccount(ChainArgs.account(delegateAccount), ChainArgs.percent(delegateAccountRate)));
            return new Call.RegisterValidator(ChainArgs.account(hotkey), ChainArgs.percent(rewardRate), d, ValidatorIdentity.named(name));
        }
    }

    @Command(name = "register-subnet", description = "Register a subnet (the signer becomes its owner).")
    static final class RegisterSubnet extends Base {
        @Option(names = "--name", required = true)
        String name;

        @Option(names = "--repo", required = true)
        String repo;

        @Option(names = "--description", defaultValue = "")
        String description;

        @Option(names = "--min-stake", defaultValue = "100", description = "TENSOR, default ${DEFAULT-VALUE}.")
        String minStake;

        @Option(names = "--max-stake", defaultValue = "1000", description = "TENSOR, default ${DEFAULT-VALUE}.")
        String maxStake;

        @Option(names = "--delegate-percentage", defaultValue = "10", description = "%, default ${DEFAULT-VALUE}.")
        String delegatePercentage;

        @Option(names = "--initial-validator", required = true, split = ",", description = "validatorId=maxRegistrations (at least 3).")
        Map<Integer, Integer> initialValidators;

        @Option(names = "--bootnode", required = true, description = "peerId=multiaddr (1..32).")
        Map<String, String> bootnodes;

        @Option(names = "--max-cost", defaultValue = "1000", description = "Most TENSOR to pay for registration, default ${DEFAULT-VALUE}.")
        String maxCost;

        Call call() {
            Map<String, dev.hyperj.chain.scale.Bytes> boot = new LinkedHashMap<>();
            bootnodes.forEach((k, v) -> boot.put(k, ChainArgs.multiaddr(v)));
            return new Call.RegisterSubnet(ChainArgs.amount(maxCost), new SubnetRegistrationData(name, repo, description, "", ChainArgs.amount(minStake),
                    ChainArgs.amount(maxStake), ChainArgs.percent(delegatePercentage), initialValidators, boot));
        }
    }

    @Command(name = "activate-subnet", description = "Activate a registered subnet (owner).")
    static final class ActivateSubnet extends Base {
        @Parameters(index = "0")
        int subnetId;

        Call call() {
            return new Call.ActivateSubnet(subnetId);
        }
    }

    @Command(name = "pause-subnet", description = "Pause a subnet (owner).")
    static final class PauseSubnet extends Base {
        @Parameters(index = "0")
        int subnetId;

        Call call() {
            return new Call.OwnerPauseSubnet(subnetId);
        }
    }

    @Command(name = "unpause-subnet", description = "Unpause a subnet (owner).")
    static final class UnpauseSubnet extends Base {
        @Parameters(index = "0")
        int subnetId;

        Call call() {
            return new Call.OwnerUnpauseSubnet(subnetId);
        }
    }

    @Command(name = "register-node", description = "Register a subnet node for a validator (signed by its coldkey).")
    static final class RegisterNode extends Base {
        @Option(names = "--validator-id", required = true)
        int validatorId;

        @Option(names = "--subnet", required = true)
        int subnetId;

        @Option(names = "--peer-id", required = true)
        String peerId;

        @Option(names = "--multiaddr", description = "Binary multiaddr given as text, ending in /p2p/<peer id>.")
        String multiaddr;

        @Option(names = "--hotkey", description = "The node's own hotkey (default: the validator's).")
        String hotkey;

        @Option(names = "--stake", defaultValue = "100", description = "TENSOR, default ${DEFAULT-VALUE}.")
        String stake;

        @Option(names = "--max-burn", defaultValue = "1", description = "Most TENSOR to burn, default ${DEFAULT-VALUE}.")
        String maxBurn;

        Call call() {
            return new Call.RegisterSubnetNode(validatorId, subnetId, Optional.ofNullable(hotkey).map(ChainArgs::account),
                    new PeerInfo(peerId, Optional.ofNullable(multiaddr).map(ChainArgs::multiaddr)), Optional.empty(), Optional.empty(),
                    ChainArgs.amount(stake), Optional.empty(), Optional.empty(), ChainArgs.amount(maxBurn));
        }
    }

    @Command(name = "update-node-peer", description = "Update a node's main peer info (coldkey).")
    static final class UpdateNodePeer extends Base {
        @Parameters(index = "0")
        int subnetId;

        @Parameters(index = "1")
        int nodeId;

        @Option(names = "--peer-id", required = true)
        String peerId;

        @Option(names = "--multiaddr")
        String multiaddr;

        Call call() {
            return new Call.UpdateNodePeerInfo(subnetId, nodeId, new PeerInfo(peerId, Optional.ofNullable(multiaddr).map(ChainArgs::multiaddr)));
        }
    }

    @Command(name = "remove-node", description = "Remove a subnet node (coldkey); its stake stays claimable.")
    static final class RemoveNode extends Base {
        @Parameters(index = "0")
        int subnetId;

        @Parameters(index = "1")
        int nodeId;

        Call call() {
            return new Call.RemoveSubnetNode(subnetId, nodeId);
        }
    }

    @Command(name = "add-stake", description = "Add stake to a node.")
    static final class AddStake extends Base {
        @Parameters(index = "0")
        int subnetId;

        @Parameters(index = "1")
        int nodeId;

        @Parameters(index = "2", description = "TENSOR.")
        String amount;

        Call call() {
            return new Call.AddNodeStake(subnetId, nodeId, ChainArgs.amount(amount));
        }
    }

    @Command(name = "remove-stake", description = "Unbond stake from a node (claim after the cooldown).")
    static final class RemoveStake extends Base {
        @Parameters(index = "0")
        int subnetId;

        @Parameters(index = "1")
        int nodeId;

        @Parameters(index = "2", description = "TENSOR.")
        String amount;

        Call call() {
            return new Call.RemoveNodeStake(subnetId, nodeId, ChainArgs.amount(amount));
        }
    }

    @Command(name = "claim-unbondings", description = "Claim matured unbondings.")
    static final class ClaimUnbondings extends Base {
        Call call() {
            return new Call.ClaimUnbondings();
        }
    }

    @Command(name = "delegate", description = "Subnet delegate stake: add <subnet> <TENSOR> | remove <subnet> <shares> | transfer <subnet> <to> <shares> | swap <from subnet> <to subnet> <shares> | donate <subnet> <TENSOR>.")
    static final class Delegate extends Base {
        @Parameters(index = "0", description = "add, remove, transfer, swap or donate")
        String action;

        @Parameters(index = "1..*")
        List<String> args = new ArrayList<>();

        Call call() {
            try {
                return switch (action) {
                    case "add" -> new Call.AddDelegateStake(Integer.parseInt(arg(0)), ChainArgs.amount(arg(1)));
                    case "remove" -> new Call.RemoveDelegateStake(Integer.parseInt(arg(0)), shares(arg(1)));
                    case "transfer" -> new Call.TransferDelegateStake(Integer.parseInt(arg(0)), ChainArgs.account(arg(1)), shares(arg(2)));
                    case "swap" -> new Call.SwapFromSubnetToSubnet(Integer.parseInt(arg(0)), Integer.parseInt(arg(1)), shares(arg(2)));
                    case "donate" -> new Call.DonateDelegateStake(Integer.parseInt(arg(0)), ChainArgs.amount(arg(1)));
                    default -> throw new CliException("delegate: unknown action '" + action + "' (add, remove, transfer, swap, donate)");
                };
            } catch (NumberFormatException e) {
                throw new CliException("delegate " + action + ": ids are integers");
            }
        }

        String arg(int i) {
            if (i >= args.size()) throw new CliException("delegate " + action + ": missing argument " + (i + 2) + " (see --help)");
            return args.get(i);
        }
    }

    @Command(name = "validator-delegate", description = "Validator delegate stake: add <validator> <TENSOR> | remove <validator> <shares> | transfer <validator> <to> <shares> | swap <from> <to> <shares>.")
    static final class ValidatorDelegate extends Base {
        @Parameters(index = "0")
        String action;

        @Parameters(index = "1..*")
        List<String> args = new ArrayList<>();

        Call call() {
            try {
                return switch (action) {
                    case "add" -> new Call.AddValidatorDelegateStake(Integer.parseInt(arg(0)), ChainArgs.amount(arg(1)));
                    case "remove" -> new Call.RemoveValidatorDelegateStake(Integer.parseInt(arg(0)), shares(arg(1)));
                    case "transfer" -> new Call.TransferValidatorDelegateStake(Integer.parseInt(arg(0)), ChainArgs.account(arg(1)), shares(arg(2)));
                    case "swap" -> new Call.SwapFromValidatorToValidator(Integer.parseInt(arg(0)), Integer.parseInt(arg(1)), shares(arg(2)));
                    default -> throw new CliException("validator-delegate: unknown action '" + action + "' (add, remove, transfer, swap)");
                };
            } catch (NumberFormatException e) {
                throw new CliException("validator-delegate " + action + ": ids are integers");
            }
        }

        String arg(int i) {
            if (i >= args.size()) throw new CliException("validator-delegate " + action + ": missing argument " + (i + 2) + " (see --help)");
            return args.get(i);
        }
    }

    @Command(name = "propose", description = "Propose the epoch's scores as the elected node (hotkey): --score nodeId=score (TENSOR-scaled, 1 = 1e18).")
    static final class Propose extends Base {
        @Parameters(index = "0")
        int subnetId;

        @Parameters(index = "1")
        int nodeId;

        @Option(names = "--score", split = ",")
        Map<Integer, String> scores = new LinkedHashMap<>();

        Call call() {
            List<NodeScore> data = new ArrayList<>();
            scores.forEach((k, v) -> data.add(new NodeScore(k, ChainArgs.amount(v))));
            return new Call.ProposeAttestation(subnetId, nodeId, data, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    @Command(name = "attest", description = "Attest the epoch's proposal (node hotkey).")
    static final class Attest extends Base {
        @Parameters(index = "0")
        int subnetId;

        @Parameters(index = "1")
        int nodeId;

        Call call() {
            return new Call.Attest(subnetId, nodeId, Optional.empty());
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
