package dev.hyperj.subnet.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A DAG node's header, as SUBNET.md gives it. {@link #unsigned()} is what the node id hashes and
 * the author signs; {@link #toJson()} adds {@code node_id} and {@code signature}. The metadata is
 * the author's (signed) free-form object; an integer {@code epoch} in it files the node under that
 * subnet epoch for storage and pruning.
 */
public record DagHeader(
        String nodeId,
        String namespace,
        String schemaId,
        List<String> parentIds,
        String bodyHash,
        long bodySize,
        String author,
        String publicKey,
        String signature,
        long createdAtMs,
        int version,
        ObjectNode metadata) {
    public static final int VERSION = 1;

    public DagHeader {
        Objects.requireNonNull(nodeId, "node_id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(schemaId, "schema_id");
        parentIds = List.copyOf(parentIds);
        Objects.requireNonNull(bodyHash, "body_hash");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(publicKey, "public_key");
        Objects.requireNonNull(signature, "signature");
        metadata = metadata == null ? CanonicalJson.object() : metadata.deepCopy();
    }

    /** The subnet epoch the author filed the node under ({@code metadata.epoch}), or -1. */
    public long epoch() {
        JsonNode e = metadata.get("epoch");
        return e != null && e.isIntegralNumber() && e.canConvertToLong() && e.longValue() >= 0 ? e.longValue() : -1;
    }

    /** The fields the node id and the signature cover. */
    public ObjectNode unsigned() {
        ObjectNode o = CanonicalJson.object();
        o.put("author", author);
        o.put("body_hash", bodyHash);
        o.put("body_size", bodySize);
        o.put("created_at_ms", createdAtMs);
        o.set("metadata", metadata.deepCopy());
        o.put("namespace", namespace);
        ArrayNode p = o.putArray("parent_ids");
        parentIds.forEach(p::add);
        o.put("public_key", publicKey);
        o.put("schema_id", schemaId);
        o.put("version", version);
        return o;
    }

    public ObjectNode toJson() {
        ObjectNode o = unsigned();
        o.put("node_id", nodeId);
        o.put("signature", signature);
        return o;
    }

    /** Reads a header, checking every field's type (not its hashes or signature: see {@link DagNodes#verify}). */
    public static DagHeader fromJson(JsonNode j) {
        if (j == null || !j.isObject()) throw new DagFormatException("header is not an object");
        JsonNode parents = j.get("parent_ids");
        if (parents != null && !parents.isArray()) throw new DagFormatException("parent_ids is not a list");
        java.util.ArrayList<String> ps = new java.util.ArrayList<>();
        if (parents != null) {
            if (parents.size() > DagLimits.MAX_PARENTS_ON_WIRE)
                throw new DagFormatException("more than " + DagLimits.MAX_PARENTS_ON_WIRE + " parents");
            for (JsonNode p : parents) {
                if (!p.isTextual()) throw new DagFormatException("a parent id is not a string");
                ps.add(p.textValue());
            }
        }
        JsonNode meta = j.get("metadata");
        if (meta != null && !meta.isNull() && !meta.isObject())
            throw new DagFormatException("metadata is not an object");
        JsonNode version = j.get("version");
        return new DagHeader(
                text(j, "node_id"),
                text(j, "namespace"),
                text(j, "schema_id"),
                ps,
                text(j, "body_hash"),
                integer(j, "body_size"),
                text(j, "author"),
                text(j, "public_key"),
                text(j, "signature"),
                integer(j, "created_at_ms"),
                version == null ? VERSION : (int) integer(j, "version"),
                meta == null || meta.isNull() ? null : (ObjectNode) meta);
    }

    static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        if (v == null || !v.isTextual()) throw new DagFormatException(field + " missing or not a string");
        if (v.textValue().length() > DagLimits.MAX_FIELD_CHARS)
            throw new DagFormatException(field + " longer than " + DagLimits.MAX_FIELD_CHARS + " characters");
        return v.textValue();
    }

    static long integer(JsonNode j, String field) {
        JsonNode v = j.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong())
            throw new DagFormatException(field + " missing or not an integer");
        if (field.equals("version") && !v.canConvertToInt()) throw new DagFormatException("version out of range");
        return v.longValue();
    }
}
