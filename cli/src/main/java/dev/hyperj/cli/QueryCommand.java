package dev.hyperj.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.rpc.ChainJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hyperj query <what>}: reads from a node, printed as JSON (u128 as decimal strings). */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = "Read the chain: subnets, subnet, nodes, node, epoch, balance, stakes, elected.")
public final class QueryCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            description =
                    "subnets | subnet <id> | nodes <subnet> | node <subnet> <node> | epoch | balance <account> | stakes <account> | elected <subnet> [epoch]")
    String what;

    @Parameters(index = "1..*", description = "Arguments of the query.")
    java.util.List<String> args = new java.util.ArrayList<>();

    @Option(
            names = "--rpc",
            defaultValue = ChainArgs.DEFAULT_RPC,
            description = "Node RPC URL, default ${DEFAULT-VALUE}.")
    String rpc;

    @Override
    public void run() {
        Function<ChainClient, Object> q = switch (what) {
            case "subnets" -> c -> c.subnets();
            case "subnet" ->
                c -> c.subnet(intArg(0, "subnet id"))
                        .orElseThrow(
                                () -> new CliException("no subnet " + args.get(0) + "; see 'hyperj query subnets'"));
            case "nodes" -> c -> c.subnetNodes(intArg(0, "subnet id"));
            case "node" ->
                c -> c.subnetNode(intArg(0, "subnet id"), intArg(1, "node id"))
                        .orElseThrow(() -> new CliException("no node " + args.get(1) + " in subnet " + args.get(0)
                                + "; see 'hyperj query nodes " + args.get(0) + "'"));
            case "epoch" -> c -> c.epochInfo();
            case "balance" ->
                c -> {
                    AccountId a = ChainArgs.account(arg(0, "account"));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("account", a);
                    m.put("free", c.balance(a));
                    m.put("unbondings", c.unbondings(a));
                    m.put("nextNonce", c.nextNonce(a));
                    return m;
                };
            case "stakes" ->
                c -> {
                    AccountId a = ChainArgs.account(arg(0, "account"));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("delegateStakes", c.delegateStakes(a));
                    // Hypertensor's published runtime has no validators: its stakes are the delegate ones above
                    if (c instanceof dev.hyperj.chain.substrate.HypertensorChainClient) return m;
                    c.validatorIdOf(a).ifPresent(v -> {
                        m.put("validatorId", v);
                        m.put("nodeStakes", c.validatorStakes(v));
                    });
                    return m;
                };
            case "elected" ->
                c -> {
                    int sid = intArg(0, "subnet id");
                    long epoch = args.size() > 1 ? intArg(1, "subnet epoch") : c.subnetEpoch(sid);
                    return c.electedValidator(sid, epoch)
                            .orElseThrow(() ->
                                    new CliException("no validator elected in subnet " + sid + " for epoch " + epoch));
                };
            default ->
                throw new CliException(
                        "unknown query '" + what + "' (subnets, subnet, nodes, node, epoch, balance, stakes, elected)");
        };
        try (ChainClient client = ChainArgs.connect(rpc)) {
            Object result = q.apply(client);
            spec.commandLine()
                    .getOut()
                    .println(ChainJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
            spec.commandLine().getOut().flush();
        } catch (ChainClientException e) {
            throw new CliException(e.getMessage());
        } catch (JsonProcessingException e) {
            throw new CliException("cannot print the result: " + e.getOriginalMessage());
        }
    }

    private String arg(int i, String what) {
        if (i >= args.size()) throw new CliException("query " + this.what + ": missing " + what);
        return args.get(i);
    }

    private int intArg(int i, String what) {
        try {
            return Integer.parseInt(arg(i, what));
        } catch (NumberFormatException e) {
            throw new CliException("query " + this.what + ": " + what + " must be an integer");
        }
    }
}
