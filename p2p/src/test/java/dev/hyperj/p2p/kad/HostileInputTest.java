package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Oversized and malformed messages, invalid records and floods, against live simulated nodes. */
class HostileInputTest {
    private final KadCodec codec = new KadCodec();

    private static SimulatedDhtTest.Net net(long seed, int n, KadConfig config) {
        Validators v = Validators.builder()
                .register("junk", RecordValidator.of("accept-all", (k, val) -> true, (a, b) -> 0))
                .build();
        return new SimulatedDhtTest.Net(seed, n, config, v);
    }

    private static boolean failed(CompletableFuture<?> f) {
        return f.isCompletedExceptionally();
    }

    @Test
    void oversizedAndMalformedFramesResetTheStreamAndTheNodeCarriesOn() {
        SimulatedDhtTest.Net net = net(21, 10, SimulatedDhtTest.CONFIG);
        PeerId attacker = net.nodes.get(1).peerId();
        PeerId victim = net.nodes.get(2).peerId();

        // a frame claiming 5 MiB (over the 4 MiB limit): refused from its length prefix
        byte[] prefix = KadCodec.varint(5 << 20);
        byte[] oversized = Arrays.copyOf(prefix, prefix.length + 100);
        assertThatThrownBy(() -> net.sim.await(net.sim.sendRaw(attacker, victim, oversized)))
                .isInstanceOf(KadProtocolException.class)
                .hasMessageContaining("exceeds");
        // an actual 4 MiB + 1 body
        byte[] body = new byte[(4 << 20) + 1];
        byte[] p2 = KadCodec.varint(body.length);
        byte[] big = new byte[p2.length + body.length];
        System.arraycopy(p2, 0, big, 0, p2.length);
        assertThatThrownBy(() -> net.sim.await(net.sim.sendRaw(attacker, victim, big)))
                .isInstanceOf(KadProtocolException.class);
        // garbage protobuf, a wrong wire type for the key, an unknown message type
        for (String hex : List.of("ffffffffff", "0804" + "1005", "0863", "0804" + "42" + "7f" + "00")) {
            byte[] b = java.util.HexFormat.of().parseHex(hex);
            byte[] f = new byte[b.length + 1];
            f[0] = (byte) b.length;
            System.arraycopy(b, 0, f, 1, b.length);
            assertThatThrownBy(() -> net.sim.await(net.sim.sendRaw(attacker, victim, f)))
                    .as(hex)
                    .isInstanceOf(KadProtocolException.class);
        }
        // still serving
        KadMessage ok = net.sim.await(net.sim.sendRaw(
                attacker, victim, codec.encodeFrame(KadMessage.request(KadMessage.Type.FIND_NODE, attacker.bytes()))));
        assertThat(ok.closerPeers()).isNotEmpty();
        assertThat(net.sim
                        .await(net.nodes.get(0).findPeer(net.nodes.get(9).peerId()))
                        .peers())
                .hasSize(1);
    }

    @Test
    void recordsFailingValidationAreNeitherStoredNorReturned() {
        SimulatedDhtTest.Net net = net(22, 20, SimulatedDhtTest.CONFIG);
        PeerId attacker = net.nodes.get(1).peerId();
        PeerId victim = net.nodes.get(2).peerId();
        byte[] pkKey = Validators.publicKeyRecordKey(TestPeers.peer(5));
        byte[] wrongKey = TestPeers.key(6).publicKey().marshal(); // someone else's public key
        List<KadMessage> bad = List.of(
                new KadMessage(
                        KadMessage.Type.PUT_VALUE, pkKey, new DhtRecord(pkKey, wrongKey), List.of(), List.of(), 0),
                new KadMessage(KadMessage.Type.PUT_VALUE, pkKey, null, List.of(), List.of(), 0),
                new KadMessage(
                        KadMessage.Type.PUT_VALUE,
                        pkKey,
                        new DhtRecord("/pk/other".getBytes(StandardCharsets.US_ASCII), wrongKey),
                        List.of(),
                        List.of(),
                        0),
                new KadMessage(
                        KadMessage.Type.PUT_VALUE,
                        "/unknown/x".getBytes(StandardCharsets.US_ASCII),
                        new DhtRecord("/unknown/x".getBytes(StandardCharsets.US_ASCII), new byte[1]),
                        List.of(),
                        List.of(),
                        0));
        for (KadMessage m : bad) {
            assertThatThrownBy(() -> net.sim.await(net.sim.sendRaw(attacker, victim, codec.encodeFrame(m))))
                    .as(m.toString())
                    .hasMessageContaining("stream reset");
        }
        KadMessage got = net.sim.await(net.sim.sendRaw(
                attacker, victim, codec.encodeFrame(KadMessage.request(KadMessage.Type.GET_VALUE, pkKey))));
        assertThat(got.record()).isNull();
        assertThat(net.nodes.get(2).stats().storedRecords()).isZero();
        assertThat(net.nodes.get(2).stats().inboundRejected()).isGreaterThanOrEqualTo(bad.size());
    }

