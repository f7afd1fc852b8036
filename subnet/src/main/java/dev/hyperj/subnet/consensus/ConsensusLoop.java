package dev.hyperj.subnet.consensus;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.NetworkReads.ElectedValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in its subnet's consensus, once per subnet epoch (SUBNET.md):
 * <ol>
 * <li>nothing until the subnet is Active and this node is at least Idle;</li>
 * <li>score the previous epoch with the application's {@link Scorer};</li>
 * <li>wait for the chain's elected validator of the epoch (re-read at every block, until the epoch ends);</li>
 * <li>elected: submit {@code ProposeAttestation} once with the scores (an empty list is allowed);</li>
 * <li>otherwise, while the epoch is less than {@code attestWindow} (25%) through: read the submission
 *     and attest if its (node id, score) set equals ours exactly (two empty sets are equal) and it
 *     carries no queue operations.</li>
 * </ol>
 * Each epoch runs on a virtual thread; a new epoch ends the previous one's work. Outcomes are
 * reported to {@link #onOutcome} listeners.
 */
public final class ConsensusLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsensusLoop.class);

    /** What this node did in an epoch. */
    public enum Action {
        NOT_ELIGIBLE,
        NO_ELECTED_VALIDATOR,
        PROPOSED,
        PROPOSE_FAILED,
        ATTESTED,
        ATTEST_FAILED,
        MISMATCH,
        QUEUE_OPERATIONS,
        NOT_A_VALIDATOR,
        NO_SUBMISSION_IN_WINDOW
    }

    /** The outcome of one epoch for this node: what it did and the scores it computed. */
    public record Outcome(
            long epoch, int subnetNodeId, Action action, List<NodeScore> scores, Optional<String> detail) {
        public Outcome {
            scores = List.copyOf(scores);
        }
    }

    private final ChainClient chain;
    private final EpochTracker tracker;
    private final Signer signer;
    private final String peerId;
    private final Scorer scorer;
    private final double attestWindow;
    private final Duration txTimeout;
    private final List<Consumer<Outcome>> listeners = new CopyOnWriteArrayList<>();
    private final Object blockSignal = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastBlock = -1;
    private volatile Thread running;
    private AutoCloseable epochSub;
    private AutoCloseable blockSub;

    private ConsensusLoop(
            ChainClient chain,
            EpochTracker tracker,
            Signer signer,
            String peerId,
            Scorer scorer,
            double attestWindow,
            Duration txTimeout) {
        this.chain = chain;
        this.tracker = tracker;
        this.signer = signer;
        this.peerId = peerId;
        this.scorer = scorer;
        this.attestWindow = attestWindow;
        this.txTimeout = txTimeout;
    }

    /**
     * Starts taking part from the next epoch event on.
     *
     * @param signer the key the chain knows as this node's signing key (its hotkey, or its validator's)
     * @param peerId this node's peer id, as registered on chain
     */
    public static ConsensusLoop start(
            ChainClient chain, EpochTracker tracker, Signer signer, String peerId, Scorer scorer) {
        return start(chain, tracker, signer, peerId, scorer, 0.25, Duration.ofSeconds(60));
    }

    public static ConsensusLoop start(
            ChainClient chain,
            EpochTracker tracker,
            Signer signer,
            String peerId,
            Scorer scorer,
            double attestWindow,
            Duration txTimeout) {
        if (!(attestWindow > 0 && attestWindow <= 1)) throw new IllegalArgumentException("attest window in (0, 1]");
        ConsensusLoop l = new ConsensusLoop(
                chain,
                tracker,
                Objects.requireNonNull(signer),
                Objects.requireNonNull(peerId),
                Objects.requireNonNull(scorer),
                attestWindow,
                txTimeout);
        l.blockSub = tracker.onBlock(l::onBlock);
        l.epochSub = tracker.onEpoch(l::onEpoch);
        return l;
    }

    public AutoCloseable onOutcome(Consumer<Outcome> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void onBlock(EpochPosition p) {
        synchronized (blockSignal) {
            lastBlock = p.block();
            blockSignal.notifyAll();
        }
    }

    private void onEpoch(EpochEvent ev) {
        if (closed.get()) return;
        Thread previous = running;
        if (previous != null) previous.interrupt(); // its epoch is over
        running = Thread.ofVirtual()
                .name("consensus-" + ev.subnetId() + "-" + ev.epoch())
                .start(() -> {
                    try {
                        runEpoch(ev);
                    } catch (InterruptedException e) {
                        log.debug("epoch {} work ended by the next epoch", ev.epoch());
                    } catch (RuntimeException e) {
                        if (closed.get() || Thread.currentThread().isInterrupted()) {
                            log.debug(
                                    "epoch {} work ended by close or the next epoch: {}",
                                    ev.epoch(),
                                    e.toString()); // a chain call cut short on purpose
                            return;
                        }
                        log.warn("consensus in epoch {} failed: {}", ev.epoch(), e.toString(), e);
                    }
                });
    }

    private void report(Outcome o) {
        log.info(
                "subnet {} epoch {} node {}: {}{}",
                tracker.subnetId(),
                o.epoch(),
                o.subnetNodeId(),
                o.action(),
                o.detail().map(d -> " (" + d + ")").orElse(""));
        for (Consumer<Outcome> l : listeners) {
            try {
                l.accept(o);
            } catch (RuntimeException e) {
                log.warn("outcome listener failed: {}", e.toString());
            }
        }
    }

    void runEpoch(EpochEvent ev) throws InterruptedException {
        long epoch = ev.epoch();
        int subnetId = ev.subnetId();
        Optional<SubnetNodeInfo> me = ev.snapshot().nodeByPeerId(peerId);
        boolean active = ev.snapshot()
                .subnet()
                .map(s -> s.subnet().state() == SubnetState.Active)
                .orElse(false);
        if (!active || me.isEmpty() || me.get().node().nodeClass().compareTo(NodeClass.Idle) < 0) {
            report(new Outcome(
                    epoch,
                    me.map(n -> n.node().id()).orElse(-1),
                    Action.NOT_ELIGIBLE,
                    List.of(),
                    Optional.of(
                            !active
                                    ? "subnet not active"
                                    : me.isEmpty()
                                            ? "not a node of the subnet"
                                            : "class " + me.get().node().nodeClass())));
            return;
        }
        int myId = me.get().node().id();
        List<NodeScore> scores = epoch == 0 ? List.of() : scorer.score(epoch - 1, ev.snapshot());
        long epochEnd = ev.position().nextEpochBlock();

        Optional<ElectedValidatorInfo> elected = chain.electedValidator(subnetId, epoch);
        while (elected.isEmpty()) {
            if (!awaitBlockAfter(lastBlock, epochEnd)) {
                report(new Outcome(epoch, myId, Action.NO_ELECTED_VALIDATOR, scores, Optional.empty()));
                return;
            }
            elected = chain.electedValidator(subnetId, epoch);
        }
        if (elected.get().node().node().id() == myId) {
            propose(epoch, subnetId, myId, scores);
            return;
        }
        long windowEnd = ev.position().epochStartBlock()
                + (long) Math.ceil(attestWindow * ev.position().epochLength());
        while (true) {
            Optional<ValidatorsAndAttestors> sub = chain.validatorsAndAttestors(subnetId, epoch);
            if (sub.isPresent()) {
                attestIfAgreed(epoch, subnetId, myId, scores, sub.get().submission());
                return;
            }
            if (!awaitBlockAfter(lastBlock, windowEnd)) {
                report(new Outcome(epoch, myId, Action.NO_SUBMISSION_IN_WINDOW, scores, Optional.empty()));
                return;
            }
        }
    }

    private void propose(long epoch, int subnetId, int myId, List<NodeScore> scores) throws InterruptedException {
        Call.ProposeAttestation call = new Call.ProposeAttestation(
                subnetId, myId, scores, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        Optional<String> error = submit(call);
        report(new Outcome(epoch, myId, error.isEmpty() ? Action.PROPOSED : Action.PROPOSE_FAILED, scores, error));
    }

    private void attestIfAgreed(long epoch, int subnetId, int myId, List<NodeScore> mine, ConsensusSubmission s)
            throws InterruptedException {
        if (!s.validatorSet().contains(myId)) {
            report(new Outcome(epoch, myId, Action.NOT_A_VALIDATOR, mine, Optional.empty()));
            return;
        }
        if (s.attests().containsKey(myId)) return; // already attested (a restart within the epoch)
        if (s.prioritizeQueueNodeId().isPresent() || s.removeQueueNodeId().isPresent()) {
            report(new Outcome(
                    epoch, myId, Action.QUEUE_OPERATIONS, mine, Optional.of("the proposal carries queue operations")));
            return;
        }
        if (!asSet(mine).equals(asSet(s.data()))) {
            report(new Outcome(
                    epoch,
                    myId,
                    Action.MISMATCH,
                    mine,
                    Optional.of("proposed " + asSet(s.data()) + ", ours " + asSet(mine))));
            return;
        }
        Optional<String> error = submit(new Call.Attest(subnetId, myId, Optional.empty()));
        report(new Outcome(epoch, myId, error.isEmpty() ? Action.ATTESTED : Action.ATTEST_FAILED, mine, error));
    }

    /** Node id to score; the chain keeps one entry per node, so duplicates collapse to the lowest as it does. */
    static Map<Integer, BigInteger> asSet(List<NodeScore> scores) {
        Map<Integer, BigInteger> m = new TreeMap<>();
        for (NodeScore s : scores) m.merge(s.subnetNodeId(), s.score(), BigInteger::min);
        return m;
    }

    private Optional<String> submit(Call call) throws InterruptedException {
        try {
            TxResult r = chain.submit(signer, call).get(txTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return r.message();
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.of(String.valueOf(e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
            return Optional.of("not in a block within " + txTimeout);
        }
    }

    /** Waits for a block after {@code seen}; false once {@code limit} is reached without one (or at close). */
    private boolean awaitBlockAfter(long seen, long limit) throws InterruptedException {
        synchronized (blockSignal) {
            while (lastBlock <= seen && !closed.get()) blockSignal.wait(1000);
            return !closed.get() && lastBlock < limit;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (AutoCloseable c : new AutoCloseable[] {epochSub, blockSub}) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                log.debug("closing: {}", e.toString());
            }
        }
        synchronized (blockSignal) {
            blockSignal.notifyAll();
        }
        Thread t = running;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
