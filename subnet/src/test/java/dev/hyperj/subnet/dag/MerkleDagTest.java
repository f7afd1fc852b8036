package dev.hyperj.subnet.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MerkleDagTest {
    static final String NS = "counter";

    /** A schema that sums {"add": n} payloads into {"total": n}; refuses negative additions. */
    static final DagSchema COUNTER = new DagSchema() {
        public String id() {
            return "add/1";
        }

        public void validate(DagNode node, DagReader dag) throws InvalidNodeException {
            JsonNode a = node.payload().get("add");
            if (a == null || !a.isIntegralNumber() || a.longValue() < 0)
                throw new InvalidNodeException("add must be >= 0");
        }

        public JsonNode apply(JsonNode state, DagNode node) {
            ObjectNode s = CanonicalJson.object();
            long before = state.path("total").asLong(0);
            s.put("total", before * 31 + node.payload().get("add").longValue()); // order-sensitive on purpose
            return s;
        }
    };

    final PrivateKey key = Keys.generate(KeyType.ED25519);

    static MerkleDag dag() {
        MerkleDag d = new MerkleDag(
                new MemoryDagStore(),
                DagLimits.defaults().withMaxBodyBytes(1024).withMaxOrphans(50));
        d.register(NS, COUNTER);
        return d;
    }

    DagNode node(long add, long epoch, String... parents) {
        return DagNodes.create(
                key,
                NS,
                "add/1",
                List.of(parents),
                CanonicalJson.object().put("add", add),
                CanonicalJson.object().put("epoch", epoch),
                1000 + add);
    }

    @Test
    void fiveOutcomes() {
        MerkleDag d = dag();
        DagNode a = node(1, 0);
        DagNode b = node(2, 0, a.id());
        DagNode c = node(3, 1, b.id());
        assertEquals(Ingested.Status.ORPHAN, d.ingest(c).status());
        assertEquals(List.of(b.id()), d.wanted(32));
        assertEquals(Ingested.Status.PENDING_BODY, d.ingest(b.withoutBody()).status());
        assertEquals(Ingested.Status.DUPLICATE, d.ingest(b.withoutBody()).status());
        Ingested ra = d.ingest(a);
        assertEquals(Ingested.Status.ACCEPTED, ra.status());
        assertEquals(Ingested.Status.DUPLICATE, d.ingest(a).status());
        assertEquals(Set.of(a.id()), d.heads());
        Ingested rb = d.ingestBody(b.id(), b.payload());
        assertEquals(Ingested.Status.ACCEPTED, rb.status());
        assertEquals(List.of(b.id(), c.id()), rb.accepted()); // the orphan came with its parent
        assertEquals(Set.of(c.id()), d.heads());
        assertEquals(3, d.count());
        assertEquals(0, d.orphanCount());
        assertEquals(0, d.pendingBodyCount());
        assertEquals(((1 * 31) + 2) * 31 + 3, d.state(NS).get("total").longValue());
        assertEquals(Ingested.Status.REJECTED, d.ingest(node(-1, 0)).status());
        assertEquals(RejectReason.INVALID_PAYLOAD, d.ingest(node(-5, 0)).reason());
    }

    @Test
    void hostileNodesAreRejectedWithTheirReason() {
        MerkleDag d = dag();
        DagNode a = node(1, 0);
        d.ingest(a);
        DagHeader h = node(2, 0, a.id()).header();
        PrivateKey other = Keys.generate(KeyType.SECP256K1);
        byte[] signed = CanonicalJson.encode(h.unsigned());
        String forgedSig = java.util.HexFormat.of().formatHex(other.sign(signed));
        assertEquals(
                RejectReason.FORGED_SIGNATURE,
                d.ingest(new DagNode(
                                with(h, h.nodeId(), h.parentIds(), forgedSig),
                                node(2, 0).payload()))
                        .reason());
        assertEquals(
                RejectReason.WRONG_NODE_ID,
                d.ingest(new DagNode(
                                with(h, "sha256:" + "0".repeat(64), h.parentIds(), h.signature()),
                                node(2, 0).payload()))
                        .reason());
        assertEquals(
                RejectReason.WRONG_BODY_HASH,
                d.ingest(new DagNode(h, CanonicalJson.object().put("add", 3))).reason());
        assertEquals(
                RejectReason.SELF_PARENT,
                d.ingest(new DagNode(with(h, h.nodeId(), List.of(h.nodeId()), h.signature()), null))
                        .reason());
        DagNode unknown = DagNodes.create(key, NS, "nope/1", List.of(), CanonicalJson.object(), null, 1);
        assertEquals(RejectReason.UNKNOWN_SCHEMA, d.ingest(unknown).reason());
        DagNode otherNs = DagNodes.create(key, "elsewhere", "add/1", List.of(), CanonicalJson.object(), null, 1);
        assertEquals(RejectReason.UNKNOWN_SCHEMA, d.ingest(otherNs).reason());
        DagNode big = DagNodes.create(
                key,
                NS,
                "add/1",
                List.of(),
                CanonicalJson.object().put("add", 1).put("pad", "x".repeat(2000)),
                null,
                1);
        assertEquals(RejectReason.OVERSIZED_BODY, d.ingest(big).reason());
        // a cycle needs forged ids: X waits for Y, then Y claims X as parent
        String x = "sha256:" + "a".repeat(64), y = "sha256:" + "b".repeat(64);
        DagNode orphanX = node(4, 0, y); // a real node whose parent y is unknown
        assertEquals(Ingested.Status.ORPHAN, d.ingest(orphanX).status());
        assertEquals(
                RejectReason.CYCLE,
                d.ingest(new DagNode(
                                with(h, y, List.of(orphanX.id()), h.signature()),
                                h.nodeId().isEmpty() ? null : node(2, 0).payload()))
                        .reason());
        assertEquals(1, d.count());
        assertEquals(Set.of(a.id()), d.heads());
        MerkleDag.Stats s = d.stats();
        for (RejectReason r : List.of(
                RejectReason.FORGED_SIGNATURE,
                RejectReason.WRONG_NODE_ID,
                RejectReason.WRONG_BODY_HASH,
                RejectReason.SELF_PARENT,
                RejectReason.UNKNOWN_SCHEMA,
                RejectReason.OVERSIZED_BODY,
                RejectReason.CYCLE)) assertTrue(s.rejected(r) >= 1, r.name());
        assertFalse(x.isEmpty());
    }

    @Test
    void orphanFloodStaysBounded() {
        MerkleDag d = dag();
        for (int i = 0; i < 500; i++) {
            String missing = String.format("sha256:%064x", i + 1);
            assertEquals(Ingested.Status.ORPHAN, d.ingest(node(i, 0, missing)).status());
        }
        assertEquals(50, d.orphanCount());
        assertEquals(50, d.wanted(1000).size());
        assertEquals(32, d.wanted(32).size());
    }

    @Test
    void anyArrivalOrderGivesTheSameHeadsAndState() {
        List<DagNode> all = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            List<String> parents = new ArrayList<>();
            for (int k = 0; k < 3 && !all.isEmpty(); k++)
                parents.add(all.get(r.nextInt(all.size())).id());
            all.add(node(i, i / 20, parents.stream().distinct().toArray(String[]::new)));
        }
        MerkleDag inOrder = dag();
        all.forEach(inOrder::ingest);
        for (int trial = 0; trial < 5; trial++) {
            List<DagNode> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, new Random(trial));
            MerkleDag d = new MerkleDag(new MemoryDagStore());
            d.register(NS, COUNTER);
            shuffled.forEach(d::ingest);
            assertEquals(inOrder.heads(), d.heads());
            assertEquals(200, d.count());
            assertEquals(inOrder.stateText(NS), d.stateText(NS));
        }
    }

    static DagHeader with(DagHeader h, String id, List<String> parents, String sig) {
        return new DagHeader(
                id,
                h.namespace(),
                h.schemaId(),
                parents,
                h.bodyHash(),
                h.bodySize(),
                h.author(),
                h.publicKey(),
                sig,
                h.createdAtMs(),
                h.version(),
                h.metadata());
    }
}
