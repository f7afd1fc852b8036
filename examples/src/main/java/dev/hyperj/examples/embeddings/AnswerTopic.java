package dev.hyperj.examples.embeddings;

import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.gossipsub.ValidationResult;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.consensus.NodeMessages;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #TOPIC} topic: at each epoch this node publishes the hash of its embedding of the
 * epoch's {@link Challenge}, and records every valid answer heard. The validator checks who speaks,
 * never whether the answer is right (a wrong answer is forwarded so that every peer scores it the
 * same way): REJECT for a non-answer, another subnet or a signer who is not the node it names;
 * IGNORE for an unknown signer, another epoch than this one or the next, or a repeat.
 */
final class AnswerTopic implements AutoCloseable {
    static final String TOPIC = "embeddings-answers";
    private static final Logger log = LoggerFactory.getLogger(AnswerTopic.class);

    private final GossipSub gossip;
    private final EpochTracker tracker;
    private final PeerId self;
    private final Embedder model;
    private final AnswerLog answers = new AnswerLog();
    private volatile AutoCloseable epochs;
    private volatile boolean closed;

    private AnswerTopic(GossipSub gossip, EpochTracker tracker, PeerId self, Embedder model) {
        this.gossip = gossip;
        this.tracker = tracker;
        this.self = self;
        this.model = model;
    }

    /** Installs the validator, subscribes, and answers each epoch's challenge with {@code model} from now on. */
    static CompletableFuture<AnswerTopic> join(GossipSub gossip, EpochTracker tracker, PeerId self, Embedder model) {
        AnswerTopic t = new AnswerTopic(gossip, tracker, self, model);
        return gossip.setValidator(TOPIC, (from, m) -> CompletableFuture.completedFuture(t.check(m)))
                .thenCompose(v -> gossip.subscribe(TOPIC, d -> t.deliver(d.message())))
                .thenApply(v -> {
                    t.epochs = tracker.onEpoch(ev -> Work.POOL.execute(() -> t.answer(ev)));
                    tracker.current().ifPresent(ev -> Work.POOL.execute(() -> t.answer(ev)));
                    return t;
                });
    }

    AnswerLog log() {
        return answers;
    }

    private void answer(EpochEvent ev) {
        if (closed) return;
        try {
            Optional<SubnetNodeInfo> me = ev.snapshot().nodeByPeerId(self.toBase58());
            if (me.isEmpty()) return; // not (yet) a node of the subnet: nobody would accept our answer
            Wire.Answer a = new Wire.Answer(
                    ev.subnetId(),
                    ev.epoch(),
                    me.get().node().id(),
                    Challenge.answer(model, ev.subnetId(), ev.epoch()));
            answers.record(a.epoch(), a.subnetNodeId(), a.hash());
            gossip.publish(TOPIC, Wire.encode(a)).whenComplete((id, err) -> {
                if (err != null && !closed)
                    log.warn("challenge answer for epoch {} not published: {}", ev.epoch(), err.toString());
            });
        } catch (RuntimeException e) {
            log.warn("challenge of epoch {} not answered: {}", ev.epoch(), e.toString());
        }
    }

    private void deliver(Rpc.Message m) {
        try {
            Wire.Answer a = Wire.decodeAnswer(m.data());
            answers.record(a.epoch(), a.subnetNodeId(), a.hash());
        } catch (EmbeddingsException e) {
            log.debug("undecodable answer delivered: {}", e.getMessage());
        }
    }

    ValidationResult check(Rpc.Message m) {
        byte[] from = m.from();
        if (from == null) return ValidationResult.REJECT;
        Wire.Answer a;
        PeerId sender;
        try {
            a = Wire.decodeAnswer(m.data());
            sender = PeerId.fromBytes(from);
        } catch (IllegalArgumentException e) {
            return ValidationResult.REJECT;
        }
        ValidationResult sent = NodeMessages.check(tracker, sender, a.subnetId(), a.subnetNodeId(), a.epoch());
        if (sent != ValidationResult.ACCEPT) return sent;
        return answers.isNews(a.epoch(), a.subnetNodeId(), a.hash())
                ? ValidationResult.ACCEPT
                : ValidationResult.IGNORE;
    }

    @Override
    public void close() {
        closed = true;
        AutoCloseable e = epochs;
        if (e != null) {
            try {
                e.close();
            } catch (Exception ex) {
                log.debug("closing: {}", ex.toString());
            }
        }
        gossip.unsubscribe(TOPIC);
    }
}
