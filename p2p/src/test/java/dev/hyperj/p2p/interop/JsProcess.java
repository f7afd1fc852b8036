package dev.hyperj.p2p.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One Node script of {@code interop/js} in its own process, spoken to in JSON lines: commands go to
 * its stdin as {@code {"id":n,"cmd":..,...}} and its answer repeats the id (see interop/js/driver.mjs);
 * every stdout line without an id is an event. Its stderr goes to target/interop-logs. Closing stdin
 * stops the script (driver.mjs makes every script do so), so no test leaves an orphan behind.
 */
public final class JsProcess implements AutoCloseable {
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final Path log;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonNode> unread = new LinkedBlockingQueue<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private volatile boolean exited;

    private record Waiter(Predicate<JsonNode> matches, CompletableFuture<JsonNode> future) {}

    private JsProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name(name + "-stdout").start(() -> readLoop(out));
    }

    /** Starts {@code interop/js/<script>} with {@code args}, in interop/js so its node_modules resolve. */
    public static JsProcess start(String script, String... args) throws IOException, InterruptedException {
        Path dir = JsInterop.repoRoot().resolve("interop/js");
        List<String> command = new ArrayList<>(
                List.of(JsInterop.node().toString(), dir.resolve(script).toString()));
        command.addAll(List.of(args));
        String name = script.replace(".mjs", "");
        Path log = Files.createDirectories(Path.of("target", "interop-logs"))
                .resolve(name + "-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectError(log.toFile())
                .start();
        return new JsProcess(name, p, log);
    }

    /** Starts a script that announces itself with a {@code {"event":"ready",...}} line; returns it and that line. */
    public static Started startReady(String script, String... args) throws IOException, InterruptedException {
        JsProcess p = start(script, args);
        try {
            JsonNode ready = p.nextEvent(Duration.ofSeconds(30));
            if (!"ready".equals(ready.path("event").asText())) {
                throw new IOException(script + " said " + ready + " instead of ready");
            }
            return new Started(p, ready);
        } catch (IOException | RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    /** A started script and its ready line. */
    public record Started(JsProcess process, JsonNode ready) {}

    /**
     * Sends {@code cmd} with field/value pairs and returns the script's answer; throws
     * {@link IllegalStateException} if it answers ok=false or exits first.
     */
    public JsonNode call(Duration timeout, String cmd, Object... fields) throws Exception {
        ObjectNode msg = JsInterop.json().createObjectNode();
        long id = ids.incrementAndGet();
        msg.put("id", id).put("cmd", cmd);
        for (int i = 0; i < fields.length; i += 2) {
            msg.set((String) fields[i], JsInterop.json().valueToTree(fields[i + 1]));
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        JsonNode result;
        try {
            if (exited) {
                throw new IllegalStateException(gone());
            }
            synchronized (stdin) {
                stdin.write(JsInterop.json().writeValueAsString(msg) + "\n");
                stdin.flush();
            }
            result = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(name + ": no answer to " + cmd + " within " + timeout + " (stderr in "
                    + log.toAbsolutePath() + ")");
        } finally {
            pending.remove(id);
        }
        if (!result.path("ok").asBoolean()) {
            throw new IllegalStateException(name + ": " + cmd + " failed: "
                    + result.path("error").asText() + " (stderr in " + log.toAbsolutePath() + ")");
        }
        return result;
    }

    /** The first event, seen before or after this call, that matches. */
    public JsonNode awaitEvent(Predicate<JsonNode> matches, Duration timeout) throws Exception {
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
        } catch (TimeoutException e) {
            throw new TimeoutException(name + ": no matching event within " + timeout + "; events: " + events);
        } finally {
            waiters.remove(w);
        }
    }

    /** The next event not yet taken by this method, in the order the script printed them. */
    public JsonNode nextEvent(Duration timeout) throws IOException, InterruptedException {
        JsonNode e = unread.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new IOException(
                    name + (exited ? " exited" : " printed nothing within " + timeout) + "; stderr: " + stderr());
        }
        if (e.has("exited")) {
            unread.add(e); // later calls see the end too
            throw new IOException(name + " exited; stderr: " + stderr());
        }
        return e;
    }

    /** Every event so far. */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** What the script wrote to stderr so far. */
    public String stderr() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable " + log + ": " + e + ")";
        }
    }

    public boolean waitForExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int exitValue() {
        return process.exitValue();
    }

    private String gone() {
        return name + " exited (stderr in " + log.toAbsolutePath() + ")";
    }

    private void readLoop(BufferedReader out) {
        try {
            for (String line; (line = out.readLine()) != null; ) {
                JsonNode msg;
                try {
                    msg = JsInterop.json().readTree(line);
                } catch (IOException e) {
                    continue; // not ours: a library printing to stdout
                }
                if (msg.has("id")) {
                    CompletableFuture<JsonNode> f = pending.get(msg.get("id").asLong());
                    if (f != null) {
                        f.complete(msg);
                    }
                } else {
                    events.add(msg);
                    unread.add(msg);
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
            exited = true;
            unread.add(JsInterop.json().createObjectNode().put("exited", true));
            IllegalStateException gone = new IllegalStateException(gone());
            pending.values().forEach(f -> f.completeExceptionally(gone));
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            synchronized (stdin) {
                stdin.close();
            }
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
