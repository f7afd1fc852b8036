package dev.hyperj.cli;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.DelegateAccount;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.TxException;
import java.io.PrintWriter;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
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
 * each declares its arguments and the call it builds, {@link Signing#submit} does the rest. The
 * subcommands live by area in {@code TxBalances}, {@code TxValidators}, {@code TxSubnets},
 * {@code TxOwner}, {@code TxNodes}, {@code TxStakes}, {@code TxConsensus}, {@code TxOverwatch} and
 * {@code TxCollective}; this class holds the command, its help listing and the parts they share.
 */
@Command(
        name = "tx",
        mixinStandardHelpOptions = true,
        description = "Sign and submit a call to the chain; waits until it is in a block.",
        subcommands = {
            TxBalances.Transfer.class,
            // validators
            TxValidators.RegisterValidator.class,
            TxValidators.UpdateValidatorColdkey.class,
            TxValidators.UpdateValidatorHotkey.class,
            TxValidators.UpdateValidatorRewardRate.class,
            TxValidators.UpdateValidatorDelegateAccount.class,
            TxValidators.UpdateValidatorIdentity.class,
            // subnets
            TxSubnets.RegisterSubnet.class,
            TxSubnets.ActivateSubnet.class,
            TxSubnets.PauseSubnet.class,
            TxSubnets.UnpauseSubnet.class,
            TxSubnets.TransferSubnetOwnership.class,
            TxSubnets.AcceptSubnetOwnership.class,
            TxSubnets.UpdateBootnodes.class,
            TxOwner.Owner.class,
            // nodes
            TxNodes.RegisterNode.class,
            TxNodes.UpdateNodeHotkey.class,
            TxNodes.UpdateNodePeer.class,
            TxNodes.UpdateNodeBootnode.class,
            TxNodes.UpdateNodeClient.class,
            TxNodes.UpdateNodeUnique.class,
            TxNodes.UpdateNodeNonUnique.class,
            TxNodes.RemoveNode.class,
            // staking
            TxStakes.AddStake.class,
            TxStakes.RemoveStake.class,
            TxStakes.ClaimUnbondings.class,
            TxStakes.Delegate.class,
            TxStakes.ValidatorDelegate.class,
            // consensus
            TxConsensus.Propose.class,
            TxConsensus.Attest.class,
            // overwatch, collective
            TxOverwatch.Overwatch.class,
            TxCollective.Collective.class
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

    /** A group of calls ({@code owner}, {@code delegate}, ...): run alone, it shows its usage. */
    abstract static class Group implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

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

    /** A call on one node with an amount ({@code <subnet> <node> <TENSOR>}). */
    abstract static class NodeAmount<C extends Call> extends OnNode<C> {
        @Parameters(index = "2", paramLabel = "<amount>", description = "TENSOR (1.5) or smallest units (1000u).")
        String amount;
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
}
