package dev.hyperj.bench.transport;

import dev.hyperj.p2p.interop.Bulk;
import dev.hyperj.p2p.interop.JsPeer;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    record Row(String path, long bytes, double seconds) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    private TransportBench() {
    }

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
        try (JsPeer a = JsPeer.start(); JsPeer b = JsPeer.start()) {
            a.call(Duration.ofSeconds(30), "dial", "addr", b.address());
            rows.add(best("JS -> JS noise+yamux", bytes, runs, () -> jsSend(a, b.peerId(), bytes)));
        }
        print(rows, mib, runs);
    }

    /** Has js peer {@code from} send {@code bytes} to {@code to}'s discard protocol; returns seconds. */
    static double jsSend(JsPeer from, String to, long bytes) throws Exception {
        JsonNode r = from.call(Duration.ofMinutes(5), "sink", "peer", to, "bytes", bytes,
                "protocol", "/hyperj/discard/1.0.0");
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
        double best = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            best = Math.min(best, t.seconds());
        }
        System.err.printf(Locale.ROOT, "  %-34s %8.1f MB/s%n", path, bytes / 1e6 / best);
        return new Row(path, bytes, best);
    }

    private static void print(List<Row> rows, long mib, int runs) {
        double ceiling = rows.getFirst().mbPerSecond();
        double jsJs = rows.stream().filter(r -> r.path().startsWith("JS -> JS")).findFirst()
                .map(Row::mbPerSecond).orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%nSingle stream, %d MiB per transfer, best of %d, loopback, %d cores%n",
                mib, runs, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-36s %10s %10s %10s%n", "path", "MB/s", "vs raw", "vs JS->JS");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-36s %10.1f %9.0f%% %9.2fx%n", r.path(), r.mbPerSecond(),
                    100 * r.mbPerSecond() / ceiling, r.mbPerSecond() / jsJs);
        }
        JavaStack.printHandshakes();
    }
}
