package dev.hyperj.subnet.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.subnet.dag.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One signed event. The signed bytes are {@code "hyperj-telemetry/1\n" + canonical JSON of
 * {type, peer_id, subnet_id, seq, ts_ms, data}}; the envelope sent is {@code {"event": {...},
 * "public_key": base64(libp2p PublicKey protobuf), "signature": base64}}.
 *
 * @param type     e.g. {@code peer_connected}, {@code heartbeat_sent}, {@code consensus},
 *                 {@code dag_node_received}
 * @param seq      strictly increasing per node (the collector refuses a seq it has seen)
 * @param tsMillis when the node made it (the collector refuses events far from its clock)
 */
public record TelemetryEvent(String type, String peerId, int subnetId, long seq, long tsMillis, JsonNode data) {
    static final byte[] DOMAIN = "hyperj-telemetry/1\n".getBytes(StandardCharsets.US_ASCII);

    ObjectNode body() {
        ObjectNode o = CanonicalJson.object();
        o.put("type", type);
        o.put("peer_id", peerId);
        o.put("subnet_id", subnetId);
        o.put("seq", seq);
        o.put("ts_ms", tsMillis);
        o.set("data", data == null ? CanonicalJson.object() : data);
        return o;
    }

    static byte[] signingBytes(JsonNode body) {
        byte[] json = CanonicalJson.encode(body);
        byte[] out = new byte[DOMAIN.length + json.length];
        System.arraycopy(DOMAIN, 0, out, 0, DOMAIN.length);
        System.arraycopy(json, 0, out, DOMAIN.length, json.length);
        return out;
    }

    /** The signed envelope as JSON text. */
    public String sign(PrivateKey key) {
        ObjectNode body = body();
        ObjectNode env = CanonicalJson.object();
        env.set("event", body);
        env.put("public_key", Base64.getEncoder().encodeToString(key.publicKey().marshal()));
        env.put("signature", Base64.getEncoder().encodeToString(key.sign(signingBytes(body))));
        return CanonicalJson.encodeToString(env);
    }
}
