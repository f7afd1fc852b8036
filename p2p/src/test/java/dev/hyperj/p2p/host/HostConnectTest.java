package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.mux.MuxerProtocol;
import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostConnectTest {
    final TestHosts hosts = new TestHosts();

    @AfterEach
    void close() {
        hosts.close();
    }

    @Test
    void connectsByMultiaddrWithPeerIdAndBothSidesSeeTheConnection() throws Exception {
        Host b = hosts.startEchoServer();
        CompletableFuture<Connection> seenByB = new CompletableFuture<>();
        b.connections().addListener(new ConnectionListener() {
            @Override
            public void connected(Connection c) {
                seenByB.complete(c);
            }
        });
        Host a = hosts.start(TestHosts.builder().identity(Keys.generate(KeyType.SECP256K1)));
        Multiaddr target = TestHosts.addr(b);
        assertThat(target.toString()).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/" + b.peerId());

        Connection c = a.connect(target).get(10, TimeUnit.SECONDS);
        assertThat(c.remotePeer()).isEqualTo(b.peerId());
        assertThat(c.isInitiator()).isTrue();
        assertThat(c.securityProtocol()).isEqualTo("/noise");
        assertThat(c.muxerProtocol()).isEqualTo("/yamux/1.0.0");
        assertThat(c.remoteAddress()).isEqualTo(target.withoutPeerId());

        Connection atB = seenByB.get(10, TimeUnit.SECONDS);
        assertThat(atB.remotePeer()).isEqualTo(a.peerId());
        assertThat(atB.isInitiator()).isFalse();
        assertThat(b.connections().connections(a.peerId())).containsExactly(atB);
        assertThat(a.peerStore().addresses(b.peerId())).containsExactly(target.withoutPeerId());
        assertThat(a.peerStore().publicKey(b.peerId())).isPresent();
        assertThat(b.peerStore().publicKey(a.peerId()).orElseThrow().type()).isEqualTo(KeyType.SECP256K1);

        assertThat(TestHosts.echo(a, b.peerId(), "hello".getBytes())).isEqualTo("hello".getBytes());
    }

    @Test
    void wrongPeerIdIsRefused() throws Exception {
        Host b = hosts.startEchoServer();
        Host a = hosts.start(TestHosts.builder());
        PeerId someoneElse = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
        Multiaddr wrong = TestHosts.addr(b).withoutPeerId().withPeerId(someoneElse);
        assertThatThrownBy(() -> a.connect(wrong).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(UpgradeException.class)
                .hasMessageContaining("mismatch");
        assertThat(a.connections().size()).isZero();
        assertThat(a.connections().isConnected(b.peerId())).isFalse();
    }

    @Test
    void reusesAnOpenConnectionAndDeduplicatesConcurrentDials() throws Exception {
        Host b = hosts.startEchoServer();
        Host a = hosts.start(TestHosts.builder());
        List<CompletableFuture<Connection>> dials = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            dials.add(a.connect(TestHosts.addr(b)));
        }
        Connection first = dials.get(0).get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Connection> d : dials) {
            assertThat(d.get(10, TimeUnit.SECONDS)).isSameAs(first);
        }
        assertThat(a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS)).isSameAs(first);
        assertThat(a.connections().connections(b.peerId())).hasSize(1);
    }

    @Test
    void dialsDns4AndIp6() throws Exception {
        Host b = hosts.start(TestHosts.builder()
                .listen(Multiaddr.parse("/ip6/::1/tcp/0"))
                .protocol(TestHosts.ECHO, TestHosts::installEcho));
        assertThat(b.listenAddresses()).hasSize(2);
        Multiaddr v4 = b.listenAddresses().stream()
                .filter(m -> m.toString().startsWith("/ip4/"))
                .findFirst()
                .orElseThrow();
        Multiaddr v6 = b.listenAddresses().stream()
                .filter(m -> m.toString().startsWith("/ip6/"))
                .findFirst()
                .orElseThrow();
        String port4 = v4.toString().split("/")[4];

        Host a = hosts.start(TestHosts.builder());
        Connection viaDns = a.connect(Multiaddr.parse("/dns4/localhost/tcp/" + port4 + "/p2p/" + b.peerId()))
                .get(10, TimeUnit.SECONDS);
        assertThat(viaDns.remotePeer()).isEqualTo(b.peerId());

        Host c = hosts.start(TestHosts.builder());
        Connection viaV6 = c.connect(v6).get(10, TimeUnit.SECONDS);
        assertThat(viaV6.remoteAddress().toString()).startsWith("/ip6/");
        assertThat(TestHosts.echo(c, b.peerId(), new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    }

    @Test
    void fallsBackToMplexWhenThatIsAllThePeerSpeaks() throws Exception {
        Host b = hosts.start(
                TestHosts.builder().muxers(MuxerProtocol.MPLEX).protocol(TestHosts.ECHO, TestHosts::installEcho));
        Host a = hosts.start(TestHosts.builder());
        Connection c = a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        assertThat(c.muxerProtocol()).isEqualTo("/mplex/6.7.0");
        assertThat(TestHosts.echo(a, b.peerId(), "over mplex".getBytes())).isEqualTo("over mplex".getBytes());
    }

    @Test
    void unreachableAndUnsupportedAddressesFailWithAReason() throws Exception {
        Host a = hosts.start(TestHosts.builder());
        assertThatThrownBy(
                        () -> a.connect(Multiaddr.parse("/ip4/127.0.0.1/udp/1")).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(UpgradeException.class)
                .hasMessageContaining("TCP");
        // a port nobody listens on: connection refused
        java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        int port = s.getLocalPort();
        s.close();
        assertThatThrownBy(() ->
                        a.connect(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port)).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(UpgradeException.class)
                .hasMessageContaining("connect");
        assertThat(a.connections().openCount()).isZero();
    }

    @Test
    void gracefulCloseTellsThePeer() throws Exception {
        Host b = hosts.startEchoServer();
        Host a = hosts.start(TestHosts.builder());
        CompletableFuture<Connection> gone = new CompletableFuture<>();
        b.connections().addListener(new ConnectionListener() {
            @Override
            public void disconnected(Connection c) {
                gone.complete(c);
            }
        });
        Connection c = a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        assertThat(TestHosts.echo(a, b.peerId(), new byte[] {9})).containsExactly(9);
        a.close();
        assertThat(gone.get(10, TimeUnit.SECONDS).remotePeer()).isEqualTo(a.peerId());
        assertThat(c.isOpen()).isFalse();
        assertThat(a.openChannelCount()).isZero();
        assertThatThrownBy(() -> a.connect(TestHosts.addr(b)).get(5, TimeUnit.SECONDS))
                .cause()
                .hasMessageContaining("closed");
    }
}
