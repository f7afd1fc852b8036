package dev.hyperj.p2p.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mixed meshes of HyperJ and js-libp2p (@libp2p/gossipsub 17) nodes on loopback. */
class GossipSubJsInteropTest {
    private static final String T = "interop";
    private static final GossipConfig FAST = GossipConfig.defaults().toBuilder()
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
            .build();
    private final List<Host> hosts = new ArrayList<>();
    private final List<GossipSub> gossips = new ArrayList<>();
    private final List<JsGossipPeer> js = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        gossips.forEach(GossipSub::close);
        hosts.forEach(Host::close);
        for (JsGossipPeer p : js) p.close();
    }

    private GossipSub java(Set<String> received) throws Exception {
        Host h = Host.builder()
                .identity(Keys.generate(KeyType.ED25519))
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build();
        hosts.add(h);
        h.start().get(10, TimeUnit.SECONDS);
        GossipSub g = GossipSub.start(h, FAST, PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
        gossips.add(g);
        g.subscribe(T, d -> received.add(new String(d.message().data(), StandardCharsets.UTF_8)))
                .get(5, TimeUnit.SECONDS);
        return g;
    }

    private JsGossipPeer js() throws Exception {
        JsGossipPeer p = new JsGossipPeer();
        js.add(p);
        p.command("subscribe", "topic", T);
        return p;
    }

    /** Polls until the condition holds: neither implementation signals "subscriptions exchanged". */
    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.call()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    @Timeout(120)
    void mixedRingDeliversEveryMessageInBothDirections() throws Exception {
        List<Set<String>> javaReceived = new ArrayList<>();
        for (int i = 0; i < 3; i++) javaReceived.add(ConcurrentHashMap.newKeySet());
        GossipSub j0 = java(javaReceived.get(0)), j1 = java(javaReceived.get(1)), j2 = java(javaReceived.get(2));
        JsGossipPeer s0 = js(), s1 = js();
        // Ring j0 - j1 - j2 - s1 - s0 - j0: every message crosses both implementations.
        hosts.get(0).connect(hosts.get(1).listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        hosts.get(1).connect(hosts.get(2).listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        s1.command("dial", "addr", hosts.get(2).listenAddresses().get(0).toString()); // js dials Java
        s0.command("dial", "addr", s1.dialAddress().toString());
        hosts.get(0).connect(s0.dialAddress()).get(10, TimeUnit.SECONDS); // Java dials js
        for (GossipSub g : gossips)
            await(
                    "java sees 2 subscribed neighbours",
                    () -> g.call(r -> r.topicPeers(T).size()).get() == 2);
        for (JsGossipPeer p : js)
            await(
                    "js sees 2 subscribed neighbours",
                    () -> p.list(p.command("state", "topic", T), "subscribers").size() == 2);
        // Let meshes form (GRAFT both ways) before publishing.
        await(
                "j0 meshes with s0",
                () -> j0.call(r -> r.meshPeers(T).contains(s0.peerId)).get());
        await(
                "s0 meshes with j0",
                () -> s0.list(s0.command("state", "topic", T), "mesh")
                        .contains(hosts.get(0).peerId().toBase58()));
        Set<String> all = new HashSet<>();
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < 3; i++) {
                String m = "java" + i + "-" + k;
                gossips.get(i).publish(T, m.getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
                all.add(m);
            }
            for (int i = 0; i < 2; i++) {
                String m = "js" + i + "-" + k;
                js.get(i).command("publish", "topic", T, "data", m);
                all.add(m);
            }
        }
        for (int i = 0; i < 3; i++) {
            Set<String> got = javaReceived.get(i);
            await("java node " + i + " got all 25", () -> got.size() == 25);
            assertThat(got).isEqualTo(all);
        }
        for (int i = 0; i < 2; i++) {
            JsGossipPeer p = js.get(i);
            Set<String> expected = new HashSet<>(all);
            for (int k = 0; k < 5; k++) expected.remove("js" + i + "-" + k); // emitSelf is off
            await("js node " + i + " got the 20 others", () -> p.received().size() == 20);
            assertThat(p.received()).isEqualTo(expected);
        }
        for (GossipSub g : gossips)
            assertThat(g.call(r -> r.stats().invalid()).get()).isZero();
    }

    @Test
    @Timeout(120)
    void jsPeerPublishingInvalidSignaturesIsScoredDownPrunedAndDisconnected() throws Exception {
        Set<String> received = ConcurrentHashMap.newKeySet();
        GossipSub j0 = java(received);
        JsGossipPeer s0 = js();
        hosts.get(0).connect(s0.dialAddress()).get(10, TimeUnit.SECONDS);
        await(
                "s0 in j0's mesh",
                () -> j0.call(r -> r.meshPeers(T).contains(s0.peerId)).get());
        s0.command("publish", "topic", T, "data", "honest");
        await("honest js message delivered", () -> received.contains("honest"));
        // The js node sends messages with its own peer id as author and broken signatures.
        RpcCodec codec = new RpcCodec(RpcLimits.defaults());
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            byte[] seqno = new byte[8];
            seqno[7] = (byte) (i + 1);
            seqno[0] = 0x7f;
            byte[] signature = new byte[64];
            signature[0] = (byte) i;
            Rpc.Message forged = new Rpc.Message(
                    s0.peerId.bytes(), ("forged" + i).getBytes(StandardCharsets.UTF_8), seqno, T, signature, null);
            frames.append(HexFormat.of().formatHex(codec.encodeFramed(Rpc.ofMessages(List.of(forged)))));
        }
        PeerId jsId = s0.peerId;
        s0.command(
                "raw",
                "peer",
                hosts.get(0).peerId().toBase58(),
                "protocol",
                PubsubProtocol.MESHSUB_V12.id(),
                "hex",
                frames.toString());
        await("j0 blacklists the js peer", () -> j0.isBlacklisted(jsId));
        assertThat(j0.call(r -> r.meshPeers(T).contains(jsId)).get())
                .as("pruned")
                .isFalse();
        assertThat(j0.call(r -> r.peerScore(jsId)).get())
                .as("retained negative score")
                .isNegative();
        await("connection closed", () -> !hosts.get(0).connections().isConnected(jsId));
        JsonNode state = s0.command("state", "topic", T);
        await(
                "js sees the disconnect",
                () -> !s0.list(s0.command("state", "topic", T), "connections")
                        .contains(hosts.get(0).peerId().toBase58()));
        assertThat(state).isNotNull();
        assertThat(received).containsExactly("honest");
    }
}
