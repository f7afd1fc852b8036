package dev.hyperj.examples.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.commit.CommitReveal;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers through the framework's commit/reveal: at the start of each epoch this node commits its
 * model's answer to the epoch's {@link Challenge} (as {@link EpochAnswer} JSON); the framework
 * reveals it at mid-epoch. Until then nobody has seen anyone's answer, so a node that wants to copy
 * an honest answer instead of running the model has nothing to copy while commits are open, and a
 * reveal it did not commit to in time counts for nothing. The answers that count are the valid
 * reveals, each naming the subnet node that revealed it.
 */
final class RevealedAnswers implements AnswerSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RevealedAnswers.class);

    private final CommitReveal commits;
    private final EpochTracker tracker;
    private final String self;
    private final InferenceModel model;
    private final AutoCloseable epochs;

    RevealedAnswers(CommitReveal commits, EpochTracker tracker, String selfPeerId, InferenceModel model) {
        this.commits = commits;
        this.tracker = tracker;
        this.self = selfPeerId;
        this.model = model;
        this.epochs = tracker.onEpoch(this::commit);
        tracker.current().ifPresent(this::commit);
    }

    private void commit(EpochEvent ev) {
        Optional<SubnetNodeInfo> me = ev.snapshot().nodeByPeerId(self);
        if (me.isEmpty()) return; // not (yet) a node of the subnet
        EpochAnswer a = new EpochAnswer(
                ev.subnetId(),
                ev.epoch(),
                me.get().node().id(),
                model.infer(Challenge.input(ev.subnetId(), ev.epoch())));
        try {
            commits.commit(ev.epoch(), CanonicalJson.parse(InferenceCodec.encode(a)));
        } catch (RuntimeException e) {
            log.warn("answer for epoch {} not committed: {}", ev.epoch(), e.getMessage());
        }
    }

    /** The revealed answers of {@code epoch} that count, by the revealing node's subnet node id. */
    @Override
    public Map<Integer, Inference> answers(long epoch) {
        Map<Integer, Inference> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : commits.reveals(epoch).entrySet()) {
            try {
                EpochAnswer a = InferenceCodec.decodeAnswer(CanonicalJson.encode(e.getValue()));
                Optional<SubnetNodeInfo> who =
                        tracker.current().flatMap(c -> c.snapshot().nodeByPeerId(e.getKey()));
                if (a.epoch() == epoch && who.isPresent() && who.get().node().id() == a.subnetNodeId())
                    out.put(a.subnetNodeId(), a.inference());
            } catch (IllegalArgumentException ex) {
                log.debug("reveal of {} is not an answer: {}", e.getKey(), ex.getMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            epochs.close();
        } catch (Exception e) {
            log.debug("closing: {}", e.toString());
        }
    }
}
