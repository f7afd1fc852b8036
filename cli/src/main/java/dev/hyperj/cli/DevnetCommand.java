package dev.hyperj.cli;

import dev.hyperj.chain.math.U128;
import dev.hyperj.cli.devnet.Devnet;
import dev.hyperj.cli.devnet.DevnetConfig;
import dev.hyperj.cli.devnet.DevnetNode;
import dev.hyperj.cli.devnet.DevnetProgress;
import dev.hyperj.cli.devnet.EpochReport;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hyperj devnet}: a dev chain, a subnet and its nodes on this machine, with a live table
 * of each subnet epoch as the chain settled it. Bounded by {@code --epochs}, or until Ctrl-C; both
 * end with a summary and exit 0 only if every counted epoch reached consensus and, with
 * {@code --epochs N}, N epochs were counted (a bounded run that fails to start, is interrupted or
 * times out exits 1).
 */
@Command(
        name = "devnet",
        mixinStandardHelpOptions = true,
        description = {
            "Run a whole HyperJ network on this machine: a dev chain, a subnet whose bootnode is node 0, and its staked nodes.",
            "Shows, epoch by epoch, the elected validator, the submitted scores, the attestation ratio and each node's class, reputation, "
                    + "stake and rewards. Ends after --epochs counted epochs (or on Ctrl-C) with a summary; exit 0 if every counted epoch "
                    + "reached consensus and, with --epochs, all of them were counted (otherwise 1). Epochs are counted from the first one with an elected validator."
        })
