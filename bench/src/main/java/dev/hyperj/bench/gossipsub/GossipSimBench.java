package dev.hyperj.bench.gossipsub;

import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.MessageIdFunction;
import dev.hyperj.p2p.gossipsub.SignaturePolicy;
import dev.hyperj.p2p.gossipsub.sim.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Runs a gossipsub network in the deterministic simulator (virtual time, in-memory links) and
 * prints delivery ratio, propagation latency, duplicates and bytes per node per message.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.hyperj.bench.gossipsub.GossipSimBench \
 *      --nodes 10000 --messages 100 [--dials 8] [--payload 1024] [--interval-ms 50] [--seed 1] [--no-sign]
 * </pre>
 * Links: one-way latency uniform in 10-100 ms, 100 Mbit/s each way. Every node subscribes to the
 * topic; publishers are drawn at random. CPU time (signing, verification) is not simulated: it
 * only changes wall time, so {@code --no-sign} (anonymous messages, SHA-256 ids) is offered for
 * very large runs; it removes the 116 bytes of from/seqno/signature from every message.
 */
public final class GossipSimBench {
    private GossipSimBench() {}

    public static void main(String[] args) {
        int nodes = 1000, messages = 100, dials = 8, payload = 1024, intervalMs = 50;
        long seed = 1;
        boolean sign = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--dials" -> dials = Integer.parseInt(args[++i]);
                case "--payload" -> payload = Integer.parseInt(args[++i]);
                case "--interval-ms" -> intervalMs = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--no-sign" -> sign = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        GossipConfig config = sign
                ? GossipConfig.defaults()
                : GossipConfig.builder()
                        .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
                        .messageIdFunction(MessageIdFunction.CONTENT_SHA256)
                        .build();
        long wall = System.nanoTime();
        Simulation sim = new Simulation(seed, Simulation.LinkProfile.internet(), false);
        for (int i = 0; i < nodes; i++) sim.addNode(config);
        List<Simulation.Node> all = sim.nodes();
        sim.connectRandomly(all, dials);
        for (Simulation.Node n : all) n.router().subscribe("bench");
        sim.startAll();
        sim.runFor(Duration.ofSeconds(10));
        long setupBytes = sim.bytesSent();
        long setupWall = System.nanoTime() - wall;
        Random r = new Random(seed + 1);
        byte[] data = new byte[payload];
        long publishStart = sim.nanoTime();
        for (int i = 0; i < messages; i++) {
            r.nextBytes(data);
            all.get(r.nextInt(all.size())).publish("bench", data);
            sim.runFor(Duration.ofMillis(intervalMs));
        }
        sim.runFor(Duration.ofSeconds(10));
        Simulation.Report report = sim.report(nodes - 1);
        int[] degrees = new int[32];
        for (Simulation.Node n : all)
            degrees[Math.min(31, n.router().meshPeers("bench").size())]++;
        int minDeg = 0, maxDeg = 31;
        while (degrees[minDeg] == 0) minDeg++;
        while (degrees[maxDeg] == 0) maxDeg--;
        double seconds = (sim.nanoTime() - publishStart) / 1e9;
        System.out.printf(
                "gossipsub simulation: nodes=%d dials=%d payload=%dB messages=%d every %dms signed=%b seed=%d%n",
                nodes, dials, payload, messages, intervalMs, sign, seed);
        System.out.println("  " + report);
        System.out.printf(
                "  mesh degree range after run: [%d, %d]; heartbeat/control bytes during 10 s warm-up: %.0f per node;"
                        + " background+traffic bytes per node per virtual second: %.0f%n",
                minDeg, maxDeg, (double) setupBytes / nodes, (sim.bytesSent() - setupBytes) / seconds / nodes);
        System.out.printf(
                "  wall: %.1f s (setup %.1f s), %d events%n",
                (System.nanoTime() - wall) / 1e9, setupWall / 1e9, sim.eventsRun());
    }
}
