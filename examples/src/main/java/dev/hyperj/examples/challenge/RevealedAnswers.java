package dev.hyperj.examples.challenge;

import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.commit.CommitReveal;
import dev.hyperj.subnet.dag.commit.CommitWindow;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subnet's epoch challenge answered through the framework's commit/reveal: at the start of each
 * epoch this node computes its answer and commits {@code {"subnet_id", "epoch", "subnet_node_id",
 * ...answer}} (in the application's {@link Format}); the framework reveals it at mid-epoch. Until
 * then no one has seen anyone's answer, so a node that would rather copy than compute has nothing
 * to copy while commits are open, and a reveal not committed in time counts for nothing. The
 * answers that count are the valid reveals of this subnet and epoch, each naming the subnet node
 * that revealed it.
 *
 * @param <A> what an answer is (an inference's output, the hash of an embedding)
 */
public final class RevealedAnswers<A> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RevealedAnswers.class);

    /** One node's answer as committed: for which subnet and epoch, by which subnet node, and what. */
    public record Answer<A>(int subnetId, long epoch, int subnetNodeId, A value) {}

    /** How the application writes an answer into a commitment and reads it back from a reveal. */
    public interface Format<A> {
        /** The JSON object committed, in UTF-8. */
        byte[] encode(Answer<A> answer);

        /** The answer a reveal holds; {@link IllegalArgumentException} if it holds none. */
        Answer<A> decode(byte[] json);
    }

    private final CommitReveal commits;
    private final EpochTracker tracker;
    private final String self;
    private final Function<EpochEvent, A> compute;
    private final Format<A> format;
    private final Executor work;
    private final AutoCloseable epochs;
    private volatile boolean closed;

    /**
     * Commits {@code compute}'s answer at each new epoch (and for the current one, if any), run on
     * {@code work}: the tracker's thread itself ({@code Runnable::run}) for a cheap answer, a thread
     * of the application's for one that takes a while. {@code compute} may throw when it cannot
     * answer (the epoch is then left unanswered, which every node sees alike).
     */
    public RevealedAnswers(
            CommitReveal commits,
            EpochTracker tracker,
            String selfPeerId,
            Function<EpochEvent, A> compute,
            Format<A> format,
            Executor work) {
        this.commits = commits;
        this.tracker = tracker;
        this.self = selfPeerId;
        this.compute = compute;
        this.format = format;
        this.work = work;
        this.epochs = tracker.onEpoch(this::commitSoon);
        tracker.current().ifPresent(this::commitSoon);
    }

    private void commitSoon(EpochEvent ev) {
        try {
            work.execute(() -> commit(ev));
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
            Answer<A> a =
                    new Answer<>(ev.subnetId(), ev.epoch(), me.get().node().id(), compute.apply(ev));
            commits.commit(ev.epoch(), CanonicalJson.parse(format.encode(a)));
        } catch (RuntimeException e) {
            // most often the window closed while the answer was computed (a node still loading its model), or
            // the chain could not be read: the node scores nothing this epoch, and every node sees the same
            // reveals, so consensus holds
            if (!closed) log.info("challenge answer for epoch {} not committed: {}", ev.epoch(), e.getMessage());
        }
    }

    /** The revealed answers of {@code epoch} that count, by the revealing node's subnet node id. */
    public Map<Integer, A> answers(long epoch) {
        Map<Integer, A> out = new TreeMap<>();
        for (var e : commits.reveals(epoch).entrySet()) {
            try {
                Answer<A> a = format.decode(CanonicalJson.encode(e.getValue()));
                Optional<SubnetNodeInfo> who =
                        tracker.current().flatMap(c -> c.snapshot().nodeByPeerId(e.getKey()));
                if (a.epoch() == epoch
                        && a.subnetId() == tracker.subnetId()
                        && who.isPresent()
                        && who.get().node().id() == a.subnetNodeId()) out.put(a.subnetNodeId(), a.value());
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
