package dev.hyperj.subnet.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.dag.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Every refusal of the collector's verifier, driven without sockets. */
class TelemetryVerifierTest {
    private final PrivateKey node = Keys.generate(KeyType.ED25519);
    private final PrivateKey stranger = Keys.generate(KeyType.SECP256K1);
    private final String nodeId = PeerId.fromPublicKey(node.publicKey()).toBase58();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final TelemetryVerifier verifier = new TelemetryVerifier(
            (subnet, peer) -> subnet == 7 && peer.equals(nodeId), now::get, Duration.ofMinutes(5));

    private byte[] event(PrivateKey key, String claimed, long seq, long ts) {
        ObjectNode data = CanonicalJson.object().put("peer", "x");
        return new TelemetryEvent("peer_connected", claimed, 7, seq, ts, data)
                .sign(key)
                .getBytes(StandardCharsets.UTF_8);
    }

    private TelemetryVerifier.Refusal refusal(byte[] envelope) {
        return verifier.verify(envelope).refusal();
    }

    @Test
    void aGenuineEventIsAcceptedWithItsFields() {
        TelemetryVerifier.Verdict v = verifier.verify(event(node, nodeId, 1, now.get()));
        assertThat(v.accepted()).isTrue();
        assertThat(v.event().peerId()).isEqualTo(nodeId);
        assertThat(v.event().data().get("peer").asText()).isEqualTo("x");
    }

    @Test
    void aForgedEventIsRefused() {
        String good = new String(event(node, nodeId, 1, now.get()), StandardCharsets.UTF_8);
        // the payload changed after signing
        byte[] tampered = good.replace("\"peer\":\"x\"", "\"peer\":\"y\"").getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(tampered)).isEqualTo(TelemetryVerifier.Refusal.BAD_SIGNATURE);
        // another key claiming to be the node
        assertThat(refusal(event(stranger, nodeId, 2, now.get()))).isEqualTo(TelemetryVerifier.Refusal.KEY_MISMATCH);
    }

    @Test
    void aForeignPeerIsRefusedEvenWhenItsSignatureIsValid() {
        String strangerId = PeerId.fromPublicKey(stranger.publicKey()).toBase58();
        assertThat(refusal(event(stranger, strangerId, 1, now.get()))).isEqualTo(TelemetryVerifier.Refusal.FOREIGN);
    }

    @Test
    void replayedAndStaleEventsAreRefused() {
        byte[] e = event(node, nodeId, 5, now.get());
        assertThat(verifier.verify(e).accepted()).isTrue();
        assertThat(refusal(e)).isEqualTo(TelemetryVerifier.Refusal.REPLAYED);
        // pushed concurrently, 4 may arrive after 5: taken once, then a replay like any other
        byte[] four = event(node, nodeId, 4, now.get());
        assertThat(verifier.verify(four).accepted()).isTrue();
        assertThat(refusal(four)).isEqualTo(TelemetryVerifier.Refusal.REPLAYED);
        // a number that fell out of the reorder window is refused even if it was never seen
        assertThat(verifier.verify(event(node, nodeId, 5 + TelemetryVerifier.REORDER_WINDOW, now.get()))
                        .accepted())
                .isTrue();
        assertThat(refusal(event(node, nodeId, 3, now.get()))).isEqualTo(TelemetryVerifier.Refusal.REPLAYED);
        assertThat(verifier.verify(event(node, nodeId, 10, now.get())).accepted())
                .as("inside the window and unseen")
                .isTrue();
        assertThat(refusal(
                        event(node, nodeId, 6, now.get() - Duration.ofMinutes(6).toMillis())))
                .isEqualTo(TelemetryVerifier.Refusal.STALE);
        assertThat(verifier.verify(event(node, nodeId, 6, now.get())).accepted())
                .isTrue();
    }

    @Test
    void oversizedAndMalformedEnvelopesAreRefused() {
        assertThat(refusal(new byte[TelemetryVerifier.MAX_BYTES + 1])).isEqualTo(TelemetryVerifier.Refusal.OVERSIZED);
        assertThat(refusal("{".getBytes(StandardCharsets.UTF_8))).isEqualTo(TelemetryVerifier.Refusal.MALFORMED);
        assertThat(refusal("{\"event\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(TelemetryVerifier.Refusal.MALFORMED);
        String good = new String(event(node, nodeId, 9, now.get()), StandardCharsets.UTF_8);
        assertThat(refusal(
                        good.replace("\"signature\":\"", "\"signature\":\"!!").getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(TelemetryVerifier.Refusal.MALFORMED);
    }
}
