package dev.hyperj.subnet.consensus;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.NetworkReads.ElectedValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import dev.hyperj.subnet.consensus.ConsensusLoop.Action;
import dev.hyperj.subnet.consensus.ConsensusLoop.Outcome;
import dev.hyperj.subnet.epoch.EpochEvent;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One node's consensus duty in one subnet epoch, decided without I/O (as {@code GossipRouter}
 * decides gossip): {@link ConsensusLoop} reads the chain, waits for blocks and submits calls; this
 * says which of those to do next from what the loop learnt, until a step is {@link Done}. Tests
 * drive it with plain values. The rules are {@link ConsensusLoop}'s.
 *
 * <p>Not thread-safe: one epoch's thread drives it.
 */
final class EpochDuty {

    /** What the loop does next. */
    sealed interface Step {}

    /** Score epoch {@code epoch} with the application's scorer and pass the scores to {@link #onScores}. */
    record Score(long epoch) implements Step {}

    /** Read the epoch's elected validator and pass the answer to {@link #onElected}. */
    record ReadElected() implements Step {}

    /** Read the epoch's consensus submission and pass the answer to {@link #onSubmission}. */
    record ReadSubmission() implements Step {}

    /** Wait for a block after the newest one seen and pass its number to {@link #onBlock}. */
    record AwaitBlock() implements Step {}

    /** Sign and submit {@code call}, then pass its error (empty: included without one) to {@link #onSubmitted}. */
    record Submit(Call call) implements Step {}

    /**
     * The epoch's work is over. {@code outcome} is empty only when this node had attested already
     * (a restart within the epoch): there is nothing new to say.
     */
    record Done(Optional<Outcome> outcome) implements Step {}

    private enum Phase {
        START,
        SCORING,
        AWAIT_ELECTED,
        AWAIT_SUBMISSION,
        PROPOSING,
        ATTESTING,
        DONE
    }

    private final EpochEvent event;
    private final String peerId;
    private final long epochEnd;
    private final long windowEnd;
    private Phase phase = Phase.START;
    private int myId = -1;
    private List<NodeScore> scores = List.of();

    /**
     * @param event        the epoch, with the chain's view of the subnet at its start
     * @param peerId       this node's main peer id as registered on chain
     * @param attestWindow the share of the epoch, from its start, in which this node attests, in (0, 1]
     */
    EpochDuty(EpochEvent event, String peerId, double attestWindow) {
        if (!(attestWindow > 0 && attestWindow <= 1)) throw new IllegalArgumentException("attest window in (0, 1]");
        this.event = Objects.requireNonNull(event);
        this.peerId = Objects.requireNonNull(peerId);
        this.epochEnd = event.position().nextEpochBlock();
        this.windowEnd = event.position().epochStartBlock()
                + (long) Math.ceil(attestWindow * event.position().epochLength());
    }

    /** The first step: nothing unless the subnet is Active and this node at least Idle, else score the previous epoch. */
    Step start() {
        expect(Phase.START);
        Optional<SubnetNodeInfo> me = event.snapshot().nodeByPeerId(peerId);
        boolean active = event.snapshot()
                .subnet()
                .map(s -> s.subnet().state() == SubnetState.Active)
                .orElse(false);
        if (!active || me.isEmpty() || me.get().node().nodeClass().compareTo(NodeClass.Idle) < 0) {
            String why = !active
                    ? "subnet not active"
                    : me.isEmpty()
                            ? "not a node of the subnet"
                            : "class " + me.get().node().nodeClass();
            return done(me.map(n -> n.node().id()).orElse(-1), Action.NOT_ELIGIBLE, Optional.of(why));
        }
        myId = me.get().node().id();
        if (event.epoch() == 0) { // nothing before the first epoch to score
            phase = Phase.AWAIT_ELECTED;
            return new ReadElected();
        }
        phase = Phase.SCORING;
        return new Score(event.epoch() - 1);
    }

