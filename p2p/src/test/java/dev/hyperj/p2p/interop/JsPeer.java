package dev.hyperj.p2p.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A js-libp2p peer (interop/js/peer.mjs) in a Node process, driven through JSON lines on its
 * stdin/stdout. Finds Node through {@code HYPERJ_NODE}, else runs interop/js/install.sh.
 */
public final class JsPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile String nodeBinary;

    private final Process process;
    private final Writer stdin;
    private final JsonNode ready;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(Predicate<JsonNode> matches, CompletableFuture<JsonNode> future) {
    }

    private JsPeer(Process process, JsonNode ready, BufferedReader stdout) {
        this.process = process;
        this.ready = ready;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = Thread.ofPlatform().daemon().name("js-peer-stdout").start(() -> readLoop(stdout));
        reader.setUncaughtExceptionHandler((t, e) -> { });
    }

    /** Starts a peer listening on loopback; extra arguments go to peer.mjs (e.g. "--agent", "x"). */
    public static JsPeer start(String... args) throws IOException {
        Path root = repoRoot();
        List<String> cmd = new ArrayList<>(List.of(node(root), root.resolve("interop/js/peer.mjs").toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createDirectories(Path.of("target", "interop-logs"))
                .resolve("js-peer-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
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
            throw new IOException("js peer did not start within 30 s (stderr in " + log.toAbsolutePath() + ")", e);
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("js peer exited at start: " + Files.readString(log));
        }
        JsonNode ready = JSON.readTree(line);
        if (!"ready".equals(ready.path("event").asText())) {
            p.destroyForcibly();
            throw new IOException("js peer said " + line + " instead of ready");
        }
        return new JsPeer(p, ready, out);
    }

    public String peerId() {
        return ready.get("peerId").asText();
    }

    public String address() {
        return ready.get("addrs").get(0).asText();
    }

    String agentVersion() {
        return ready.get("agentVersion").asText();
    }

    List<String> protocols() {
        List<String> out = new ArrayList<>();
        ready.get("protocols").forEach(p -> out.add(p.asText()));
        return out;
    }

    /** Sends a command ({@code cmd} and fields) and returns the peer's answer; fails if it says ok=false. */
    public JsonNode call(Duration timeout, String cmd, Object... fields) throws Exception {
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
        JsonNode result = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!result.path("ok").asBoolean()) {
            throw new IllegalStateException("js peer: " + cmd + " failed: " + result.path("error").asText());
        }
        return result;
    }

    /** The first event (seen before or after this call) that matches. */
    JsonNode awaitEvent(Predicate<JsonNode> matches, Duration timeout) throws Exception {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        Waiter w = new Waiter(matches, f);
        waiters.add(w);
        for (JsonNode e : events) {
            if (matches.test(e)) {
                f.complete(e);
            }
        }
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            waiters.remove(w);
        }
    }

    List<JsonNode> events() {
        return List.copyOf(events);
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
                    CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asLong());
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
            // process gone
        } finally {
            IllegalStateException gone = new IllegalStateException("js peer exited");
            pending.values().forEach(f -> f.completeExceptionally(gone));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            synchronized (stdin) {
                stdin.close(); // peer.mjs stops when its stdin ends
            }
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The repository root: the nearest directory above user.dir holding interop/js/peer.mjs. */
    static Path repoRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("interop/js/peer.mjs"))) {
                return p;
            }
        }
        throw new IllegalStateException("interop/js/peer.mjs not found above " + System.getProperty("user.dir"));
    }

    static synchronized String node(Path root) throws IOException {
        if (nodeBinary != null) {
            return nodeBinary;
        }
        String env = System.getenv("HYPERJ_NODE");
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
            return nodeBinary = env;
        }
        Process install = new ProcessBuilder(root.resolve("interop/js/install.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
                throw new IllegalStateException("interop/js/install.sh failed (exit " + install.exitValue()
                        + "): the js-libp2p interop tests need Node 22 and npm; set HYPERJ_NODE or install npm");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String[] lines = out.split("\n");
        String path = lines[lines.length - 1].strip();
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException("interop/js/install.sh printed no node binary: " + out);
        }
        return nodeBinary = path;
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
