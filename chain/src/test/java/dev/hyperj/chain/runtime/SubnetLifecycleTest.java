package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.SubnetRemovalReason;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubnetLifecycleTest {
    static final AccountId ALITH = DevAccounts.ALITH.account();
    static final AccountId BALTATHAR = DevAccounts.BALTATHAR.account();

    @Test
    void registrationCostDescendsFromTwiceTheLastPrice() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        // genesis: last = 1 TENSOR, last registration block 0; at block 2, d = 2 blocks of D = 438,290
        double expectedFirst = 0.1 + 0.9 * Math.sqrt((438_290.0 - 2) / 438_290.0);
        assertThat(U128.toRatio(sc.reads().registrationCost()))
                .isCloseTo(expectedFirst, org.assertj.core.data.Offset.offset(1e-12));
        BigInteger treasuryBefore = sc.reads().freeBalance(sc.reads().treasury());
        BigInteger alithBefore = sc.reads().freeBalance(ALITH);
        BigInteger cost = sc.reads().registrationCost();
        int sid = sc.registerSubnet("costly", v);
        assertThat(sid).isEqualTo(128001);
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().subnet().friendlyId())
                .isEqualTo(1);
        // block 2 is also a weights block, where the treasury is minted its 20% of the epoch's issuance
        BigInteger mintedToTreasury = sc.events(Event.Minted.class).stream()
                .filter(m -> m.to().equals(sc.reads().treasury()))
                .map(Event.Minted::amount)
                .reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(mintedToTreasury).isPositive();
        assertThat(sc.reads().freeBalance(sc.reads().treasury()))
                .isEqualTo(treasuryBefore.add(cost).add(mintedToTreasury));
        assertThat(sc.reads().freeBalance(ALITH)).isEqualTo(alithBefore.subtract(cost));
        // now last = 2 * cost; after k blocks: 0.1 + (2c - 0.1) * sqrt((D - k) / D)
        long k = 1000;
        sc.advanceTo(sc.chain.blockNumber() + k - 1);
        double last = 2 * U128.toRatio(cost);
        double expected = 0.1 + (last - 0.1) * Math.sqrt((438_290.0 - k) / 438_290.0);
        assertThat(U128.toRatio(sc.reads().registrationCost()))
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        // max cost below the price: CostGreaterThanMaxCost
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(tensor(1), Scenario.subnetData("cheap", Map.of(1, 1, 2, 1, 3, 1))),
                NetworkError.CostGreaterThanMaxCost);
    }

    @Test
    void registrationValidatesEveryField() {
        Scenario sc = new Scenario();
        sc.registerValidators(3);
        Map<Integer, Integer> three = Map.of(1, 1, 2, 1, 3, 1);
        SubnetRegistrationData good = Scenario.subnetData("good", three);
        BigInteger max = tensor(100);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max,
                        with(
                                good,
                                tensor(99),
                                good.maxStake(),
                                good.delegateStakePercentage(),
                                three,
                                good.bootnodes())),
                NetworkError.InvalidSubnetMinStake);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max,
                        with(
                                good,
                                tensor(251),
                                good.maxStake(),
                                good.delegateStakePercentage(),
                                three,
                                good.bootnodes())),
                NetworkError.InvalidSubnetMinStake);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max,
                        with(
                                good,
                                good.minStake(),
                                tensor(1001),
                                good.delegateStakePercentage(),
                                three,
                                good.bootnodes())),
                NetworkError.InvalidSubnetMaxStake);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max,
                        with(good, tensor(200), tensor(150), good.delegateStakePercentage(), three, good.bootnodes())),
                NetworkError.InvalidSubnetStakeParameters);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max, with(good, good.minStake(), good.maxStake(), percent(4), three, good.bootnodes())),
                NetworkError.InvalidDelegateStakePercentage);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max, with(good, good.minStake(), good.maxStake(), percent(96), three, good.bootnodes())),
                NetworkError.InvalidDelegateStakePercentage);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max,
                        with(
                                good,
                                good.minStake(),
                                good.maxStake(),
                                good.delegateStakePercentage(),
                                Map.of(1, 1, 2, 1),
                                good.bootnodes())),
                NetworkError.InvalidSubnetRegistrationInitialColdkeys);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max,
                        with(good, good.minStake(), good.maxStake(), good.delegateStakePercentage(), three, Map.of())),
                NetworkError.BootnodesEmpty);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max,
                        with(
                                good,
                                good.minStake(),
                                good.maxStake(),
                                good.delegateStakePercentage(),
                                three,
                                Map.of("not-a-peer-id", Scenario.multiaddr(1)))),
                NetworkError.InvalidBootnodePeerId);
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(
                        max,
                        with(
                                good,
                                good.minStake(),
                                good.maxStake(),
                                good.delegateStakePercentage(),
                                three,
                                Map.of(Scenario.peerId(1), Bytes.of(new byte[] {4, 127, 0, 0, 1})))),
                NetworkError.InvalidMultiaddr);
        sc.ok(ALITH, new Call.RegisterSubnet(max, good));
        sc.assertNoop(BALTATHAR, new Call.RegisterSubnet(max, good), NetworkError.SubnetNameExist);
        sc.assertNoop(
                BALTATHAR,
                new Call.RegisterSubnet(
                        max,
                        new SubnetRegistrationData(
                                "other",
                                good.repo(),
                                "",
                                "",
                                good.minStake(),
                                good.maxStake(),
                                good.delegateStakePercentage(),
                                three,
                                good.bootnodes())),
                NetworkError.SubnetRepoExist);
    }

    static SubnetRegistrationData with(
            SubnetRegistrationData d,
            BigInteger min,
            BigInteger max,
            BigInteger pct,
            Map<Integer, Integer> initial,
            Map<String, Bytes> boot) {
        return new SubnetRegistrationData(d.name(), d.repo(), d.description(), d.misc(), min, max, pct, initial, boot);
    }

    @Test
    void aDevChainHoldsSeventeenSubnetsInSlotsThreeToNineteen() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        for (int i = 0; i < 17; i++) {
            int sid = sc.registerSubnet("s" + i, v);
            assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().subnet().slot())
                    .isEqualTo(3 + i);
        }
        sc.assertNoop(
                ALITH,
                new Call.RegisterSubnet(tensor(1_000_000), Scenario.subnetData("s17", Map.of(1, 1, 2, 1, 3, 1))),
                NetworkError.NoAvailableSlots);
    }

    @Test
    void activationNeedsTimeAndNodesThenDropsTheWhitelist() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("act", v);
        sc.assertNoop(BALTATHAR, new Call.ActivateSubnet(sid), NetworkError.NotSubnetOwner);
        sc.assertNoop(ALITH, new Call.ActivateSubnet(sid), NetworkError.MinSubnetRegistrationEpochsNotMet);
        sc.registerNodes(sid, v.subList(0, 2));
        sc.advanceTo(Scenario.EPOCH);
        sc.assertNoop(ALITH, new Call.ActivateSubnet(sid), NetworkError.SubnetActivationConditionsNotMetYet);
        sc.registerNodes(sid, v.subList(2, 3));
        sc.ok(ALITH, new Call.ActivateSubnet(sid));
        var info = sc.reads().getSubnetInfo(sid).orElseThrow();
        assertThat(info.subnet().state()).isEqualTo(SubnetState.Active);
        assertThat(info.subnet().startEpoch()).isEqualTo(sc.reads().epoch() + 1);
        assertThat(info.initialValidators()).isEmpty();
        sc.assertNoop(ALITH, new Call.ActivateSubnet(sid), NetworkError.SubnetActivatedAlready);
    }

    @Test
    void registeredSubnetWithTooFewNodesIsRemovedInEnactmentThenPastIt() {
        Scenario sc = new Scenario(); // registration phase 10 epochs, enactment 5
        List<Integer> v = sc.registerValidators(3);
        int few = sc.registerSubnet("few", v);
        int idle = sc.registerSubnet("idle", v);
        sc.registerNodes(few, v.subList(0, 1));
        sc.registerNodes(idle, v);
        // epoch 10 starts the enactment phase: "few" (1 node < 3) is removed at the epoch preliminaries
        sc.advanceTo(10L * Scenario.EPOCH);
        assertThat(sc.events(Event.SubnetDeactivated.class))
                .containsExactly(new Event.SubnetDeactivated(few, SubnetRemovalReason.MinSubnetNodes));
        // node registration is closed during enactment
        sc.assertNoop(Scenario.coldkey(0), sc.nodeCall(1, idle, 777), NetworkError.SubnetMustBeRegisteringOrActivated);
        // never activated: removed once enactment is over (epoch 15)
        sc.advanceTo(15L * Scenario.EPOCH);
        assertThat(sc.events(Event.SubnetDeactivated.class))
                .containsExactly(new Event.SubnetDeactivated(idle, SubnetRemovalReason.EnactmentPeriod));
        assertThat(sc.reads().getAllSubnetsInfo()).isEmpty();
        // stakes remain, claimable by their owners
        assertThat(sc.reads().getValidatorStakes(1))
                .hasSize(2)
                .allSatisfy(s -> assertThat(s.nodeActive()).isFalse());
        sc.ok(Scenario.coldkey(0), new Call.RemoveNodeStake(idle, 2, tensor(100)));
        assertThat(sc.reads().getValidatorStakes(1)).hasSize(1);
    }

    @Test
    void ownerPowersAreOwnersOnlyAndBounded() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("owned", 3);
        int sid = a.subnetId();
        sc.assertNoop(BALTATHAR, new Call.OwnerUpdateChurnLimit(sid, 8), NetworkError.NotSubnetOwner);
        sc.assertNoop(ALITH, new Call.OwnerUpdateChurnLimit(sid, 65), NetworkError.InvalidChurnLimit);
        sc.assertNoop(ALITH, new Call.OwnerUpdateChurnLimit(sid, 0), NetworkError.InvalidChurnLimit);
        sc.ok(ALITH, new Call.OwnerUpdateChurnLimit(sid, 8));
        sc.assertNoop(
                ALITH,
                new Call.OwnerUpdateMinSubnetNodeReputation(sid, percent(4)),
                NetworkError.MinSubnetNodeReputation);
        sc.assertNoop(
                ALITH,
                new Call.OwnerUpdateMinSubnetNodeReputation(sid, percent(51)),
                NetworkError.MinSubnetNodeReputation);
        sc.ok(ALITH, new Call.OwnerUpdateMinSubnetNodeReputation(sid, percent(20)));
        // delegate stake percentage: +-2% per change, once per 14,400 blocks
        sc.assertNoop(
                ALITH,
                new Call.OwnerUpdateDelegateStakePercentage(sid, percent(12)),
                NetworkError.DelegateStakePercentageUpdateTooSoon);
        var params = sc.reads().getSubnetInfo(sid).orElseThrow().params();
        assertThat(params.churnLimit()).isEqualTo(8);
        assertThat(params.minNodeReputation()).isEqualTo(percent(20));
        // bootnode access list and official bootnodes
        AccountId dorothy = DevAccounts.DOROTHY.account();
        sc.assertNoop(
                dorothy,
                new Call.UpdateBootnodes(sid, Map.of(Scenario.peerId(42), Scenario.multiaddr(42)), List.of()),
                NetworkError.InvalidAccess);
        sc.ok(ALITH, new Call.OwnerAddBootnodeAccess(sid, dorothy));
        sc.assertNoop(ALITH, new Call.OwnerAddBootnodeAccess(sid, dorothy), NetworkError.InBootnodeAccessList);
        sc.ok(dorothy, new Call.UpdateBootnodes(sid, Map.of(Scenario.peerId(42), Scenario.multiaddr(42)), List.of()));
        assertThat(sc.reads().getBootnodes(sid)).containsKey(Scenario.peerId(42));
        // two-step ownership transfer
        sc.ok(ALITH, new Call.TransferSubnetOwnership(sid, BALTATHAR));
        sc.assertNoop(
                DevAccounts.CHARLETH.account(),
                new Call.AcceptSubnetOwnership(sid),
                NetworkError.NotPendingSubnetOwner);
        sc.ok(BALTATHAR, new Call.AcceptSubnetOwnership(sid));
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().subnet().owner()).isEqualTo(BALTATHAR);
        sc.assertNoop(ALITH, new Call.OwnerPauseSubnet(sid), NetworkError.NotSubnetOwner);
        // collective removal needs the sudo account
        sc.assertNoop(BALTATHAR, new Call.CollectiveRemoveSubnet(sid), NetworkError.BadOrigin);
        sc.ok(ALITH, new Call.CollectiveRemoveSubnet(sid));
        assertThat(sc.events(Event.SubnetDeactivated.class))
                .containsExactly(new Event.SubnetDeactivated(sid, SubnetRemovalReason.Council));
    }

    @Test
    void unpauseShiftsOnlyItsOwnQueuedNodes_palletBugFix() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(4);
        int s1 = sc.registerSubnet("one", v.subList(0, 3));
        int s2 = sc.registerSubnet("two", v.subList(0, 3));
        sc.registerNodes(s1, v.subList(0, 3));
        sc.registerNodes(s2, v.subList(0, 3));
        sc.advanceTo(Scenario.EPOCH);
        sc.ok(ALITH, new Call.ActivateSubnet(s1));
        sc.ok(ALITH, new Call.ActivateSubnet(s2));
        int q1 = sc.registerNodes(s1, List.of(4)).get(0);
        int q2 = sc.registerNodes(s2, List.of(4)).get(0);
        long start1 = sc.reads().getSubnetNodeInfo(s1, q1).orElseThrow().node().classStartEpoch();
        long start2 = sc.reads().getSubnetNodeInfo(s2, q2).orElseThrow().node().classStartEpoch();
        sc.ok(ALITH, new Call.OwnerPauseSubnet(s1));
        sc.assertNoop(Scenario.coldkey(0), sc.nodeCall(1, s1, 4242), NetworkError.SubnetIsPaused);
        sc.advanceTo(sc.chain.blockNumber() + 2 * Scenario.EPOCH);
        sc.ok(ALITH, new Call.OwnerUnpauseSubnet(s1));
        assertThat(sc.reads().getSubnetNodeInfo(s1, q1).orElseThrow().node().classStartEpoch())
                .isEqualTo(start1 + 2);
        assertThat(sc.reads().getSubnetNodeInfo(s2, q2).orElseThrow().node().classStartEpoch())
                .isEqualTo(start2);
    }

    @Test
    void emergencyValidatorSetReplacesTheElectionWhileSet() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("emergency", 3);
        int sid = a.subnetId();
        int only = a.nodes().get(1);
        sc.assertNoop(
                ALITH, new Call.OwnerSetEmergencyValidatorSet(sid, List.of(only)), NetworkError.SubnetMustBePaused);
        sc.ok(ALITH, new Call.OwnerPauseSubnet(sid));
        sc.assertNoop(
                ALITH,
                new Call.OwnerSetEmergencyValidatorSet(sid, List.of(99_999)),
                NetworkError.InvalidEmergencySubnetNodeId);
        sc.ok(ALITH, new Call.OwnerSetEmergencyValidatorSet(sid, List.of(only)));
        sc.ok(ALITH, new Call.OwnerUnpauseSubnet(sid));
        for (int i = 0; i < 3; i++) {
            sc.nextSubnetEpoch(sid);
            sc.nextSubnetEpoch(sid);
            assertThat(sc.elected(sid)).isEqualTo(only);
        }
        sc.ok(ALITH, new Call.OwnerRevertEmergencyValidatorSet(sid));
        assertThat(sc.events(Event.EmergencyValidatorSetUpdated.class))
                .containsExactly(new Event.EmergencyValidatorSetUpdated(sid, 0));
    }
}
