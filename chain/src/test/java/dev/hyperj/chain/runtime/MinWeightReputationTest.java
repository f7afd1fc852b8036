package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.math.U128;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CHAIN.md "Reputation", default below-min-weight 10%, applied as the pallet's distribute_rewards does: a Validator-class
 * node in the in-consensus data whose weight (score / sum of scores) is under the subnet's
 * SubnetNodeMinWeightDecreaseReputationThreshold (owner-set, 0 = off, at most 10%) loses reputation by that factor.
 */
class MinWeightReputationTest {
    private static BigInteger rep(Scenario sc, int sid, int node) {
        return sc.reads().getSubnetNodeInfo(sid, node).orElseThrow().node().reputation();
    }

    @Test
    void belowMinWeightDecrease_nodeWithWeight5PercentUnderThreshold10PercentLoses10PercentReputationAndIsStillPaid() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("min-weight", 3);
        int sid = a.subnetId();
        var owner = Scenario.coldkey(0);
        // only the owner; at most the pallet's MaxSubnetNodeMinWeightDecreaseReputationThreshold (10%)
        sc.assertNoop(
                Scenario.coldkey(1),
                new Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold(sid, percent(10)),
                NetworkError.NotSubnetOwner);
        sc.assertNoop(
                owner,
                new Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold(sid, percent(11)),
                NetworkError.InvalidPercent);
        sc.ok(owner, new Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold(sid, percent(10)));
        int low = a.nodes().get(0), mid = a.nodes().get(1), high = a.nodes().get(2);

        // epoch 2: scores 1 : 9 : 10 -> weights 5%, 45%, 50%; everyone attests (ratio 1.0)
        sc.nextSubnetEpoch(sid);
        sc.consensus(sid, Scenario.scores(a.nodes(), 1, 9, 10), a.nodes());
        sc.nextSubnetEpoch(sid);
        // 1.0 (already at max, no included increase) - 10% = 0.9; 45% and 50% are above the threshold: unchanged at 1.0
        assertThat(rep(sc, sid, low)).isEqualTo(percent(90));
        assertThat(rep(sc, sid, mid)).isEqualTo(U128.ONE_E18);
        assertThat(rep(sc, sid, high)).isEqualTo(U128.ONE_E18);
        // the penalty is reputation only: the node is still paid its 5% share (times its attest factor ~1)
        Event.SubnetRewards rewards = sc.events(Event.SubnetRewards.class).get(0);
        BigInteger nodePool = rewards.overall().subtract(rewards.ownerReward()).subtract(rewards.delegateReward());
        BigInteger lowReward = sc.events(Event.NodeReward.class).stream()
                .filter(r -> r.subnetNodeId() == low)
                .findFirst()
                .orElseThrow()
                .reward();
        assertThat(U128.toRatio(lowReward) / U128.toRatio(nodePool)).isBetween(0.0499, 0.05);

        // epoch 3, same scores: in the data -> +10% included increase first (0.9 + 0.9^1.1 * 0.1), then -10%
        sc.consensus(sid, Scenario.scores(a.nodes(), 1, 9, 10), a.nodes());
        sc.nextSubnetEpoch(sid);
        BigInteger expected = Rep.decrease(Rep.increase(percent(90), percent(10)), percent(10));
        assertThat(rep(sc, sid, low)).isEqualTo(expected);
        assertThat(U128.toRatio(expected)).isBetween(0.89, 0.90); // 0.98947... * 0.9 = 0.8905
    }

    @Test
    void belowMinWeightDecrease_thresholdZeroByDefault_scores1to99LeaveReputationAt1() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("min-weight-off", 3);
        int sid = a.subnetId();
        sc.nextSubnetEpoch(sid);
        // weights 1%, 49.5%, 49.5%: no threshold set, so nobody is under it
        sc.consensus(sid, Scenario.scores(a.nodes(), 2, 99, 99), a.nodes());
        sc.nextSubnetEpoch(sid);
        for (int n : a.nodes()) assertThat(rep(sc, sid, n)).isEqualTo(U128.ONE_E18);
    }

    @Test
    void belowMinWeightDecrease_takingANodeUnderMinNodeReputationRemovesItBeforePayment() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("min-weight-removal", 3);
        int sid = a.subnetId();
        var owner = Scenario.coldkey(0);
        sc.ok(owner, new Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold(sid, percent(10)));
        sc.ok(owner, new Call.OwnerUpdateMinSubnetNodeReputation(sid, percent(50)));
        // a partial factor update: only below-min-weight changes, to 50% (in force from the next subnet epoch)
        sc.ok(
                owner,
                new Call.OwnerUpdateReputationFactors(
                        sid, Model.ReputationFactorUpdates.none().withBelowMinWeightDecrease(percent(50))));
        int low = a.nodes().get(0);
        sc.nextSubnetEpoch(sid);
        sc.consensus(sid, Scenario.scores(a.nodes(), 1, 9, 10), a.nodes());
        sc.nextSubnetEpoch(sid);
        // 1.0 - 50% = 0.5: not under the 0.5 minimum, kept and paid
        assertThat(rep(sc, sid, low)).isEqualTo(percent(50));
        assertThat(sc.events(Event.NodeReward.class)).anyMatch(r -> r.subnetNodeId() == low);
        sc.consensus(sid, Scenario.scores(a.nodes(), 1, 9, 10), a.nodes());
        sc.nextSubnetEpoch(sid);
        // 0.5 + 0.5^1.1 * 0.1 = 0.5467 -> - 50% = 0.2733 < 0.5: removed, no reward this epoch
        assertThat(U128.toRatio(Rep.decrease(Rep.increase(percent(50), percent(10)), percent(50))))
                .isBetween(0.27, 0.28);
        assertThat(sc.reads().getSubnetNodeInfo(sid, low)).isEmpty();
        assertThat(sc.events(Event.SubnetNodeRemoved.class)).containsExactly(new Event.SubnetNodeRemoved(sid, low));
        assertThat(sc.events(Event.NodeReward.class)).noneMatch(r -> r.subnetNodeId() == low);
        assertThat(sc.events(Event.NodeReward.class)).hasSize(2);
    }

    @Test
    void validatorNodesInTheDataGainTheIncludedIncreaseAsInThePallet() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("in-data-increase", 3);
        int sid = a.subnetId();
        sc.nextSubnetEpoch(sid);
        int proposer = sc.elected(sid);
        int absent = a.nodes().stream().filter(n -> n != proposer).findFirst().orElseThrow();
        Map<Integer, BigInteger> withoutAbsent = new java.util.LinkedHashMap<>(Scenario.scores(a.nodes(), 1, 1, 1));
        withoutAbsent.remove(absent);
        sc.consensus(sid, withoutAbsent, a.nodes());
        sc.nextSubnetEpoch(sid);
        assertThat(rep(sc, sid, absent)).isEqualTo(percent(90)); // absent from the data: -10%
        // present again: 0.9 + 0.9^1.1 * 0.1 (the included factor), for a Validator-class node too
        sc.consensus(sid, Scenario.scores(a.nodes(), 1, 1, 1), a.nodes());
        sc.nextSubnetEpoch(sid);
        assertThat(rep(sc, sid, absent)).isEqualTo(Rep.increase(percent(90), percent(10)));
    }
}
