package dev.hyperj.subnet.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.peer.PeerId;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What pruning leaves of the epochs it cut: through which epoch nodes were removed, the heads at
 * the cut, the boundary (pruned ids that retained nodes still name as parents, so that those count
 * as present), each namespace's materialised state at the cut, signed by the node that pruned. A
 * newcomer starts from a peer's checkpoint and fetches only what came after it.
 */
public record Checkpoint(
        long throughEpoch,
        SortedSet<String> heads,
        SortedSet<String> boundary,
        SortedMap<String, JsonNode> states,
        String author,
        String publicKey,
        String signature) {
    public Checkpoint {
        heads = new TreeSet<>(heads);
        boundary = new TreeSet<>(boundary);
        states = new TreeMap<>(states);
    }

    public static Checkpoint sign(
            PrivateKey key,
            long throughEpoch,
            SortedSet<String> heads,
            SortedSet<String> boundary,
            SortedMap<String, JsonNode> states) {
        PublicKey pub = key.publicKey();
        Checkpoint c = new Checkpoint(
                throughEpoch,
                heads,
                boundary,
                states,
                PeerId.fromPublicKey(pub).toBase58(),
                HexFormat.of().formatHex(pub.marshal()),
                "");
        String sig = HexFormat.of().formatHex(key.sign(CanonicalJson.encode(c.unsigned())));
        return new Checkpoint(throughEpoch, heads, boundary, states, c.author, c.publicKey, sig);
    }

    /** Whether the signature verifies and the author is the key's peer id. */
    public boolean verify() {
        try {
            PublicKey pub = Keys.unmarshalPublicKey(HexFormat.of().parseHex(publicKey));
            return PeerId.fromPublicKey(pub).toBase58().equals(author)
                    && pub.verify(
                            CanonicalJson.encode(unsigned()), HexFormat.of().parseHex(signature));
        } catch (RuntimeException e) {
            return false;
        }
    }

    ObjectNode unsigned() {
        ObjectNode o = CanonicalJson.object();
        o.put("author", author);
        ArrayNode b = o.putArray("boundary");
        boundary.forEach(b::add);
        ArrayNode h = o.putArray("heads");
        heads.forEach(h::add);
        o.put("public_key", publicKey);
        ObjectNode s = o.putObject("states");
        states.forEach(s::set);
        o.put("through_epoch", throughEpoch);
        return o;
    }

    public ObjectNode toJson() {
        return unsigned().put("signature", signature);
    }

    public byte[] encode() {
        return CanonicalJson.encode(toJson());
    }

    public static Checkpoint fromJson(JsonNode j) {
        if (j == null || !j.isObject()) throw new DagFormatException("checkpoint is not an object");
        SortedMap<String, JsonNode> states = new TreeMap<>();
        JsonNode s = j.get("states");
        if (s == null || !s.isObject()) throw new DagFormatException("checkpoint states missing");
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            var e = it.next();
            states.put(e.getKey(), e.getValue());
        }
        return new Checkpoint(
                DagHeader.integer(j, "through_epoch"),
                ids(j.get("heads")),
                ids(j.get("boundary")),
                states,
                DagHeader.text(j, "author"),
                DagHeader.text(j, "public_key"),
                DagHeader.text(j, "signature"));
    }

    public static Checkpoint decode(byte[] bytes) {
        return fromJson(CanonicalJson.parse(bytes));
    }

    private static SortedSet<String> ids(JsonNode a) {
        if (a == null || !a.isArray()) throw new DagFormatException("checkpoint id list missing");
        SortedSet<String> out = new TreeSet<>();
        for (JsonNode n : a) {
            if (!DagNodes.isNodeId(n.asText(null))) throw new DagFormatException("checkpoint lists a bad node id");
            out.add(n.textValue());
        }
        return out;
    }
}
