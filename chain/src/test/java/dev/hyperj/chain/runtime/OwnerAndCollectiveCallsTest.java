package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Model.SubnetRemovalReason;
import dev.hyperj.chain.runtime.Model.SubnetState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pallet's owner_add_or_update_initial_validators / owner_remove_initial_validators, pause cooldown, set_max_subnets, partial factor updates. */
class OwnerAndCollectiveCallsTest {
    static final AccountId OWNER =
            Scenario.coldkey(0); // Alith: subnet owner in these scenarios and the collective (sudo)

    @Test
    void initialValidators_ownerAddsValidator4WithTwoRegistrationsAndRemovesValidator3_whileRegistered() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(5);
        int sid = sc.registerSubnet("whitelist", v.subList(0, 3));
        // validator 4 is not whitelisted
        sc.assertNoop(
                Scenario.coldkey(3), sc.nodeCall(4, sid, 1), NetworkError.NotInitialValidatorRegistrationWhitelist);
        sc.assertNoop(
                Scenario.coldkey(1),
                new Call.OwnerAddOrUpdateInitialValidators(sid, Map.of(4, 2)),
                NetworkError.NotSubnetOwner);
        sc.assertNoop(
                OWNER,
                new Call.OwnerAddOrUpdateInitialValidators(sid, Map.of(4, 0)),
                NetworkError.InvalidSubnetRegistrationInitialColdkeys);
        sc.ok(OWNER, new Call.OwnerAddOrUpdateInitialValidators(sid, Map.of(4, 2)));
        // two registrations allowed for validator 4, the third is refused
        List<Integer> fours = sc.registerNodes(sid, List.of(4, 4));
        assertThat(fours).hasSize(2);
        sc.assertNoop(
                Scenario.coldkey(3), sc.nodeCall(4, sid, 2), NetworkError.NotInitialValidatorRegistrationWhitelist);
        // updating an entry raises its allowance: 2 -> 3
        sc.ok(OWNER, new Call.OwnerAddOrUpdateInitialValidators(sid, Map.of(4, 3)));
        sc.registerNodes(sid, List.of(4));
        // removing validator 3: it can no longer register
        sc.ok(OWNER, new Call.OwnerRemoveInitialValidators(sid, List.of(3)));
        sc.assertNoop(
                Scenario.coldkey(2), sc.nodeCall(3, sid, 3), NetworkError.NotInitialValidatorRegistrationWhitelist);
        sc.registerNodes(sid, List.of(1));
        // activation (4 Validator-class nodes >= 3) drops the whitelist; the calls then need a Registered subnet
        sc.ok(Scenario.coldkey(5), new Call.AddDelegateStake(sid, tensor(1000)));
        sc.advanceTo(Scenario.EPOCH + 1);
        sc.ok(OWNER, new Call.ActivateSubnet(sid));
        sc.assertNoop(
                OWNER,
                new Call.OwnerAddOrUpdateInitialValidators(sid, Map.of(5, 1)),
                NetworkError.SubnetMustBeRegistering);
        sc.assertNoop(
                OWNER, new Call.OwnerRemoveInitialValidators(sid, List.of(1)), NetworkError.SubnetMustBeRegistering);
        assertThat(sc.reads().getSubnetNodesInfo(sid)).hasSize(4); // validator 4: 3, validator 1: 1
    }

    @Test
    void
            initialValidators_removingEveryOneLeavesAnEmptyWhitelistThatAdmitsNobody_palletDeletesItAndOpensRegistration() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(4);
        int sid = sc.registerSubnet("emptied", v.subList(0, 3));
        sc.ok(OWNER, new Call.OwnerRemoveInitialValidators(sid, List.of(1, 2, 3)));
        // the pallet would now let validator 4 (never whitelisted) in; here nobody registers until the owner adds
        // someone
        sc.assertNoop(
                Scenario.coldkey(3), sc.nodeCall(4, sid, 1), NetworkError.NotInitialValidatorRegistrationWhitelist);
        sc.assertNoop(
                Scenario.coldkey(0), sc.nodeCall(1, sid, 2), NetworkError.NotInitialValidatorRegistrationWhitelist);
        sc.ok(OWNER, new Call.OwnerAddOrUpdateInitialValidators(sid, Map.of(4, 1)));
        assertThat(sc.registerNodes(sid, List.of(4))).hasSize(1);
    }

    @Test
    void
            pauseCooldown_collectiveSets5Epochs_ownerPausesAtEpoch6AfterActivationAtEpoch1_unpausedAtEpoch7_nextPauseFromEpoch12() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("cooldown", 3); // activated in general epoch 1
        int sid = a.subnetId();
        sc.assertNoop(Scenario.coldkey(1), new Call.CollectiveSetSubnetPauseCooldownEpochs(5), NetworkError.BadOrigin);
        sc.ok(OWNER, new Call.CollectiveSetSubnetPauseCooldownEpochs(5));
        assertThat(sc.reads().epoch()).isEqualTo(1);
        // previous pause epoch = activation epoch 1: 1 + 5 <= epoch from epoch 6 on
        sc.assertNoop(OWNER, new Call.OwnerPauseSubnet(sid), NetworkError.SubnetPauseCooldownActive);
        sc.advanceTo(5 * Scenario.EPOCH + 10);
        sc.assertNoop(OWNER, new Call.OwnerPauseSubnet(sid), NetworkError.SubnetPauseCooldownActive);
        sc.advanceTo(6 * Scenario.EPOCH + 4);
        sc.ok(OWNER, new Call.OwnerPauseSubnet(sid));
        sc.advanceTo(7 * Scenario.EPOCH + 4);
        sc.ok(OWNER, new Call.OwnerUnpauseSubnet(sid)); // unpaused in epoch 7: next pause from epoch 12
        sc.advanceTo(11 * Scenario.EPOCH + 18); // the call runs in block 239, the last of epoch 11
        sc.assertNoop(OWNER, new Call.OwnerPauseSubnet(sid), NetworkError.SubnetPauseCooldownActive);
        sc.advanceTo(12 * Scenario.EPOCH + 4);
        sc.ok(OWNER, new Call.OwnerPauseSubnet(sid));
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().subnet().state()).isEqualTo(SubnetState.Paused);
    }

    @Test
    void pauseCooldown_defaultZero_pauseUnpausePauseInOneEpoch() {
        Scenario sc = new Scenario();
        int sid = sc.activatedSubnet("no-cooldown", 3).subnetId();
        sc.ok(OWNER, new Call.OwnerPauseSubnet(sid));
        sc.ok(OWNER, new Call.OwnerUnpauseSubnet(sid));
        sc.ok(OWNER, new Call.OwnerPauseSubnet(sid));
    }

    @Test
    void maxSubnets_collectiveLowersItTo2_threeSubnetsExist_atEpoch20TheOneWithLeastDelegateStakeIsRemoved() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        sc.assertNoop(Scenario.coldkey(1), new Call.CollectiveSetMaxSubnets(2), NetworkError.BadOrigin);
        // dev chain EpochLength 20: at most 20 - 3 = 17 subnets (one slot each)
        sc.assertNoop(OWNER, new Call.CollectiveSetMaxSubnets(18), NetworkError.InvalidMaxSubnets);
        sc.ok(OWNER, new Call.CollectiveSetMaxSubnets(2));
        assertThat(sc.reads().params().maxSubnets()).isEqualTo(2);
        // as the pallet, MaxSubnets + 1 = 3 may be registered; the 4th is refused
        int a = sc.registerSubnet("max-a", v);
        int b = sc.registerSubnet("max-b", v);
        int c = sc.registerSubnet("max-c", v);
        sc.assertNoop(
                OWNER,
                new Call.RegisterSubnet(tensor(1_000_000), Scenario.subnetData("max-d", Map.of(1, 1, 2, 1, 3, 1))),
                NetworkError.MaxSubnets);
        // delegate stake: a 3000, b 1000 (least), c 2000 TENSOR
        Map<Integer, Integer> stake = Map.of(a, 3000, b, 1000, c, 2000);
        for (int sid : List.of(a, b, c)) {
            sc.registerNodes(sid, v);
            sc.ok(Scenario.coldkey(5), new Call.AddDelegateStake(sid, tensor(stake.get(sid))));
        }
        sc.advanceTo(Scenario.EPOCH + 1);
        for (int sid : List.of(a, b, c)) sc.ok(OWNER, new Call.ActivateSubnet(sid)); // general epoch 1
        // epoch 10 is a removal epoch (10 % 10 == 0) but within MinSubnetRemovalInterval (10) of the activation at
        // epoch 1
        sc.advanceTo(10 * Scenario.EPOCH);
        assertThat(sc.events(Event.SubnetDeactivated.class)).isEmpty();
        assertThat(sc.reads().getAllSubnetsInfo()).hasSize(3);
        // epoch 20: 3 > 2 subnets, b has the least delegate stake
        sc.advanceTo(20 * Scenario.EPOCH);
        assertThat(sc.events(Event.SubnetDeactivated.class))
                .containsExactly(new Event.SubnetDeactivated(b, SubnetRemovalReason.MaxSubnets));
        assertThat(sc.reads().getSubnetInfo(b)).isEmpty();
        assertThat(sc.reads().getSubnetInfo(a)).isPresent();
        assertThat(sc.reads().getSubnetInfo(c)).isPresent();
        // the delegators of b keep their stake, withdrawable
        assertThat(sc.reads().subnetDelegatePool(b).balance()).isEqualTo(tensor(1000));
        // epoch 30: 2 subnets, not over the maximum: nothing else goes
        sc.advanceTo(30 * Scenario.EPOCH);
        assertThat(sc.events(Event.SubnetDeactivated.class)).isEmpty();
        assertThat(sc.reads().getAllSubnetsInfo()).hasSize(2);
    }

    @Test
    void reputationFactorUpdates_partialFieldsMergeOntoThePendingSet_emptyAndOver100PercentRefused() {
        Scenario sc = new Scenario();
        int sid = sc.activatedSubnet("partial-factors", 3).subnetId();
        Model.ReputationFactorUpdates none = Model.ReputationFactorUpdates.none();
        sc.assertNoop(OWNER, new Call.OwnerUpdateReputationFactors(sid, none), NetworkError.InvalidValues);
        sc.assertNoop(
                OWNER,
                new Call.OwnerUpdateReputationFactors(sid, none.withAbsentDecrease(percent(101))),
                NetworkError.InvalidPercent);
        sc.assertNoop(
                OWNER,
                new Call.OwnerUpdateReputationFactors(sid, none.withBelowMinWeightDecrease(percent(51))),
                NetworkError.InvalidBelowMinWeightDecreaseReputationFactor);
        long e = sc.reads().subnetEpoch(sid);
        sc.ok(OWNER, new Call.OwnerUpdateReputationFactors(sid, none.withAbsentDecrease(percent(20))));
        sc.ok(OWNER, new Call.OwnerUpdateReputationFactors(sid, none.withBelowMinWeightDecrease(percent(30))));
        Model.ReputationFactorSchedule sched = Store.REPUTATION_FACTORS.get(sc.chain.state(), sid);
        Model.ReputationFactors d = Model.ReputationFactors.defaults();
        // both updates pending together, the other five fields unchanged, current still the defaults until epoch e + 1
        assertThat(sched.current()).isEqualTo(d);
        assertThat(sched.pendingFromSubnetEpoch()).isEqualTo(e + 1);
        assertThat(sched.pending())
                .contains(new Model.ReputationFactors(
                        percent(20),
                        d.includedIncrease(),
                        percent(30),
                        d.nonAttestorDecrease(),
                        d.nonConsensusAttestorDecrease(),
                        d.validatorAbsentDecrease(),
                        d.validatorNonConsensusDecrease()));
        // once in force, a new partial update starts from the new set
        sc.nextSubnetEpoch(sid);
        sc.ok(OWNER, new Call.OwnerUpdateReputationFactors(sid, none.withAbsentDecrease(percent(15))));
        sched = Store.REPUTATION_FACTORS.get(sc.chain.state(), sid);
        assertThat(sched.current().absentDecrease()).isEqualTo(percent(20));
        assertThat(sched.pending().orElseThrow().absentDecrease()).isEqualTo(percent(15));
        assertThat(sched.pending().orElseThrow().belowMinWeightDecrease()).isEqualTo(percent(30));
    }
}