    /** A node that answers GET_VALUE with an invalid record: the getter ignores it. */
    @Test
    void getIgnoresInvalidRecordsFromLiars() {
        SimulatedDhtTest.Net net = net(23, 30, SimulatedDhtTest.CONFIG);
        PeerId owner = TestPeers.peer(7);
        byte[] key = Validators.publicKeyRecordKey(owner);
        // a third of the nodes lie: they answer everything with a record that fails validation
        int[] liesTold = {0};
        for (int i = 4; i < 14; i++) {
            net.sim.endpoint(net.nodes.get(i).peerId()).serve((from, request) -> {
                liesTold[0]++;
                return CompletableFuture.completedFuture(java.util.Optional.of(new KadMessage(
                        request.type(),
                        request.key(),
                        new DhtRecord(key, TestPeers.key(8).publicKey().marshal()),
                        List.of(),
                        List.of(),
                        0)));
            });
        }
        KadConfig one = SimulatedDhtTest.CONFIG.toBuilder().getQuorum(1).build();
        KadDht reader = net.join(one);
        int before = liesTold[0];
        ValueResult r = net.sim.await(reader.getValue(key));
        assertThat(liesTold[0]).as("liars were asked").isGreaterThan(before);
        assertThat(r.record()).isEmpty();
        assertThat(r.validAnswers()).isZero();
        // the genuine value is then found despite the liar
        net.sim.await(
                net.nodes.get(9).putValue(key, TestPeers.key(7).publicKey().marshal()));
        assertThat(net.sim.await(reader.getValue(key)).value())
                .isEqualTo(TestPeers.key(7).publicKey().marshal());
    }

    @Test
    void aQueryFloodIsRateLimitedAndQueueBounded() {
        SimulatedDhtTest.Net net = net(24, 10, SimulatedDhtTest.CONFIG);
        PeerId attacker = net.nodes.get(1).peerId();
        KadDht victim = net.nodes.get(2);
        byte[] frame = codec.encodeFrame(KadMessage.request(KadMessage.Type.FIND_NODE, attacker.bytes()));
        List<CompletableFuture<KadMessage>> flood = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            flood.add(net.sim.sendRaw(attacker, victim.peerId(), frame)); // all land at the same instant
        }
        net.sim.await(CompletableFuture.allOf(
                flood.stream().map(f -> f.exceptionally(e -> null)).toArray(CompletableFuture[]::new)));
        long answered = flood.stream().filter(f -> !failed(f)).count();
        // burst 100 tokens (+ a trickle refill), and never more than the inbound queue bound
        assertThat(answered).isBetween(90L, 110L);
        assertThat(victim.stats().inboundRejected()).isGreaterThanOrEqualTo(5000 - 110);
        // another peer is served normally meanwhile
        KadMessage other = net.sim.await(net.sim.sendRaw(net.nodes.get(3).peerId(), victim.peerId(), frame));
        assertThat(other.type()).isEqualTo(KadMessage.Type.FIND_NODE);
    }

    @Test
    void floodsOfRecordsProvidersAndIdentitiesStayWithinBounds() {
        KadConfig small = SimulatedDhtTest.CONFIG.toBuilder()
                .maxRecords(50)
                .maxProviderKeys(40)
                .maxProvidersPerKey(5)
                .inboundRatePerPeer(1000)
                .inboundBurstPerPeer(10_000)
                .maxTrackedInboundPeers(30)
                .maxPendingVerifications(8)
                .build();
        SimulatedDhtTest.Net net = net(25, 80, small);
        KadDht victim = net.nodes.get(0);
        for (int i = 1; i < 80; i++) {
            PeerId sender = net.nodes.get(i).peerId();
            for (int j = 0; j < 20; j++) {
                byte[] key = ("/junk/" + i + "/" + j).getBytes(StandardCharsets.US_ASCII);
                net.sim.sendRaw(
                        sender,
                        victim.peerId(),
                        codec.encodeFrame(new KadMessage(
                                KadMessage.Type.PUT_VALUE,
                                key,
                                new DhtRecord(key, new byte[100]),
                                List.of(),
                                List.of(),
                                0)));
                for (String c : List.of("cid-shared", "cid-" + i + "-" + j)) {
                    net.sim.sendRaw(
                            sender,
                            victim.peerId(),
                            codec.encodeFrame(new KadMessage(
                                    KadMessage.Type.ADD_PROVIDER,
                                    c.getBytes(StandardCharsets.US_ASCII),
                                    null,
                                    List.of(),
                                    List.of(KadDht.toWire(net.sim.info(sender))),
                                    0)));
                }
            }
        }
        net.sim.runFor(Duration.ofSeconds(5));
        assertThat(victim.stats().storedRecords()).isEqualTo(50);
        assertThat(victim.stats().providerKeys()).isEqualTo(40);
        assertThat(victim.trackedInboundPeers()).isLessThanOrEqualTo(30);
        assertThat(victim.pendingVerifications()).isLessThanOrEqualTo(8);
        KadMessage shared = net.sim.await(net.sim.sendRaw(
                net.nodes.get(1).peerId(),
                victim.peerId(),
                codec.encodeFrame(KadMessage.request(
                        KadMessage.Type.GET_PROVIDERS, "cid-shared".getBytes(StandardCharsets.US_ASCII)))));
        assertThat(shared.providerPeers()).as("per-key bound").hasSize(5);
    }

    @Test
    void providersCanOnlyAnnounceThemselves() {
        SimulatedDhtTest.Net net = net(26, 10, SimulatedDhtTest.CONFIG);
        PeerId attacker = net.nodes.get(1).peerId();
        PeerId victim = net.nodes.get(2).peerId();
        byte[] cid = "cid".getBytes(StandardCharsets.US_ASCII);
        KadMessage forged = new KadMessage(
                KadMessage.Type.ADD_PROVIDER,
                cid,
                null,
                List.of(),
                List.of(KadDht.toWire(net.sim.info(net.nodes.get(5).peerId()))),
                0);
        net.sim.await(net.sim.endpoint(attacker).send(net.sim.info(victim), forged));
        KadMessage answer = net.sim.await(net.sim.sendRaw(
                attacker, victim, codec.encodeFrame(KadMessage.request(KadMessage.Type.GET_PROVIDERS, cid))));
        assertThat(answer.providerPeers()).isEmpty();
    }
}