    /** The application's scores of the previous epoch: next, the elected validator. */
    Step onScores(List<NodeScore> scores) {
        expect(Phase.SCORING);
        this.scores = List.copyOf(scores);
        phase = Phase.AWAIT_ELECTED;
        return new ReadElected();
    }

    /** The chain's elected validator (empty: not chosen yet): propose if it is this node, else look for its submission. */
    Step onElected(Optional<ElectedValidatorInfo> elected) {
        expect(Phase.AWAIT_ELECTED);
        if (elected.isEmpty()) return new AwaitBlock();
        if (elected.get().node().node().id() == myId) {
            phase = Phase.PROPOSING;
            return new Submit(new Call.ProposeAttestation(
                    event.subnetId(),
                    myId,
                    scores,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()));
        }
        phase = Phase.AWAIT_SUBMISSION;
        return new ReadSubmission();
    }

    /**
     * A new block: read again while there is time (the elected validator until the epoch ends, the
     * submission until the attest window closes), else give up.
     */
    Step onBlock(long block) {
        return switch (phase) {
            case AWAIT_ELECTED -> block < epochEnd ? new ReadElected() : done(Action.NO_ELECTED_VALIDATOR);
            case AWAIT_SUBMISSION -> block < windowEnd ? new ReadSubmission() : done(Action.NO_SUBMISSION_IN_WINDOW);
            default -> throw new IllegalStateException("no block awaited in phase " + phase);
        };
    }

    /** The elected validator's submission (empty: none yet): attest if it is exactly ours and carries no queue operations. */
    Step onSubmission(Optional<ValidatorsAndAttestors> found) {
        expect(Phase.AWAIT_SUBMISSION);
        if (found.isEmpty()) return new AwaitBlock();
        ConsensusSubmission s = found.get().submission();
        if (!s.validatorSet().contains(myId)) return done(Action.NOT_A_VALIDATOR);
        if (s.attests().containsKey(myId)) { // attested before a restart within the epoch
            phase = Phase.DONE;
            return new Done(Optional.empty());
        }
        if (s.prioritizeQueueNodeId().isPresent() || s.removeQueueNodeId().isPresent())
            return done(myId, Action.QUEUE_OPERATIONS, Optional.of("the proposal carries queue operations"));
        Map<Integer, BigInteger> proposed = asSet(s.data()), ours = asSet(scores);
        if (!ours.equals(proposed))
            return done(myId, Action.MISMATCH, Optional.of("proposed " + proposed + ", ours " + ours));
        phase = Phase.ATTESTING;
        return new Submit(new Call.Attest(event.subnetId(), myId, Optional.empty()));
    }

    /** The submitted call's result: empty if it was included without error, else why not. */
    Step onSubmitted(Optional<String> error) {
        Action action = switch (phase) {
            case PROPOSING -> error.isEmpty() ? Action.PROPOSED : Action.PROPOSE_FAILED;
            case ATTESTING -> error.isEmpty() ? Action.ATTESTED : Action.ATTEST_FAILED;
            default -> throw new IllegalStateException("nothing submitted in phase " + phase);
        };
        return done(myId, action, error);
    }

    /** Node id to score; the chain keeps one entry per node, so duplicates collapse to the lowest as it does. */
    static Map<Integer, BigInteger> asSet(List<NodeScore> scores) {
        Map<Integer, BigInteger> m = new TreeMap<>();
        for (NodeScore s : scores) m.merge(s.subnetNodeId(), s.score(), BigInteger::min);
        return m;
    }

    private Done done(Action action) {
        return done(myId, action, Optional.empty());
    }

    private Done done(int nodeId, Action action, Optional<String> detail) {
        phase = Phase.DONE;
        return new Done(Optional.of(new Outcome(event.epoch(), nodeId, action, scores, detail)));
    }

    private void expect(Phase p) {
        if (phase != p) throw new IllegalStateException("expected phase " + p + ", in " + phase);
    }
}
