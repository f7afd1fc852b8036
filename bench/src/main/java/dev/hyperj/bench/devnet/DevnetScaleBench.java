package dev.hyperj.bench.devnet;

import dev.hyperj.cli.devnet.Devnet;
import dev.hyperj.cli.devnet.DevnetConfig;
import dev.hyperj.cli.devnet.EpochReport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Whole-system scale: for each size, a {@link Devnet} of that many subnet nodes in this JVM (each
 * with its own libp2p host, DHT, gossip, epoch tracker, consensus loop and RPC connection to the one
 * dev chain, which runs here too). Measures the time from start to the first epoch that reached
 * consensus, then whether consensus held for the next {@code epochs} epochs, the attestation
 * ratios, the process CPU over those epochs per node (share of one core), heap in use per node
 * (after a GC, above the JVM's baseline) and threads. Per epoch it also prints where the time went
 * at the boundary ({@link DevnetProbe}: each node's tracker lag, the block of the proposal and of the
 * attestations against the attest window) and the chain reads per block (asked by the nodes, and
 * made on the chain). {@code --unshared} runs each node with its own RPC connection and threads
 * (the devnet before sharing), for comparison in one build.
 *
 * <pre>java -Xmx4g -cp bench/target/benchmarks.jar dev.hyperj.bench.devnet.DevnetScaleBench [--epochs 3] [--block-time-ms 1000] [--epoch-length 20] [--unshared] 64 128 256</pre>
 */
public final class DevnetScaleBench {
    private DevnetScaleBench() {}

    record Result(
            int nodes,
            long blockTimeMs,
            double startS,
            double firstConsensusS,
            int held,
            int epochs,
            double minRatio,
            double avgRatio,
            double cpuPerNode,
            double heapMbPerNode,
            int threads,
            double readsPerBlock,
            double chainReadsPerBlock,
            String note) {}

    public static void main(String[] args) throws Exception {
        String level = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        // p2p's test resources (on this jar's class path) turn host and multistream logs to debug: at
        // hundreds of nodes that is megabytes of log and CPU taken from the nodes
        for (String pkg : new String[] {"dev.hyperj.p2p.host", "dev.hyperj.p2p.multistream"}) {
            String key = "org.slf4j.simpleLogger.log." + pkg;
            System.setProperty(key, System.getProperty(key, level));
        }
        int epochs = 3;
        long blockTimeMs = -1; // per size: DevnetConfig.defaultBlockTimeMs
        int epochLength = 20;
        boolean shared = true;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--block-time-ms" -> blockTimeMs = Long.parseLong(args[++i]);
                case "--epoch-length" -> epochLength = Integer.parseInt(args[++i]);
                case "--unshared" -> shared = false;
                default -> sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) sizes = List.of(64, 128, 256);
        System.out.printf(
                Locale.ROOT,
                "devnet scale: %s nodes (%s), %s ms blocks, %d-block epochs, consensus held over %d epochs; %d cores, max heap %d MiB, load average %.1f%n",
                sizes,
                shared ? "shared chain view and threads" : "unshared: a connection and threads per node",
                blockTimeMs > 0 ? String.valueOf(blockTimeMs) : "default (500 per 64 nodes)",
                epochLength,
                epochs,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Result> results = new ArrayList<>();
        for (int n : sizes) {
            Result r = run(
                    n, epochs, blockTimeMs > 0 ? blockTimeMs : DevnetConfig.defaultBlockTimeMs(n), epochLength, shared);
            results.add(r);
            print(List.of(r), false);
        }
        System.out.println();
        print(results, true);
    }

    private static Result run(int n, int epochs, long blockTimeMs, int epochLength, boolean shared) throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        long heapBase = mem.getHeapMemoryUsage().getUsed();
        long t0 = System.nanoTime();
        DevnetConfig cfg = DevnetConfig.defaults(n)
                .withBlockTimeMs(blockTimeMs)
                .withEpochLength(epochLength)
                .withShared(shared);
        long epochMs = blockTimeMs * epochLength;
        try (Devnet d = Devnet.start(cfg);
                DevnetProbe probe = new DevnetProbe(d)) {
            double startS = (System.nanoTime() - t0) / 1e9;
            // the first epoch that reached consensus (a few warm-up epochs allowed)
            EpochReport first = null;
            long next = d.firstReportEpoch();
            for (int tries = 0; tries < 6 && first == null; tries++) {
                EpochReport r = d.reportFor(next).get(epochMs * 4 + 60_000, TimeUnit.MILLISECONDS);
                next = r.subnetEpoch() + 1;
                System.out.printf(
                        Locale.ROOT,
                        "  n=%d epoch %d: elected %s, %d scores, attested %d/%d%n",
                        n,
                        r.subnetEpoch(),
                        r.electedNodeId().orElse(null),
                        r.submittedScores(),
                        r.attestations(),
                        r.validatorSetSize());
                System.out.println("    " + probe.describe(r.subnetEpoch()));
                if (r.consensus()) first = r;
            }
            if (first == null)
                return new Result(
                        n,
                        blockTimeMs,
                        startS,
                        Double.NaN,
                        0,
                        epochs,
                        0,
                        0,
                        Double.NaN,
                        Double.NaN,
                        ManagementFactory.getThreadMXBean().getThreadCount(),
                        Double.NaN,
                        Double.NaN,
                        "no consensus in 6 epochs");
            double firstS = (System.nanoTime() - t0) / 1e9;
            long cpu0 = os.getProcessCpuTime();
            long w0 = System.nanoTime();
            Devnet.ChainReads reads0 = d.chainReads();
            int held = 0;
            double min = 1, sum = 0;
            for (int k = 0; k < epochs; k++) {
                EpochReport r = d.reportFor(next).get(epochMs * 4 + 60_000, TimeUnit.MILLISECONDS);
                next = r.subnetEpoch() + 1;
                System.out.printf(
                        Locale.ROOT,
                        "  n=%d epoch %d: elected %s, %d scores, attested %d/%d%n",
                        n,
                        r.subnetEpoch(),
                        r.electedNodeId().orElse(null),
                        r.submittedScores(),
                        r.attestations(),
                        r.validatorSetSize());
                System.out.println("    " + probe.describe(r.subnetEpoch()));
                if (r.consensus()) held++;
                min = Math.min(min, r.attestationRatio());
                sum += r.attestationRatio();
            }
            double cpuShare = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - w0);
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            Devnet.ChainReads reads1 = d.chainReads();
            double blocks = Math.max(1, reads1.heads() - reads0.heads());
            System.out.printf(
                    Locale.ROOT,
                    "  n=%d chain reads over %d blocks: %.1f per block asked by the nodes, %.1f made on the chain%n",
                    n,
                    (long) blocks,
                    (reads1.requested() - reads0.requested()) / blocks,
                    (reads1.upstream() - reads0.upstream()) / blocks);
            reads1.byMethod().forEach((m, c) -> {
                var c0 = reads0.byMethod().get(m);
                long asked = c.requested() - (c0 == null ? 0 : c0.requested());
                long made = c.upstream() - (c0 == null ? 0 : c0.upstream());
                if (asked > 0)
                    System.out.printf(
                            Locale.ROOT,
                            "    %-24s %8.1f asked, %6.1f made per block%n",
                            m,
                            asked / blocks,
                            made / blocks);
            });
            System.gc();
            double heapMb = (mem.getHeapMemoryUsage().getUsed() - heapBase) / 1048576.0;
            return new Result(
                    n,
                    blockTimeMs,
                    startS,
                    firstS,
                    held,
                    epochs,
                    min,
                    sum / epochs,
                    cpuShare / n,
                    heapMb / n,
                    threads,
                    (reads1.requested() - reads0.requested()) / blocks,
                    (reads1.upstream() - reads0.upstream()) / blocks,
                    "");
        }
    }

    private static void print(List<Result> rs, boolean header) {
        if (header) {
            System.out.println(
                    "| nodes | block ms | start s | first consensus s | consensus held | attestation min / avg | CPU per node (share of a core) | heap per node MiB | threads | chain reads per block (asked / made) | note |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        }
        for (Result r : rs) {
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %d | %.1f | %.1f | %d/%d | %.2f / %.2f | %.3f | %.1f | %d | %.0f / %.0f | %s |%n",
                    r.nodes(),
                    r.blockTimeMs(),
                    r.startS(),
                    r.firstConsensusS(),
                    r.held(),
                    r.epochs(),
                    r.minRatio(),
                    r.avgRatio(),
                    r.cpuPerNode(),
                    r.heapMbPerNode(),
                    r.threads(),
                    r.readsPerBlock(),
                    r.chainReadsPerBlock(),
                    r.note());
        }
    }
}
