package dev.hyperj.chain.substrate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hypertensor's real runtime under Chopsticks, for tests: started from the published raw chain
 * spec ({@code ../shared/hypertensor/hoskinson-spec-raw.json} beside the repository) on an
 * ephemeral loopback port, blocks built at once for each transaction ({@code Instant}) or on
 * {@link #newBlocks}. Node comes from {@code $HYPERJ_CHOPSTICKS_NODE}, else from
 * {@code interop/chopsticks/install.sh}. Never skips: a missing spec or install fails the test.
 */
public final class Chopsticks implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("RPC listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static Path node;

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private dev.hyperj.chain.client.JsonRpcSocket socket;

    private Chopsticks(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static Path repoRoot() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent())
            if (Files.isRegularFile(dir.resolve("interop/chopsticks/install.sh"))) return dir;
        throw new AssertionError("cannot find interop/chopsticks/install.sh above " + System.getProperty("user.dir"));
    }

    /**
     * The published Hoskinson testnet spec, where CI keeps it: {@code ../shared/hypertensor/} beside
     * the repository (or beside one of its parent directories, for a git worktree), or
     * {@code $HYPERJ_HYPERTENSOR_SPEC}. Never copied into the repository.
     */
    public static Path spec() {
        String env = System.getenv("HYPERJ_HYPERTENSOR_SPEC");
        if (env != null && !env.isBlank()) return Path.of(env);
        for (Path dir = repoRoot().getParent(); dir != null; dir = dir.getParent()) {
            Path spec = dir.resolve("shared/hypertensor/hoskinson-spec-raw.json");
            if (Files.isRegularFile(spec)) return spec;
        }
        throw new AssertionError("Hypertensor's chain spec is not in ../shared/hypertensor/ beside the repository "
                + repoRoot() + " (or set HYPERJ_HYPERTENSOR_SPEC)");
    }

    public static synchronized Path node() throws IOException, InterruptedException {
        if (node != null) return node;
        String env = System.getenv("HYPERJ_CHOPSTICKS_NODE");
        if (env != null && !env.isBlank()) {
            if (!Files.isExecutable(Path.of(env)))
                throw new AssertionError("HYPERJ_CHOPSTICKS_NODE=" + env + " is not executable");
            return node = Path.of(env);
        }
        Path install = repoRoot().resolve("interop/chopsticks/install.sh");
        Process p = new ProcessBuilder("bash", install.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("interop/chopsticks/install.sh did not finish within 15 minutes");
        }
        if (p.exitValue() != 0)
            throw new AssertionError("interop/chopsticks/install.sh failed (npm and its registry reachable?)");
        String[] lines = out.join().strip().split("\\R");
        return node = Path.of(lines[lines.length - 1]);
    }

    /** Starts Chopsticks with the Hoskinson spec; returns once its RPC listens. */
    public static Chopsticks start(String blockMode) throws IOException, InterruptedException {
        Path root = repoRoot();
        Path script = root.resolve("interop/chopsticks/node_modules/@acala-network/chopsticks/chopsticks.cjs");
        Path nodeBin = node();
        Path log = Files.createTempFile("hyperj-chopsticks", ".log");
        Process p = new ProcessBuilder(
                        nodeBin.toString(),
                        script.toString(),
                        "--genesis=" + spec(),
                        "--port=0",
                        "--host=127.0.0.1",
                        "--build-block-mode=" + blockMode)
                .directory(Files.createTempDirectory("hyperj-chopsticks").toFile())
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.APPEND);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException e) {
                // the process ended
            }
            port.completeExceptionally(new AssertionError("chopsticks exited before listening"));
        });
        try {
            return new Chopsticks(p, port.get(90, TimeUnit.SECONDS), log);
        } catch (Exception e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chopsticks did not start: " + e + "\n" + Files.readString(log), e);
        }
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /**
     * Builds {@code count} blocks ({@code dev_newBlock}); returns the new best block number. Chopsticks
     * answers JSON-RPC on its WebSocket only (an HTTP POST gets "Invalid HTTP method").
     */
    public long newBlocks(int count) {
        rpc("dev_newBlock", java.util.Map.of("count", count));
        return Long.decode(rpc("chain_getHeader").get("number").asText());
    }

    /** How Chopsticks builds blocks from now on: {@code Instant} (one per transaction), {@code Batch} or {@code Manual}. */
    public void blockMode(String mode) {
        rpc("dev_setBlockBuildMode", mode);
    }

    /** One JSON-RPC call on the Chopsticks WebSocket; its result (an RPC error throws). */
    public synchronized com.fasterxml.jackson.databind.JsonNode rpc(String method, Object... params) {
        if (socket == null || !socket.isOpen())
            socket = dev.hyperj.chain.client.JsonRpcSocket.open(ws(), http, Duration.ofSeconds(120), why -> {});
        return socket.call(method, params);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws IOException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        synchronized (this) {
            if (socket != null) socket.close();
        }
        http.close();
        Files.deleteIfExists(log);
    }
}
