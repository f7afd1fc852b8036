package dev.hyperj.subnet.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.Attestation;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.Pool;
import dev.hyperj.chain.runtime.Model.Subnet;
import dev.hyperj.chain.runtime.Model.SubnetNode;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.NetworkReads.ElectedValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import dev.hyperj.subnet.consensus.ConsensusLoop.Action;
import dev.hyperj.subnet.consensus.ConsensusLoop.Outcome;
import dev.hyperj.subnet.consensus.EpochDuty.AwaitBlock;
import dev.hyperj.subnet.consensus.EpochDuty.Done;
import dev.hyperj.subnet.consensus.EpochDuty.ReadElected;
import dev.hyperj.subnet.consensus.EpochDuty.ReadSubmission;
import dev.hyperj.subnet.consensus.EpochDuty.Score;
import dev.hyperj.subnet.consensus.EpochDuty.Step;
import dev.hyperj.subnet.consensus.EpochDuty.Submit;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every outcome of a node's epoch, reached by driving {@link EpochDuty} with plain values: no
 * chain, no sockets, no waiting. Subnet 7, slot 3, 20-block epochs, epoch 5 (blocks 103..122, the
 * attest window of 25% is blocks 103..107); node 1 is this node, node 2 another validator, node 3 a
 * newly registered node.
 */
class EpochDutyTest {
    private static final int SUBNET = 7;
    private static final long EPOCH = 5;
    private static final EpochPosition AT = EpochPosition.at(104, 3, 20);
    private static final List<NodeScore> OURS = List.of(score(1, 10), score(2, 20), score(3, 30));

    @Test
    void theElectedNodeProposesItsScoresOfThePreviousEpoch() {
        EpochDuty d = duty(EPOCH, SubnetState.Active, NodeClass.Validator);
        assertThat(d.start()).isEqualTo(new Score(EPOCH - 1));
        assertThat(d.onScores(OURS)).isEqualTo(new ReadElected());
        Step s = d.onElected(elected(1));
        assertThat(s).isInstanceOf(Submit.class);
        Call.ProposeAttestation p = (Call.ProposeAttestation) ((Submit) s).call();
        assertThat(p.subnetId()).isEqualTo(SUBNET);
        assertThat(p.subnetNodeId()).isEqualTo(1);
        assertThat(p.data()).isEqualTo(OURS);
        assertThat(outcome(d.onSubmitted(Optional.empty()))).isEqualTo(outcome(Action.PROPOSED, OURS));
    }

    @Test
    void aProposalTheChainRefusesIsReportedWithItsReason() {
        EpochDuty d = toElected(OURS, 1);
        assertThat(outcome(d.onSubmitted(Optional.of("InvalidSubnetNodeId"))))
                .isEqualTo(new Outcome(EPOCH, 1, Action.PROPOSE_FAILED, OURS, Optional.of("InvalidSubnetNodeId")));
    }

    @Test
    void theFirstEpochHasNothingToScore() {
        EpochDuty d = duty(0, SubnetState.Active, NodeClass.Idle);
        assertThat(d.start()).isEqualTo(new ReadElected());
        assertThat(((Call.ProposeAttestation) ((Submit) d.onElected(elected(1))).call()).data())
                .isEmpty();
    }

    @Test
    void anExactMatchInAnyOrderIsAttested() {
        EpochDuty d = toSubmission(OURS);
        List<NodeScore> proposed = List.of(score(3, 30), score(1, 10), score(2, 20));
        Step s = d.onSubmission(submission(proposed, List.of(1, 2), Map.of(), false, false));
        assertThat(s).isEqualTo(new Submit(new Call.Attest(SUBNET, 1, Optional.empty())));
        assertThat(outcome(d.onSubmitted(Optional.empty()))).isEqualTo(outcome(Action.ATTESTED, OURS));
    }

    @Test
    void anAttestationTheChainRefusesIsReportedWithItsReason() {
        EpochDuty d = toSubmission(OURS);
        d.onSubmission(submission(OURS, List.of(1, 2), Map.of(), false, false));
        assertThat(outcome(d.onSubmitted(Optional.of("AlreadyAttested"))).action())
                .isEqualTo(Action.ATTEST_FAILED);
    }

    @Test
    void twoEmptyScoreSetsAgree() {
        EpochDuty d = toSubmission(List.of());
        assertThat(d.onSubmission(submission(List.of(), List.of(1, 2), Map.of(), false, false)))
                .isInstanceOf(Submit.class);
    }

    @Test
    void aDifferentScoreIsAMismatchAndNothingIsSubmitted() {
        EpochDuty d = toSubmission(OURS);
        Step s = d.onSubmission(
                submission(List.of(score(1, 10), score(2, 21), score(3, 30)), List.of(1, 2), Map.of(), false, false));
        Outcome o = outcome(s);
        assertThat(o.action()).isEqualTo(Action.MISMATCH);
        assertThat(o.detail().orElseThrow()).isEqualTo("proposed {1=10, 2=21, 3=30}, ours {1=10, 2=20, 3=30}");
        assertThat(o.scores()).isEqualTo(OURS);
    }

