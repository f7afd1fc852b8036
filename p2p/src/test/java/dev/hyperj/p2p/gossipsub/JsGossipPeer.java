package dev.hyperj.p2p.gossipsub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.interop.JsProcess;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A js-libp2p node with @libp2p/gossipsub (interop/js/gossip-peer.mjs), driven through {@link JsProcess}. */
final class JsGossipPeer implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final JsProcess process;
    final PeerId peerId;
    final Multiaddr address;

    JsGossipPeer() throws Exception {
        JsProcess.Started started = JsProcess.startReady("gossip-peer.mjs");
        process = started.process();
        peerId = PeerId.parse(started.ready().get("peerId").asText());
        address = Multiaddr.parse(started.ready().get("addrs").get(0).asText());
    }

    /** The data of every message this node has received so far. */
    Set<String> received() {
        Set<String> out = new HashSet<>();
        for (JsonNode e : process.events()) {
            if ("message".equals(e.path("event").asText())) {
                out.add(e.get("data").asText());
            }
        }
        return out;
    }

    /** Sends a command with string fields and returns its answer, failing on a js-side error. */
    JsonNode command(String cmd, String... keyValues) throws Exception {
        return process.call(CALL_TIMEOUT, cmd, (Object[]) keyValues);
    }

    Multiaddr dialAddress() {
        return address.withPeerId(peerId);
    }

    List<String> list(JsonNode state, String field) {
        List<String> out = new ArrayList<>();
        state.get(field).forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
