package dev.hyperj.bench.kad;

import dev.hyperj.p2p.kad.KadConfig;
import dev.hyperj.p2p.kad.KadDht;
import dev.hyperj.p2p.kad.LookupResult;
import dev.hyperj.p2p.kad.SimulatedDhtNetwork;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Lookup hop count and latency against network size, next to log2(N), on the deterministic
 * in-memory network (virtual time; one-way link latency 10-80 ms, fixed per pair, plus up to 10%
 * jitter). Every node bootstraps from a random earlier node, then random nodes look up random
 * other nodes' ids. This is a simulation report, not a JMH benchmark: the figures are virtual-time
 * protocol costs (round trips, messages), independent of this machine's speed.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar dev.hyperj.bench.kad.KadLookupScaling [sizes...] [--lookups N] [--seed S]
 * </pre>
 */
public final class KadLookupScaling {
    private KadLookupScaling() {}

    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        int lookups = 300;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lookups" -> lookups = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(25, 50, 100, 200, 1000, 2000);
        }
        System.out.println("k=20 alpha=3; one-way latency 10-80 ms per pair (+<=10% jitter); " + lookups
                + " lookups per size; seed " + seed);
        System.out.println("FIND_NODE to a random existing peer id, full lookup (ends when the k closest answered):");
        System.out.println("  hops: sequential round trips until the target answered (1 = it was in our table);");
        System.out.println("  findPeer: ends as soon as some peer names the target (0 hops = in our own table).");
        System.out.printf(
                Locale.ROOT,
                "%6s %7s | %9s %4s %4s %4s | %10s %6s %6s | %7s %6s | %12s %12s | %6s%n",
                "N",
                "log2(N)",
                "hops mean",
                "p50",
                "p95",
                "max",
                "latency ms",
                "p50",
                "p95",
                "queries",
                "found",
                "findPeer hops",
                "findPeer ms",
                "wall s");
        for (int n : sizes) {
            run(n, lookups, seed);
        }
    }

    private static PeerId randomOther(List<KadDht> nodes, KadDht from, SplittableRandom rnd) {
        PeerId target;
        do {
            target = nodes.get(rnd.nextInt(nodes.size())).peerId();
        } while (target.equals(from.peerId()));
        return target;
    }

    private static void run(int n, int lookups, long seed) {
        long wallStart = System.nanoTime();
        KadConfig config = KadConfig.builder()
                .randomWalkInterval(Duration.ZERO)
                .refreshInterval(Duration.ZERO)
                .thinTableWalkDelay(Duration.ZERO)
                .requestTimeout(Duration.ofSeconds(5))
                .build();
        SimulatedDhtNetwork sim = new SimulatedDhtNetwork(seed, Duration.ofMillis(10), Duration.ofMillis(80));
        List<KadDht> nodes = new ArrayList<>(n);
        SplittableRandom rnd = new SplittableRandom(seed * 31 + n);
        for (int i = 0; i < n; i++) {
            KadDht d = sim.addNode(config);
            sim.await(d.start());
            if (i > 0) {
                KadDht via = nodes.get(rnd.nextInt(i));
                sim.await(d.bootstrap(List.of(sim.info(via.peerId()))));
            }
            nodes.add(d);
        }
        // a second self-lookup round, as the periodic refresh would do, so early joiners learn late ones
        for (KadDht d : nodes) {
            sim.await(d.findClosestPeers(d.peerId().bytes()));
        }
        int[] hops = new int[lookups];
        long[] latency = new long[lookups];
        long queries = 0;
        int found = 0;
        double findPeerHops = 0;
        double findPeerMillis = 0;
        for (int i = 0; i < lookups; i++) {
            // independent pairs: every answer adds peers near the target to the searcher's table
            KadDht from = nodes.get(rnd.nextInt(n));
            PeerId target = randomOther(nodes, from, rnd);
            LookupResult r = sim.await(from.findClosestPeers(target.bytes()));
            hops[i] = r.stats().hops();
            latency[i] = r.stats().elapsedMillis();
            queries += r.stats().queries();
            KadDht from2 = nodes.get(rnd.nextInt(n));
            LookupResult p = sim.await(from2.findPeer(randomOther(nodes, from2, rnd)));
            findPeerHops += p.stats().hops();
            findPeerMillis += p.stats().elapsedMillis();
            if (!r.peers().isEmpty() && r.peers().get(0).id().equals(target)) {
                found++;
            }
        }
        Arrays.sort(hops);
        Arrays.sort(latency);
        double wall = (System.nanoTime() - wallStart) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%6d %7.2f | %9.2f %4d %4d %4d | %10.0f %6d %6d | %7.1f %5.1f%% | %12.2f %12.0f | %6.1f%n",
                n,
                Math.log(n) / Math.log(2),
                Arrays.stream(hops).average().orElse(0),
                hops[lookups / 2],
                hops[(int) (lookups * 0.95)],
                hops[lookups - 1],
                Arrays.stream(latency).average().orElse(0),
                latency[lookups / 2],
                latency[(int) (lookups * 0.95)],
                (double) queries / lookups,
                100.0 * found / lookups,
                findPeerHops / lookups,
                findPeerMillis / lookups,
                wall);
    }
}
