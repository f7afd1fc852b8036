package dev.hyperj.subnet.dag.commit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.DagNode;
import dev.hyperj.subnet.dag.DagNodes;
import dev.hyperj.subnet.dag.DagReader;
import dev.hyperj.subnet.dag.DagSchema;
import java.util.Optional;

/**
 * The two schemas of the {@value #NAMESPACE} namespace. What they check needs nothing but the DAG,
 * so every node decides alike:
 *
 * <ul>
 *   <li>{@value #COMMIT}: payload {@code {commit, epoch, subnet_id, subnet_node_id}}, no parents,
 *       metadata epoch = payload epoch.
 *   <li>{@value #REVEAL}: payload = the {@link Commitment} preimage, exactly one parent, that parent
 *       a commit by the same author for the same epoch and subnet, the preimage hashing to it, and
 *       {@code peer_id} the author. A reveal copied from another node (its peer id is not the
 *       author's, or it hashes to no commit of the author's) or without a commit is refused.
 * </ul>
 */
public final class CommitRevealSchemas {
    public static final String NAMESPACE = "commit_reveal";
    public static final String COMMIT = "commit/1";
    public static final String REVEAL = "reveal/1";

    private CommitRevealSchemas() {}

    static final DagSchema COMMIT_SCHEMA = new DagSchema() {
        @Override
        public String id() {
            return COMMIT;
        }

        @Override
        public void validate(DagNode node, DagReader dag) throws InvalidNodeException {
            JsonNode p = node.payload();
            if (!p.isObject() || p.size() != 4)
                throw new InvalidNodeException("commit: {commit, epoch, subnet_id, subnet_node_id}");
            if (!DagNodes.isNodeId(p.path("commit").asText(null)))
                throw new InvalidNodeException("commit is not sha256:<hex>");
            long epoch = integer(p, "epoch");
            integer(p, "subnet_id");
            integer(p, "subnet_node_id");
            if (epoch != node.header().epoch())
                throw new InvalidNodeException("metadata epoch differs from the payload's");
            if (!node.header().parentIds().isEmpty()) throw new InvalidNodeException("a commit has no parents");
        }
    };

    static final DagSchema REVEAL_SCHEMA = new DagSchema() {
        @Override
        public String id() {
            return REVEAL;
        }

        @Override
        public void validate(DagNode node, DagReader dag) throws InvalidNodeException {
            Commitment c = commitment(node.payload());
            if (c.epoch() != node.header().epoch())
                throw new InvalidNodeException("metadata epoch differs from the payload's");
            if (!c.peerId().equals(node.header().author()))
                throw new InvalidNodeException("reveal of another peer's commitment (copied)");
            if (node.header().parentIds().size() != 1)
                throw new InvalidNodeException("a reveal has exactly one parent: its commit");
            Optional<DagNode> parent = dag.get(node.header().parentIds().getFirst());
            if (parent.isEmpty()
                    || !parent.get().header().schemaId().equals(COMMIT)
                    || !parent.get().header().namespace().equals(NAMESPACE))
                throw new InvalidNodeException("reveal without its commit");
            DagNode commit = parent.get();
            if (!commit.header().author().equals(node.header().author()))
                throw new InvalidNodeException("reveal parented on another peer's commit");
            JsonNode cp = commit.payload();
            if (cp.path("epoch").asLong(-1) != c.epoch()
                    || cp.path("subnet_id").asLong(-1) != c.subnetId()
                    || cp.path("subnet_node_id").asLong(-1) != c.subnetNodeId())
                throw new InvalidNodeException("reveal for another epoch, subnet or node than its commit");
            if (!c.hash().equals(cp.path("commit").asText()))
                throw new InvalidNodeException("reveal does not hash to its commit");
        }
    };

    /** Reads a reveal's payload as a commitment. */
    static Commitment commitment(JsonNode p) throws DagSchema.InvalidNodeException {
        if (!p.isObject() || p.size() != 6)
            throw new DagSchema.InvalidNodeException(
                    "reveal: {epoch, nonce, peer_id, scores, subnet_id, subnet_node_id}");
        JsonNode nonce = p.get("nonce"), peer = p.get("peer_id"), scores = p.get("scores");
        if (nonce == null || !nonce.isTextual() || peer == null || !peer.isTextual() || scores == null)
            throw new DagSchema.InvalidNodeException("reveal: nonce, peer_id must be strings, scores present");
        long subnet = integer(p, "subnet_id"), node = integer(p, "subnet_node_id");
        if (subnet > Integer.MAX_VALUE || node > Integer.MAX_VALUE)
            throw new DagSchema.InvalidNodeException("ids out of range");
        return new Commitment(
                integer(p, "epoch"), nonce.textValue(), peer.textValue(), scores, (int) subnet, (int) node);
    }

    private static long integer(JsonNode p, String field) throws DagSchema.InvalidNodeException {
        JsonNode v = p.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0)
            throw new DagSchema.InvalidNodeException(field + " must be a non-negative integer");
        return v.longValue();
    }

    /** Lets commit and reveal nodes into {@code dag}. */
    public static void register(dev.hyperj.subnet.dag.MerkleDag dag) {
        dag.register(NAMESPACE, COMMIT_SCHEMA);
        dag.register(NAMESPACE, REVEAL_SCHEMA);
    }

    /** The commit node's payload for a commitment. */
    public static JsonNode commitPayload(Commitment c) {
        return CanonicalJson.object()
                .put("commit", c.hash())
                .put("epoch", c.epoch())
                .put("subnet_id", c.subnetId())
                .put("subnet_node_id", c.subnetNodeId());
    }
}
