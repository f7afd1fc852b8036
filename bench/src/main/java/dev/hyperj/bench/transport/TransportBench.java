package dev.hyperj.bench.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.interop.JsPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whole-stack transport throughput in one run: single-stream bulk transfer over Noise + Yamux on
 * loopback for Java->Java, Java->JS, JS->Java and JS->JS (two Node processes running
 * interop/js/peer.mjs), raw TCP loopback as the ceiling, and full connection setups (TCP +
 * multistream + Noise XX + Yamux) per second Java<->Java.
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests &amp;&amp; \
 *   java -cp bench/target/benchmarks.jar dev.hyperj.bench.transport.TransportBench [--mib 256] [--handshakes 2000] [--runs 3]
 * </pre>
 * Each figure is the best of {@code --runs} transfers (after one warm-up for the Java paths).
 * Node is found through HYPERJ_NODE, else interop/js/install.sh is run.
 */
public final class TransportBench {

    /**
     * One path's figures: the best run's wall clock, and the CPU all runs took together per MB moved
     * (this JVM, its Node children, and per named event-loop group of this JVM).
     */
    record Row(String path, long bytes, double seconds, double jvmMsPerMb, double nodeMsPerMb, String loops) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    private TransportBench() {}

    public static void main(String[] args) throws Exception {
        long mib = 256;
        int handshakes = 2000;
        int runs = 3;
        String only = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mib" -> mib = Long.parseLong(args[++i]);
                case "--handshakes" -> handshakes = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                default -> {
                    System.err.println("usage: TransportBench [--mib N] [--handshakes N] [--runs N] [--only java]");
                    System.exit(2);
                }
            }
        }
        long bytes = mib * 1024 * 1024;
        List<Row> rows = new ArrayList<>();

        RawTcp.transfer(bytes / 4); // warm-up
        rows.add(best("raw TCP loopback (ceiling)", bytes, runs, () -> RawTcp.transfer(bytes)));
        if (only.equals("java")) { // Java -> Java alone, for profiling
            JavaStack.addJavaRow(rows, bytes, runs);
            print(rows, mib, runs);
            return;
        }
        JavaStack.addRows(rows, bytes, runs, handshakes);
        try (JsPeer a = JsPeer.start();
                JsPeer b = JsPeer.start()) {
            a.call(Duration.ofSeconds(30), "dial", "addr", b.address());
            rows.add(best("JS -> JS noise+yamux", bytes, runs, () -> jsSend(a, b.peerId(), bytes)));
        }
        print(rows, mib, runs);
    }

    /** Has js peer {@code from} send {@code bytes} to {@code to}'s discard protocol; returns seconds. */
    static double jsSend(JsPeer from, String to, long bytes) throws Exception {
        JsonNode r = from.call(
                Duration.ofMinutes(5), "sink", "peer", to, "bytes", bytes, "protocol", "/hyperj/discard/1.0.0");
        long counted = Long.parseUnsignedLong(r.get("reply").asText(), 16);
        if (counted != bytes) {
            throw new IllegalStateException("js sent " + bytes + " but the receiver counted " + counted);
        }
        return r.get("ms").asDouble() / 1000;
    }

    interface Transfer {
        double seconds() throws Exception;
    }

    static Row best(String path, long bytes, int runs, Transfer t) throws Exception {
        return best(path, bytes, runs, Map.of(), t);
    }

    /** {@code loops} names event-loop groups of this JVM (label -> thread-name prefix) whose CPU to report. */
    static Row best(String path, long bytes, int runs, Map<String, String> loops, Transfer t) throws Exception {
        double best = Double.MAX_VALUE;
        CpuMeter.Sample before = CpuMeter.sample();
        for (int i = 0; i < runs; i++) {
            best = Math.min(best, t.seconds());
        }
        CpuMeter.Sample cpu = CpuMeter.sample().minus(before);
        double mb = runs * bytes / 1e6;
        StringBuilder loopCpu = new StringBuilder();
        new TreeMap<>(loops)
                .forEach((label, prefix) -> loopCpu.append(loopCpu.isEmpty() ? "" : ", ")
                        .append(label)
                        .append(String.format(Locale.ROOT, " %.2f", cpu.group(prefix) / 1e6 / mb)));
        Row row =
                new Row(path, bytes, best, cpu.jvmNanos() / 1e6 / mb, cpu.childNanos() / 1e6 / mb, loopCpu.toString());
        System.err.printf(
                Locale.ROOT,
                "  %-34s %8.1f MB/s  CPU ms/MB: jvm %.2f node %.2f %s%n",
                path,
                row.mbPerSecond(),
                row.jvmMsPerMb(),
                row.nodeMsPerMb(),
                row.loops());
        if (Boolean.getBoolean("bench.threads")) {
            cpu.groupNanos().entrySet().stream()
                    .filter(e -> e.getValue() / 1e6 / mb >= 0.01)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> System.err.printf(
                            Locale.ROOT, "      %-30s %.2f ms/MB%n", e.getKey(), e.getValue() / 1e6 / mb));
        }
        return row;
    }

    private static void print(List<Row> rows, long mib, int runs) {
        double ceiling = rows.getFirst().mbPerSecond();
        double jsJs = rows.stream()
                .filter(r -> r.path().startsWith("JS -> JS"))
                .findFirst()
                .map(Row::mbPerSecond)
                .orElse(Double.NaN);
        System.out.printf(
                Locale.ROOT,
                "%nSingle stream, %d MiB per transfer, best of %d, loopback, %d cores%n",
                mib,
                runs,
                Runtime.getRuntime().availableProcessors());
        double jsJsCpu = rows.stream()
                .filter(r -> r.path().startsWith("JS -> JS"))
                .findFirst()
                .map(r -> r.jvmMsPerMb() + r.nodeMsPerMb())
                .orElse(Double.NaN);
        System.out.printf(
                Locale.ROOT,
                "%-30s %8s %7s %8s  %-28s %8s  %s%n",
                "path",
                "MB/s",
                "vs raw",
                "vs JS->JS",
                "CPU ms/MB jvm + node = all",
                "vs JS->JS",
                "event loops ms/MB");
        for (Row r : rows) {
            double all = r.jvmMsPerMb() + r.nodeMsPerMb();
            System.out.printf(
                    Locale.ROOT,
                    "%-30s %8.1f %6.0f%% %8.2fx  %6.2f + %6.2f = %6.2f      %8.2fx  %s%n",
                    r.path(),
                    r.mbPerSecond(),
                    100 * r.mbPerSecond() / ceiling,
                    r.mbPerSecond() / jsJs,
                    r.jvmMsPerMb(),
                    r.nodeMsPerMb(),
                    all,
                    all / jsJsCpu,
                    r.loops());
        }
        System.out.println("(CPU: all runs of a path together per MB moved; the JVM figure includes the bench's own"
                + " JIT and GC, Node figures are its peer processes)");
        JavaStack.printHandshakes();
    }
}
