package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.mux.MuxerConfig;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.resources.ResourceLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GaterAndLimitsTest {
    final TestHosts hosts = new TestHosts();

    @AfterEach
    void close() {
        hosts.close();
    }

    static LinkedBlockingQueue<String> refusals(Host h) {
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        h.connections().addListener(new ConnectionListener() {
            @Override
            public void refused(Multiaddr remote, boolean inbound, String reason) {
                q.add((inbound ? "in: " : "out: ") + reason);
            }
        });
        return q;
    }

    @Test
    void gaterDenyClosesBeforeAnyStream() throws Exception {
        AtomicInteger streams = new AtomicInteger();
        List<PeerId> asked = new ArrayList<>();
        Host b = hosts.start(TestHosts.builder()
                .protocol(TestHosts.ECHO, (s, i) -> streams.incrementAndGet())
                .gater((peer, remote, inbound) -> {
                    synchronized (asked) {
                        asked.add(peer);
                    }
                    return CompletableFuture.supplyAsync(() -> false);
                }));
        LinkedBlockingQueue<String> refused = refusals(b);
        Host a = hosts.start(TestHosts.builder());
        // the dialer learns why it is refused, as far as the protocol lets it (no close reason in libp2p)
        assertThatThrownBy(() -> a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(UpgradeException.class)
                .hasMessage(b.peerId() + " closed the connection after the secure handshake: it refused us"
                        + " (its connection gater, e.g. a subnet node refusing peers not staked on its subnet,"
                        + " or its connection limits)");
        assertThat(refused.poll(10, TimeUnit.SECONDS)).isEqualTo("in: denied by the gater");
        synchronized (asked) {
            assertThat(asked).containsExactly(a.peerId());
        }
        assertThat(streams.get()).isZero();
        assertThat(b.connections().size()).isZero();
    }

    @Test
    void theDialerGatesToo() throws Exception {
        Host b = hosts.startEchoServer();
        List<String> asked = new ArrayList<>();
        Host a = hosts.start(TestHosts.builder().gater((peer, remote, inbound) -> {
            synchronized (asked) {
                asked.add(peer + " " + remote + " " + inbound);
            }
            throw new IllegalStateException("stake lookup failed");
        }));
        LinkedBlockingQueue<String> refused = refusals(a);
        assertThatThrownBy(() -> a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(UpgradeException.class)
                .hasMessageContaining("stake lookup failed");
        assertThat(refused.poll(10, TimeUnit.SECONDS)).startsWith("out: gater failed");
        synchronized (asked) {
            assertThat(asked)
                    .containsExactly(b.peerId() + " " + TestHosts.addr(b).withoutPeerId() + " false");
        }
        assertThat(a.connections().openCount()).isZero();
    }

    @Test
    void gaterThatNeverAnswersTimesOut() throws Exception {
        Host b = hosts.start(TestHosts.builder()
                .protocol(TestHosts.ECHO, TestHosts::installEcho)
                .limits(ConnectionLimits.defaults().withGaterTimeout(Duration.ofMillis(300)))
                .gater((peer, remote, inbound) -> new CompletableFuture<>()));
        LinkedBlockingQueue<String> refused = refusals(b);
        Host a = hosts.start(TestHosts.builder());
        long start = System.nanoTime();
        assertThatThrownBy(() -> a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(UpgradeException.class);
        assertThat(refused.poll(10, TimeUnit.SECONDS)).isEqualTo("in: gater gave no answer within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void nothingIsNegotiatedUntilTheGaterAllows() throws Exception {
        CompletableFuture<Boolean> decision = new CompletableFuture<>();
        CountDownLatch asked = new CountDownLatch(1);
        Host b = hosts.start(TestHosts.builder()
                .protocol(TestHosts.ECHO, TestHosts::installEcho)
                .gater((peer, remote, inbound) -> {
                    assertThat(inbound).isTrue();
                    asked.countDown();
                    return decision;
                }));
        Host a = hosts.start(TestHosts.builder());
        CompletableFuture<Connection> dial = a.connect(TestHosts.addr(b));
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
        // the dialer has sent its muxer proposal; the listener holds it unanswered
        assertThat(dial.isDone()).isFalse();
        assertThat(b.connections().size()).isZero();
        assertThat(b.connections().openCount()).isEqualTo(1);
        decision.complete(true);
        Connection c = dial.get(10, TimeUnit.SECONDS);
        assertThat(c.muxerProtocol()).isEqualTo("/yamux/1.0.0");
        assertThat(TestHosts.echo(a, b.peerId(), new byte[] {1})).containsExactly(1);
    }

    @Test
    void maxConnectionsIsEnforced() throws Exception {
        Host b = hosts.start(TestHosts.builder()
                .protocol(TestHosts.ECHO, TestHosts::installEcho)
                .resources(ResourceLimits.defaults().withSystemConnections(2)));
        LinkedBlockingQueue<String> refused = refusals(b);
        Host a1 = hosts.start(TestHosts.builder());
        Host a2 = hosts.start(TestHosts.builder());
        Host a3 = hosts.start(TestHosts.builder());
        a1.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        a2.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> a3.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(UpgradeException.class);
        assertThat(refused.poll(10, TimeUnit.SECONDS)).isEqualTo("in: connection limit (2) reached");
        assertThat(b.connections().size()).isEqualTo(2);
        // a slot frees when a connection goes
        CompletableFuture<Void> gone = new CompletableFuture<>();
        b.connections().addListener(new ConnectionListener() {
            @Override
            public void disconnected(Connection c) {
                gone.complete(null);
            }
        });
        a1.close();
        gone.get(10, TimeUnit.SECONDS);
        assertThat(a3.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS).remotePeer())
                .isEqualTo(b.peerId());
    }

    @Test
    void perPeerLimitIsEnforced() throws Exception {
        Host b = hosts.start(
                TestHosts.builder().resources(ResourceLimits.defaults().withConnectionsPerPeer(1)));
        LinkedBlockingQueue<String> refused = refusals(b);
        Host a = hosts.start(TestHosts.builder());
        Multiaddr noPeerId = TestHosts.addr(b).withoutPeerId(); // no /p2p: no reuse, a second connection is dialed
        a.connect(noPeerId).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> a.connect(noPeerId).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(UpgradeException.class);
        assertThat(refused.poll(10, TimeUnit.SECONDS)).startsWith("in: per-peer connection limit (1) reached");
        assertThat(b.connections().connections(a.peerId())).hasSize(1);
    }

    @Test
    void streamLimitPerConnectionComesFromTheMuxerConfig() throws Exception {
        MuxerConfig d = MuxerConfig.defaults();
        MuxerConfig three = new MuxerConfig(
                3, d.initialWindow(), d.maxWindow(), d.keepAliveInterval(), d.maxFrameSize(), d.maxBufferedPerStream());
        Host b = hosts.start(TestHosts.builder()
                .protocol(TestHosts.ECHO, TestHosts::installEcho)
                .muxerConfig(three));
        Host a = hosts.start(TestHosts.builder().muxerConfig(three));
        a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        List<PeerStream> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(a.newStream(b.peerId(), new TestHosts.Collector(), TestHosts.ECHO)
                    .get(10, TimeUnit.SECONDS));
        }
        assertThatThrownBy(() -> a.newStream(b.peerId(), new TestHosts.Collector(), TestHosts.ECHO)
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.ExecutionException.class);
        open.get(0).close().get(10, TimeUnit.SECONDS);
        // the freed slot is usable again once the close went through on both sides
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        PeerStream again = null;
        while (again == null && System.nanoTime() < deadline) {
            try {
                again = a.newStream(b.peerId(), new TestHosts.Collector(), TestHosts.ECHO)
                        .get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException stillFull) {
                Thread.onSpinWait();
            }
        }
        assertThat(again).isNotNull();
    }

    @Test
    void idleConnectionsCloseOnlyWithoutStreams() throws Exception {
        Duration idle = Duration.ofMillis(400);
        Host b = hosts.start(TestHosts.builder()
                .protocol(TestHosts.ECHO, TestHosts::installEcho)
                .limits(ConnectionLimits.defaults().withIdleTimeout(idle)));
        CountDownLatch disconnected = new CountDownLatch(1);
        b.connections().addListener(new ConnectionListener() {
            @Override
            public void disconnected(Connection c) {
                disconnected.countDown();
            }
        });
        Host a = hosts.start(TestHosts.builder());
        a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        TestHosts.Collector c = new TestHosts.Collector();
        PeerStream stream = a.newStream(b.peerId(), c, TestHosts.ECHO).get(10, TimeUnit.SECONDS);
        // a stream is open: several idle periods pass without a disconnect
        assertThat(disconnected.await(3 * idle.toMillis(), TimeUnit.MILLISECONDS))
                .isFalse();
        stream.closeWrite();
        c.done.get(10, TimeUnit.SECONDS);
        stream.close();
        long closedAt = System.nanoTime();
        assertThat(disconnected.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isGreaterThanOrEqualTo(idle.minusMillis(50));
        assertThat(b.connections().size()).isZero();
    }
}
