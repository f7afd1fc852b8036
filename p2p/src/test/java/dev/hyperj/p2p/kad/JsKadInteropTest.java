package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.identify.Identify;
import dev.hyperj.p2p.protocol.ping.Ping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A mixed DHT of 3 HyperJ nodes (Host: TCP + Noise + Yamux, identify, ping, KadDht) and 3 js-libp2p
 * nodes running {@code @libp2p/kad-dht} 16 in server mode (interop/js/kad-peer.mjs), all on
 * loopback, speaking {@code /ipfs/kad/1.0.0}. The js nodes only ever dial the first Java node, and
 * the other Java nodes only bootstrap from it: everything else each side knows about the other it
 * learned from the other implementation's DHT answers.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JsKadInteropTest {
    private static final Duration CALL = Duration.ofSeconds(60);
    private static final String NAMESPACE = "hyperj";
    private static final String VALUE_PREFIX = "hyperj:";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private record JavaNode(Host host, KadDht dht, HostDhtNetwork net) {
        PeerId id() {
            return host.peerId();
        }

        PeerInfo info() {
            return new PeerInfo(host.peerId(), net.listenAddresses());
        }

        Multiaddr dialAddress() {
            return net.listenAddresses().get(0).withPeerId(host.peerId());
        }
    }

    /** The same rule kad-peer.mjs registers for "/hyperj/" keys: UTF-8 text starting with "hyperj:". */
    static Validators validators() {
        return Validators.builder()
                .register(
                        NAMESPACE,
                        RecordValidator.of(
                                "hyperj-prefix",
                                (key, value) -> new String(value, StandardCharsets.UTF_8).startsWith(VALUE_PREFIX),
                                (a, b) -> 0))
                .build();
    }

    private JavaNode javaNode(long seed) throws Exception {
        PrivateKey key = TestPeers.key(seed);
        Host host = Host.builder()
                .identity(key)
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build();
        toClose.add(host);
        host.start().get(10, TimeUnit.SECONDS);
        Identify.install(host);
        Ping.install(host); // js kad-dht pings a new contact before it enters the routing table
        HostDhtNetwork net = new HostDhtNetwork(host);
        KadDht dht = KadDht.builder(host.peerId(), net)
                .validators(validators())
                .config(KadConfig.builder()
                        .requestTimeout(Duration.ofSeconds(10))
                        .build())
                .build();
        toClose.add(dht);
        dht.start().get(10, TimeUnit.SECONDS);
        return new JavaNode(host, dht, net);
    }

    private JsKadPeer jsNode() throws Exception {
        JsKadPeer peer = JsKadPeer.start();
        toClose.add(peer);
        return peer;
    }

    private static byte[] key(String name) {
        return ("/" + NAMESPACE + "/" + name).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256Multihash(String content) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
        byte[] mh = new byte[2 + digest.length];
        mh[0] = 0x12;
        mh[1] = 0x20;
        System.arraycopy(digest, 0, mh, 2, digest.length);
        return mh;
    }

    private static Set<PeerId> ids(List<PeerInfo> peers) {
        return peers.stream().map(PeerInfo::id).collect(Collectors.toSet());
    }

    @Test
    void javaAndJsNodesShareOneDht() throws Exception {
        List<JavaNode> java = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            java.add(javaNode(900 + i));
        }
        List<JsKadPeer> js = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            js.add(jsNode());
        }
        JavaNode seed = java.get(0);

        // --- join: Java nodes bootstrap from the seed; js nodes dial it and self-query through it
        for (JavaNode j : java.subList(1, 3)) {
            assertThat(j.dht().bootstrap(List.of(seed.info())).get(30, TimeUnit.SECONDS))
                    .isPositive();
        }
        for (JsKadPeer s : js) {
            s.call(CALL, "dial", "addr", seed.dialAddress().toString());
            s.awaitInTable(seed.id(), CALL); // identify saw /ipfs/kad/1.0.0, the ping answered
            s.call(CALL, "closest", "key", JsKadPeer.b64(s.peerId().bytes()));
        }
        // the seed met the js nodes as inbound requesters; it admits them once they answer its FIND_NODE
        for (JavaNode j : java) {
            j.dht().findClosestPeers(j.id().bytes()).get(60, TimeUnit.SECONDS);
        }

        // --- js tables hold Java nodes they never dialled, and vice versa
        Set<PeerId> javaIds = java.stream().map(JavaNode::id).collect(Collectors.toSet());
        Set<PeerId> jsIds = js.stream().map(JsKadPeer::peerId).collect(Collectors.toSet());
        for (JsKadPeer s : js) {
            JsonNode closest = s.call(CALL, "closest", "key", JsKadPeer.b64(sha256Multihash("somewhere")));
            assertThat(ids(JsKadPeer.peers(closest.get("peers"))))
                    .as("js %s: getClosestPeers", s.peerId())
                    .containsAll(javaIds);
        }
        for (JavaNode j : java) {
            LookupResult r =
                    j.dht().findClosestPeers(sha256Multihash("somewhere")).get(60, TimeUnit.SECONDS);
            assertThat(ids(r.peers())).as("java %s: findClosestPeers", j.id()).containsAll(jsIds);
            // js nodes answered our FIND_NODEs, so they hold table slots
            assertThat(ids(j.dht().routingTablePeers().get(10, TimeUnit.SECONDS)))
                    .as("java %s routing table", j.id())
                    .containsAll(jsIds);
        }
        for (JsKadPeer s : js) {
            for (JavaNode j : java) {
                s.awaitInTable(j.id(), CALL); // js pinged it on /ipfs/ping/1.0.0 and admitted it
            }
        }

        // --- findPeer both ways, with a dialable address
        for (JavaNode j : java) {
            for (JsKadPeer s : js) {
                LookupResult r = j.dht().findPeer(s.peerId()).get(60, TimeUnit.SECONDS);
                assertThat(r.peers())
                        .as("java %s finds js %s", j.id(), s.peerId())
                        .singleElement()
                        .satisfies(
                                p -> assertThat(p.addrs()).contains(s.address().withoutPeerId()));
            }
        }
        for (JsKadPeer s : js) {
            for (JavaNode j : java) {
                JsonNode found =
                        s.call(CALL, "findPeer", "peer", j.id().toBase58()).get("found");
                assertThat(found.isNull())
                        .as("js %s finds java %s", s.peerId(), j.id())
                        .isFalse();
                assertThat(JsKadPeer.peer(found).addrs())
                        .contains(j.net().listenAddresses().get(0));
            }
        }

        // --- js put -> Java get
        byte[] fromJs = "hyperj:written by js-libp2p".getBytes(StandardCharsets.UTF_8);
        JsonNode put =
                js.get(0).call(CALL, "put", "key", JsKadPeer.b64(key("from-js")), "value", JsKadPeer.b64(fromJs));
        List<String> acks = new ArrayList<>();
        put.get("acks").forEach(a -> acks.add(a.asText()));
        assertThat(acks)
                .as("PUT_VALUE acknowledged by Java nodes (errors: %s)", put.get("errors"))
                .containsAll(javaIds.stream().map(PeerId::toBase58).toList());
        for (JavaNode j : java) {
            ValueResult v = j.dht().getValue(key("from-js")).get(60, TimeUnit.SECONDS);
            assertThat(v.value()).as("java %s gets the js value", j.id()).isEqualTo(fromJs);
        }

        // --- Java put -> js get
        byte[] fromJava = "hyperj:written by HyperJ".getBytes(StandardCharsets.UTF_8);
        PutResult javaPut =
                java.get(1).dht().putValue(key("from-java"), fromJava).get(60, TimeUnit.SECONDS);
        assertThat(javaPut.acks()).as("all 5 other nodes stored it").isEqualTo(5);
        for (JsKadPeer s : js) {
            JsonNode got = s.call(CALL, "get", "key", JsKadPeer.b64(key("from-java")));
            assertThat(JsKadPeer.unb64(got.get("value")))
                    .as("js %s gets the Java value", s.peerId())
                    .isEqualTo(fromJava);
        }

        // --- a record the namespace rejects: js refuses what Java refuses
        byte[] bad = "not prefixed".getBytes(StandardCharsets.UTF_8);
        JsonNode badPut = js.get(1).call(CALL, "put", "key", JsKadPeer.b64(key("bad")), "value", JsKadPeer.b64(bad));
        assertThat(badPut.get("acks"))
                .as("nobody acknowledges an invalid record")
                .isEmpty();
        List<String> refusals = new ArrayList<>();
        badPut.get("errors").forEach(e -> refusals.add(e.asText()));
        for (JavaNode j : java) {
            // KadDht validates the PUT_VALUE, refuses it and resets the stream: js sees a query error
            assertThat(refusals)
                    .as("Java %s refused the invalid PUT_VALUE", j.id())
                    .anyMatch(e -> e.startsWith(j.id().toBase58() + ":"));
        }
        for (JavaNode j : java) {
            assertThat(j.dht().getValue(key("bad")).get(60, TimeUnit.SECONDS).record())
                    .isEmpty();
        }

        // --- providers: Java provides, js finds; js provides, Java finds
        byte[] javaContent = sha256Multihash("content provided by HyperJ");
        assertThat(java.get(2).dht().provide(javaContent).get(60, TimeUnit.SECONDS))
                .isEqualTo(5);
        for (JsKadPeer s : js) {
            // ADD_PROVIDER has no answer: a js node may look before every holder has processed it
            List<PeerInfo> providers = List.of();
            for (int attempt = 0; attempt < 20 && providers.isEmpty(); attempt++) {
                providers = JsKadPeer.peers(s.call(CALL, "findProviders", "multihash", JsKadPeer.b64(javaContent))
                        .get("providers"));
            }
            assertThat(providers)
                    .as("js %s finds the Java provider", s.peerId())
                    .singleElement()
                    .satisfies(p -> {
                        assertThat(p.id()).isEqualTo(java.get(2).id());
                        assertThat(p.addrs())
                                .contains(java.get(2).net().listenAddresses().get(0));
                    });
        }
        byte[] jsContent = sha256Multihash("content provided by js-libp2p");
        js.get(2).call(CALL, "provide", "multihash", JsKadPeer.b64(jsContent));
        for (JavaNode j : java) {
            List<PeerInfo> providers = List.of();
            for (int attempt = 0; attempt < 20 && providers.isEmpty(); attempt++) {
                providers = j.dht().findProviders(jsContent, 1).get(60, TimeUnit.SECONDS);
            }
            assertThat(providers)
                    .as("java %s finds the js provider", j.id())
                    .singleElement()
                    .satisfies(p -> {
                        assertThat(p.id()).isEqualTo(js.get(2).peerId());
                        assertThat(p.addrs()).contains(js.get(2).address().withoutPeerId());
                    });
        }

        // --- a newcomer that knows only a js node learns the whole network from js's FIND_NODE answers
        JavaNode newcomer = javaNode(950);
        assertThat(newcomer.dht().bootstrap(List.of(js.get(1).info())).get(60, TimeUnit.SECONDS))
                .isEqualTo(6);
        for (JavaNode j : java) {
            LookupResult r = newcomer.dht().findPeer(j.id()).get(60, TimeUnit.SECONDS);
            assertThat(r.peers())
                    .as("newcomer finds java %s", j.id())
                    .singleElement()
                    .satisfies(p -> assertThat(p.addrs())
                            .contains(j.net().listenAddresses().get(0)));
        }
        for (JsKadPeer s : js) {
            LookupResult r = newcomer.dht().findPeer(s.peerId()).get(60, TimeUnit.SECONDS);
            assertThat(r.peers())
                    .as("newcomer finds js %s", s.peerId())
                    .singleElement()
                    .satisfies(p -> assertThat(p.addrs()).contains(s.address().withoutPeerId()));
        }
        assertThat(newcomer.dht()
                        .getValue(key("from-js"))
                        .get(60, TimeUnit.SECONDS)
                        .value())
                .isEqualTo(fromJs);
    }
}
