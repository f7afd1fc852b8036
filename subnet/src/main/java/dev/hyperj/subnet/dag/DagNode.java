package dev.hyperj.subnet.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A header and, once known, its body's payload (null for a header alone). On the wire a node is
 * {@code {"header": {...}, "body": {"node_id", "payload"} or null}}.
 */
public record DagNode(DagHeader header, JsonNode payload) {
    public DagNode {
        Objects.requireNonNull(header, "header");
    }

    public String id() {
        return header.nodeId();
    }

    public boolean hasBody() {
        return payload != null;
    }

    public DagNode withoutBody() {
        return new DagNode(header, null);
    }

    public ObjectNode toJson() {
        ObjectNode o = CanonicalJson.object();
        o.set("header", header.toJson());
        if (payload == null) o.putNull("body");
        else {
            ObjectNode b = o.putObject("body");
            b.put("node_id", header.nodeId());
            b.set("payload", payload);
        }
        return o;
    }

    public static DagNode fromJson(JsonNode j) {
        if (j == null || !j.isObject()) throw new DagFormatException("node is not an object");
        DagHeader h = DagHeader.fromJson(j.get("header"));
        JsonNode body = j.get("body");
        if (body == null || body.isNull()) return new DagNode(h, null);
        if (!body.isObject()) throw new DagFormatException("body is not an object");
        if (!h.nodeId().equals(DagHeader.text(body, "node_id")))
            throw new DagFormatException("body's node_id is not its header's");
        JsonNode payload = body.get("payload");
        if (payload == null) throw new DagFormatException("body without payload");
        return new DagNode(h, payload);
    }

    /** The canonical bytes of the whole node (what storage and the wire carry). */
    public byte[] encode() {
        return CanonicalJson.encode(toJson());
    }

    public static DagNode decode(byte[] bytes) {
        return fromJson(CanonicalJson.parse(bytes));
    }
}
