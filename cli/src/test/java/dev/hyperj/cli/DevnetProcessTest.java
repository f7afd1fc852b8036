package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.cli.devnet.Devnet;
import dev.hyperj.cli.devnet.DevnetConfig;
import dev.hyperj.cli.devnet.DevnetNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyperj devnet} and {@code hyperj node} as real processes. */
@Timeout(300)
class DevnetProcessTest {
    @TempDir
    Path dir;

    /**
     * A running hyperj process with stdout in a file: reading a pipe while the process exits can lose
     * the last lines (the JDK drains and closes it under the reader), a file keeps them all.
     */
    record Run(Process process, Path stdout, Path stderr) {
        List<String> lines() {
            try {
                return Files.readAllLines(stdout, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Waits for a line matching {@code p}; fails with what was printed if the process ends first. */
        String await(Predicate<String> p, long seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                boolean alive = process.isAlive();
                for (String l : lines()) if (p.test(l)) return l;
                if (!alive)
                    throw new AssertionError("hyperj exited " + process.exitValue() + " without the line; stdout "
                            + lines() + "; stderr " + Files.readString(stderr));
                process.waitFor(200, TimeUnit.MILLISECONDS); // output goes to a file: no event but the process ending
            }
            throw new AssertionError("no such line in " + seconds + " s; stdout " + lines());
        }
    }

    private Run hyperj(String name, String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(
                List.of(java.toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve(name + ".stdout");
        Path err = dir.resolve(name + ".stderr");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new Run(p, out, err);
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    @Test
    void devnetOfFourNodesRunsThreeEpochsAndExitsZeroWithAConsensusSummary() throws Exception {
        Run run = hyperj("devnet", "devnet", "--nodes", "4", "--epochs", "3");
        try {
            assertThat(run.process().waitFor(240, TimeUnit.SECONDS))
                    .as("devnet finished; stdout %s", run.lines())
                    .isTrue();
            String out = String.join("\n", run.lines());
            assertThat(run.process().exitValue()).as(out).isZero();
            assertThat(out)
                    .contains("registering validators", "starting subnet nodes", "devnet: subnet ", "(bootnode)");
            assertThat(run.lines())
                    .filteredOn(l -> l.startsWith("subnet epoch ") && l.endsWith("| CONSENSUS"))
                    .hasSizeGreaterThanOrEqualTo(3);
            assertThat(out)
                    .contains(
                            "summary: 3 epoch(s) counted",
                            "consensus in 3/3",
                            "consensus reached in every counted epoch",
                            "DAG: every running node held the same heads at the end of every counted epoch");
            // four node rows per table: n0..n3, Validator class
            assertThat(run.lines())
                    .filteredOn(l -> l.matches("\\s+n[0-3]\\s+\\d+\\s+\\.\\..*Validator.*"))
                    .hasSizeGreaterThanOrEqualTo(12);
            // the temporary base path is gone
            String data = run.lines().stream()
                    .filter(l -> l.startsWith("data in "))
                    .findFirst()
                    .orElseThrow();
            assertThat(Path.of(data.substring(8, data.indexOf(" (temporary")))).doesNotExist();
        } finally {
            stop(run.process());
        }
    }

    @Test
    void aBoundedDevnetThatCannotStartExitsNonZeroWithOneLineSayingWhy() throws Exception {
        // the RPC port is taken: the devnet fails while starting (the shutdown hook used to exit 0 over it)
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Run run = hyperj(
                    "devnet-fail", "devnet", "--nodes", "3", "--epochs", "3", "--rpc-port", "" + taken.getLocalPort());
            try {
                assertThat(run.process().waitFor(120, TimeUnit.SECONDS)).isTrue();
                String err = Files.readString(run.stderr());
                assertThat(run.process().exitValue())
                        .as("stdout %s stderr %s", run.lines(), err)
                        .isEqualTo(Main.EXIT_FAILURE);
                assertThat(err).contains("hyperj devnet: the devnet did not start: cannot serve JSON-RPC");
                assertThat(err).doesNotContain("unexpected error", "	at ");
                assertThat(run.lines()).noneMatch(l -> l.startsWith("summary:"));
            } finally {
                stop(run.process());
            }
        }
    }

    @Test
    void aBoundedDevnetInterruptedBeforeItsEpochsExitsNonZero() throws Exception {
        Run run = hyperj("devnet-int", "devnet", "--nodes", "3", "--epochs", "3");
        try {
            run.await(l -> l.startsWith("registering validators"), 120);
            run.process().destroy(); // SIGTERM while starting: no epoch counted of the 3 asked for
            assertThat(run.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
            String out = String.join("\n", run.lines());
            assertThat(out)
                    .contains("interrupted: stopping the nodes and the chain", "no epoch counted", "3 were asked for");
            assertThat(run.process().exitValue()).as(out).isEqualTo(Main.EXIT_FAILURE);
        } finally {
            stop(run.process());
        }
    }

    @Test
    void sigtermStopsTheDevnetCleanlyAndPrintsTheSummary() throws Exception {
        Run run = hyperj(
                "devnet-term",
                "devnet",
                "--nodes",
                "3",
                "--base-path",
                dir.resolve("net").toString());
        try {
            run.await(l -> l.startsWith("subnet epoch "), 200);
            run.process().destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops nodes then the chain
            assertThat(run.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
            String out = String.join("\n", run.lines());
            assertThat(out).contains("interrupted: stopping the nodes and the chain", "summary: ");
            boolean consensus = out.contains("consensus reached in every counted epoch");
            assertThat(run.process().exitValue()).as(out).isEqualTo(consensus ? 0 : Main.EXIT_FAILURE);
            // a given base path stays, with the chain database closed cleanly: it opens again
            assertThat(dir.resolve("net").resolve("chain")).isDirectory();
            try (var node = dev.hyperj.chain.node.ChainNode.start(dev.hyperj.chain.node.NodeConfig.dev(20)
                    .withBasePath(dir.resolve("net").resolve("chain"))
                    .withGenesis(dev.hyperj.chain.runtime.GenesisConfig.dev(20)
                            .withParams(dev.hyperj.chain.runtime.NetworkParams.defaults(
                                            20,
                                            java.util.Optional.of(dev.hyperj.chain.crypto.DevAccounts.ALITH.account()))
                                    .withPhases(10, 5, 1, 2))
                            .withOverwatchQualification(dev.hyperj.cli.devnet.Devnet.OVERWATCH_QUALIFICATION))
                    .withInstantSeal(true))) {
                assertThat(node.bestHeader().number()).isPositive();
            }
        } finally {
            stop(run.process());
        }
    }

    @Test
    void aNodeProcessJoinsADevnetsChainAndReportsEachEpoch() throws Exception {
        try (Devnet devnet = Devnet.start(DevnetConfig.defaults(3).withBasePath(dir.resolve("net")))) {
            DevnetNode extra = devnet.registerNode();
            Path key = dir.resolve("node.key");
            Files.write(key, extra.identity().marshal());
            Path signer = dir.resolve("hotkey.hex");
            Files.writeString(signer, HexFormat.of().formatHex(extra.hotkey().privateKey()));
            Run run = hyperj(
                    "node",
                    "node",
                    "--subnet-id",
                    Integer.toString(devnet.subnetId()),
                    "--key",
                    key.toString(),
                    "--chain",
                    devnet.rpcUri().toString(),
                    "--signer",
                    signer.toString(),
                    "--storage",
                    dir.resolve("node-data").toString());
            try {
                ObjectMapper json = new ObjectMapper();
                JsonNode started = json.readTree(run.await(l -> l.contains("\"event\":\"started\""), 60));
                assertThat(started.get("peerId").asText())
                        .isEqualTo(extra.peerId().toBase58());
                assertThat(started.get("registered").asBoolean()).isTrue();
                assertThat(started.get("addresses").get(0).asText())
                        .startsWith("/ip4/127.0.0.1/tcp/")
                        .endsWith("/p2p/" + extra.peerId());
                // one line per epoch from its consensus loop, as the registered node it is
                JsonNode epoch = json.readTree(run.await(l -> l.contains("\"event\":\"epoch\""), 120));
                assertThat(epoch.get("subnetNodeId").asInt()).isEqualTo(extra.subnetNodeId());
                assertThat(epoch.get("action").asText()).isNotEmpty();
                // it found the subnet through the bootnode the chain lists, and the staked nodes let it in
                var boot = devnet.node(0)
                        .subnetNode()
                        .orElseThrow()
                        .context()
                        .host()
                        .connections();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!boot.isConnected(extra.peerId())) {
                    assertThat(System.nanoTime())
                            .as("the bootnode is connected to the node process")
                            .isLessThan(deadline);
                    CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))
                            .join(); // connections have no event to await
                }
                run.process().destroy();
                assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
                run.await(l -> l.contains("\"event\":\"stopped\""), 5);
            } finally {
                stop(run.process());
            }
        }
    }
}
