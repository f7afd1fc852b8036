package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** CHAIN.md rules the audit found without a test of their own (docs/chain-audit.md rows marked "test added"). */
class RuleCoverageTest {
    private static final AccountId ALITH = Scenario.coldkey(0);

    private static Call.ProposeAttestation proposal(int sid, int node, List<NodeScore> data) {
        return new Call.ProposeAttestation(
                sid, node, data, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void proposeAndAttest_onlyTheElectedNodesKeyOncePerEpoch_dataKeepsIncludedOrHigherWithDuplicatesAtTheLowestScore() {
        Scenario sc = new Scenario();
        sc.registerValidators(4);
        Scenario.Activated a = sc.activatedSubnet("checks", 3);
        int sid = a.subnetId();
        int queued = sc.registerNodes(sid, List.of(4)).get(0);
        sc.nextSubnetEpoch(sid);
        int p = sc.elected(sid);
        List<Integer> others = a.nodes().stream().filter(n -> n != p).toList();
        int o1 = others.get(0), o2 = others.get(1);
        sc.assertNoop(
                sc.signer(sid, o1), new Call.Attest(sid, o1, Optional.empty()), NetworkError.SubnetEpochDataIsNone);
        sc.assertNoop(sc.signer(sid, o1), proposal(sid, o1, List.of()), NetworkError.InvalidElectedSubnetNode);
        sc.assertNoop(sc.signer(sid, o1), proposal(sid, p, List.of()), NetworkError.NotKeyOwner);
        List<NodeScore> data = List.of(
                new NodeScore(o1, tensor(5)),
                new NodeScore(o1, tensor(2)),
                new NodeScore(p, tensor(3)),
                new NodeScore(queued, tensor(7)),
                new NodeScore(999_999, tensor(1)),
                new NodeScore(o2, tensor(4)));
        sc.ok(sc.signer(sid, p), proposal(sid, p, data));
        sc.assertNoop(sc.signer(sid, p), proposal(sid, p, data), NetworkError.SubnetRewardsAlreadySubmitted);
        TreeMap<Integer, BigInteger> expected = new TreeMap<>();
        expected.put(o1, tensor(2));
        expected.put(p, tensor(3));
        expected.put(o2, tensor(4));
        var sub = sc.reads()
                .getValidatorsAndAttestors(sid, sc.reads().subnetEpoch(sid))
                .orElseThrow()
                .submission();
        assertThat(sub.data())
                .containsExactlyElementsOf(expected.entrySet().stream()
                        .map(e -> new NodeScore(e.getKey(), e.getValue()))
                        .toList());
        assertThat(sub.validatorSet()).containsExactlyInAnyOrderElementsOf(a.nodes());
        assertThat(sub.attests()).containsOnlyKeys(p); // the proposer attests its own proposal
        // attestors: Validator class in the snapshot, with their own key, once
        sc.assertNoop(
                sc.signer(sid, queued), new Call.Attest(sid, queued, Optional.empty()), NetworkError.InvalidValidator);
        sc.assertNoop(sc.signer(sid, o2), new Call.Attest(sid, o1, Optional.empty()), NetworkError.NotKeyOwner);
        sc.ok(sc.signer(sid, o1), new Call.Attest(sid, o1, Optional.empty()));
        sc.assertNoop(sc.signer(sid, o1), new Call.Attest(sid, o1, Optional.empty()), NetworkError.AlreadyAttested);
    }

    @Test
    void queue_activatesAtMostTheChurnLimitPerEmissionStep_inQueueOrder() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("churn", 3);
        int sid = a.subnetId();
        sc.ok(ALITH, new Call.OwnerUpdateChurnLimit(sid, 2));
        List<Integer> queued = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CallResult r = sc.ok(ALITH, sc.nodeCall(1, sid, 500_000 + i));
            queued.add(r.events().stream()
                    .filter(e -> e instanceof Event.SubnetNodeRegistered)
                    .map(e -> ((Event.SubnetNodeRegistered) e).subnetNodeId())
                    .findFirst()
                    .orElseThrow());
        }
        List<List<Integer>> perStep = new java.util.ArrayList<>();
        for (int i = 0; i < 10 && perStep.stream().mapToInt(List::size).sum() < 5; i++) {
            sc.nextSubnetEpoch(sid);
            List<Integer> activated = sc.events(Event.SubnetNodeActivated.class).stream()
                    .map(Event.SubnetNodeActivated::subnetNodeId)
                    .toList();
            if (!activated.isEmpty() || !perStep.isEmpty()) perStep.add(activated);
            sc.consensus(sid, Scenario.scores(a.nodes(), 1, 1, 1), a.nodes());
        }
        assertThat(perStep).containsExactly(queued.subList(0, 2), queued.subList(2, 4), queued.subList(4, 5));
    }

