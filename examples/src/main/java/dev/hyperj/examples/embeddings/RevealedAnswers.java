package dev.hyperj.examples.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.commit.CommitReveal;
import dev.hyperj.subnet.dag.commit.CommitWindow;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Challenge answers through the framework's commit/reveal: at the start of each epoch this node
 * commits {@code {"subnet_id", "epoch", "subnet_node_id", "answer": "sha256:..."}}, the hash of its
 * embedding of the epoch's {@link Challenge}; the framework reveals it at mid-epoch. Until then no
 * one has seen anyone's answer, so a node that would rather copy than compute has nothing to copy
 * while commits are open. The answers that count are the valid reveals, each naming the subnet node
 * that revealed it.
 */
final class RevealedAnswers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RevealedAnswers.class);

    private final CommitReveal commits;
    private final EpochTracker tracker;
    private final String self;
    private final Embedder model;
    private final AutoCloseable epochs;
    private volatile boolean closed;

    RevealedAnswers(CommitReveal commits, EpochTracker tracker, String selfPeerId, Embedder model) {
        this.commits = commits;
        this.tracker = tracker;
        this.self = selfPeerId;
        this.model = model;
        this.epochs = tracker.onEpoch(this::commitSoon);
        tracker.current().ifPresent(this::commitSoon);
    }

    /** Off the tracker's thread: the reference takes a moment. */
    private void commitSoon(EpochEvent ev) {
        try {
            Work.CHALLENGES.execute(() -> commit(ev));
        } catch (RejectedExecutionException e) {
            log.warn("challenge of epoch {} not answered: too much work queued", ev.epoch());
        }
    }

    private void commit(EpochEvent ev) {
        if (closed) return;
        if (!tracker.position()
                .map(p -> CommitWindow.commitCounts(ev.epoch(), p))
                .orElse(false)) {
            log.info("challenge of epoch {} not answered: its commit window closed before we got to it", ev.epoch());
            return;
        }
        Optional<SubnetNodeInfo> me = ev.snapshot().nodeByPeerId(self);
        if (me.isEmpty()) return; // not (yet) a node of the subnet
        try {
            Wire.Answer a = new Wire.Answer(
                    ev.subnetId(),
                    ev.epoch(),
                    me.get().node().id(),
                    Challenge.answer(model, ev.subnetId(), ev.epoch()));
            commits.commit(ev.epoch(), CanonicalJson.parse(Wire.encode(a)));
        } catch (RuntimeException e) {
            // most often the window closed while the reference ran (a node still loading its model): the node
            // scores nothing this epoch, and every node sees the same reveals, so consensus holds
            if (!closed) log.info("challenge answer for epoch {} not committed: {}", ev.epoch(), e.getMessage());
        }
    }

    /** The revealed answers of {@code epoch} that count, by the revealing node's subnet node id. */
    Map<Integer, String> answers(long epoch) {
        Map<Integer, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : commits.reveals(epoch).entrySet()) {
            try {
                Wire.Answer a = Wire.decodeAnswer(CanonicalJson.encode(e.getValue()));
                Optional<SubnetNodeInfo> who =
                        tracker.current().flatMap(c -> c.snapshot().nodeByPeerId(e.getKey()));
                if (a.epoch() == epoch
                        && a.subnetId() == tracker.subnetId()
                        && who.isPresent()
                        && who.get().node().id() == a.subnetNodeId()) out.put(a.subnetNodeId(), a.hash());
            } catch (IllegalArgumentException ex) {
                log.debug("reveal of {} is not an answer: {}", e.getKey(), ex.getMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        try {
            epochs.close();
        } catch (Exception e) {
            log.debug("closing: {}", e.toString());
        }
    }
}
