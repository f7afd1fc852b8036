package dev.hyperj.subnet.dag.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.DagFormatException;
import dev.hyperj.subnet.dag.DagNode;
import dev.hyperj.subnet.dag.DagNodes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The DAG's wire messages, canonical JSON with the template's envelope {@code {kind, message_id,
 * namespace, peer_id, created_at_ms, ...}}: on gossip {@code node_gossip {node}} and
 * {@code announcement {head_ids, node_count}}; on the sync stream {@code inventory_request
 * {known_heads, node_count}} / {@code inventory_response {summary}} and {@code fetch_request
 * {node_ids, include_bodies, max_ancestor_depth}} / {@code fetch_response {nodes, not_found}}.
 * HyperJ adds three kinds a Python peer may ignore: {@code epoch_fetch_request {epoch, after}}
 * (one epoch's nodes in id order, for a newcomer to sync parents first), {@code checkpoint_request}
 * / {@code checkpoint_response}, and {@code error {reason}} for a refused request.
 */
public final class SyncMessages {
    public static final String NODE_GOSSIP = "node_gossip";
    public static final String ANNOUNCEMENT = "announcement";
    public static final String INVENTORY_REQUEST = "inventory_request";
    public static final String INVENTORY_RESPONSE = "inventory_response";
    public static final String FETCH_REQUEST = "fetch_request";
    public static final String FETCH_RESPONSE = "fetch_response";
    public static final String EPOCH_FETCH_REQUEST = "epoch_fetch_request";
    public static final String CHECKPOINT_REQUEST = "checkpoint_request";
    public static final String CHECKPOINT_RESPONSE = "checkpoint_response";
    public static final String ERROR = "error";
    /** The namespace field of messages about the whole DAG. */
    public static final String ALL = "*";

    private SyncMessages() {}

    static ObjectNode envelope(String kind, String namespace, String peerId, long nowMs) {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return CanonicalJson.object()
                .put("created_at_ms", nowMs)
                .put("kind", kind)
                .put("message_id", HexFormat.of().formatHex(id))
                .put("namespace", namespace)
                .put("peer_id", peerId);
    }

    static ObjectNode nodeGossip(DagNode node, String peerId, long nowMs) {
        ObjectNode o = envelope(NODE_GOSSIP, node.header().namespace(), peerId, nowMs);
        o.set("node", node.toJson());
        return o;
    }

    static ObjectNode announcement(Collection<String> heads, long count, String peerId, long nowMs) {
        ObjectNode o = envelope(ANNOUNCEMENT, ALL, peerId, nowMs);
        ids(o.putArray("head_ids"), heads);
        return o.put("node_count", count);
    }

    static ObjectNode fetchRequest(Collection<String> ids, boolean bodies, int depth, String peerId, long nowMs) {
        ObjectNode o = envelope(FETCH_REQUEST, ALL, peerId, nowMs);
        ids(o.putArray("node_ids"), ids);
        return o.put("include_bodies", bodies).put("max_ancestor_depth", depth);
    }

    static ObjectNode fetchResponse(List<DagNode> nodes, Collection<String> notFound, String peerId, long nowMs) {
        ObjectNode o = envelope(FETCH_RESPONSE, ALL, peerId, nowMs);
        ArrayNode a = o.putArray("nodes");
        for (DagNode n : nodes) a.add(n.toJson());
        ids(o.putArray("not_found"), notFound);
        return o;
    }

    static ObjectNode error(String reason, String peerId, long nowMs) {
        return envelope(ERROR, ALL, peerId, nowMs).put("reason", reason);
    }

    static void ids(ArrayNode a, Collection<String> ids) {
        for (String s : ids) a.add(s);
    }

    static String kind(JsonNode m) {
        JsonNode k = m.get("kind");
        if (k == null || !k.isTextual()) throw new DagFormatException("message without kind");
        return k.textValue();
    }

    static String peerId(JsonNode m) {
        JsonNode k = m.get("peer_id");
        if (k == null || !k.isTextual()) throw new DagFormatException("message without peer_id");
        return k.textValue();
    }

    /** A list of node ids, at most {@code max}, each well formed. */
    static List<String> idList(JsonNode m, String field, int max) {
        JsonNode a = m.get(field);
        if (a == null) return List.of();
        if (!a.isArray()) throw new DagFormatException(field + " is not a list");
        if (a.size() > max) throw new DagFormatException(field + ": more than " + max + " ids");
        List<String> out = new ArrayList<>(a.size());
        for (JsonNode n : a) {
            if (!DagNodes.isNodeId(n.asText(null))) throw new DagFormatException(field + ": not a node id");
            out.add(n.textValue());
        }
        return out;
    }

    static List<DagNode> nodes(JsonNode m, int max) {
        JsonNode a = m.get("nodes");
        if (a == null || !a.isArray()) throw new DagFormatException("nodes missing");
        if (a.size() > max) throw new DagFormatException("more than " + max + " nodes");
        List<DagNode> out = new ArrayList<>(a.size());
        for (JsonNode n : a) out.add(DagNode.fromJson(n));
        return out;
    }
}
