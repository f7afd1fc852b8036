package dev.hyperj.subnet.dag.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.subnet.dag.CanonicalJson;

/**
 * What a node commits to and later reveals: SUBNET.md's preimage {@code {epoch, nonce, peer_id,
 * scores, subnet_id, subnet_node_id}}. {@code scores} is whatever the subnet commits to: a map of
 * peer id to integer score for the score helpers, or any JSON value (the inference example commits
 * its answer). The commit is {@code "sha256:" + hex(sha256(canonical JSON))} of it.
 */
public record Commitment(long epoch, String nonce, String peerId, JsonNode scores, int subnetId, int subnetNodeId) {
    public ObjectNode toJson() {
        ObjectNode o = CanonicalJson.object();
        o.put("epoch", epoch);
        o.put("nonce", nonce);
        o.put("peer_id", peerId);
        o.set("scores", scores);
        o.put("subnet_id", subnetId);
        o.put("subnet_node_id", subnetNodeId);
        return o;
    }

    public String hash() {
        return CanonicalJson.hash(toJson());
    }
}
