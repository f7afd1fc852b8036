package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostLifecycleTest {
    final TestHosts hosts = new TestHosts();

    @AfterEach
    void close() {
        hosts.close();
    }

    @Test
    void simultaneousDialsBothSucceedAndStreamsFlowBothWays() throws Exception {
        Host a = hosts.startEchoServer();
        Host b = hosts.startEchoServer();
        for (int round = 0; round < 5; round++) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Connection> ab = CompletableFuture.supplyAsync(() -> {
                await(go);
                return a.connect(TestHosts.addr(b)).join();
            });
            CompletableFuture<Connection> ba = CompletableFuture.supplyAsync(() -> {
                await(go);
                return b.connect(TestHosts.addr(a)).join();
            });
            go.countDown();
            assertThat(ab.get(10, TimeUnit.SECONDS).remotePeer()).isEqualTo(b.peerId());
            assertThat(ba.get(10, TimeUnit.SECONDS).remotePeer()).isEqualTo(a.peerId());
            assertThat(a.connections().connections(b.peerId())).hasSizeBetween(1, 2);
            assertThat(TestHosts.echo(a, b.peerId(), new byte[] {1, (byte) round}))
                    .containsExactly(1, round);
            assertThat(TestHosts.echo(b, a.peerId(), new byte[] {2, (byte) round}))
                    .containsExactly(2, round);
            for (Connection c : a.connections().connections(b.peerId())) {
                c.close().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void connectionCloseIsGracefulAndReported() throws Exception {
        Host b = hosts.startEchoServer();
        Host a = hosts.start(TestHosts.builder());
        CompletableFuture<Connection> down = new CompletableFuture<>();
        a.connections().addListener(new ConnectionListener() {
            @Override
            public void disconnected(Connection c) {
                down.complete(c);
            }
        });
        Connection c = a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        c.close().get(10, TimeUnit.SECONDS);
        assertThat(down.get(10, TimeUnit.SECONDS)).isSameAs(c);
        assertThat(c.isOpen()).isFalse();
        assertThat(a.connections().isConnected(b.peerId())).isFalse();
        // the peer store still knows where b is: newStream redials
        assertThat(TestHosts.echo(a, b.peerId(), new byte[] {3})).containsExactly(3);
        assertThat(a.connections().connections(b.peerId())).hasSize(1).doesNotContain(c);
    }

    @Test
    void peerStoreIsSweptPeriodically() throws Exception {
        PeerStoreTest.ManualClock clock = new PeerStoreTest.ManualClock();
        PeerStore store = new PeerStore(100, 10, clock);
        hosts.start(TestHosts.builder().peerStore(store).peerStoreSweepInterval(Duration.ofMillis(20)));
        PeerId p = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
        store.addAddresses(p, Duration.ofMinutes(1), Multiaddr.parse("/ip4/10.1.2.3/tcp/4001"));
        assertThat(store.peers()).containsExactly(p);
        clock.advance(Duration.ofMinutes(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // the sweep runs on its own schedule: poll, bounded
        }
        assertThat(store.peers()).isEmpty();
    }

    @Test
    void listensOnAWildcardAndReportsDialableAddresses() throws Exception {
        Host b = hosts.start(Host.builder()
                .listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/0"))
                .threads(1)
                .protocol(TestHosts.ECHO, TestHosts::installEcho));
        assertThat(b.listenAddresses())
                .isNotEmpty()
                .allSatisfy(
                        m -> assertThat(m.toString()).doesNotContain("0.0.0.0").endsWith("/p2p/" + b.peerId()));
        Multiaddr loopback = b.listenAddresses().stream()
                .filter(m -> m.toString().startsWith("/ip4/127.0.0.1/"))
                .findFirst()
                .orElseThrow();
        Host a = hosts.start(TestHosts.builder());
        a.connect(loopback).get(10, TimeUnit.SECONDS);
        assertThat(TestHosts.echo(a, b.peerId(), new byte[] {4})).containsExactly(4);
    }

    @Test
    void dialingOurselvesIsRefused() throws Exception {
        Host a = hosts.start(TestHosts.builder());
        assertThat(a.connect(TestHosts.addr(a)))
                .failsWithin(5, TimeUnit.SECONDS)
                .withThrowableThat()
                .withMessageContaining("ourselves");
    }
}
