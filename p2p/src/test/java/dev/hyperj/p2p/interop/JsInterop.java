package dev.hyperj.p2p.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the js-libp2p interop scripts of {@code interop/js} with Node 22: {@code $HYPERJ_NODE} if set,
 * else whatever {@code interop/js/install.sh} installs and prints. Never skips: a missing Node is a
 * test failure with the reason.
 */
public final class JsInterop {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path node;

    private JsInterop() {}

    /** The repository root: the first directory above {@code user.dir} holding interop/js/install.sh. */
    public static Path repoRoot() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("interop/js/install.sh"))) {
                return dir;
            }
        }
        throw new AssertionError("cannot find interop/js/install.sh above " + System.getProperty("user.dir"));
    }

    public static synchronized Path node() throws IOException, InterruptedException {
        if (node != null) {
            return node;
        }
        String env = System.getenv("HYPERJ_NODE");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isExecutable(p)) {
                throw new AssertionError("HYPERJ_NODE=" + env + " is not an executable file");
            }
            return node = p;
        }
        Path install = repoRoot().resolve("interop/js/install.sh");
        Path log = Files.createTempFile("hyperj-interop-install", ".log");
        try {
            Process p = new ProcessBuilder("bash", install.toString())
                    .redirectError(log.toFile())
                    .start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("interop/js/install.sh did not finish within 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("interop/js/install.sh failed (is npm installed and the registry reachable?): "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String[] lines =
                    new String(out.join(), StandardCharsets.UTF_8).strip().split("\\R");
            Path found = Path.of(lines[lines.length - 1]);
            if (!Files.isExecutable(found)) {
                throw new AssertionError(
                        "interop/js/install.sh printed '" + found + "', which is not an executable node");
            }
            return node = found;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Runs {@code interop/js/<script>} with {@code request} as JSON on stdin; returns its JSON stdout. */
    public static JsonNode run(String script, JsonNode request) throws IOException, InterruptedException {
        Path file = repoRoot().resolve("interop/js").resolve(script);
        Process p = new ProcessBuilder(node().toString(), file.toString())
                .directory(file.getParent().toFile())
                .start();
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(request));
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(script + " exited with " + p.exitValue() + ": "
                    + new String(stderr.join(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(stdout.join());
    }

    public static ObjectMapper json() {
        return JSON;
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
