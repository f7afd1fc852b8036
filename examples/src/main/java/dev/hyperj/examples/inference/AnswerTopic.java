package dev.hyperj.examples.inference;

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
 * The {@value EpochAnswer#TOPIC} topic: at every epoch event this node publishes its model's answer
 * to the epoch's {@link Challenge}, and records every valid answer it hears in an {@link AnswerLog}.
 *
 * <p>The validator only checks who is speaking, never whether the answer is right: a wrong answer is
 * accepted and forwarded like a right one, so that every peer sees it and scores it the same way.
 * REJECT (the sender is penalised): not an answer, another subnet, or a signer who is not the
 * on-chain node it names. IGNORE: an unknown signer (registered after this epoch's snapshot), an
 * epoch other than this one or the next (a peer one block ahead at the boundary), or no news
 * (a repeat, or more after proof of equivocation).
 */
final class AnswerTopic implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AnswerTopic.class);

    private final GossipSub gossip;
    private final EpochTracker tracker;
    private final PeerId self;
    private final InferenceModel model;
    private final AnswerLog answers = new AnswerLog();
    private volatile AutoCloseable epochs;

    private AnswerTopic(GossipSub gossip, EpochTracker tracker, PeerId self, InferenceModel model) {
        this.gossip = gossip;
        this.tracker = tracker;
        this.self = self;
        this.model = model;
    }

    /** Installs the validator, subscribes, and answers each epoch's challenge with {@code model} from now on. */
    static CompletableFuture<AnswerTopic> join(
            GossipSub gossip, EpochTracker tracker, PeerId self, InferenceModel model) {
        AnswerTopic t = new AnswerTopic(gossip, tracker, self, model);
        return gossip.setValidator(EpochAnswer.TOPIC, (from, m) -> CompletableFuture.completedFuture(t.check(m)))
                .thenCompose(v -> gossip.subscribe(EpochAnswer.TOPIC, d -> t.deliver(d.message())))
                .thenApply(v -> {
                    t.epochs = tracker.onEpoch(t::answer);
                    tracker.current().ifPresent(t::answer);
                    return t;
                });
    }

    AnswerLog log() {
        return answers;
    }

    private void answer(EpochEvent ev) {
        Optional<SubnetNodeInfo> me = ev.snapshot().nodeByPeerId(self.toBase58());
        if (me.isEmpty()) return; // not (yet) a node of the subnet: nobody would accept our answer
        EpochAnswer a = new EpochAnswer(
                ev.subnetId(),
                ev.epoch(),
                me.get().node().id(),
                model.infer(Challenge.input(ev.subnetId(), ev.epoch())));
        gossip.publish(EpochAnswer.TOPIC, InferenceCodec.encode(a)).whenComplete((id, err) -> {
            if (err != null) log.warn("answer for epoch {} not published: {}", ev.epoch(), err.toString());
        });
    }

    private void deliver(Rpc.Message m) {
        try {
            EpochAnswer a = InferenceCodec.decodeAnswer(m.data());
            answers.record(a.epoch(), a.subnetNodeId(), a.inference());
        } catch (InferenceFormatException e) {
            log.debug("undecodable answer delivered: {}", e.getMessage()); // validated, or our own: should not happen
        }
    }

    ValidationResult check(Rpc.Message m) {
        EpochAnswer a;
        PeerId sender;
        byte[] from = m.from();
        if (from == null) return ValidationResult.REJECT; // unsigned: nobody to hold to the answer
        try {
            a = InferenceCodec.decodeAnswer(m.data());
            sender = PeerId.fromBytes(from);
        } catch (IllegalArgumentException e) {
            return ValidationResult.REJECT;
        }
        ValidationResult sent = NodeMessages.check(tracker, sender, a.subnetId(), a.subnetNodeId(), a.epoch());
        if (sent != ValidationResult.ACCEPT) return sent;
        return answers.isNews(a.epoch(), a.subnetNodeId(), a.inference())
                ? ValidationResult.ACCEPT
                : ValidationResult.IGNORE;
    }

    @Override
    public void close() {
        AutoCloseable e = epochs;
        if (e != null) {
            try {
                e.close();
            } catch (Exception ex) {
                log.debug("closing: {}", ex.toString());
            }
        }
        gossip.unsubscribe(EpochAnswer.TOPIC);
    }
}
