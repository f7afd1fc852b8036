package dev.hyperj.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A long run of a HyperJ network compressed in time: {@code hyperj devnet} (a dev chain and its
 * subnet nodes in one JVM) with short blocks and epochs, run as a child process for a given time
 * while this runner samples it from outside: live heap after a full GC (jcmd), threads, open file
 * descriptors and resident memory (/proc), and the size of its data directory. Prints one line
 * per sample and, at the end, the first and last quarter's averages side by side: a leak shows
 * as a last quarter above the first. Linux only (/proc).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.hyperj.bench.soak.NodeSoak \
 *     [--minutes 30] [--sample-seconds 30] [--nodes 3] [--block-time-ms 300] [--epoch-length 10] \
 *     [--jar cli/target/hyperj.jar]
 * </pre>
 */
public final class NodeSoak {
    record Sample(long seconds, long heapKb, long threads, long fds, long rssKb, long diskKb, long epochs) {}

    public static void main(String[] args) throws Exception {
        int minutes = 30, sampleSeconds = 30, nodes = 3, epochLength = 10;
        long blockMs = 300;
        Path jar = Path.of("cli/target/hyperj.jar");
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--minutes" -> minutes = Integer.parseInt(v);
                case "--sample-seconds" -> sampleSeconds = Integer.parseInt(v);
                case "--nodes" -> nodes = Integer.parseInt(v);
                case "--block-time-ms" -> blockMs = Long.parseLong(v);
                case "--epoch-length" -> epochLength = Integer.parseInt(v);
                case "--jar" -> jar = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                    jar + " not found: build it with ./mvnw -pl cli -am package -DskipTests");
        }
        Path data = Files.createTempDirectory("hyperj-soak-");
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<String> cmd = List.of(
                javaHome.resolve("bin/java").toString(),
                "-Xmx1g",
                "-jar",
                jar.toString(),
                "devnet",
                "--nodes",
                String.valueOf(nodes),
                "--block-time-ms",
                String.valueOf(blockMs),
                "--epoch-length",
                String.valueOf(epochLength),
                "--base-path",
                data.resolve("net").toString());
        System.out.println("soak: " + String.join(" ", cmd) + " for " + minutes + " min");
        Process p = new ProcessBuilder(cmd)
                .redirectError(data.resolve("stderr.txt").toFile())
                .start();
        AtomicLong epochs = new AtomicLong();
        AtomicLong consensus = new AtomicLong();
        Pattern epochLine = Pattern.compile("^subnet epoch \\d+");
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (epochLine.matcher(line).find()) {
                        epochs.incrementAndGet();
                        if (line.contains("| CONSENSUS")) consensus.incrementAndGet();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.MINUTES.toNanos(minutes);
        System.out.println("   t(s)  heap-after-gc(KiB)  threads  fds  rss(KiB)  disk(KiB)  epoch-lines");
        try {
            while (System.nanoTime() < end && p.isAlive()) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(sampleSeconds));
                if (!p.isAlive()) break;
                Sample s = new Sample(
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                        heapAfterGc(javaHome, p.pid()),
                        procStatus(p.pid(), "Threads:"),
                        fds(p.pid()),
                        procStatus(p.pid(), "VmRSS:"),
                        diskKb(data),
                        epochs.get());
                samples.add(s);
                System.out.printf(
                        "%7d  %18d  %7d  %3d  %8d  %9d  %11d%n",
                        s.seconds(), s.heapKb(), s.threads(), s.fds(), s.rssKb(), s.diskKb(), s.epochs());
            }
            if (!p.isAlive()) {
                System.out.println(
                        "soak: the devnet exited with " + p.exitValue() + ", see " + data.resolve("stderr.txt"));
            }
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        summary(samples);
        System.out.println("soak: subnet epochs reported " + epochs.get() + " (with consensus " + consensus.get()
                + "); stderr lines "
                + Files.readAllLines(data.resolve("stderr.txt")).size() + "; data in " + data);
    }

    private static void summary(List<Sample> samples) {
        if (samples.size() < 4) {
            System.out.println("soak: too few samples for a trend");
            return;
        }
        int q = samples.size() / 4;
        List<Sample> first = samples.subList(0, q);
        List<Sample> last = samples.subList(samples.size() - q, samples.size());
        System.out.println("soak: first quarter vs last quarter (averages), ratio last/first:");
        line("heap after GC KiB", first, last, Sample::heapKb);
        line("threads", first, last, Sample::threads);
        line("file descriptors", first, last, Sample::fds);
        line("RSS KiB", first, last, Sample::rssKb);
        line("disk KiB", first, last, Sample::diskKb);
    }

    private static void line(
            String what, List<Sample> first, List<Sample> last, java.util.function.ToLongFunction<Sample> f) {
        double a = first.stream().mapToLong(f).average().orElse(0);
        double b = last.stream().mapToLong(f).average().orElse(0);
        System.out.printf("  %-18s %12.0f -> %12.0f  (x%.2f)%n", what, a, b, a == 0 ? 0 : b / a);
    }

    /** Live heap: a full GC, then the used heap jcmd reports. */
    private static long heapAfterGc(Path javaHome, long pid) throws IOException, InterruptedException {
        String jcmd = javaHome.resolve("bin/jcmd").toString();
        run(jcmd, String.valueOf(pid), "GC.run");
        String info = run(jcmd, String.valueOf(pid), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static long procStatus(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long fds(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return s.count();
        }
    }

    private static long diskKb(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                            .mapToLong(f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException gone) {
                                    return 0; // RocksDB compacted it away meanwhile
                                }
                            })
                            .sum()
                    / 1024;
        }
    }
}
