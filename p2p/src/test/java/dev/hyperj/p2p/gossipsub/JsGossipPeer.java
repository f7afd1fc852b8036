package dev.hyperj.p2p.gossipsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.interop.JsInterop;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A js-libp2p node with @libp2p/gossipsub in a Node process, driven over stdin/stdout JSON lines. */
final class JsGossipPeer implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    final Set<String> received = ConcurrentHashMap.newKeySet();
    final PeerId peerId;
    final Multiaddr address;
    private final StringBuilder stderr = new StringBuilder();

    JsGossipPeer() throws Exception {
        String script;
        try (InputStream in = JsGossipPeer.class.getResourceAsStream("js-gossip-peer.mjs")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        process = new ProcessBuilder(JsInterop.node().toString(), "--input-type=module", "-e", script)
                .directory(JsInterop.repoRoot().resolve("interop/js").toFile()).start();
        stdin = process.getOutputStream();
        Thread out = new Thread(this::readStdout, "js-gossip-stdout");
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) synchronized (stderr) { stderr.append(line).append('\n'); }
            } catch (IOException ignored) {
                // process ended
            }
        }, "js-gossip-stderr");
        err.setDaemon(true);
        err.start();
        JsonNode hello = next();
        peerId = PeerId.parse(hello.get("peerId").asText());
        address = Multiaddr.parse(hello.get("addrs").get(0).asText());
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = JsInterop.json().readTree(line);
                if (n.has("event")) {
                    received.add(n.get("data").asText());
                } else {
                    answers.add(n);
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    private JsonNode next() throws InterruptedException {
        JsonNode n = answers.poll(30, TimeUnit.SECONDS);
        if (n == null) {
            synchronized (stderr) {
                throw new AssertionError("js gossip peer did not answer within 30 s; stderr: " + stderr);
            }
        }
        return n;
    }

    /** Sends a command and returns its answer, failing on a js-side error. */
    JsonNode command(String cmd, String... keyValues) throws IOException, InterruptedException {
        ObjectNode c = JsInterop.json().createObjectNode().put("cmd", cmd);
        for (int i = 0; i < keyValues.length; i += 2) c.put(keyValues[i], keyValues[i + 1]);
        synchronized (stdin) {
            stdin.write((c + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }
        JsonNode answer = next();
        if (answer.has("error")) throw new AssertionError("js " + cmd + " failed: " + answer.get("error").asText());
        return answer;
    }

    Multiaddr dialAddress() {
        return address.withPeerId(peerId);
    }

    List<String> list(JsonNode state, String field) {
        List<String> out = new java.util.ArrayList<>();
        state.get(field).forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
