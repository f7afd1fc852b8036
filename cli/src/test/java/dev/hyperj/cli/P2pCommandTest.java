package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperj p2p} as real processes: nodes find, identify and ping each other and stop cleanly on
 * SIGTERM; with --dht they put, get and find peers; with --topic they relay stdin lines by GossipSub.
 */
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

        /** Writes to the node's stdin (lines for --topic). */
        void write(byte[] bytes) throws IOException {
            process.getOutputStream().write(bytes);
            process.getOutputStream().flush();
        }
    }

    private Node hyperj(String... args) throws IOException {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(
                List.of(javaBin.toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path stderr = dir.resolve("stderr-" + processes.size() + ".txt");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectError(stderr.toFile())
                .start();
        processes.add(p);
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            // every line must be JSON: one that is not ends this reader, and the test waits in vain
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Files.writeString(
                            stderr.resolveSibling(stderr.getFileName() + ".stdout"),
                            line + "\n",
                            java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
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
        assertThat(Main.commandLine()
                        .execute("keygen", "--path", dir.resolve("b.key").toString()))
                .isZero();
        String keyPeer = JSON.readTree(captureKeyview(dir.resolve("b.key")))
                .get("peerId")
                .asText();

        Node a = hyperj("p2p", "--agent", "node-a/1");
        JsonNode startedA = a.event("started");
        String peerA = startedA.get("peerId").asText();
        String addrA = startedA.get("listenAddrs").get(0).asText();
        assertThat(addrA).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/" + peerA);

        Node b = hyperj(
                "p2p",
                "--key",
                dir.resolve("b.key").toString(),
                "--ping",
                addrA,
                "--ping-count",
                "2",
                "--ping-interval",
                "100");
        JsonNode startedB = b.event("started");
        assertThat(startedB.get("peerId").asText())
                .as("the key file's identity")
                .isEqualTo(keyPeer);

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
        assertThat(java.nio.file.Files.readString(dir.resolve("stderr-0.txt")))
                .contains("--connect")
                .contains("not a multiaddr");
    }

    @Test
    void dhtNodesPutGetAndFindEachOther() throws Exception {
        Node a = hyperj("p2p", "--dht", "--dht-put", "/hyperj/greeting=hello from a");
        JsonNode startedA = a.event("started");
        assertThat(startedA.get("dht").asBoolean()).isTrue();
        String peerA = startedA.get("peerId").asText();
        String addrA = startedA.get("listenAddrs").get(0).asText();
        JsonNode putA = a.event("dht-put");
        assertThat(putA.get("key").asText()).isEqualTo("/hyperj/greeting");
        assertThat(putA.get("ok").asBoolean())
                .as("stored locally, no peers yet")
                .isTrue();
        assertThat(putA.get("peers").asInt()).isZero();

        // b bootstraps from a, stores a value on it, reads a's value over the network and finds a
        Node b = hyperj(
                "p2p",
                "--dht",
                "--connect",
                addrA,
                "--dht-put",
                "/hyperj/from-b=written by b",
                "--dht-get",
                "/hyperj/greeting",
                "--find-peer",
                peerA);
        JsonNode startedB = b.event("started");
        String peerB = startedB.get("peerId").asText();
        String addrB = startedB.get("listenAddrs").get(0).asText();
        JsonNode bootstrapB = b.event("dht-bootstrap");
        assertThat(bootstrapB.get("seeds").asInt()).isEqualTo(1);
        assertThat(bootstrapB.get("peers").asInt())
                .as("a answered and is in b's table")
                .isEqualTo(1);
        JsonNode putB = b.event("dht-put");
        assertThat(putB.get("ok").asBoolean()).isTrue();
        assertThat(putB.get("peers").asInt()).as("a stored b's record").isEqualTo(1);
        JsonNode getB = b.event("dht-get");
        assertThat(getB.get("key").asText()).isEqualTo("/hyperj/greeting");
        assertThat(getB.get("found").asBoolean()).isTrue();
        assertThat(getB.get("value").asText()).isEqualTo("hello from a");
        JsonNode findA = b.event("find-peer");
        assertThat(findA.get("peer").asText()).isEqualTo(peerA);
        assertThat(findA.get("found").asBoolean()).isTrue();
        assertThat(findA.get("addrs")).extracting(JsonNode::asText).contains(addrA);

        // c only knows a: b's record comes from a's store, b's address from the DHT
        Node c = hyperj(
                "p2p",
                "--dht",
                "--connect",
                addrA,
                "--dht-get",
                "/hyperj/from-b",
                "--dht-get",
                "/hyperj/nobody-wrote-this",
                "--find-peer",
                peerB);
        assertThat(c.event("dht-bootstrap").get("peers").asInt()).isPositive();
        JsonNode getC = c.event("dht-get");
        assertThat(getC.get("found").asBoolean()).isTrue();
        assertThat(getC.get("value").asText()).isEqualTo("written by b");
        JsonNode missing = c.event("dht-get");
        assertThat(missing.get("key").asText()).isEqualTo("/hyperj/nobody-wrote-this");
        assertThat(missing.get("found").asBoolean()).isFalse();
        assertThat(missing.get("error").asText()).isNotEmpty();
        JsonNode findB = c.event("find-peer");
        assertThat(findB.get("found").asBoolean()).isTrue();
        assertThat(findB.get("addrs")).extracting(JsonNode::asText).contains(addrB);
    }

    @Test
    void topicNodesPublishStdinLinesToEachOther() throws Exception {
        Node a = hyperj("p2p", "--topic", "chat");
        JsonNode startedA = a.event("started");
        assertThat(startedA.get("topics")).extracting(JsonNode::asText).containsExactly("chat");
        String peerA = startedA.get("peerId").asText();
        Node b = hyperj(
                "p2p",
                "--topic",
                "chat",
                "--topic",
                "news",
                "--connect",
                startedA.get("listenAddrs").get(0).asText());
        String peerB = b.event("started").get("peerId").asText();
        // publishing before the peers know each other's subscriptions would reach nobody
        assertThat(a.event("peer-subscribed").get("peer").asText()).isEqualTo(peerB);
        JsonNode subscribedB = b.event("peer-subscribed");
        assertThat(subscribedB.get("peer").asText()).isEqualTo(peerA);
        assertThat(subscribedB.get("topic").asText()).isEqualTo("chat");

        a.write("hello from a\r\n".getBytes(StandardCharsets.UTF_8));
        JsonNode published = a.event("published");
        assertThat(published.get("topic").asText()).isEqualTo("chat");
        assertThat(published.get("bytes").asInt()).isEqualTo(12);
        assertThat(published.get("peers").asInt()).isEqualTo(1);
        JsonNode message = b.event("message");
        assertThat(message.get("topic").asText()).isEqualTo("chat");
        assertThat(message.get("from").asText()).isEqualTo(peerA);
        assertThat(message.get("data").asText()).isEqualTo("hello from a");

        // b publishes to both its topics; a only hears "chat", and bytes that are not UTF-8 arrive as base64
        b.write(new byte[] {(byte) 0xff, 0x00, (byte) 0xfe, '\n'});
        JsonNode binary = a.event("message");
        assertThat(binary.get("topic").asText()).isEqualTo("chat");
        assertThat(binary.get("from").asText()).isEqualTo(peerB);
        assertThat(binary.has("data")).isFalse();
        assertThat(binary.get("dataBase64").asText())
                .isEqualTo(java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0x00, (byte) 0xfe}));
        JsonNode toChat = b.event("published");
        JsonNode toNews = b.event("published");
        assertThat(List.of(toChat.get("topic").asText(), toNews.get("topic").asText()))
                .containsExactly("chat", "news");
        assertThat(toNews.get("peers").asInt()).as("nobody else is on news").isZero();
    }

    @Test
    void dhtOperationsNeedDhtAndTheHyperjNamespace() {
        assertThat(usageFailure("p2p", "--dht-get", "/hyperj/x")).contains("need --dht");
        assertThat(usageFailure("p2p", "--dht", "--dht-put", "/other/x=1")).contains("/hyperj/NAME");
        assertThat(usageFailure("p2p", "--dht", "--dht-put", "/hyperj/x")).contains("KEY=VALUE");
        assertThat(usageFailure("p2p", "--dht", "--find-peer", "not-a-peer")).contains("not a peer id");
        assertThat(usageFailure("p2p", "--topic", "")).contains("--topic");
    }

    /** Runs the command in this JVM where it fails before building a host; returns its stderr. */
    private static String usageFailure(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cmd = Main.commandLine();
        cmd.setErr(new java.io.PrintWriter(err));
        assertThat(cmd.execute(args)).as(String.join(" ", args)).isEqualTo(Main.EXIT_FAILURE);
        return err.toString();
    }

    private static String captureKeyview(Path key) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cmd = Main.commandLine();
        cmd.setOut(new java.io.PrintWriter(out));
        assertThat(cmd.execute("keyview", "--json", "--path", key.toString())).isZero();
        return out.toString();
    }
}
