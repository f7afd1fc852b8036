package dev.hyperj.cli.devnet;

import static dev.hyperj.cli.devnet.DevnetEndToEnd.consecutiveConsensus;
import static dev.hyperj.cli.devnet.DevnetEndToEnd.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.cli.Main;
import dev.hyperj.cli.devnet.netns.DelayProxy;
import dev.hyperj.cli.devnet.netns.Netns;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's faults on separate network stacks: four {@code hyperj node} processes, each in a Linux
 * network namespace of its own ({@link Netns}: a bridge, veth links, 10.77.1.x), against a devnet
 * chain served from the test JVM through 10.77.0.1. Every link between nodes goes through a {@link
 * DelayProxy} in the listening node's namespace that holds each chunk for {@value #DELAY_MS} ms each
 * way (the kernel has no netem), so all of this runs with that delay. A node listens on its own
 * namespace's loopback and is reachable only through its proxy. In order, on the same network:
 * consensus under the delay; a node's link cut for an epoch and restored; a node stopped
 * (SIGSTOP) past the attest window and resumed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamespaceFaultsTest {
    static final int NODES = 4;
    static final long DELAY_MS = 100;
    static final int P2P_PORT = 4001;

    @TempDir
    static Path dir;

    private Netns net;
    private Devnet devnet;
    private DelayProxy chainRelay;
    private final List<Process> processes = new ArrayList<>();
    private final Process[] nodes = new Process[NODES];

    @BeforeAll
    @Timeout(240)
    void start() throws Exception {
        net = Netns.create(NODES); // fails, never skips, if namespaces cannot be made here
        devnet = Devnet.start(DevnetConfig.defaults(NODES).withBasePath(dir.resolve("devnet")));
        // the devnet started its nodes in this JVM to activate the subnet; the namespaces take them over
        for (int i = 0; i < NODES; i++) devnet.stopNode(i);
        chainRelay = DelayProxy.start(
                new InetSocketAddress(Netns.HOST_ADDRESS, 0),
                new InetSocketAddress("127.0.0.1", devnet.rpcUri().getPort()),
                0);
        for (int i = 0; i < NODES; i++) startProxy(i);
        for (int i = 0; i < NODES; i++) nodes[i] = startNode(i);
        for (int i = 0; i < NODES; i++) awaitLine(i, nodes[i], "\"event\":\"started\"");
    }

    /** Waits for node {@code i}'s JSON line containing {@code text}; fails with its output if it ends first. */
    private void awaitLine(int i, Process p, String text) throws Exception {
        Path out = dir.resolve("n" + i + ".stdout");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(out).contains(text)) {
            assertThat(p.isAlive()).as("n%d running; %s", i, logs(i)).isTrue();
            assertThat(System.nanoTime())
                    .as("n%d printed %s within 120 s; %s", i, text, logs(i))
                    .isLessThan(deadline);
            p.waitFor(200, TimeUnit.MILLISECONDS); // its output goes to a file: no event but the process ending
        }
    }

    @AfterAll
    @Timeout(120)
    void stop() throws Exception {
        for (Process p : processes) {
            if (!p.isAlive()) continue;
            try {
                Netns.run(
                        List.of("kill", "-CONT", Long.toString(p.pid()))); // a stopped JVM acts on SIGTERM once resumed
            } catch (RuntimeException ignored) {
                // it ended meanwhile
            }
            p.destroy();
        }
        for (Process p : processes) if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        if (chainRelay != null) chainRelay.close();
        if (devnet != null) devnet.close();
        if (net != null) net.close();
    }

    private List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Process launch(String name, List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve(name + ".stdout").toFile())
                .redirectError(dir.resolve(name + ".stderr").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private void startProxy(int i) throws Exception {
        Path out = dir.resolve("proxy" + i + ".stdout");
        Process p = launch(
                "proxy" + i,
                net.exec(
                        i,
                        java(
                                DelayProxy.class.getName(),
                                Netns.address(i) + ":" + P2P_PORT,
                                "127.0.0.1:" + P2P_PORT,
                                Long.toString(DELAY_MS))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(out).startsWith("ready")) {
            assertThat(p.isAlive())
                    .as("proxy %d: %s", i, Files.readString(dir.resolve("proxy" + i + ".stderr")))
                    .isTrue();
            assertThat(System.nanoTime()).as("proxy %d ready within 60 s", i).isLessThan(deadline);
            p.waitFor(100, TimeUnit.MILLISECONDS); // its output goes to a file: no event but the process ending
        }
    }

    private Process startNode(int i) throws Exception {
        DevnetNode n = devnet.node(i);
        Path key = dir.resolve("n" + i + ".key");
        Files.write(key, n.identity().marshal());
        Path signer = dir.resolve("n" + i + ".hotkey");
        Files.writeString(signer, HexFormat.of().formatHex(n.hotkey().privateKey()));
        List<String> args = new ArrayList<>(List.of(
                "node",
                "--subnet-id",
                Integer.toString(devnet.subnetId()),
                "--key",
                key.toString(),
                "--chain",
                "ws://" + Netns.HOST_ADDRESS + ":" + chainRelay.port(),
                "--signer",
                signer.toString(),
                "--storage",
                dir.resolve("n" + i + "-data").toString(),
                "--listen",
                "/ip4/127.0.0.1/tcp/" + P2P_PORT,
                "--app",
                "heartbeat",
                "--bootstrap"));
        for (int j = 0; j < NODES; j++)
            if (j != i)
                args.add("/ip4/" + Netns.address(j) + "/tcp/" + P2P_PORT + "/p2p/"
                        + devnet.node(j).peerId().toBase58());
        return launch("n" + i, net.exec(i, java(Main.class.getName(), args.toArray(String[]::new))));
    }

    private String logs(int i) throws Exception {
        return "n" + i + " stderr: " + tail(dir.resolve("n" + i + ".stderr"));
    }

    private static String tail(Path p) throws Exception {
        String s = Files.readString(p);
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    private static boolean scored(EpochReport r, int subnetNodeId) {
        return r.node(subnetNodeId).flatMap(EpochReport.NodeReport::score).isPresent();
    }

    private static BigInteger reputation(EpochReport r, int subnetNodeId) {
        return r.node(subnetNodeId).orElseThrow().reputation();
    }

    /** Waits until the chain is in subnet epoch {@code epoch} (its report of the one before is settled). */
    private EpochReport awaitEpoch(long epoch) throws Exception {
        return report(devnet, epoch - 1);
    }

    @Test
    @Order(1)
    @Timeout(240)
    void consensusHoldsWithTheAddedDelayBetweenNodes() throws Exception {
        // the delay is real: a multistream hello through node 0's proxy is answered a round trip (2 x delay) later
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Netns.address(0), P2P_PORT), 5_000);
            s.setSoTimeout(10_000);
            byte[] hello = "/multistream/1.0.0\n".getBytes(StandardCharsets.US_ASCII);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            out.write(hello.length);
            out.write(hello);
            out.flush();
            assertThat(in.read()).as("node 0 answers through its proxy").isNotNegative();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).as("round trip through the proxy").isGreaterThanOrEqualTo(2 * DELAY_MS);
        }
        for (int i = 0; i < NODES; i++)
            assertThat(nodes[i].isAlive()).as(logs(i)).isTrue();
        List<EpochReport> run = consecutiveConsensus(devnet, devnet.currentSubnetEpoch() + 1, 2, 10);
        for (EpochReport r : run) {
            assertThat(r.attestationRatio()).isGreaterThanOrEqualTo(0.66);
            for (int i = 0; i < NODES; i++)
                assertThat(scored(r, devnet.node(i).subnetNodeId()))
                        .as("n%d scored in epoch %d under %d ms delay; %s", i, r.subnetEpoch(), DELAY_MS, r)
                        .isTrue();
        }
    }

    @Test
    @Order(2)
    @Timeout(300)
    void aNodePartitionedForAnEpochIsScoredOutAndBackWithinTwoEpochsOfTheHeal() throws Exception {
        int victim = 3;
        int id = devnet.node(victim).subnetNodeId();
        long cutIn = devnet.currentSubnetEpoch();
        net.link(victim, false);
        EpochReport without = null;
        try {
            // a proposal scores the heartbeats of the epoch before it: the cut epoch's may have gone out before the
            // cut,
            // the next epoch's cannot
            for (long e = cutIn + 2; without == null; e++) {
                assertThat(e)
                        .as(
                                "a consensus epoch without n%d within 5 epochs of the cut; reports %s",
                                victim, devnet.reports())
                        .isLessThan(cutIn + 7);
                EpochReport r = report(devnet, e);
                assertThat(scored(r, id))
                        .as("n%d scored in epoch %d while cut off: %s", victim, e, r)
                        .isFalse();
                if (r.consensus())
                    without = r; // an epoch the cut node was elected in has no proposal: the rules allow it
            }
            for (int i = 0; i < NODES; i++)
                if (i != victim)
                    assertThat(scored(without, devnet.node(i).subnetNodeId()))
                            .as("n%d scored while n%d is cut off: %s", i, victim, without)
                            .isTrue();
        } finally {
            net.link(victim, true);
        }
        long healedIn = devnet.currentSubnetEpoch();
        assertThat(nodes[victim].isAlive()).as(logs(victim)).isTrue();
        EpochReport back = null;
        for (long e = healedIn + 1; e <= healedIn + 2 && back == null; e++) {
            EpochReport r = report(devnet, e);
            if (scored(r, id)) back = r;
        }
        assertThat(back)
                .as(
                        "n%d back in the scores within two epochs of the heal (epoch %d); reports %s; %s",
                        victim, healedIn, devnet.reports(), logs(victim))
                .isNotNull();
        // and the network carries on with it: consensus again, the healed node among the scored
        EpochReport after =
                consecutiveConsensus(devnet, back.subnetEpoch(), 1, 4).get(0);
        assertThat(scored(after, id))
                .as("n%d scored in epoch %d after the heal: %s", victim, after.subnetEpoch(), after)
                .isTrue();
    }

    @Test
    @Order(3)
    @Timeout(300)
    void aNodePausedPastTheAttestWindowLosesReputationAndRecovers() throws Exception {
        int victim = 2;
        int id = devnet.node(victim).subnetNodeId();
        long pid = nodes[victim].pid();
        EpochReport before = awaitEpoch(devnet.currentSubnetEpoch() + 1);
        BigInteger start = reputation(before, id);
        long pausedIn = before.subnetEpoch() + 1;
        Netns.run(List.of("kill", "-STOP", Long.toString(pid)));
        BigInteger lowest;
        try {
            // stopped for all of the next epoch, its attest window (and its heartbeat) included
            EpochReport r = awaitEpoch(pausedIn + 2);
            assertThat(scored(r, id))
                    .as("n%d scored in epoch %d while stopped", victim, r.subnetEpoch())
                    .isFalse();
            lowest = reputation(r, id);
        } finally {
            Netns.run(List.of("kill", "-CONT", Long.toString(pid)));
        }
        assertThat(lowest)
                .as("n%d's reputation after an epoch stopped, from %s", victim, start)
                .isLessThan(start);
        long resumedIn = devnet.currentSubnetEpoch();
        EpochReport recovered = null;
        for (long e = resumedIn + 1; e <= resumedIn + 4 && recovered == null; e++) {
            EpochReport r = report(devnet, e);
            if (scored(r, id) && reputation(r, id).compareTo(lowest) > 0) recovered = r;
        }
        assertThat(recovered)
                .as(
                        "n%d scored again with its reputation above %s within 4 epochs of resuming (epoch %d); reports %s; %s",
                        victim, lowest, resumedIn, devnet.reports(), logs(victim))
                .isNotNull();
        assertThat(nodes[victim].isAlive()).isTrue();
    }
}
