package dev.hyperj.subnet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' own checker, {@code promtool check metrics}, on an exposition text. Installed by
 * scripts/install-web-tools.sh (called from scripts/test); a machine without it fails the test
 * that needs it, with what to run.
 */
public final class Promtool {
    private Promtool() {}

    /** Returns promtool's output if the text parses and lints clean; fails the calling test otherwise. */
    public static String check(String exposition) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "promtool is not installed: run scripts/install-web-tools.sh (Debian package prometheus)");
        }
        try (var in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool did not finish in 30 s");
        }
        if (p.exitValue() != 0) throw new AssertionError("promtool check metrics failed:\n" + out);
        return out;
    }
}
