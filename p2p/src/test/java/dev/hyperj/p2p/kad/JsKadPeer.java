package dev.hyperj.p2p.kad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.interop.JsInterop;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A js-libp2p node running {@code @libp2p/kad-dht} (interop/js/kad-peer.mjs) in a Node process,
 * driven by JSON lines on stdin/stdout. Node comes from {@link JsInterop#node()}: HYPERJ_NODE, else
 * interop/js/install.sh; a missing Node fails the test, never skips it.
 */
final class JsKadPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer stdin;
    private final JsonNode ready;
    private final Path log;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(Predicate<JsonNode> matches, CompletableFuture<JsonNode> future) {
    }

    private JsKadPeer(Process process, JsonNode ready, BufferedReader stdout, Path log) {
        this.process = process;
        this.ready = ready;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("js-kad-stdout").start(() -> readLoop(stdout));
    }

    /** Starts a js DHT server listening on a free loopback port; its stderr goes to target/interop-logs. */
    static JsKadPeer start() throws IOException, InterruptedException {
        Path script = JsInterop.repoRoot().resolve("interop/js/kad-peer.mjs");
        Path log = Files.createDirectories(Path.of("target", "interop-logs"))
                .resolve("js-kad-peer-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(JsInterop.node().toString(), script.toString())
                .directory(script.getParent().toFile()).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String line;
        try {
            line = first.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("kad-peer.mjs did not start within 30 s (stderr in " + log.toAbsolutePath() + ")", e);
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("kad-peer.mjs exited at start: " + Files.readString(log));
        }
        JsonNode ready = JSON.readTree(line);
        if (!"ready".equals(ready.path("event").asText())) {
            p.destroyForcibly();
            throw new IOException("kad-peer.mjs said " + line + " instead of ready");
        }
        return new JsKadPeer(p, ready, out, log);
    }

    PeerId peerId() {
        return PeerId.parse(ready.get("peerId").asText());
    }

    /** The listen address with its /p2p suffix, as js prints it. */
    Multiaddr address() {
        return Multiaddr.parse(ready.get("addrs").get(0).asText());
    }

    /** What a Java node needs to reach this peer: its id and listen address (without /p2p). */
    PeerInfo info() {
        return new PeerInfo(peerId(), List.of(address().withoutPeerId()));
    }

    /** Sends a command ({@code cmd} and field/value pairs); the answer, or an exception if ok=false. */
    JsonNode call(Duration timeout, String cmd, Object... fields) throws Exception {
        ObjectNode msg = JSON.createObjectNode();
        long id = ids.incrementAndGet();
        msg.put("id", id).put("cmd", cmd);
        for (int i = 0; i < fields.length; i += 2) {
            msg.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (stdin) {
            stdin.write(JSON.writeValueAsString(msg) + "\n");
            stdin.flush();
        }
        JsonNode result;
        try {
            result = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            pending.remove(id);
        }
        if (!result.path("ok").asBoolean()) {
            throw new IllegalStateException("js kad peer " + peerId() + ": " + cmd + " failed: "
                    + result.path("error").asText() + " (stderr in " + log.toAbsolutePath() + ")");
        }
        return result;
    }

    /** Waits until {@code peer} is in this node's routing table (a tableAdd event, before or after this call). */
    void awaitInTable(PeerId peer, Duration timeout) throws Exception {
        String id = peer.toBase58();
        awaitEvent(e -> "tableAdd".equals(e.path("event").asText()) && id.equals(e.path("peer").asText()), timeout);
    }

    JsonNode awaitEvent(Predicate<JsonNode> matches, Duration timeout) throws Exception {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        Waiter w = new Waiter(matches, f);
        waiters.add(w);
        try {
            for (JsonNode e : events) {
                if (matches.test(e)) {
                    f.complete(e);
                }
            }
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            waiters.remove(w);
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] unb64(JsonNode text) {
        return Base64.getDecoder().decode(text.asText());
    }

    /** The peers of a JSON array of {"id":..,"addrs":[..]} objects. */
    static List<PeerInfo> peers(JsonNode array) {
        List<PeerInfo> out = new ArrayList<>();
        array.forEach(p -> out.add(peer(p)));
        return out;
    }

    /** The peer of a {"id":..,"addrs":[..]} object; addresses without their /p2p suffix. */
    static PeerInfo peer(JsonNode p) {
        List<Multiaddr> addrs = new ArrayList<>();
        p.path("addrs").forEach(a -> addrs.add(Multiaddr.parse(a.asText()).withoutPeerId()));
        return new PeerInfo(PeerId.parse(p.get("id").asText()), addrs);
    }

    private void readLoop(BufferedReader out) {
        try {
            for (String line; (line = out.readLine()) != null; ) {
                JsonNode msg;
                try {
                    msg = JSON.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                if (msg.has("id")) {
                    CompletableFuture<JsonNode> f = pending.get(msg.get("id").asLong());
                    if (f != null) {
                        f.complete(msg);
                    }
                } else {
                    events.add(msg);
                    for (Waiter w : waiters) {
                        if (w.matches.test(msg)) {
                            w.future.complete(msg);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            IllegalStateException gone = new IllegalStateException("js kad peer exited (stderr in " + log.toAbsolutePath() + ")");
            pending.values().forEach(f -> f.completeExceptionally(gone));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            synchronized (stdin) {
                stdin.close(); // kad-peer.mjs stops when its stdin ends
            }
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
