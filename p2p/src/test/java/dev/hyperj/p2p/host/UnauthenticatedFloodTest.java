package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.protocol.ping.Ping;
import dev.hyperj.p2p.resources.Refusal;
import dev.hyperj.p2p.resources.ResourceUsage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The issue 19 reproduction: thousands of raw TCP connections that never finish (or never start)
 * the handshake must not keep an honest peer from connecting, pinging and gossiping, and must not
 * make the node's threads or memory grow with their number. Attackers connect from 127.0.0.2 and
 * up (all of 127/8 is loopback on Linux), the honest peer from 127.0.0.1.
 */
class UnauthenticatedFloodTest {
    private static final GossipConfig FAST = GossipConfig.defaults().toBuilder()
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
            .build();
    private final TestHosts hosts = new TestHosts();
    private final List<GossipSub> gossips = new ArrayList<>();
    private final List<Socket> flood = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        for (Socket s : flood) {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        gossips.forEach(GossipSub::close);
        hosts.close();
    }

    @Test
    @Timeout(60)
    void twoThousandIdleConnectionsFromOneAddress() throws Exception {
        Host node = node();
        openFlood(node, 2000, 1, false);
        honestPeerGetsThrough(node);
    }

    @Test
    @Timeout(60)
    void tenThousandSlowConnectionsFromManyAddresses() throws Exception {
        Host node = node();
        // each socket holds a file descriptor here; the node side is bounded by its transient scope
        UnixOperatingSystemMXBean os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long spare = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 2000;
        int n = (int) Math.min(10_000, spare);
        System.out.println("flood of " + n + " connections (fd limit " + os.getMaxFileDescriptorCount() + ")");
        assertThat(n).as("file descriptors for at least 2,000 sockets").isGreaterThanOrEqualTo(2000);
        openFlood(node, n, 200, true);
        honestPeerGetsThrough(node);
    }

    private Host node() throws Exception {
        Host node = hosts.start(TestHosts.builder());
        Ping.install(node);
        return node;
    }

    /**
     * Opens {@code n} sockets from {@code addresses} source IPs (127.0.0.2 and up); a slow socket
     * sends the first byte of a multistream header and nothing more.
     */
    private void openFlood(Host node, int n, int addresses, boolean slow) throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port(node));
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i % addresses)}), 0));
            s.connect(target, 5000);
            flood.add(s);
            if (slow) {
                try {
                    s.getOutputStream().write(0x13);
                } catch (IOException closedByTheNode) {
                    // evicted or refused already
                }
            }
        }
        System.out.printf(
                "opened %d %s connections from %d addresses in %d ms; node holds %d sockets%n",
                n,
                slow ? "slow" : "idle",
                addresses,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                node.openChannelCount());
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapAfter = usedHeapAfterGc();
        System.out.printf(
                "threads %d -> %d, used heap %d -> %d MiB%n",
                threadsBefore, threadsAfter, heapBefore >> 20, heapAfter >> 20);
        assertThat(threadsAfter - threadsBefore).as("threads").isLessThan(10);
        assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(64L << 20);
        // evicted sockets close on the node's event loops just after the eviction: poll (no event to wait on)
        int limit = node.resources().limits().transientConnections();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (node.openChannelCount() > limit && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(node.openChannelCount())
                .as("sockets the node holds for the flood")
                .isLessThanOrEqualTo(limit);
        assertThat(node.resources().usage().transientConnections()).isLessThanOrEqualTo(limit);
    }

    private void honestPeerGetsThrough(Host node) throws Exception {
        GossipSub nodeGossip = gossip(node);
        CountDownLatch delivered = new CountDownLatch(1);
        nodeGossip.subscribe("blocks", d -> delivered.countDown()).get(5, TimeUnit.SECONDS);

        Host honest = hosts.start(TestHosts.builder());
        GossipSub honestGossip = gossip(honest);
        honestGossip.subscribe("blocks", d -> {}).get(5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        honest.connect(TestHosts.addr(node)).get(5, TimeUnit.SECONDS);
        long connectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        List<Duration> rtts =
                Ping.ping(honest, node.peerId(), 5, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        System.out.println("honest peer connected in " + connectMs + " ms, ping " + rtts);
        assertThat(rtts).hasSize(5).allSatisfy(rtt -> assertThat(rtt).isLessThan(Duration.ofMillis(500)));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!honestGossip
                .call(r -> r.topicPeers("blocks").contains(node.peerId()))
                .get(5, TimeUnit.SECONDS)) {
            assertThat(System.nanoTime()).as("subscription exchanged").isLessThan(deadline);
            Thread.sleep(20);
        }
        honestGossip.publish("blocks", new byte[] {1, 2, 3}).get(5, TimeUnit.SECONDS);
        assertThat(delivered.await(10, TimeUnit.SECONDS)).as("gossip delivered").isTrue();
        ResourceUsage usage = node.resources().usage();
        System.out.println("node resources: " + usage);
        assertThat(usage.refusals(Refusal.IP_TRANSIENT_CONNECTIONS) + usage.refusals(Refusal.TRANSIENT_EVICTED))
                .as("flood connections refused or evicted")
                .isGreaterThan(0);
    }

    private GossipSub gossip(Host h) {
        GossipSub g = GossipSub.start(h, FAST, PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
        gossips.add(g);
        return g;
    }

    private static int port(Host h) {
        return Integer.parseInt(TestHosts.addr(h).toString().split("/tcp/")[1].split("/")[0]);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
