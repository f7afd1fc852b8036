package dev.hyperj.subnet.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.peer.PeerId;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Making and checking signed nodes: ids, body hashes and signatures with any libp2p key type. */
public final class DagNodes {
    private static final String ID_PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();

    private DagNodes() {}

    /** A node signed by {@code key}: parents sorted and unique, body hashed, id derived, header signed. */
    public static DagNode create(
            PrivateKey key,
            String namespace,
            String schemaId,
            Collection<String> parents,
            JsonNode payload,
            ObjectNode metadata,
            long createdAtMs) {
        byte[] body = CanonicalJson.encode(payload);
        PublicKey pub = key.publicKey();
        DagHeader draft = new DagHeader(
                "",
                namespace,
                schemaId,
                List.copyOf(new TreeSet<>(parents)),
                CanonicalJson.sha256(body),
                body.length,
                PeerId.fromPublicKey(pub).toBase58(),
                HEX.formatHex(pub.marshal()),
                "",
                createdAtMs,
                DagHeader.VERSION,
                metadata);
        byte[] signed = CanonicalJson.encode(draft.unsigned());
        DagHeader h = new DagHeader(
                CanonicalJson.sha256(signed),
                namespace,
                schemaId,
                draft.parentIds(),
                draft.bodyHash(),
                draft.bodySize(),
                draft.author(),
                draft.publicKey(),
                HEX.formatHex(key.sign(signed)),
                createdAtMs,
                DagHeader.VERSION,
                draft.metadata());
        return new DagNode(h, payload);
    }

    /**
     * "sha256:" and 64 lowercase hex digits. By hand, not a regex: every id of every node and
     * announcement passes here, and the regex was 4% of a 256-node devnet's CPU.
     */
    public static boolean isNodeId(String s) {
        if (s == null || s.length() != ID_PREFIX.length() + 64 || !s.startsWith(ID_PREFIX)) return false;
        for (int i = ID_PREFIX.length(); i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    /** What is wrong with a header on its own (format, id, author, signature), or empty if nothing. */
    public static Optional<Rejection> verifyHeader(DagHeader h, DagLimits limits) {
        if (h.version() != DagHeader.VERSION) return reject(RejectReason.MALFORMED, "version " + h.version());
        if (!isNodeId(h.nodeId())) return reject(RejectReason.MALFORMED, "node_id is not sha256:<64 hex>");
        if (!isNodeId(h.bodyHash())) return reject(RejectReason.MALFORMED, "body_hash is not sha256:<64 hex>");
        if (h.bodySize() < 0) return reject(RejectReason.MALFORMED, "negative body_size");
        if (h.bodySize() > limits.maxBodyBytes())
            return reject(RejectReason.OVERSIZED_BODY, h.bodySize() + " > " + limits.maxBodyBytes() + " bytes");
        if (h.parentIds().size() > limits.maxParents())
            return reject(RejectReason.OVERSIZED_BODY, h.parentIds().size() + " parents > " + limits.maxParents());
        if (h.parentIds().contains(h.nodeId())) return reject(RejectReason.SELF_PARENT, "lists itself as parent");
        String prev = null;
        for (String p : h.parentIds()) {
            if (!isNodeId(p)) return reject(RejectReason.MALFORMED, "a parent id is not sha256:<64 hex>");
            if (prev != null && prev.compareTo(p) >= 0)
                return reject(RejectReason.MALFORMED, "parent_ids not sorted and unique");
            prev = p;
        }
        byte[] signed = CanonicalJson.encode(h.unsigned());
        if (!CanonicalJson.sha256(signed).equals(h.nodeId()))
            return reject(RejectReason.WRONG_NODE_ID, "node_id is not the hash of the header");
        PublicKey pub;
        byte[] sig;
        try {
            pub = Keys.unmarshalPublicKey(HEX.parseHex(h.publicKey()));
            sig = HEX.parseHex(h.signature());
        } catch (RuntimeException e) {
            return reject(RejectReason.MALFORMED, "public_key or signature not a hex key/signature: " + e.getMessage());
        }
        if (!PeerId.fromPublicKey(pub).toBase58().equals(h.author()))
            return reject(RejectReason.AUTHOR_MISMATCH, "author is not the public key's peer id");
        if (!pub.verify(signed, sig)) return reject(RejectReason.FORGED_SIGNATURE, "signature does not verify");
        return Optional.empty();
    }

    /** What is wrong with a body for its header, or empty if it matches. */
    public static Optional<Rejection> verifyBody(DagHeader h, JsonNode payload, DagLimits limits) {
        byte[] body;
        try {
            body = CanonicalJson.encode(payload);
        } catch (DagFormatException e) {
            return reject(RejectReason.MALFORMED, e.getMessage());
        }
        if (body.length > limits.maxBodyBytes())
            return reject(RejectReason.OVERSIZED_BODY, body.length + " > " + limits.maxBodyBytes() + " bytes");
        if (body.length != h.bodySize() || !CanonicalJson.sha256(body).equals(h.bodyHash()))
            return reject(RejectReason.WRONG_BODY_HASH, "body does not hash to body_hash / body_size");
        return Optional.empty();
    }

    private static Optional<Rejection> reject(RejectReason r, String detail) {
        return Optional.of(new Rejection(r, detail));
    }

    /** A reason and what exactly was wrong. */
    public record Rejection(RejectReason reason, String detail) {
        @Override
        public String toString() {
            return reason + ": " + detail;
        }
    }
}
