package dev.hyperj.subnet.consensus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/**
 * The {@code heartbeat} topic's message, JSON {@code {"uid", "epoch", "subnet_id", "subnet_node_id"}}
 * as the Python template publishes it. {@code uid} identifies the sender (HyperJ puts its peer id).
 * Decoding is strict and bounded: at most {@link #MAX_BYTES}, exactly these four fields, integers
 * in range; anything else is a {@link HeartbeatFormatException}.
 */
public record Heartbeat(String uid, long epoch, int subnetId, int subnetNodeId) {
    public static final String TOPIC = "heartbeat";
    public static final int MAX_BYTES = 1024;
    static final int MAX_UID = 128;
    private static final Set<String> FIELDS = Set.of("uid", "epoch", "subnet_id", "subnet_node_id");
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(4)
                        .maxNumberLength(24)
                        .maxStringLength(MAX_BYTES)
                        .build());
        JSON.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JSON.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public Heartbeat {
        if (uid == null || uid.isEmpty() || uid.length() > MAX_UID)
            throw new HeartbeatFormatException("uid: 1.." + MAX_UID + " characters");
        if (epoch < 0 || subnetId < 0 || subnetNodeId < 0) throw new HeartbeatFormatException("negative epoch or id");
    }

    public byte[] encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("uid", uid);
        o.put("epoch", epoch);
        o.put("subnet_id", subnetId);
        o.put("subnet_node_id", subnetNodeId);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a heartbeat; throws {@link HeartbeatFormatException} on anything else. */
    public static Heartbeat decode(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES)
            throw new HeartbeatFormatException("a heartbeat is at most " + MAX_BYTES + " bytes");
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new HeartbeatFormatException("not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException | RuntimeException e) {
            throw new HeartbeatFormatException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw new HeartbeatFormatException("not a JSON object");
        if (n.size() != FIELDS.size()) throw new HeartbeatFormatException("expected exactly " + FIELDS);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new HeartbeatFormatException("unknown field " + f);
        }
        JsonNode uid = n.get("uid");
        if (!uid.isTextual()) throw new HeartbeatFormatException("uid must be a string");
        return new Heartbeat(
                uid.textValue(),
                integer(n.get("epoch"), Long.MAX_VALUE),
                (int) integer(n.get("subnet_id"), Integer.MAX_VALUE),
                (int) integer(n.get("subnet_node_id"), Integer.MAX_VALUE));
    }

    private static long integer(JsonNode v, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong())
            throw new HeartbeatFormatException("expected an integer, got " + v.getNodeType());
        long x = v.longValue();
        if (x < 0 || x > max) throw new HeartbeatFormatException("integer out of range: " + x);
        return x;
    }
}
