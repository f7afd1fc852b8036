package dev.hyperj.p2p.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The network test on real hosts (TCP, Noise, Yamux) on loopback: 50 nodes, 1,000
 * messages from random publishers reach every subscriber, and after churn every mesh stays within
 * [D_lo, D_hi]. Hosts share two I/O threads and one router thread so that 50 nodes fit on CI's
 * two cores; heartbeats are shortened to keep the test quick.
 */
class GossipSubFiftyHostsTest {
    private static final int NODES = 50, MESSAGES = 1000, DIALS = 10, CHURNED = 10;
    private static final String TOPIC = "fifty";
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final DefaultEventLoop routerLoop = new DefaultEventLoop();
    private final List<Host> hosts = new ArrayList<>();
    private final List<GossipSub> gossips = new ArrayList<>();

    @AfterEach
    void close() {
        gossips.forEach(GossipSub::close);
        hosts.forEach(Host::close);
        routerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(240)
    void thousandMessagesReachEverySubscriberAndMeshesStayInBoundsAfterChurn() throws Exception {
        GossipConfig config = GossipConfig.defaults().toBuilder()
                .heartbeat(Duration.ofMillis(300), Duration.ofMillis(100))
                .build();
        Random random = new Random(50);
        CountDownLatch delivered = new CountDownLatch(NODES * MESSAGES);
        List<BitSet> received = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            Host h = Host.builder()
                    .identity(Keys.ed25519FromSeed(seed))
                    .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                    .eventLoopGroup(io)
                    .build();
            h.start().get(30, TimeUnit.SECONDS);
            hosts.add(h);
            GossipSub g =
                    GossipSub.start(h, config, PeerScoreParams.defaults(), PeerScoreThresholds.defaults(), routerLoop);
            gossips.add(g);
            BitSet got = new BitSet(MESSAGES);
            received.add(got);
            // Handlers run on the shared router thread, so the bit sets need no locking.
            g.subscribe(TOPIC, d -> {
                        int index = ByteBuffer.wrap(d.message().data()).getInt();
                        if (!got.get(index)) {
                            got.set(index);
                            delivered.countDown();
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
        }
        List<CompletableFuture<?>> dials = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            for (int k = 1; k <= DIALS; k++) {
                int j = (i + k * 7) % NODES; // a fixed, well-spread pattern: about 20 neighbours each
                if (j != i)
                    dials.add(
                            hosts.get(i).connect(hosts.get(j).listenAddresses().get(0)));
            }
        }
        CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        awaitMeshesWithin(config, gossips);

        for (int m = 0; m < MESSAGES; m++) {
            byte[] data = ByteBuffer.allocate(64).putInt(m).array();
            gossips.get(random.nextInt(NODES)).publish(TOPIC, data).get(10, TimeUnit.SECONDS);
        }
        assertThat(delivered.await(120, TimeUnit.SECONDS))
                .as("every one of %d subscribers got all %d messages", NODES, MESSAGES)
                .isTrue();
        for (BitSet got : received) assertThat(got.cardinality()).isEqualTo(MESSAGES);

        // Churn: a fifth of the network leaves; the rest repair their meshes.
        for (int i = 0; i < CHURNED; i++) {
            gossips.remove(gossips.size() - 1).close();
            hosts.remove(hosts.size() - 1).close();
        }
        awaitMeshesWithin(config, gossips);
    }

    /** Waits (bounded) until every node's mesh degree is within [D_lo, D_hi]; fails with the degrees otherwise. */
    private static void awaitMeshesWithin(GossipConfig config, List<GossipSub> gossips) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Integer> degrees;
        do {
            degrees = new ArrayList<>();
            for (GossipSub g : gossips)
                degrees.add(g.call(r -> r.meshPeers(TOPIC).size()).get(5, TimeUnit.SECONDS));
            if (degrees.stream().allMatch(d -> d >= config.dLo() && d <= config.dHi())) return;
            // No event exists for "mesh repaired": check again after the next heartbeat.
            Thread.sleep(config.heartbeatInterval().toMillis());
        } while (System.nanoTime() < deadline);
        assertThat(degrees).as("mesh degrees").allMatch(d -> d >= config.dLo() && d <= config.dHi());
    }
}
