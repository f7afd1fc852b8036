package dev.hyperj.cli;

import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.OverwatchCommit;
import dev.hyperj.chain.runtime.Model.OverwatchReveal;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.cli.TxCommand.Group;
import dev.hyperj.cli.TxCommand.IdValue;
import dev.hyperj.cli.TxCommand.OnSubnet;
import dev.hyperj.cli.TxCommand.OverwatchArg;
import dev.hyperj.cli.TxCommand.Tx;
import dev.hyperj.cli.TxCommand.ValidatorArg;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyperj tx overwatch ...}: overwatch nodes, their stake and their commit/reveal of subnet weights. */
final class TxOverwatch {
    private TxOverwatch() {}

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
    static final class Overwatch extends Group {}

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
}
