package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code dev.hyperj.cli.Main} as a separate JVM: real exit codes, real stderr, the default key path. */
class MainProcessTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private Result hyperj(String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new java.util.ArrayList<>(
                List.of(java.toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hyperj " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void keygenThenKeyviewWithTheDefaultPath() throws Exception {
        Result gen = hyperj("keygen");
        assertThat(gen.exit()).isZero();
        assertThat(Files.size(dir.resolve("node.key"))).isEqualTo(36);
        String peerId = gen.out()
                .lines()
                .filter(l -> l.startsWith("peer id: "))
                .findFirst()
                .orElseThrow()
                .substring(9);

        Result view = hyperj("keyview");
        assertThat(view.exit()).isZero();
        assertThat(view.out()).contains("peer id:       " + peerId);

        Result again = hyperj("keygen");
        assertThat(again.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(again.err().lines().toList()).hasSize(1);
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void badKeyFileFailsWithOneLineAndNoStackTrace() throws Exception {
        Files.writeString(dir.resolve("node.key"), "not a key");
        Result r = hyperj("keyview");
        assertThat(r.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).contains("not a libp2p private key file").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }
}
