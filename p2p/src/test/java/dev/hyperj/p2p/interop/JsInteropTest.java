package dev.hyperj.p2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.identify.Identify;
import dev.hyperj.p2p.protocol.identify.IdentifyResult;
import dev.hyperj.p2p.protocol.ping.Ping;
import dev.hyperj.p2p.protocol.reqresp.RequestOptions;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import dev.hyperj.p2p.protocol.reqresp.RequestResponseException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * HyperJ against js-libp2p 3.x (interop/js/peer.mjs in a real Node process), both directions, over
 * TCP + Noise + Yamux on loopback: identify, ping, a request/response echo, 1000 concurrent
 * streams and a 64 MiB transfer with a SHA-256 check. Two JS peers: one that Java dials, one that
 * dials Java, so each direction runs on a connection opened by that side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsInteropTest {
    private static final String AGENT = "hyperj-interop-test/1.0";
    private static final long BIG = 64L * 1024 * 1024;

    private Host host;
    private Identify identify;
    private JsPeer dialed; // Java dials it
    private JsPeer dialing; // it dials Java
    private PeerId dialedId;
    private PeerId dialingId;
    private Connection outbound;

    @BeforeAll
    void start() throws Exception {
        host = Host.builder()
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .agentVersion(AGENT)
                .build();
        identify = Identify.install(host);
        Ping.install(host);
        RequestResponse.register(host, Bulk.ECHO, (ctx, request) -> request);
        host.addProtocol(Bulk.SINK, Bulk.receiver(true));
        host.addProtocol(Bulk.DISCARD, Bulk.receiver(false));
        host.start().get(30, TimeUnit.SECONDS);
        dialed = JsPeer.start("--agent", "js-dialed/1.0");
        dialing = JsPeer.start("--agent", "js-dialing/1.0");
        dialedId = PeerId.parse(dialed.peerId());
        dialingId = PeerId.parse(dialing.peerId());

        outbound = host.connect(Multiaddr.parse(dialed.address())).get(30, TimeUnit.SECONDS);
        JsonNode dial = dialing.call(
                Duration.ofSeconds(30),
                "dial",
                "addr",
                host.listenAddresses().getFirst().toString());
        assertThat(dial.get("peer").asText()).isEqualTo(host.peerId().toBase58());
        assertThat(dial.get("encryption").asText()).isEqualTo("/noise");
        assertThat(dial.get("muxer").asText()).isEqualTo("/yamux/1.0.0");
    }

    @AfterAll
    void stop() throws Exception {
        if (dialed != null) {
            dialed.close();
        }
        if (dialing != null) {
            dialing.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @Test
    void javaDialsJsOverNoiseAndYamux() {
        assertThat(outbound.remotePeer()).isEqualTo(dialedId);
        assertThat(outbound.securityProtocol()).isEqualTo("/noise");
        assertThat(outbound.muxerProtocol()).isEqualTo("/yamux/1.0.0");
        assertThat(outbound.isInitiator()).isTrue();
    }

    @Test
    void jsDialsJavaOverNoiseAndYamux() {
        List<Connection> in = host.connections().connections(dialingId);
        assertThat(in).isNotEmpty();
        assertThat(in.getFirst().isInitiator()).isFalse();
        assertThat(in.getFirst().securityProtocol()).isEqualTo("/noise");
        assertThat(in.getFirst().muxerProtocol()).isEqualTo("/yamux/1.0.0");
    }

    @Test
    void javaIdentifiesBothJsPeers() throws Exception {
        for (JsPeer js : List.of(dialed, dialing)) {
            IdentifyResult r =
                    identify.whenIdentified(PeerId.parse(js.peerId())).get(20, TimeUnit.SECONDS);
            assertThat(r.agentVersion()).isEqualTo(js.agentVersion());
            assertThat(r.protocols()).containsAll(js.protocols());
            assertThat(r.signedPeerRecord())
                    .as("js signs its peer record and we verify it")
                    .isPresent();
            assertThat(r.listenAddrs()).contains(Multiaddr.parse(js.address()).withoutPeerId());
            assertThat(host.peerStore().protocols(r.peer())).containsAll(js.protocols());
            assertThat(host.peerStore().agentVersion(r.peer())).contains(js.agentVersion());
            assertThat(host.peerStore().publicKey(r.peer())).isPresent();
        }
    }

    @Test
    void bothJsPeersIdentifyJava() throws Exception {
        for (JsPeer js : List.of(dialed, dialing)) {
            JsonNode r = js.call(
                    Duration.ofSeconds(20), "identify", "peer", host.peerId().toBase58());
            assertThat(r.get("agentVersion").asText()).isEqualTo(AGENT);
            List<String> protocols = new ArrayList<>();
            r.get("protocols").forEach(p -> protocols.add(p.asText()));
            assertThat(protocols)
                    .contains(
                            Identify.PROTOCOL_ID,
                            Identify.PUSH_PROTOCOL_ID,
                            Ping.PROTOCOL_ID,
                            Bulk.ECHO,
                            Bulk.SINK,
                            Bulk.DISCARD);
            assertThat(r.get("signedPeerRecord").asBoolean())
                    .as("js verified our signed peer record")
                    .isTrue();
            List<String> signed = new ArrayList<>();
            r.get("signedAddrs").forEach(a -> signed.add(a.asText()));
            assertThat(signed)
                    .contains(host.listenAddresses().getFirst().withoutPeerId().toString());
        }
    }

    @Test
    void identifyPushBothWays() throws Exception {
        CompletableFuture<IdentifyResult> pushed = new CompletableFuture<>();
        identify.addListener(r -> {
            if (r.push() && r.peer().equals(dialedId) && r.protocols().contains("/js/pushed/1.0.0")) {
                pushed.complete(r);
            }
        });
        dialed.call(Duration.ofSeconds(10), "handle", "protocol", "/js/pushed/1.0.0");
        assertThat(pushed.get(30, TimeUnit.SECONDS).agentVersion()).isEqualTo(dialed.agentVersion());
        assertThat(host.peerStore().protocols(dialedId)).contains("/js/pushed/1.0.0");

        // no push() call: a new protocol is pushed automatically (lazily negotiated) to both js peers
        host.addProtocol("/java/pushed/1.0.0", (stream, info) -> stream.close());
        for (JsPeer js : List.of(dialed, dialing)) {
            js.awaitEvent(
                    e -> "identified".equals(e.path("event").asText())
                            && host.peerId().toBase58().equals(e.path("peer").asText())
                            && e.path("protocols").toString().contains("/java/pushed/1.0.0"),
                    Duration.ofSeconds(30));
        }
    }

    @Test
    void javaPingsJsAndJsPingsJava() throws Exception {
        List<Duration> rtts =
                Ping.ping(host, dialedId, 5, Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
        assertThat(rtts).hasSize(5).allSatisfy(d -> assertThat(d).isPositive());
        assertThat(Ping.ping(host, dialingId).get(30, TimeUnit.SECONDS)).isPositive();
        for (JsPeer js : List.of(dialed, dialing)) {
            JsonNode r = js.call(
                    Duration.ofSeconds(30), "ping", "peer", host.peerId().toBase58(), "count", 3);
            assertThat(r.get("rtts")).hasSize(3);
        }
    }

    @Test
    void requestResponseEchoBothWays() throws Exception {
        byte[] request = new byte[100_000];
        new Random(7).nextBytes(request);
        for (PeerId js : List.of(dialedId, dialingId)) {
            assertThat(RequestResponse.request(host, js, Bulk.ECHO, request).get(30, TimeUnit.SECONDS))
                    .isEqualTo(request);
        }
        String b64 = Base64.getEncoder().encodeToString(request);
        for (JsPeer js : List.of(dialed, dialing)) {
            JsonNode r = js.call(
                    Duration.ofSeconds(30), "echo", "peer", host.peerId().toBase58(), "data", b64);
            assertThat(r.get("data").asText()).isEqualTo(b64);
        }
    }

    /**
     * Request/response negotiates lazily: js refuses the protocol after our request went out (it
     * answers na, then resets the stream on reading the request as a malformed proposal), and the
     * request fails cleanly, naming the protocol, as refused (na seen) or unanswered (reset first).
     */
    @Test
    void lazyRequestForAProtocolJsLacksFailsAsAProtocolError() throws Exception {
        for (PeerId js : List.of(dialedId, dialingId)) {
            assertThatThrownBy(() -> RequestResponse.request(host, js, "/hyperj/absent/1.0.0", new byte[] {1, 2, 3})
                            .get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(RequestResponseException.class)
                    .hasMessageContaining("/hyperj/absent/1.0.0")
                    // js's na when it arrives first; else the reset (which yamux may send ahead of the na)
                    .satisfies(e -> assertThat(((RequestResponseException) e).reason())
                            .isIn(
                                    RequestResponseException.Reason.STREAM_FAILED,
                                    RequestResponseException.Reason.NO_RESPONSE));
            // the connection is fine: the next lazy request is answered
            assertThat(RequestResponse.request(host, js, Bulk.ECHO, new byte[] {4})
                            .get(30, TimeUnit.SECONDS))
                    .containsExactly(4);
        }
    }

    @Test
    void thousandConcurrentStreamsFromJava() throws Exception {
        List<CompletableFuture<byte[]>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] request = ByteBuffer.allocate(64).putInt(i).array();
            // each may wait behind the other 999 on a loaded machine: bound the whole, not each at 10 s
            all.add(RequestResponse.request(
                    host,
                    dialedId,
                    Bulk.ECHO,
                    request,
                    RequestOptions.defaults().withTimeout(Duration.ofSeconds(80))));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        for (int i = 0; i < 1000; i++) {
            assertThat(ByteBuffer.wrap(all.get(i).get()).getInt()).isEqualTo(i);
        }
    }

    @Test
    void thousandConcurrentStreamsFromJs() throws Exception {
        JsonNode r = dialing.call(
                Duration.ofSeconds(90), "echoMany", "peer", host.peerId().toBase58(), "streams", 1000, "size", 64);
        assertThat(r.get("failed").asInt()).as(r.path("firstError").asText()).isZero();
        assertThat(r.get("succeeded").asInt()).isEqualTo(1000);
    }

    @Test
    void sixtyFourMibFromJavaWithChecksum() throws Exception {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        host.newStream(dialedId, Bulk.sender(BIG, answer), Bulk.SINK).get(30, TimeUnit.SECONDS);
        assertThat(HexFormat.of().formatHex(answer.get(90, TimeUnit.SECONDS)))
                .isEqualTo(HexFormat.of().formatHex(Bulk.expectedSha256(BIG)));
    }

    @Test
    void sixtyFourMibFromJsWithChecksum() throws Exception {
        JsonNode r = dialing.call(
                Duration.ofSeconds(90), "sink", "peer", host.peerId().toBase58(), "bytes", BIG);
        assertThat(r.get("reply").asText())
                .as("SHA-256 computed by Java")
                .isEqualTo(r.get("sha256").asText());
    }
}
