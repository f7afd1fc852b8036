package dev.hyperj.subnet.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DagNodesTest {
    static final DagLimits LIMITS = DagLimits.defaults();

    @Test
    void nodeIdsAreSha256PrefixedLowercaseHexOfExactlySixtyFourDigits() {
        String hex = "0123456789abcdef".repeat(4);
        assertTrue(DagNodes.isNodeId("sha256:" + hex));
        assertFalse(DagNodes.isNodeId(null));
        assertFalse(DagNodes.isNodeId("sha256:" + hex.substring(1)));
        assertFalse(DagNodes.isNodeId("sha256:" + hex + "0"));
        assertFalse(DagNodes.isNodeId("sha256:" + hex.toUpperCase()));
        assertFalse(DagNodes.isNodeId("sha256:" + hex.substring(1) + "g"));
        assertFalse(DagNodes.isNodeId("sha512:" + hex));
        assertFalse(DagNodes.isNodeId("sha256-" + hex));
    }

    @Test
    void idsMatchPythonAndSignaturesVerifyForAllKeyTypes() throws Exception {
        List<DagNode> nodes = new ArrayList<>();
        for (KeyType t : KeyType.values()) {
            PrivateKey k =
                    t == KeyType.RSA ? Keys.generateRsa(2048, new java.security.SecureRandom()) : Keys.generate(t);
            ObjectNode payload = CanonicalJson.object()
                    .put("text", "héllo 😀")
                    .put("big", new java.math.BigInteger("123456789012345678901234567890"));
            ObjectNode meta = CanonicalJson.object().put("epoch", 7).put("note", "ünïcode");
            DagNode n = DagNodes.create(k, "ns", "s/1", List.of(), payload, meta, 1_700_000_000_000L);
            DagNode child = DagNodes.create(k, "ns", "s/1", List.of(n.id()), payload, meta, 1_700_000_000_001L);
            nodes.add(n);
            nodes.add(child);
            assertEquals(Optional.empty(), DagNodes.verifyHeader(n.header(), LIMITS), t.name());
            assertEquals(Optional.empty(), DagNodes.verifyBody(n.header(), n.payload(), LIMITS), t.name());
            assertEquals(7, n.header().epoch());
            // round trip through the wire form keeps the id and the signature valid
            DagNode back = DagNode.decode(child.encode());
            assertEquals(child, back);
            assertEquals(Optional.empty(), DagNodes.verifyHeader(back.header(), LIMITS));
            // a forged signature (another key's, same header) is caught
            PrivateKey other = Keys.generate(KeyType.ED25519);
            DagHeader h = n.header();
            byte[] signed = CanonicalJson.encode(h.unsigned());
            DagHeader forged = new DagHeader(
                    h.nodeId(),
                    h.namespace(),
                    h.schemaId(),
                    h.parentIds(),
                    h.bodyHash(),
                    h.bodySize(),
                    h.author(),
                    h.publicKey(),
                    java.util.HexFormat.of().formatHex(other.sign(signed)),
                    h.createdAtMs(),
                    1,
                    h.metadata());
            assertEquals(
                    RejectReason.FORGED_SIGNATURE,
                    DagNodes.verifyHeader(forged, LIMITS).orElseThrow().reason(),
                    t.name());
        }
        List<String> lines = new ArrayList<>();
        for (DagNode n : nodes)
            lines.add(CanonicalJson.encodeToString(n.header().toJson()));
        List<String> ids = PythonJson.run(PythonJson.NODE_ID, lines);
        for (int i = 0; i < nodes.size(); i++)
            assertEquals(ids.get(i), nodes.get(i).id());
        // body hash as Python computes it over the payload
        List<String> bodies = PythonJson.run(
                PythonJson.CANONICAL, List.of(nodes.get(0).payload().toString()));
        assertEquals(
                nodes.get(0).header().bodyHash(),
                CanonicalJson.sha256(bodies.get(0).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void tamperedFieldsAreCaughtWithTheirReason() {
        PrivateKey k = Keys.generate(KeyType.ED25519);
        DagNode n = DagNodes.create(
                k, "ns", "s/1", List.of(), CanonicalJson.object().put("a", 1), null, 5);
        DagHeader h = n.header();
        DagHeader otherNs = new DagHeader(
                h.nodeId(),
                "other",
                h.schemaId(),
                h.parentIds(),
                h.bodyHash(),
                h.bodySize(),
                h.author(),
                h.publicKey(),
                h.signature(),
                h.createdAtMs(),
                1,
                h.metadata());
        assertEquals(
                RejectReason.WRONG_NODE_ID,
                DagNodes.verifyHeader(otherNs, LIMITS).orElseThrow().reason());
        DagHeader self = new DagHeader(
                h.nodeId(),
                h.namespace(),
                h.schemaId(),
                List.of(h.nodeId()),
                h.bodyHash(),
                h.bodySize(),
                h.author(),
                h.publicKey(),
                h.signature(),
                h.createdAtMs(),
                1,
                h.metadata());
        assertEquals(
                RejectReason.SELF_PARENT,
                DagNodes.verifyHeader(self, LIMITS).orElseThrow().reason());
        assertEquals(
                RejectReason.WRONG_BODY_HASH,
                DagNodes.verifyBody(h, CanonicalJson.object().put("a", 2), LIMITS)
                        .orElseThrow()
                        .reason());
        assertTrue(DagNodes.verifyBody(h, CanonicalJson.object().put("a", 1), LIMITS)
                .isEmpty());
        DagNode big =
                DagNodes.create(k, "ns", "s/1", List.of(), CanonicalJson.nodes().textNode("x".repeat(2000)), null, 5);
        assertEquals(
                RejectReason.OVERSIZED_BODY,
                DagNodes.verifyHeader(big.header(), LIMITS.withMaxBodyBytes(1000))
                        .orElseThrow()
                        .reason());
    }
}
