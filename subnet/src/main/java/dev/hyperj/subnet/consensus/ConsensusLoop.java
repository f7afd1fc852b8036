package dev.hyperj.subnet.consensus;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * reported to {@link #onOutcome} listeners. The decisions are {@link EpochDuty}'s, a state machine
 * without I/O; this class does the reads, the waiting for blocks and the submissions it asks for.
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

    /** Carries out {@link EpochDuty}'s steps for one epoch: the reads, waits and submissions it asks for. */
    void runEpoch(EpochEvent ev) throws InterruptedException {
        int subnetId = ev.subnetId();
        long epoch = ev.epoch();
        EpochDuty duty = new EpochDuty(ev, peerId, attestWindow);
        EpochDuty.Step step = duty.start();
        while (true) {
            switch (step) {
                case EpochDuty.Score s -> step = duty.onScores(scorer.score(s.epoch(), ev.snapshot()));
                case EpochDuty.ReadElected r -> step = duty.onElected(chain.electedValidator(subnetId, epoch));
                case EpochDuty.ReadSubmission r ->
                    step = duty.onSubmission(chain.validatorsAndAttestors(subnetId, epoch));
                case EpochDuty.AwaitBlock a -> step = duty.onBlock(awaitNextBlock());
                case EpochDuty.Submit s -> step = duty.onSubmitted(submit(s.call()));
                case EpochDuty.Done d -> {
                    d.outcome().ifPresent(this::report);
                    return;
                }
            }
        }
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

    /**
     * Waits for a block after the newest one seen and returns its number; at close, a number past
     * any limit (so the epoch's duty gives up as when its time is over).
     */
    private long awaitNextBlock() throws InterruptedException {
        synchronized (blockSignal) {
            long seen = lastBlock;
            while (lastBlock <= seen && !closed.get()) blockSignal.wait(1000);
            return closed.get() ? Long.MAX_VALUE : lastBlock;
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
