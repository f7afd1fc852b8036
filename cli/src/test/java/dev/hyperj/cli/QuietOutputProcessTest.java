package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperj chain --dev} launched as {@code java -jar} with the manifest entries the build
 * declares: stdout carries the command's own lines, stderr stays empty (no INFO logs over them, no
 * JDK "restricted method" warnings for RocksDB), and {@code --log-level info --log-format json}
 * brings the logs back as JSON lines.
 */
class QuietOutputProcessTest {
    @TempDir
    Path dir;

    /** A jar holding only a manifest: Main-Class, the test class path, and the pom's extra entries. */
    private Path launcherJar() throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        StringBuilder cp = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            cp.append(p.toUri().toString()).append(' ');
        }
        a.put(Attributes.Name.CLASS_PATH, cp.toString().strip());
        Matcher entries = Pattern.compile("<manifestEntries>(.*?)</manifestEntries>", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(entries.find()).as("cli/pom.xml declares manifest entries").isTrue();
        Matcher entry = Pattern.compile("<([A-Za-z-]+)>([^<]*)</\\1>").matcher(entries.group(1));
        while (entry.find()) {
            a.putValue(entry.group(1), entry.group(2));
        }
        Path jar = dir.resolve("hyperj-test.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            // the manifest is all
        }
        return jar;
    }

    private List<String>[] runChain(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                launcherJar().toString(),
                "chain",
                "--dev",
                "--rpc-port",
                "0",
                "--instant-seal",
                "--prometheus-port",
                "0", // not Substrate's 9615: tests run side by side
                "--base-path",
                dir.resolve("db").toString()));
        cmd.addAll(List.of(extra));
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        List<String> out = new ArrayList<>();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
                try {
                    for (String line; (line = r.readLine()) != null; ) {
                        out.add(line);
                        if (line.startsWith("data in ")) return;
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("hyperj chain exited: " + out);
            });
            ready.get(60, TimeUnit.SECONDS);
        } finally {
            p.destroy(); // SIGTERM: the clean stop
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        @SuppressWarnings("unchecked")
        List<String>[] both = new List[] {out, Files.readAllLines(err)};
        return both;
    }

    @Test
    @Timeout(120)
    void stdoutIsTheCommandsAndStderrIsEmpty() throws Exception {
        List<String>[] r = runChain();
        assertThat(r[0]).hasSize(4);
        assertThat(r[0].get(0)).startsWith("chain hyperj-dev at block #0");
        assertThat(r[0].get(2)).startsWith("Prometheus metrics on http://127.0.0.1:");
        assertThat(r[1]).as("stderr").isEmpty();
    }

    @Test
    @Timeout(120)
    void logLevelAndJsonFormatBringTheLogsBack() throws Exception {
        List<String>[] r = runChain("--log-level", "info", "--log-format", "json");
        assertThat(r[1])
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith("{\"time\":\"").endsWith("}"));
        assertThat(r[1]).anySatisfy(line -> assertThat(line).contains("\"level\":\"INFO\""));
        assertThat(r[1]).noneSatisfy(line -> assertThat(line).contains("WARNING"));
    }
}
