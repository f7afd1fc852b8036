package dev.hyperj.subnet.dag.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.DagNode;
import dev.hyperj.subnet.dag.sync.DagService;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commit/reveal, a service every subnet node has ({@code ctx.commitReveal()}). In the first part of
 * an epoch the application calls {@link #commit} (or {@link #commitScores}) with what it commits to;
 * the node publishes {@code "sha256:" + hex(sha256(canonical JSON {epoch, nonce, peer_id, scores,
 * subnet_id, subnet_node_id}))} in the DAG and, once the epoch is half over, reveals the preimage in
 * a node parented on its commit, by itself. {@link #reveals} and {@link #scores} then give what
 * counts: reveals that hash to a commit of their own author's, both having arrived in their
 * windows ({@link CommitWindow}). A reveal without its commit, out of its window, or copied from
 * another node counts for nothing.
 */
public final class CommitReveal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommitReveal.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DagService dag;
    private final EpochTracker tracker;
    private final String self;
    private final CommitRevealBook book = new CommitRevealBook();
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    private final AutoCloseable accepted, blocks;

    private record Pending(Commitment commitment, String commitId) {}

    private CommitReveal(DagService dag, EpochTracker tracker, String self) {
        this.dag = dag;
        this.tracker = tracker;
        this.self = self;
        CommitRevealSchemas.register(dag.dag());
        this.accepted = dag.dag().onAccepted(n -> tracker.position().ifPresent(at -> book.accepted(n, at)));
        this.blocks = tracker.onBlock(this::revealDue);
    }

    /** Registers the commit/reveal schemas on {@code dag} and follows {@code tracker}'s blocks to reveal in time. */
    public static CommitReveal start(DagService dag, EpochTracker tracker, String selfPeerId) {
        return new CommitReveal(dag, tracker, selfPeerId);
    }

    /**
     * Commits to {@code scores} (any JSON value) for {@code epoch}, the current epoch, and reveals it
     * at the epoch's middle. Throws {@link IllegalStateException} when the commit window of that epoch
     * is not open now (a late commit would count for nothing), or this node is not a node of the
     * subnet, or it already committed for the epoch.
     */
    public synchronized DagNode commit(long epoch, JsonNode scores) {
        EpochEvent ev = tracker.current().orElseThrow(() -> new IllegalStateException("no epoch yet"));
        EpochPosition at = tracker.position().orElseThrow();
        if (!CommitWindow.commitCounts(epoch, at))
            throw new IllegalStateException("the commit window of epoch " + epoch + " is not open (now block "
                    + at.blocksIntoEpoch() + " of epoch " + at.epoch() + ")");
        if (pending.containsKey(epoch)) throw new IllegalStateException("already committed for epoch " + epoch);
        SubnetNodeInfo me = ev.snapshot()
                .nodeByPeerId(self)
                .orElseThrow(() -> new IllegalStateException("not a node of subnet " + ev.subnetId()));
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        Commitment c = new Commitment(
                epoch,
                HexFormat.of().formatHex(nonce),
                self,
                scores.deepCopy(),
                ev.subnetId(),
                me.node().id());
        DagNode n = dag.publish(
                CommitRevealSchemas.NAMESPACE,
                CommitRevealSchemas.COMMIT,
                List.of(),
                CommitRevealSchemas.commitPayload(c),
                epochMeta(epoch));
        pending.put(epoch, new Pending(c, n.id()));
        while (pending.size() > CommitRevealBook.EPOCHS_KEPT) pending.pollFirstEntry();
        log.debug("committed {} for epoch {}", n.id(), epoch);
        return n;
    }

    /** {@link #commit} of a score map {peer id: integer score}, the form {@link #scores} averages. */
    public DagNode commitScores(long epoch, Map<String, BigInteger> scores) {
        ObjectNode o = CanonicalJson.object();
        new TreeMap<>(scores).forEach(o::put);
        return commit(epoch, o);
    }

    /** This node's own commitment for {@code epoch}, if it committed. */
    public synchronized Optional<Commitment> committed(long epoch) {
        return Optional.ofNullable(pending.get(epoch)).map(Pending::commitment);
    }

    private void revealDue(EpochPosition at) {
        Pending p;
        synchronized (this) {
            p = pending.get(at.epoch());
            if (p == null || at.blocksIntoEpoch() < CommitWindow.revealFrom(at.epochLength())) return;
            pending.put(at.epoch(), new Pending(p.commitment(), null)); // reveal once
        }
        if (p.commitId() == null) return;
        try {
            DagNode r = dag.publish(
                    CommitRevealSchemas.NAMESPACE,
                    CommitRevealSchemas.REVEAL,
                    List.of(p.commitId()),
                    p.commitment().toJson(),
                    epochMeta(at.epoch()));
            log.debug("revealed {} for epoch {}", r.id(), at.epoch());
        } catch (RuntimeException e) {
            log.warn("reveal for epoch {} failed: {}", at.epoch(), e.getMessage());
        }
    }

    static ObjectNode epochMeta(long epoch) {
        return CanonicalJson.object().put("epoch", epoch);
    }

    /** The values revealed for {@code epoch} that count, by author peer id. */
    public SortedMap<String, JsonNode> reveals(long epoch) {
        return book.reveals(epoch);
    }

    /** SUBNET.md's scores for {@code epoch}: see {@link CommitRevealBook#meanScores}. */
    public SortedMap<String, BigInteger> scores(long epoch) {
        return book.scores(epoch);
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {accepted, blocks}) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing: {}", e.toString());
            }
        }
    }
}