    @Test
    void subnetRemoval_freesTheSlot_nodeAndDelegateStakesStayWithdrawable_andClaimableAfterTheirCooldowns() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("gone", 3);
        int sid = a.subnetId();
        int slot = sc.slot(sid);
        int node = a.nodes().get(0);
        AccountId delegator = Scenario.coldkey(5);
        BigInteger shares = sc.reads().subnetDelegateShares(sid, delegator);
        sc.ok(ALITH, new Call.CollectiveRemoveSubnet(sid));
        assertThat(sc.reads().getSubnetInfo(sid)).isEmpty();
        assertThat(sc.reads().getValidatorStakes(1)).singleElement().satisfies(st -> {
            assertThat(st.nodeActive()).isFalse();
            assertThat(st.amount()).isEqualTo(tensor(100));
        });
        // the node is gone: its whole stake may leave (no minimum), into the 4-epoch unbonding ledger
        sc.ok(ALITH, new Call.RemoveNodeStake(sid, node, tensor(100)));
        sc.ok(delegator, new Call.RemoveDelegateStake(sid, shares));
        // no net flow is recorded for a removed subnet (before the audit fix it stayed in state for good)
        assertThat(Store.NET_FLOW.find(sc.chain.state(), sid)).isEmpty();
        sc.assertNoop(ALITH, new Call.ClaimUnbondings(), NetworkError.NoStakeUnbondingsOrCooldownNotMet);
        sc.advanceTo(sc.chain.blockNumber() + 4L * Scenario.EPOCH);
        BigInteger before = sc.reads().freeBalance(ALITH);
        sc.ok(ALITH, new Call.ClaimUnbondings());
        assertThat(sc.reads().freeBalance(ALITH).subtract(before)).isEqualTo(tensor(100));
        sc.ok(delegator, new Call.ClaimUnbondings());
        // the slot is free for the next subnet
        int next = sc.registerSubnet("next", List.of(1, 2, 3));
        assertThat(sc.slot(next)).isEqualTo(slot);
    }

    @Test
    void uniqueParameter_isUniquePerSubnet_atRegistrationAndUpdate_andFreedWhenChanged() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("unique", v);
        Bytes u = Bytes.of(new byte[] {1, 2, 3});
        Bytes other = Bytes.of(new byte[] {9});
        Call.RegisterSubnetNode first = withUnique(sc.nodeCall(1, sid, 700_001), u);
        sc.ok(Scenario.coldkey(0), first);
        sc.assertNoop(
                Scenario.coldkey(1),
                withUnique(sc.nodeCall(2, sid, 700_002), u),
                NetworkError.SubnetNodeUniqueParamTaken);
        CallResult r = sc.ok(Scenario.coldkey(1), withUnique(sc.nodeCall(2, sid, 700_003), other));
        int second = r.events().stream()
                .filter(e -> e instanceof Event.SubnetNodeRegistered)
                .map(e -> ((Event.SubnetNodeRegistered) e).subnetNodeId())
                .findFirst()
                .orElseThrow();
        sc.assertNoop(
                Scenario.coldkey(1),
                new Call.UpdateNodeUnique(sid, second, Optional.of(u)),
                NetworkError.SubnetNodeUniqueParamTaken);
        int firstId = second - 1;
        sc.ok(Scenario.coldkey(0), new Call.UpdateNodeUnique(sid, firstId, Optional.empty()));
        sc.ok(Scenario.coldkey(1), new Call.UpdateNodeUnique(sid, second, Optional.of(u)));
        assertThat(sc.reads()
                        .getSubnetNodeInfo(sid, second)
                        .orElseThrow()
                        .node()
                        .unique())
                .contains(u);
    }

    private static Call.RegisterSubnetNode withUnique(Call.RegisterSubnetNode c, Bytes unique) {
        return new Call.RegisterSubnetNode(
                c.validatorId(),
                c.subnetId(),
                c.hotkey(),
                c.peerInfo(),
                c.bootnodePeerInfo(),
                c.clientPeerInfo(),
                c.stakeToBeAdded(),
                Optional.of(unique),
                c.nonUnique(),
                c.maxBurnAmount());
    }

    @Test
    void subnetRegistration_acceptsAtMost32Bootnodes() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        java.util.Map<Integer, Integer> initial = java.util.Map.of(v.get(0), 1, v.get(1), 1, v.get(2), 1);
        Model.SubnetRegistrationData d = Scenario.subnetData("boot", initial);
        java.util.Map<String, Bytes> boot = new TreeMap<>();
        for (int i = 0; i < 33; i++) boot.put(Scenario.peerId(80_000 + i), Scenario.multiaddr(20_000 + i));
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        tensor(100),
                        SubnetLifecycleTest.with(
                                d, d.minStake(), d.maxStake(), d.delegateStakePercentage(), initial, boot)),
                NetworkError.TooManyBootnodes);
        boot.remove(boot.keySet().iterator().next());
        sc.ok(
                ALITH,
                new Call.RegisterSubnet(
                        tensor(100),
                        SubnetLifecycleTest.with(
                                d, d.minStake(), d.maxStake(), d.delegateStakePercentage(), initial, boot)));
    }

    @Test
    void reads_validatorSubnetNodesAndAllSubnetNodes_listEveryNodeOfTheValidatorAcrossSubnets() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int s1 = sc.registerSubnet("r1", v);
        int s2 = sc.registerSubnet("r2", v);
        List<Integer> n1 = sc.registerNodes(s1, v);
        List<Integer> n2 = sc.registerNodes(s2, v);
        assertThat(sc.reads().getValidatorSubnetNodesInfo(2))
                .extracting(i -> i.subnetId() + ":" + i.node().id())
                .containsExactlyInAnyOrder(s1 + ":" + n1.get(1), s2 + ":" + n2.get(1));
        var all = sc.reads().getAllSubnetNodesInfo();
        assertThat(all).containsOnlyKeys(s1, s2);
        assertThat(all.get(s2)).extracting(i -> i.node().id()).containsExactlyElementsOf(n2);
        assertThat(all.get(s1).get(0).coldkey()).isEqualTo(Scenario.coldkey(0));
        assertThat(all.get(s1).get(0).node().peerInfo()).isInstanceOf(PeerInfo.class);
    }

    @Test
    void overwatch_diversificationNeedsAValidatorNodeInAQuarterOfActiveSubnets_andStakeStaysAtLeastTheMinimum() {
        Scenario sc = new Scenario();
        sc.registerValidators(4);
        sc.activatedSubnet("watched", 3);
        AccountId c1 = Scenario.coldkey(0), c4 = Scenario.coldkey(3);
        AccountId ow1 = Scenario.account("ow-1"), ow4 = Scenario.account("ow-4");
        sc.ok(ALITH, new Call.CollectiveSetColdkeyOverwatchNodeEligibility(c1, true));
        sc.ok(ALITH, new Call.CollectiveSetColdkeyOverwatchNodeEligibility(c4, true));
        sc.advanceTo(2L * Scenario.EPOCH);
        OverwatchTest.giveTrackRecord(sc, 1, 0.8, 0.8);
        OverwatchTest.giveTrackRecord(sc, 4, 0.8, 0.8);
        // validator 4 has no Validator-class node in the one active subnet: diversification 0 < 25%
        sc.assertNoop(
                c4,
                new Call.RegisterOverwatchNode(4, ow4, tensor(100)),
                NetworkError.OverwatchMinDiversificationNotMet);
        sc.ok(c1, new Call.RegisterOverwatchNode(1, ow1, tensor(100)));
        sc.assertNoop(
                ow1, new Call.AddOverwatchNodeStake(1, tensor(50)), NetworkError.NotKeyOwner); // the coldkey stakes
        sc.ok(c1, new Call.AddOverwatchNodeStake(1, tensor(50)));
        sc.assertNoop(c1, new Call.RemoveOverwatchNodeStake(1, tensor(51)), NetworkError.MinStakeNotReached);
        sc.ok(c1, new Call.RemoveOverwatchNodeStake(1, tensor(50)));
        assertThat(sc.reads().getAllOverwatchNodesInfo())
                .singleElement()
                .satisfies(i -> assertThat(i.node().stake()).isEqualTo(tensor(100)));
        assertThat(sc.reads().unbondings(c1).values()).containsExactly(tensor(50));
    }

    @Test
    void subnetIds_startAt128001_friendlyIdIsSlotMinus2() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int first = sc.registerSubnet("first", v);
        int second = sc.registerSubnet("second", v);
        assertThat(first).isEqualTo(128_001);
        assertThat(second).isEqualTo(128_002);
        for (int sid : List.of(first, second)) {
            var sub = sc.reads().getSubnetInfo(sid).orElseThrow().subnet();
            assertThat(sub.friendlyId()).isEqualTo(sub.slot() - 2);
        }
        assertThat(sc.slot(first)).isEqualTo(3);
    }

    @Test
    void inConsensusWithAtLeastMinSubnetNodesEntries_subnetReputationRisesBy12_5PercentTimesTheRatio() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("rise", 3);
        int sid = a.subnetId();
        sc.nextSubnetEpoch(sid);
        sc.nextSubnetEpoch(sid); // nobody proposed: subnet reputation 0.95
        BigInteger low = sc.reads().getSubnetInfo(sid).orElseThrow().reputation();
        assertThat(low)
                .isEqualTo(Rep.decrease(dev.hyperj.chain.math.U128.ONE_E18, dev.hyperj.chain.math.U128.percent(5)));
        // two entries only: no rise
        int p = sc.elected(sid);
        int other = a.nodes().stream().filter(n -> n != p).findFirst().orElseThrow();
        sc.consensus(sid, java.util.Map.of(p, tensor(1), other, tensor(1)), a.nodes());
        sc.nextSubnetEpoch(sid);
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().reputation()).isEqualTo(low);
        // three entries, every validator attests (ratio 1): +12.5% * 1.0 with the convex curve
        sc.consensus(sid, Scenario.scores(a.nodes(), 1, 1, 1), a.nodes());
        sc.nextSubnetEpoch(sid);
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().reputation())
                .isEqualTo(Rep.increase(low, Consensus.SUBNET_IN_CONSENSUS_FACTOR));
    }

    @Test
    void swapQueue_holdsAtMost1000_andEachBlockExecutesAtMost16MaturedSwaps() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("swaps", 3);
        int sid = a.subnetId();
        AccountId delegator = Scenario.coldkey(5);
        BigInteger piece = BigInteger.TEN.pow(17);
        SignedCall[] calls = new SignedCall[1001];
        for (int i = 0; i < calls.length; i++)
            calls[i] = new SignedCall(delegator, new Call.SwapFromSubnetToValidator(sid, 1, piece));
        BlockResult queued = sc.block(calls);
        for (int i = 0; i < 1000; i++)
            assertThat(queued.callResults().get(i).error()).as("swap %d", i).isEmpty();
        assertThat(queued.callResults().get(1000).error()).contains(NetworkError.SwapQueueFull);
        sc.advanceTo(queued.blockNumber() + Scenario.EPOCH - 1);
        assertThat(sc.events(Event.SwapExecuted.class)).isEmpty();
        sc.block(); // the swaps mature: 16 per block
        assertThat(sc.events(Event.SwapExecuted.class)).hasSize(16);
        sc.block();
        assertThat(sc.events(Event.SwapExecuted.class)).hasSize(16);
        assertThat(sc.reads().getDelegateStakes(delegator)).anySatisfy(d -> {
            assertThat(d.validatorPool()).isTrue();
            assertThat(d.poolId()).isEqualTo(1);
        });
    }
}