    @Test
    void aMissingOrExtraNodeIsAMismatch() {
        assertThat(outcome(toSubmission(OURS)
                                .onSubmission(submission(
                                        List.of(score(1, 10), score(2, 20)), List.of(1, 2), Map.of(), false, false)))
                        .action())
                .isEqualTo(Action.MISMATCH);
        List<NodeScore> extra = List.of(score(1, 10), score(2, 20), score(3, 30), score(4, 0));
        assertThat(outcome(toSubmission(OURS).onSubmission(submission(extra, List.of(1, 2), Map.of(), false, false)))
                        .action())
                .isEqualTo(Action.MISMATCH);
    }

    @Test
    void aProposalWithQueueOperationsIsNotAttestedEvenWhenTheScoresMatch() {
        for (boolean prioritize : new boolean[] {true, false}) {
            Outcome o = outcome(toSubmission(OURS)
                    .onSubmission(submission(OURS, List.of(1, 2), Map.of(), prioritize, !prioritize)));
            assertThat(o.action()).isEqualTo(Action.QUEUE_OPERATIONS);
            assertThat(o.detail()).contains("the proposal carries queue operations");
        }
    }

    @Test
    void aNodeOutsideTheSubmissionsValidatorSetDoesNotAttest() {
        Outcome o = outcome(toSubmission(OURS).onSubmission(submission(OURS, List.of(2, 3), Map.of(), false, false)));
        assertThat(o).isEqualTo(outcome(Action.NOT_A_VALIDATOR, OURS));
    }

    @Test
    void aNodeThatAttestedAlreadyEndsQuietly() {
        Map<Integer, Attestation> attests = Map.of(1, new Attestation(105, BigInteger.ONE, Optional.empty()));
        assertThat(toSubmission(OURS).onSubmission(submission(OURS, List.of(1, 2), attests, false, false)))
                .isEqualTo(new Done(Optional.empty()));
    }

    @Test
    void theSubmissionIsAwaitedUntilTheAttestWindowCloses() {
        EpochDuty d = toSubmission(OURS);
        assertThat(d.onSubmission(Optional.empty())).isEqualTo(new AwaitBlock());
        assertThat(d.onBlock(107)).as("the window's last block").isEqualTo(new ReadSubmission());
        assertThat(d.onSubmission(Optional.empty())).isEqualTo(new AwaitBlock());
        assertThat(outcome(d.onBlock(108))).isEqualTo(outcome(Action.NO_SUBMISSION_IN_WINDOW, OURS));
    }

    @Test
    void aSubmissionThatArrivesInTheWindowIsJudged() {
        EpochDuty d = toSubmission(OURS);
        assertThat(d.onSubmission(Optional.empty())).isEqualTo(new AwaitBlock());
        assertThat(d.onBlock(106)).isEqualTo(new ReadSubmission());
        assertThat(d.onSubmission(submission(OURS, List.of(1, 2), Map.of(), false, false)))
                .isInstanceOf(Submit.class);
    }

    @Test
    void theElectedValidatorIsAwaitedUntilTheEpochEnds() {
        EpochDuty d = duty(EPOCH, SubnetState.Active, NodeClass.Validator);
        d.start();
        d.onScores(OURS);
        assertThat(d.onElected(Optional.empty())).isEqualTo(new AwaitBlock());
        assertThat(d.onBlock(122))
                .as("past the attest window, still in the epoch")
                .isEqualTo(new ReadElected());
        assertThat(d.onElected(Optional.empty())).isEqualTo(new AwaitBlock());
        assertThat(outcome(d.onBlock(123))).isEqualTo(outcome(Action.NO_ELECTED_VALIDATOR, OURS));
    }

    @Test
    void nothingUnlessTheSubnetIsActiveAndThisNodeAtLeastIdle() {
        assertThat(outcome(
                        duty(EPOCH, SubnetState.Registered, NodeClass.Validator).start()))
                .isEqualTo(new Outcome(EPOCH, 1, Action.NOT_ELIGIBLE, List.of(), Optional.of("subnet not active")));
        assertThat(outcome(duty(EPOCH, SubnetState.Paused, NodeClass.Validator).start())
                        .action())
                .isEqualTo(Action.NOT_ELIGIBLE);
        assertThat(outcome(duty(EPOCH, SubnetState.Active, NodeClass.Registered).start()))
                .isEqualTo(new Outcome(EPOCH, 1, Action.NOT_ELIGIBLE, List.of(), Optional.of("class Registered")));
        assertThat(outcome(
                        new EpochDuty(event(EPOCH, SubnetState.Active, NodeClass.Validator), "stranger", 0.25).start()))
                .isEqualTo(new Outcome(
                        EPOCH, -1, Action.NOT_ELIGIBLE, List.of(), Optional.of("not a node of the subnet")));
        assertThat(outcome(new EpochDuty(
                                new EpochEvent(
                                        AT,
                                        new SubnetSnapshot(
                                                SUBNET, 104, Optional.empty(), List.of(), Set.of(), Set.of()),
                                        0),
                                "peer-1",
                                0.25)
                        .start()))
                .as("a subnet the chain no longer has")
                .isEqualTo(new Outcome(EPOCH, -1, Action.NOT_ELIGIBLE, List.of(), Optional.of("subnet not active")));
        assertThat(duty(EPOCH, SubnetState.Active, NodeClass.Idle).start())
                .as("Idle is enough")
                .isEqualTo(new Score(EPOCH - 1));
    }

