package dev.hyperj.p2p.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds the Node 22 that runs the js-libp2p interop scripts: {@code $HYPERJ_NODE} if set, else
 * whatever {@code interop/js/install.sh} installs and prints. Never skips: failure is an error.
 */
final class NodeLocator {
    private NodeLocator() {
    }

    static Path node(Path repoRoot) throws IOException, InterruptedException {
        String env = System.getenv("HYPERJ_NODE");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isExecutable(p)) {
                throw new AssertionError("HYPERJ_NODE=" + env + " is not an executable file");
            }
            return p;
        }
        Path install = repoRoot.resolve("interop/js/install.sh");
        Path log = Files.createTempFile("hyperj-interop-install", ".log");
        try {
            Process p = new ProcessBuilder("bash", install.toString())
                    .redirectError(log.toFile())
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("interop/js/install.sh failed (is npm installed and the registry reachable?): "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String[] lines = out.split("\\R");
            Path node = Path.of(lines[lines.length - 1]);
            if (!Files.isExecutable(node)) {
                throw new AssertionError("interop/js/install.sh printed '" + node + "', which is not an executable node");
            }
            return node;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