public final class DevnetCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ConfigFile config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--nodes",
            defaultValue = "4",
            description = "Subnet nodes to run (at least 3), default ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--epochs", description = "Stop after this many counted epochs (default: run until Ctrl-C).")
    Integer epochs;

    @Option(
            names = "--block-time-ms",
            description =
                    "Block time in milliseconds; default 500, scaled with --nodes above 64 (1000 at 128, 2000 at 256): "
                            + "every node gossips and checks every other node's messages each epoch, so the work grows with the square of the nodes.")
    Long blockTimeMsOption;

    long blockTimeMs;

    @Option(names = "--epoch-length", defaultValue = "20", description = "Blocks per epoch, default ${DEFAULT-VALUE}.")
    int epochLength;

    @Option(
            names = "--base-path",
            description =
                    "Directory for the chain database and the nodes' data; must not hold a chain yet (default: a temporary directory deleted on exit).")
    Path basePath;

    @Option(
            names = "--rpc-port",
            defaultValue = "0",
            description = "JSON-RPC port on 127.0.0.1 (default: any free port, printed at start).")
    int rpcPort;

    @Option(
            names = "--app",
            defaultValue = "inference",
            description =
                    "What the nodes run: inference (the example subnet: a small model served to users, a challenge answered each epoch), embeddings (all-MiniLM-L6-v2 sentence embeddings, spot-checked, POST /v1/embeddings) or heartbeat (the framework alone); default ${DEFAULT-VALUE}.")
    AppChoice app;

    @Option(
            names = "--faulty",
            defaultValue = "0",
            description =
                    "How many nodes (the last ones) run a wrong model and should be scored out (inference: other weights; embeddings: the int8 model), default ${DEFAULT-VALUE}.")
    int faulty;

    @Option(
            names = "--overwatch",
            defaultValue = "0",
            description =
                    "How many overwatch agents to run (agent i for node i's validator), default ${DEFAULT-VALUE}; the table shows their commits, reveals and rewards.")
    int overwatch;

    private volatile dev.hyperj.cli.devnet.DevnetOverwatch agents;
    private final AtomicBoolean finishing = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<EpochReport> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile int exitCode = Main.EXIT_FAILURE;

    @Override
    public Integer call() throws Exception {
        quietLogs();
        if (nodes < 3) throw new CliException("--nodes must be at least 3 (the chain's minimum of initial validators)");
        if (epochs != null && epochs < 1) throw new CliException("--epochs must be at least 1");
        blockTimeMs = blockTimeMsOption != null ? blockTimeMsOption : DevnetConfig.defaultBlockTimeMs(nodes);
        if (blockTimeMs < 1) throw new CliException("--block-time-ms must be positive");
        if (epochLength < 8) throw new CliException("--epoch-length must be at least 8 blocks");
        if (rpcPort < 0 || rpcPort > 65535) throw new CliException("--rpc-port must be in [0, 65535]");
        if (faulty < 0 || faulty > nodes - 3)
            throw new CliException(
                    "--faulty must be in [0, " + (nodes - 3) + "]: at least 3 honest nodes keep consensus");
        if (faulty > 0 && !app.hasFaultyNodes())
            throw new CliException("--faulty needs --app inference or --app embeddings");
        if (overwatch < 0 || overwatch > nodes) throw new CliException("--overwatch must be in [0, " + nodes + "]");
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(out, isTerminal());
        DevnetConfig cfg = DevnetConfig.defaults(nodes)
                .withBlockTimeMs(blockTimeMs)
                .withEpochLength(epochLength)
                .withBasePath(basePath)
                .withRpcPort(rpcPort)
                .withProgress(progress::show)
                .withApplication(i -> app.create(i >= nodes - faulty));
        CountDownLatch enough = new CountDownLatch(1);
        Devnet[] holder = new Devnet[1];
        Thread hook = new Thread(
                () -> {
                    // Ctrl-C / SIGTERM: stop nodes then the chain, print the summary, exit with its verdict
                    if (!finishing.compareAndSet(false, true)) {
                        awaitQuietly(finished);
                        return;
                    }
                    progress.end();
                    out.println();
                    out.println("interrupted: stopping the nodes and the chain...");
                    out.flush();
                    Devnet d;
                    synchronized (holder) {
                        d = holder[0];
                    }
                    if (d != null) d.close();
                    int code = summary(out);
                    out.flush();
                    finished.countDown();
                    Runtime.getRuntime().halt(code);
                },
                "hyperj-devnet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        Devnet devnet;
        try {
            devnet = Devnet.start(cfg);
        } catch (Exception | Error e) {
            if (!finishing.compareAndSet(false, true)) {
                awaitQuietly(finished); // Ctrl-C while starting: the hook stopped what had started and decides
                return exitCode;
            }
            // the hook must not outlive the failure: it would print a summary and exit 0 over our error
            removeHook(hook);
            finished.countDown();
            throw new CliException("the devnet did not start: " + describe(e), e);
        }
        synchronized (holder) {
            holder[0] = devnet;
        }
        if (finishing.get()) {
            devnet.close(); // Ctrl-C came while starting: the hook found nothing to stop
            return exitCode;
        }
        progress.end();
        header(out, devnet);
        progress.resume();
        if (overwatch > 0) agents = devnet.startOverwatch(overwatch);
        devnet.onReport(r -> {
            if (finishing.get()) return;
            progress.end();
            boolean counts = !counted.isEmpty() || r.electedNodeId().isPresent();
            if (counts && (epochs == null || counted.size() < epochs)) counted.add(r);
            synchronized (out) {
                table(out, devnet, r, counts);
                if (agents != null) overwatchTable(out, agents.statuses());
                out.flush();
            }
            if (epochs != null && counted.size() >= epochs) enough.countDown();
        });
        long epochMs = blockTimeMs * epochLength;
        long limitMs = epochs == null ? Long.MAX_VALUE : (epochs + 6) * epochMs * 3 + 120_000;
        boolean done = enough.await(limitMs, TimeUnit.MILLISECONDS);
        if (!finishing.compareAndSet(false, true)) {
            awaitQuietly(finished); // the shutdown hook is finishing: let it
            return exitCode;
        }
        try {
            if (!done) out.println("no epoch report for " + limitMs / 1000 + " s: stopping");
            out.println("stopping the nodes and the chain...");
            out.flush();
            devnet.close();
            int code = summary(out);
            if (!done) code = Main.EXIT_FAILURE;
            out.flush();
            return code;
        } finally {
            finished.countDown();
            removeHook(hook);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    /** One line for a start failure: the message, or the exception's name when it has none worth reading. */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException
                        || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) t = t.getCause();
        String m = t.getMessage();
        return m == null || m.isBlank() || t instanceof java.util.NoSuchElementException
                ? t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m)
                : m;
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Nodes log at warn unless the user chose a level: the table must stay readable. */
    static void quietLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null)
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            // Java 22+: a console exists even when redirected; isTerminal says whether it is one
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private void header(PrintWriter out, Devnet d) {
        out.println("devnet: subnet " + d.subnetId() + " active at block #" + d.activationBlock() + ", "
                + d.nodes().size() + " nodes, chain RPC " + d.rpcUri() + " (" + blockTimeMs + " ms blocks, "
                + epochLength + "-block epochs)");
        out.println("data in " + d.basePath() + (basePath == null ? " (temporary, deleted on exit)" : ""));
        for (DevnetNode n : d.nodes()) {
            out.println(String.format(
                    Locale.ROOT,
                    "  n%-3d node %-4d %s %s%s",
                    n.index(),
                    n.subnetNodeId(),
                    n.peerId(),
                    n.address().map(Object::toString).orElse(""),
                    n.index() == 0 ? " (bootnode)" : ""));
        }
        out.println("first epoch report after subnet epoch " + d.firstReportEpoch()
                + (epochs == null ? "; Ctrl-C to stop" : "; " + epochs + " epochs counted"));
        out.flush();
    }

    static void table(PrintWriter out, Devnet d, EpochReport r, boolean counts) {
        String elected = r.electedNodeId()
                .map(id -> "node " + id
                        + r.node(id)
                                .filter(n -> n.index() >= 0)
                                .map(n -> " (n" + n.index() + ")")
                                .orElse(""))
                .orElse("none");
        String verdict = r.consensus()
                ? "CONSENSUS"
                : r.submitted()
                        ? "no consensus"
                        : r.electedNodeId().isPresent() ? "no proposal" : "no validator elected";
        out.println();
        out.println(String.format(
                Locale.ROOT,
                "subnet epoch %d | block #%d | elected %s | %d scores submitted | attested %d/%d (%.2f) | %s%s",
                r.subnetEpoch(),
                r.block(),
                elected,
                r.submittedScores(),
                r.attestations(),
                r.validatorSetSize(),
                r.attestationRatio(),
                verdict,
                counts ? "" : " (warm-up, not counted)"));
        out.println(String.format(
                Locale.ROOT,
                "  %-5s %-5s %-12s %-10s %8s %10s %16s %16s  %-18s",
                "node",
                "id",
                "peer id",
                "class",
                "score",
                "reputation",
                "stake TENSOR",
                "rewards TENSOR",
                "DAG nodes heads"));
        for (EpochReport.NodeReport n : r.nodes()) {
            out.println(String.format(
                    Locale.ROOT,
                    "  %-5s %-5d %-12s %-10s %8s %10.4f %16s %16s  %-18s%s",
                    n.index() >= 0 ? "n" + n.index() : "-",
                    n.subnetNodeId(),
                    shortPeer(n.peerId()),
                    n.nodeClass(),
                    n.score()
                            .map(sc -> String.format(Locale.ROOT, "%.2f", U128.toRatio(sc)))
                            .orElse("-"),
                    n.reputationRatio(),
                    tensor(n.stake(), false),
                    tensor(n.rewards(), true),
                    n.dag().map(c -> c.nodes() + " " + c.digest()).orElse("-"),
                    n.running() ? "" : n.index() >= 0 ? "  (stopped)" : ""));
        }
    }

    /** One line per overwatch agent: its latest commit, reveal and payout. */
    static void overwatchTable(PrintWriter out, List<dev.hyperj.cli.devnet.DevnetOverwatch.Status> statuses) {
        for (var s : statuses) {
            StringBuilder b = new StringBuilder(String.format(
                    Locale.ROOT,
                    "  overwatch ow%d (n%d's validator, %s):",
                    s.index(),
                    s.index(),
                    s.overwatchNodeId().map(id -> "node " + id).orElse("not registered yet")));
            s.committed()
                    .ifPresent(c -> b.append(" committed ow-epoch ")
                            .append(c.overwatchEpoch())
                            .append(" at #")
                            .append(c.block())
                            .append(' ')
                            .append(weights(c.weights())));
            s.revealed()
                    .ifPresent(r -> b.append("; revealed ow-epoch ")
                            .append(r.overwatchEpoch())
                            .append(" at #")
                            .append(r.block()));
            s.earned()
                    .ifPresent(e -> b.append("; earned ")
                            .append(tensor(e.reward(), true))
                            .append(" for ow-epoch ")
                            .append(e.overwatchEpoch()));
            if (s.totalEarned().signum() > 0)
                b.append(" (total ").append(tensor(s.totalEarned(), true)).append(')');
            s.problem().ifPresent(p -> b.append("; problem: ").append(p));
            out.println(b);
        }
    }

    private static String weights(java.util.Map<Integer, BigInteger> w) {
        StringBuilder b = new StringBuilder("{");
        w.forEach((subnet, v) -> b.append(b.length() > 1 ? ", " : "")
                .append(subnet)
                .append('=')
                .append(String.format(Locale.ROOT, "%.3f", U128.toRatio(v))));
        return b.append('}').toString();
    }

    static String shortPeer(String peer) {
        return peer.length() <= 12 ? peer : ".." + peer.substring(peer.length() - 10);
    }

    static String tensor(BigInteger v, boolean signed) {
        BigDecimal t = new BigDecimal(v).divide(new BigDecimal(U128.ONE_E18)).setScale(6, RoundingMode.DOWN);
        return (signed && v.signum() > 0 ? "+" : "") + t.toPlainString();
    }

    /**
     * Prints the summary; returns the exit code it implies: with {@code --epochs N}, 0 only if N epochs
     * were counted and each reached consensus (an interrupted or failed bounded run is a failure);
     * without, 0 if every epoch counted before Ctrl-C reached consensus.
     */
    private int summary(PrintWriter out) {
        List<EpochReport> rs = new ArrayList<>(counted);
        out.println();
        if (rs.isEmpty()) {
            out.println("summary: no epoch counted (stopped before the subnet's first elected validator)"
                    + (epochs == null ? "" : "; " + epochs + " were asked for"));
            exitCode = epochs == null ? 0 : Main.EXIT_FAILURE;
            return exitCode;
        }
        List<Long> failed = rs.stream()
                .filter(r -> !r.consensus())
                .map(EpochReport::subnetEpoch)
                .toList();
        out.println(String.format(
                Locale.ROOT,
                "summary: %d epoch(s) counted (subnet epochs %d..%d), consensus in %d/%d",
                rs.size(),
                rs.get(0).subnetEpoch(),
                rs.get(rs.size() - 1).subnetEpoch(),
                rs.size() - failed.size(),
                rs.size()));
        StringBuilder ratios = new StringBuilder("  attestation ratios:");
        for (EpochReport r : rs)
            ratios.append(String.format(Locale.ROOT, " %d=%.2f", r.subnetEpoch(), r.attestationRatio()));
        out.println(ratios);
        List<Long> dagSplit = rs.stream()
                .filter(r -> !r.dagAgreed())
                .map(EpochReport::subnetEpoch)
                .toList();
        out.println(
                dagSplit.isEmpty()
                        ? "  DAG: every running node held the same heads at the end of every counted epoch"
                        : "  DAG: running nodes held different heads at the end of subnet epoch(s) " + dagSplit);
        EpochReport last = rs.get(rs.size() - 1);
        BigInteger total = BigInteger.ZERO;
        StringBuilder rewards = new StringBuilder("  rewards since start (TENSOR):");
        for (EpochReport.NodeReport n : last.nodes()) {
            rewards.append(' ')
                    .append(n.index() >= 0 ? "n" + n.index() : "node" + n.subnetNodeId())
                    .append('=')
                    .append(tensor(n.rewards(), true));
            total = total.add(n.rewards());
        }
        out.println(rewards.append("; total ").append(tensor(total, true)));
        boolean allCounted = epochs == null || rs.size() >= epochs;
        if (failed.isEmpty() && allCounted) {
            out.println("consensus reached in every counted epoch");
            exitCode = 0;
        } else if (!failed.isEmpty()) {
            out.println("consensus NOT reached in subnet epoch(s) " + failed);
            exitCode = Main.EXIT_FAILURE;
        } else {
            out.println("only " + rs.size() + " of " + epochs + " epochs were counted");
            exitCode = Main.EXIT_FAILURE;
        }
        return exitCode;
    }

    /** The start-up display: one rewritten line on a terminal, a line per stage otherwise. */
    static final class Progress {
        private final PrintWriter out;
        private final boolean tty;
        private DevnetProgress.Stage last;
        private int width;
        private boolean ended;

        Progress(PrintWriter out, boolean tty) {
            this.out = out;
            this.tty = tty;
        }

        synchronized void show(DevnetProgress p) {
            if (ended) return;
            if (tty) {
                String t = p.text();
                out.print("\r" + t + " ".repeat(Math.max(0, width - t.length())));
                width = t.length();
                out.flush();
            } else if (p.stage() != last) {
                out.println(p.text());
                out.flush();
            }
            last = p.stage();
        }

        /** Leaves the progress line (before a table or the summary). */
        synchronized void end() {
            if (ended) return;
            ended = true;
            if (tty && width > 0) {
                out.println();
                out.flush();
            }
            width = 0;
        }

        synchronized void resume() {
            ended = false;
        }
    }
}
