package dev.hyperj.bench.gossipsub;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipRouter;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GossipSub over real hosts (TCP, Noise, Yamux) on loopback, all in this JVM: N hosts sharing one
 * Netty I/O group and one router thread, each dialling {@code --dials} random others, all
 * subscribed to one topic. Prints delivery ratio, p50/p99 propagation latency (wall clock),
 * duplicates per delivered message and framed pubsub bytes sent per node per message.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.hyperj.bench.gossipsub.GossipTcpBench --nodes 100 --messages 200
 * </pre>
 * Every node of one JVM shares the machine's cores, so latencies include CPU queueing (signing,
 * verification, Noise) of all nodes: an upper bound for nodes on separate machines.
 */
public final class GossipTcpBench {
    private GossipTcpBench() {}

    public static void main(String[] args) throws Exception {
        int nodes = 50, messages = 200, dials = 4, payload = 1024, intervalMs = 20, ioThreads = 2;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--dials" -> dials = Integer.parseInt(args[++i]);
                case "--payload" -> payload = Math.max(8, Integer.parseInt(args[++i]));
                case "--interval-ms" -> intervalMs = Integer.parseInt(args[++i]);
                case "--io-threads" -> ioThreads = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Random random = new Random(seed);
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        DefaultEventLoop routerLoop = new DefaultEventLoop();
        List<Host> hosts = new ArrayList<>();
        List<GossipSub> gossips = new ArrayList<>();
        long[] publishedAt = new long[messages];
        int[] publisher = new int[messages];
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong deliveries = new AtomicLong();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < nodes; i++) {
                byte[] seedBytes = new byte[32];
                random.nextBytes(seedBytes);
                Host h = Host.builder()
                        .identity(Keys.ed25519FromSeed(seedBytes))
                        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                        .eventLoopGroup(io)
                        .build();
                h.start().get(30, TimeUnit.SECONDS);
                hosts.add(h);
                GossipSub g = GossipSub.start(
                        h,
                        GossipConfig.defaults(),
                        PeerScoreParams.defaults(),
                        PeerScoreThresholds.defaults(),
                        routerLoop);
                gossips.add(g);
                int self = i;
                g.subscribe("bench", d -> {
                            int index = ByteBuffer.wrap(d.message().data()).getInt();
                            if (index >= 0 && index < publishedAt.length && publisher[index] != self) {
                                long t = publishedAt[index];
                                if (t != 0) latencies.add(System.nanoTime() - t);
                                deliveries.incrementAndGet();
                            }
                        })
                        .get(10, TimeUnit.SECONDS);
            }
            List<CompletableFuture<?>> dialsDone = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                for (int k = 0; k < dials; k++) {
                    int j = random.nextInt(nodes);
                    if (j != i)
                        dialsDone.add(hosts.get(i)
                                .connect(hosts.get(j).listenAddresses().get(0))
                                .exceptionally(e -> null));
                }
            }
            CompletableFuture.allOf(dialsDone.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            // Meshes form within a few heartbeats (2 s each).
            long meshDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < meshDeadline && minMesh(gossips) < 4) Thread.sleep(200);
            long setupSeconds = (System.nanoTime() - start) / 1_000_000_000L;
            long bytesBefore = bytesSent(gossips);
            long[] dupBefore = dupAndDelivered(gossips);
            byte[] data = new byte[payload];
            for (int m = 0; m < messages; m++) {
                random.nextBytes(data);
                ByteBuffer.wrap(data).putInt(m);
                int p = random.nextInt(nodes);
                publisher[m] = p;
                publishedAt[m] = System.nanoTime();
                gossips.get(p).publish("bench", data);
                Thread.sleep(intervalMs);
            }
            long expected = (long) messages * (nodes - 1);
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (deliveries.get() < expected && System.nanoTime() < drainDeadline) Thread.sleep(50);
            Thread.sleep(500); // let duplicates in flight arrive before counting
            long bytes = bytesSent(gossips) - bytesBefore;
            long[] dupAfter = dupAndDelivered(gossips);
            long[] sorted =
                    latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(
                    "gossipsub over TCP/Noise/Yamux on loopback: nodes=%d dials=%d payload=%dB messages=%d every %dms"
                            + " io-threads=%d (setup %d s)%n",
                    nodes, dials, payload, messages, intervalMs, ioThreads, setupSeconds);
            System.out.printf(
                    "  delivery=%.4f p50=%.1fms p99=%.1fms max=%.1fms dup/delivery=%.2f bytes/node/msg=%.0f"
                            + " mesh-min=%d%n",
                    (double) deliveries.get() / expected,
                    pct(sorted, 0.5),
                    pct(sorted, 0.99),
                    pct(sorted, 1.0),
                    (double) (dupAfter[0] - dupBefore[0]) / Math.max(1, dupAfter[1] - dupBefore[1]),
                    (double) bytes / nodes / messages,
                    minMesh(gossips));
        } finally {
            for (GossipSub g : gossips) g.close();
            for (Host h : hosts) h.close();
            routerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    private static int minMesh(List<GossipSub> gossips) throws Exception {
        int min = Integer.MAX_VALUE;
        for (GossipSub g : gossips)
            min = Math.min(min, g.call(r -> r.meshPeers("bench").size()).get(10, TimeUnit.SECONDS));
        return min;
    }

    private static long bytesSent(List<GossipSub> gossips) {
        long n = 0;
        for (GossipSub g : gossips) n += g.bytesSent();
        return n;
    }

    private static long[] dupAndDelivered(List<GossipSub> gossips) throws Exception {
        long[] out = new long[2];
        for (GossipSub g : gossips) {
            GossipRouter.RouterStats s = g.call(GossipRouter::stats).get(10, TimeUnit.SECONDS);
            out[0] += s.duplicates();
            out[1] += s.delivered();
        }
        return out;
    }
}
