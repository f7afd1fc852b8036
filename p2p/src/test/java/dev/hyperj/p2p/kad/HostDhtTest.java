package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.host.PeerStream;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.identify.Identify;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DHT nodes on real Java libp2p hosts (TCP + Noise + Yamux + identify) on loopback. */
class HostDhtTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private record Node(Host host, KadDht dht, HostDhtNetwork net) {
        PeerInfo info() {
            return new PeerInfo(host.peerId(), net.listenAddresses());
        }
    }

    private Node node(long seed, boolean clientMode) throws Exception {
        PrivateKey key = TestPeers.key(seed);
        Host host = Host.builder()
                .identity(key)
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build();
        toClose.add(host);
        host.start().get(10, TimeUnit.SECONDS);
        Identify.install(host);
        HostDhtNetwork net = new HostDhtNetwork(host);
        KadDht dht = KadDht.builder(host.peerId(), net)
                .config(KadConfig.builder()
                        .clientMode(clientMode)
                        .requestTimeout(Duration.ofSeconds(5))
                        .build())
                .build();
        toClose.add(dht);
        dht.start().get(10, TimeUnit.SECONDS);
        return new Node(host, dht, net);
    }

    @Test
    void javaHostsFormADhtFindPeersAndShareValuesAndProviders() throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(node(300 + i, false));
        }
        assertThat(nodes.get(0).host().protocols()).contains("/ipfs/kad/1.0.0");
        for (int i = 1; i < nodes.size(); i++) {
            assertThat(nodes.get(i)
                            .dht()
                            .bootstrap(List.of(nodes.get(0).info()))
                            .get(30, TimeUnit.SECONDS))
                    .isPositive();
        }
        List<PeerInfo> others =
                nodes.subList(1, nodes.size()).stream().map(Node::info).toList();
        assertThat(nodes.get(0).dht().bootstrap(others).get(30, TimeUnit.SECONDS))
                .isEqualTo(5);
        for (Node a : nodes) {
            for (Node b : nodes) {
                if (a != b) {
                    LookupResult r = a.dht().findPeer(b.host().peerId()).get(30, TimeUnit.SECONDS);
                    assertThat(r.peers())
                            .as("%s finds %s", a.host().peerId(), b.host().peerId())
                            .singleElement()
                            .satisfies(p ->
                                    assertThat(p.addrs()).containsAll(b.net().listenAddresses()));
                }
            }
        }
        PrivateKey k = TestPeers.key(777);
        byte[] key = Validators.publicKeyRecordKey(PeerId.fromPublicKey(k.publicKey()));
        PutResult put =
                nodes.get(2).dht().putValue(key, k.publicKey().marshal()).get(30, TimeUnit.SECONDS);
        assertThat(put.acks()).isEqualTo(5);
        assertThat(nodes.get(4).dht().getValue(key).get(30, TimeUnit.SECONDS).value())
                .isEqualTo(k.publicKey().marshal());

        byte[] cid = "host-content".getBytes(StandardCharsets.US_ASCII);
        assertThat(nodes.get(1).dht().provide(cid).get(30, TimeUnit.SECONDS)).isEqualTo(5);
        List<PeerInfo> providers = List.of();
        for (int attempt = 0; attempt < 50 && providers.isEmpty(); attempt++) {
            providers =
                    nodes.get(5).dht().findProviders(cid, 1).get(30, TimeUnit.SECONDS); // ADD_PROVIDER is unanswered
        }
        assertThat(providers).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(nodes.get(1).host().peerId());
            assertThat(p.addrs()).containsAll(nodes.get(1).net().listenAddresses());
        });
    }

    /** The network test on real hosts: 50 Java nodes on loopback, every node finds every other. */
    @Test
    void fiftyHostsOnLoopbackFindEveryOtherById() throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            nodes.add(node(600 + i, false));
        }
        for (int i = 1; i < nodes.size(); i++) {
            nodes.get(i).dht().bootstrap(List.of(nodes.get(0).info())).get(60, TimeUnit.SECONDS);
        }
        // a second self-lookup round, as the periodic refresh does, so early joiners learn late ones
        for (Node n : nodes) {
            n.dht().findClosestPeers(n.host().peerId().bytes()).get(60, TimeUnit.SECONDS);
        }
        int viaLookup = 0;
        for (Node a : nodes) {
            List<CompletableFuture<LookupResult>> searches = new ArrayList<>();
            for (Node b : nodes) {
                if (a != b) {
                    searches.add(a.dht().findPeer(b.host().peerId()));
                }
            }
            int j = 0;
            for (Node b : nodes) {
                if (a != b) {
                    LookupResult r = searches.get(j++).get(60, TimeUnit.SECONDS);
                    assertThat(r.peers())
                            .as("%s finds %s", a.host().peerId(), b.host().peerId())
                            .singleElement()
                            .satisfies(
                                    p -> assertThat(p.id()).isEqualTo(b.host().peerId()));
                    if (r.stats().queries() > 0) {
                        viaLookup++;
                    }
                }
            }
        }
        assertThat(viaLookup).as("targets outside the searcher's own table").isPositive();
    }

    @Test
    void clientModeHostsDoNotServeAndStayOutOfTables() throws Exception {
        Node server = node(400, false);
        Node other = node(401, false);
        Node client = node(402, true);
        assertThat(client.host().protocols()).doesNotContain("/ipfs/kad/1.0.0");
        other.dht().bootstrap(List.of(server.info())).get(30, TimeUnit.SECONDS);
        client.dht().bootstrap(List.of(server.info())).get(30, TimeUnit.SECONDS);
        assertThat(client.dht()
                        .findPeer(other.host().peerId())
                        .get(30, TimeUnit.SECONDS)
                        .peers())
                .hasSize(1);
        // the server tries to verify the client as a DHT peer: the protocol is refused, so it stays out
        assertThatThrownBy(() -> server.net()
                        .request(client.info(), KadMessage.request(KadMessage.Type.PING, new byte[0]))
                        .get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(server.dht().routingTablePeers().get(10, TimeUnit.SECONDS))
                .extracting(PeerInfo::id)
                .contains(other.host().peerId())
                .doesNotContain(client.host().peerId());
    }

    @Test
    void oversizedFrameOnARealStreamResetsItAndTheNodeCarriesOn() throws Exception {
        Node victim = node(500, false);
        Node attacker = node(501, false);
        attacker.host()
                .peerStore()
                .addAddresses(
                        victim.host().peerId(),
                        Duration.ofMinutes(5),
                        victim.net().listenAddresses());
        PeerStream stream = attacker.host()
                .newStream(victim.host().peerId(), "/ipfs/kad/1.0.0")
                .get(10, TimeUnit.SECONDS);
        stream.write(KadCodec.varint(64L << 20)); // claims 64 MiB
        stream.closed().get(10, TimeUnit.SECONDS);
        // no answer: the victim reset the stream
        assertThatThrownBy(() -> stream.read().get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(dev.hyperj.p2p.mux.StreamResetException.class);
        assertThat(attacker.dht().bootstrap(List.of(victim.info())).get(30, TimeUnit.SECONDS))
                .isEqualTo(1);
    }
}
