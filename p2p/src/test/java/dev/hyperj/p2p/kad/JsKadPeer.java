package dev.hyperj.p2p.kad;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.interop.JsInterop;
import dev.hyperj.p2p.interop.JsProcess;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * A js-libp2p node running {@code @libp2p/kad-dht} (interop/js/kad-peer.mjs) in a Node process,
 * driven through {@link JsProcess}. Node comes from {@link JsInterop#node()}: HYPERJ_NODE, else
 * interop/js/install.sh; a missing Node fails the test, never skips it.
 */
final class JsKadPeer implements AutoCloseable {
    private final JsProcess process;
    private final JsonNode ready;

    private JsKadPeer(JsProcess.Started started) {
        this.process = started.process();
        this.ready = started.ready();
    }

    /** Starts a js DHT server listening on a free loopback port; its stderr goes to target/interop-logs. */
    static JsKadPeer start() throws IOException, InterruptedException {
        return new JsKadPeer(JsProcess.startReady("kad-peer.mjs"));
    }

    PeerId peerId() {
        return PeerId.parse(ready.get("peerId").asText());
    }

    /** The listen address with its /p2p suffix, as js prints it. */
    Multiaddr address() {
        return Multiaddr.parse(ready.get("addrs").get(0).asText());
    }

    /** What a Java node needs to reach this peer: its id and listen address (without /p2p). */
    PeerInfo info() {
        return new PeerInfo(peerId(), List.of(address().withoutPeerId()));
    }

    /** Sends a command ({@code cmd} and field/value pairs); the answer, or an exception if ok=false. */
    JsonNode call(Duration timeout, String cmd, Object... fields) throws Exception {
        return process.call(timeout, cmd, fields);
    }

    /** Waits until {@code peer} is in this node's routing table (a tableAdd event, before or after this call). */
    void awaitInTable(PeerId peer, Duration timeout) throws Exception {
        String id = peer.toBase58();
        awaitEvent(
                e -> "tableAdd".equals(e.path("event").asText())
                        && id.equals(e.path("peer").asText()),
                timeout);
    }

    JsonNode awaitEvent(Predicate<JsonNode> matches, Duration timeout) throws Exception {
        return process.awaitEvent(matches, timeout);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] unb64(JsonNode text) {
        return Base64.getDecoder().decode(text.asText());
    }

    /** The peers of a JSON array of {"id":..,"addrs":[..]} objects. */
    static List<PeerInfo> peers(JsonNode array) {
        List<PeerInfo> out = new ArrayList<>();
        array.forEach(p -> out.add(peer(p)));
        return out;
    }

    /** The peer of a {"id":..,"addrs":[..]} object; addresses without their /p2p suffix. */
    static PeerInfo peer(JsonNode p) {
        List<Multiaddr> addrs = new ArrayList<>();
        p.path("addrs").forEach(a -> addrs.add(Multiaddr.parse(a.asText()).withoutPeerId()));
        return new PeerInfo(PeerId.parse(p.get("id").asText()), addrs);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
