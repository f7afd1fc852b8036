package dev.hyperj.examples.embeddings;

import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.gossipsub.ValidationResult;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #TOPIC} topic: proof that a node served wrong embeddings, as its own signed
 * {@link Receipt}. Every node checks the proof itself before it counts or forwards it: the sender is
 * a node of the subnet, the accused is the on-chain node it names and signed the receipt, the
 * receipt is of the previous epoch, this one or the next, and the pure-Java reference (the same bits on every JVM)
 * puts some vector more than {@link #TOLERANCE} off in a component. Then the accused is caught for
 * that epoch on every honest node alike. An accusation that does not hold is REJECTed, which
 * penalises whoever sent it.
 */
final class EvidenceTopic implements AutoCloseable {
    static final String TOPIC = "embeddings-evidence";
    /** Largest difference in any component that still counts as the reference's answer. */
    static final double TOLERANCE = 1e-3;

    private static final Logger log = LoggerFactory.getLogger(EvidenceTopic.class);

    private final GossipSub gossip;
    private final EpochTracker tracker;
    private final Embedder reference;
    private final CaughtLog caught = new CaughtLog();

    private EvidenceTopic(GossipSub gossip, EpochTracker tracker, Embedder reference) {
        this.gossip = gossip;
        this.tracker = tracker;
        this.reference = reference;
    }

    static CompletableFuture<EvidenceTopic> join(GossipSub gossip, EpochTracker tracker, Embedder reference) {
        EvidenceTopic t = new EvidenceTopic(gossip, tracker, reference);
        return gossip.setValidator(TOPIC, (from, m) -> t.check(m))
                .thenCompose(v -> gossip.subscribe(TOPIC, d -> {}))
                .thenApply(v -> t);
    }

    CaughtLog caught() {
        return caught;
    }

    /** Publishes evidence this node checked itself (and counts it here, as peers will). */
    void publish(Wire.Evidence e) {
        caught.record(e.receipt().epoch(), e.subnetNodeId());
        gossip.publish(TOPIC, Wire.encode(e)).whenComplete((id, err) -> {
            if (err != null) log.warn("evidence against node {} not published: {}", e.subnetNodeId(), err.toString());
        });
    }

    CompletableFuture<ValidationResult> check(Rpc.Message m) {
        byte[] from = m.from();
        if (from == null) return done(ValidationResult.REJECT);
        Wire.Evidence e;
        PeerId sender;
        PeerId accused;
        try {
            e = Wire.decodeEvidence(m.data());
            sender = PeerId.fromBytes(from);
            accused = PeerId.parse(e.peerId());
        } catch (IllegalArgumentException ex) {
            return done(ValidationResult.REJECT);
        }
        if (e.subnetId() != tracker.subnetId()) return done(ValidationResult.REJECT);
        Optional<EpochEvent> current = tracker.current();
        Optional<EpochPosition> now = tracker.position();
        if (current.isEmpty() || now.isEmpty()) return done(ValidationResult.IGNORE);
        if (current.get().snapshot().nodeByPeerId(sender.toBase58()).isEmpty()) return done(ValidationResult.IGNORE);
        Optional<SubnetNodeInfo> node = current.get().snapshot().node(e.subnetNodeId());
        if (node.isEmpty()) return done(ValidationResult.IGNORE);
        if (!node.get().node().peerInfo().peerId().equals(e.peerId())) return done(ValidationResult.REJECT);
        long epoch = e.receipt().epoch();
        long ours = now.get().epoch();
        if (epoch < ours - 1 || epoch > ours + 1) return done(ValidationResult.IGNORE);
        if (caught.isCaught(epoch, e.subnetNodeId())) return done(ValidationResult.IGNORE); // nothing new
        if (!e.receipt().signedBy(accused)) return done(ValidationResult.REJECT);
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        long later = tracker.position().map(p -> p.epoch()).orElse(ours);
                        if (epoch < later - 1) return ValidationResult.IGNORE; // waited too long: stale now
                        List<Integer> wrong = e.receipt().wrong(reference, TOLERANCE);
                        if (wrong.isEmpty()) {
                            log.warn(
                                    "false accusation of node {} from {}: its embeddings are right",
                                    e.subnetNodeId(),
                                    sender);
                            return ValidationResult.REJECT;
                        }
                        if (caught.record(epoch, e.subnetNodeId()))
                            log.info(
                                    "node {} caught serving wrong embeddings in epoch {} (reported by {})",
                                    e.subnetNodeId(),
                                    epoch,
                                    sender);
                        return ValidationResult.ACCEPT;
                    },
                    Work.POOL);
        } catch (RejectedExecutionException ex) {
            return done(ValidationResult.IGNORE); // too much to check right now
        }
    }

    private static CompletableFuture<ValidationResult> done(ValidationResult r) {
        return CompletableFuture.completedFuture(r);
    }

    @Override
    public void close() {
        gossip.unsubscribe(TOPIC);
    }
}
