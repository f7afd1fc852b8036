package dev.hyperj.cli;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.cli.TxCommand.OnNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hyperj tx propose} and {@code attest}: a subnet epoch's consensus, by hand. */
final class TxConsensus {
    private TxConsensus() {}

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
}