    @Test
    void stepsOutOfOrderAreRefused() {
        EpochDuty d = duty(EPOCH, SubnetState.Active, NodeClass.Validator);
        assertThatThrownBy(() -> d.onScores(OURS)).isInstanceOf(IllegalStateException.class);
        d.start();
        assertThatThrownBy(() -> d.onBlock(110)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> d.onSubmitted(Optional.empty())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new EpochDuty(event(EPOCH, SubnetState.Active, NodeClass.Idle), "peer-1", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- fixtures

    private static EpochDuty duty(long epoch, SubnetState state, NodeClass myClass) {
        return new EpochDuty(event(epoch, state, myClass), "peer-1", 0.25);
    }

    /** Started, scored with {@code scores}, and told that node {@code electedId} is elected. */
    private static EpochDuty toElected(List<NodeScore> scores, int electedId) {
        EpochDuty d = duty(EPOCH, SubnetState.Active, NodeClass.Validator);
        d.start();
        d.onScores(scores);
        d.onElected(elected(electedId));
        return d;
    }

    /** Node 2 is elected: this node looks for its submission. */
    private static EpochDuty toSubmission(List<NodeScore> scores) {
        EpochDuty d = duty(EPOCH, SubnetState.Active, NodeClass.Validator);
        d.start();
        d.onScores(scores);
        assertThat(d.onElected(elected(2))).isEqualTo(new ReadSubmission());
        return d;
    }

    private static Outcome outcome(Step s) {
        assertThat(s).isInstanceOf(Done.class);
        return ((Done) s).outcome().orElseThrow();
    }

    private static Outcome outcome(Action a, List<NodeScore> scores) {
        return new Outcome(EPOCH, 1, a, scores, Optional.empty());
    }

    private static NodeScore score(int node, long score) {
        return new NodeScore(node, BigInteger.valueOf(score));
    }

    private static EpochEvent event(long epoch, SubnetState state, NodeClass myClass) {
        EpochPosition at = EpochPosition.at(3 + epoch * 20 + 1, 3, 20);
        Subnet subnet = new Subnet(SUBNET, SUBNET, "alpha", "repo", "", "", account(9), state, 0, 1, 3, 0);
        SubnetInfo info = new SubnetInfo(
                subnet,
                null,
                BigInteger.ZERO,
                Pool.EMPTY,
                BigInteger.ZERO,
                3,
                3,
                3,
                0,
                BigInteger.ZERO,
                BigInteger.ZERO,
                Map.of(),
                Optional.empty());
        List<SubnetNodeInfo> nodes =
                List.of(node(1, myClass), node(2, NodeClass.Validator), node(3, NodeClass.Registered));
        return new EpochEvent(
                at, new SubnetSnapshot(SUBNET, at.block(), Optional.of(info), nodes, Set.of(), Set.of()), 0);
    }

    private static SubnetNodeInfo node(int id, NodeClass c) {
        SubnetNode n = new SubnetNode(
                id,
                id,
                Optional.empty(),
                PeerInfo.of("peer-" + id),
                Optional.empty(),
                Optional.empty(),
                c,
                0,
                Optional.empty(),
                Optional.empty(),
                BigInteger.ZERO,
                0);
        return new SubnetNodeInfo(SUBNET, n, account(id), account(id), BigInteger.TEN);
    }

    private static AccountId account(int i) {
        byte[] b = new byte[AccountId.LENGTH];
        b[0] = (byte) i;
        return AccountId.of(b);
    }

    private static Optional<ElectedValidatorInfo> elected(int nodeId) {
        return Optional.of(new ElectedValidatorInfo(SUBNET, EPOCH, node(nodeId, NodeClass.Validator)));
    }

    private static Optional<ValidatorsAndAttestors> submission(
            List<NodeScore> data,
            List<Integer> validatorSet,
            Map<Integer, Attestation> attests,
            boolean prioritize,
            boolean remove) {
        return Optional.of(new ValidatorsAndAttestors(
                SUBNET,
                EPOCH,
                new ConsensusSubmission(
                        2,
                        data,
                        new LinkedHashMap<>(attests),
                        List.of(1, 2, 3),
                        validatorSet,
                        prioritize ? Optional.of(3) : Optional.empty(),
                        remove ? Optional.of(3) : Optional.empty(),
                        Optional.empty(),
                        104,
                        BigInteger.ONE)));
    }
}
