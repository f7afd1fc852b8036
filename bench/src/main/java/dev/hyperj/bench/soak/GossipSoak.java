package dev.hyperj.bench.soak;

import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.MessageIdFunction;
import dev.hyperj.p2p.gossipsub.SignaturePolicy;
import dev.hyperj.p2p.gossipsub.sim.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A long run of the deterministic gossipsub simulator: one network publishes millions of messages
 * in compressed (virtual) time, and after every batch each node must have received every message
 * of it exactly once (its publisher included; counted at the routers' delivery callback): none lost, none delivered twice.
 * Publishes through the routers directly, so the simulator keeps no per-message record and memory
 * stays bounded; prints heap after GC at each progress line (a tenth of the run, at most every million).
 *
 * <pre>
 * java -Xmx2g -cp bench/target/benchmarks.jar dev.hyperj.bench.soak.GossipSoak \
 *      [--nodes 20] [--messages 5000000] [--batch 20000] [--interval-ms 2] [--payload 64] [--seed 1]
 * </pre>
 * Messages are anonymous with content ids (no signing: the CPU cost of signatures is the codec
 * benchmark's business, not a soak's); links are the simulator's internet profile (10-100 ms).
 *
 * <p>The routers' seen caches hold every id for two minutes of virtual time, minutes of wall time:
 * objects that outlive many young collections. G1 with its small young generation spent 18% of
 * the wall time of a 5M run in young pauses (547 in 31 minutes); with {@code -XX:+UseParallelGC
 * -Xmn768m} 60,000 messages took 0.79 of the CPU time and 0.67 of the wall time of G1's in the
 * same minutes on the same machine.
 */
public final class GossipSoak {
    private GossipSoak() {}

    public static void main(String[] args) {
        int nodes = 20, batch = 20_000, intervalMs = 2, payload = 64;
        long messages = 5_000_000, seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--messages" -> messages = Long.parseLong(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--interval-ms" -> intervalMs = Integer.parseInt(args[++i]);
                case "--payload" -> payload = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        GossipConfig config = GossipConfig.builder()
                .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
                .messageIdFunction(MessageIdFunction.CONTENT_SHA256)
                .build();
        Simulation sim = new Simulation(seed, Simulation.LinkProfile.internet(), false);
        for (int i = 0; i < nodes; i++) sim.addNode(config);
        List<Simulation.Node> all = sim.nodes();
        sim.connectRandomly(all, 6);
        for (Simulation.Node n : all) n.router().subscribe("soak");
        sim.startAll();
        sim.runFor(Duration.ofSeconds(10));

        Random r = new Random(seed + 1);
        byte[] data = new byte[payload];
        long sent = 0, lost = 0, extra = 0;
        long every = Math.max(batch, Math.min(1_000_000, messages / 10)), nextReport = every;
        long wall = System.nanoTime(), virtualStart = sim.nanoTime();
        MemorySamples memory = new MemorySamples();
        System.out.printf(
                "gossip soak: %d nodes, %d messages of %d B, batches of %d every %d ms (virtual), seed %d%n",
                nodes, messages, payload, batch, intervalMs, seed);
        while (sent < messages) {
            int n = (int) Math.min(batch, messages - sent);
            long before = received(all);
            for (int i = 0; i < n; i++) {
                r.nextBytes(data); // random content: a distinct id per message
                all.get(r.nextInt(all.size())).router().publish("soak", data);
                sim.runFor(Duration.ofMillis(intervalMs));
            }
            sim.runFor(Duration.ofSeconds(5)); // the last ones propagate
            long got = received(all) - before;
            long expected = (long) n * nodes; // every node, the publisher included, delivers it once
            if (got < expected) lost += expected - got;
            else extra += got - expected;
            sent += n;
            if (sent >= nextReport || sent == messages) {
                nextReport += every;
                MemorySamples.Sample m = memory.take();
                double s = (System.nanoTime() - wall) / 1e9;
                System.out.printf(
                        "  %,d messages: lost %d, delivered twice %d; wall %.0f s (%.0f msg/s), virtual %.0f s;"
                                + " heap after GC %d MiB, RSS %d MiB; %,d simulator events%n",
                        sent,
                        lost,
                        extra,
                        s,
                        sent / s,
                        (sim.nanoTime() - virtualStart) / 1e9,
                        m.heapMiB(),
                        m.rssMiB(),
                        sim.eventsRun());
            }
        }
        System.out.println((lost == 0 && extra == 0 ? "none lost" : "LOST " + lost + ", DUPLICATED " + extra) + "; "
                + memory.summary());
        if (lost != 0 || extra != 0) System.exit(1);
    }

    /** Deliveries counted by every node's router callback (a publisher delivers its own message to itself too). */
    private static long received(List<Simulation.Node> all) {
        long sum = 0;
        for (Simulation.Node n : all) sum += n.received();
        return sum;
    }
}
