package dev.hyperj.p2p.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A js-libp2p peer (interop/js/peer.mjs) in a Node process, driven through {@link JsProcess}.
 * Node comes from {@link JsInterop#node()}: HYPERJ_NODE, else interop/js/install.sh.
 */
public final class JsPeer implements AutoCloseable {
    private final JsProcess process;
    private final JsonNode ready;

    private JsPeer(JsProcess.Started started) {
        this.process = started.process();
        this.ready = started.ready();
    }

    /** Starts a peer listening on loopback; extra arguments go to peer.mjs (e.g. "--agent", "x"). */
    public static JsPeer start(String... args) throws IOException, InterruptedException {
        return new JsPeer(JsProcess.startReady("peer.mjs", args));
    }

    public String peerId() {
        return ready.get("peerId").asText();
    }

    public String address() {
        return ready.get("addrs").get(0).asText();
    }

    String agentVersion() {
        return ready.get("agentVersion").asText();
    }

    List<String> protocols() {
        List<String> out = new ArrayList<>();
        ready.get("protocols").forEach(p -> out.add(p.asText()));
        return out;
    }

    /** Sends a command ({@code cmd} and fields) and returns the peer's answer; fails if it says ok=false. */
    public JsonNode call(Duration timeout, String cmd, Object... fields) throws Exception {
        return process.call(timeout, cmd, fields);
    }

    /** The first event (seen before or after this call) that matches. */
    JsonNode awaitEvent(Predicate<JsonNode> matches, Duration timeout) throws Exception {
        return process.awaitEvent(matches, timeout);
    }

    List<JsonNode> events() {
        return process.events();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
