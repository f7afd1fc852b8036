package dev.hyperj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hyperj p2p} as real processes: two nodes find, identify and ping each other, then stop cleanly on SIGTERM. */
class P2pCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    /** A running node and the JSON lines it printed so far. */
    record Node(Process process, BlockingQueue<JsonNode> lines, Path stderr) {
        JsonNode await(Predicate<JsonNode> matches, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                JsonNode line = lines.poll(left, TimeUnit.NANOSECONDS);
                if (line != null && matches.test(line)) {
                    return line;
                }
            }
            String err;
            try {
                err = java.nio.file.Files.readString(stderr) + "\nstdout:\n"
                        + java.nio.file.Files.readString(stderr.resolveSibling(stderr.getFileName() + ".stdout"));
            } catch (IOException e) {
                err = e.toString();
            }
            throw new AssertionError("no " + what + " within 30 s; the node's stderr:\n" + err);
        }

        JsonNode event(String name) throws InterruptedException {
            return await(l -> name.equals(l.path("event").asText()), name + " event");
        }
    }

    private Node hyperj(String... args) throws IOException {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Path stderr = dir.resolve("stderr-" + processes.size() + ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(stderr.toFile()).start();
        processes.add(p);
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            // every line must be JSON: one that is not ends this reader, and the test waits in vain
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Files.writeString(stderr.resolveSibling(stderr.getFileName() + ".stdout"), line + "\n",
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    lines.add(JSON.readTree(line));
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
        return new Node(p, lines, stderr);
    }

    @AfterEach
    void kill() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void twoNodesConnectIdentifyPingAndStopCleanly() throws Exception {
        assertThat(Main.commandLine().execute("keygen", "--path", dir.resolve("b.key").toString())).isZero();
        String keyPeer = JSON.readTree(captureKeyview(dir.resolve("b.key"))).get("peerId").asText();

        Node a = hyperj("p2p", "--agent", "node-a/1");
        JsonNode startedA = a.event("started");
        String peerA = startedA.get("peerId").asText();
        String addrA = startedA.get("listenAddrs").get(0).asText();
        assertThat(addrA).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/" + peerA);

        Node b = hyperj("p2p", "--key", dir.resolve("b.key").toString(), "--ping", addrA, "--ping-count", "2",
                "--ping-interval", "100");
        JsonNode startedB = b.event("started");
        assertThat(startedB.get("peerId").asText()).as("the key file's identity").isEqualTo(keyPeer);

        JsonNode connected = b.event("connected");
        assertThat(connected.get("peer").asText()).isEqualTo(peerA);
        assertThat(connected.get("direction").asText()).isEqualTo("outbound");
        JsonNode identified = b.event("identified");
        assertThat(identified.get("agentVersion").asText()).isEqualTo("node-a/1");
        assertThat(identified.get("signedPeerRecord").asBoolean()).isTrue();
        List<String> protocols = new ArrayList<>();
        identified.get("protocols").forEach(p -> protocols.add(p.asText()));
        assertThat(protocols).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
        for (int seq = 1; seq <= 2; seq++) {
            JsonNode ping = b.event("ping");
            assertThat(ping.get("seq").asInt()).isEqualTo(seq);
            assertThat(ping.get("rttMs").asDouble()).isPositive();
        }

        JsonNode inbound = a.event("connected");
        assertThat(inbound.get("peer").asText()).isEqualTo(keyPeer);
        assertThat(inbound.get("direction").asText()).isEqualTo("inbound");
        assertThat(a.event("identified").get("agentVersion").asText()).isEqualTo(P2pCommand.AGENT);

        // SIGTERM through the handle: Process.destroy() would also close our end of its stdout
        b.process().toHandle().destroy();
        assertThat(b.event("stopped").get("peerId").asText()).isEqualTo(keyPeer);
        assertThat(b.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(a.event("disconnected").get("peer").asText()).isEqualTo(keyPeer);
        a.process().toHandle().destroy();
        assertThat(a.event("stopped").get("peerId").asText()).isEqualTo(peerA);
        assertThat(a.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBadAddressIsAOneLineUsageFailure() throws Exception {
        Node n = hyperj("p2p", "--connect", "/ip4/999.1.1.1/tcp/1");
        assertThat(n.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(n.process().exitValue()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(java.nio.file.Files.readString(dir.resolve("stderr-0.txt"))).contains("--connect").contains("not a multiaddr");
    }

    private static String captureKeyview(Path key) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cmd = Main.commandLine();
        cmd.setOut(new java.io.PrintWriter(out));
        assertThat(cmd.execute("keyview", "--json", "--path", key.toString())).isZero();
        return out.toString();
    }
}
