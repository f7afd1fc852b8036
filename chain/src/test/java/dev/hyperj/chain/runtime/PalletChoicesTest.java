package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.ValidatorReputation;
import dev.hyperj.chain.storage.MemoryBackend;
import dev.hyperj.chain.storage.Overlay;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Choices checked against the pallet: where we follow it, and where we deliberately do not (said in the test name). */
class PalletChoicesTest {
    @Test
    void validatorAverageAttestation_isTheRunningMeanOfItsSettledProposalsRatios_asThePallet_notA1of10MovingAverage() {
        Ctx c = new Ctx(
                new Overlay(new MemoryBackend()), 100, new byte[32], NetworkParams.defaults(20, Optional.empty()));
        Store.VALIDATOR_REPUTATION.put(
                c.s, 7, new ValidatorReputation(0, Rep.fixed(0.5), 0, 0, 0, 0, BigInteger.ZERO, 0, BigInteger.ZERO));
        // proposal 1 in consensus, ratio 1.0: mean of one = 1.0; score 0.5 + 0.5^1.0005 * 0.0005
        Validators.noteProposalSettled(c, 7, true, Consensus.VALIDATOR_REPUTATION_INCREASE, U128.ONE_E18);
        ValidatorReputation r = Store.VALIDATOR_REPUTATION.get(c.s, 7);
        assertThat(r.averageAttestation()).isEqualTo(U128.ONE_E18);
        assertThat(r.score()).isEqualTo(Rep.increase(Rep.fixed(0.5), Consensus.VALIDATOR_REPUTATION_INCREASE));
        assertThat(r.totalIncreases()).isEqualTo(1);
        assertThat(r.lastValidatorEpoch()).isEqualTo(5); // block 100 / 20
        // proposal 2 not in consensus, ratio 0.5: (1.0 * 1 + 0.5) / 2 = 0.75; score halved
        // (ValidatorReputationDecreaseFactor 50%)
        BigInteger before = r.score();
        Validators.noteProposalSettled(c, 7, false, Consensus.VALIDATOR_REPUTATION_DECREASE, percent(50));
        r = Store.VALIDATOR_REPUTATION.get(c.s, 7);
        assertThat(r.averageAttestation()).isEqualTo(percent(75));
        assertThat(r.score()).isEqualTo(Rep.decrease(before, percent(50)));
        assertThat(r.totalDecreases()).isEqualTo(1);
        // proposal 3 in consensus, ratio 0.9: (0.75 * 2 + 0.9) / 3 = 0.8
        Validators.noteProposalSettled(c, 7, true, Consensus.VALIDATOR_REPUTATION_INCREASE, percent(90));
        assertThat(Store.VALIDATOR_REPUTATION.get(c.s, 7).averageAttestation()).isEqualTo(percent(80));
    }

    @Test
    void validatorScore_absentElectedNodeCostsTheNodeNotTheValidator_asThePallet() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("absent-validator", 3);
        int sid = a.subnetId();
        sc.nextSubnetEpoch(sid);
        int absent = sc.elected(sid);
        int validator =
                sc.reads().getSubnetNodeInfo(sid, absent).orElseThrow().node().validatorId();
        sc.nextSubnetEpoch(sid);
        assertThat(sc.reads()
                        .getSubnetNodeInfo(sid, absent)
                        .orElseThrow()
                        .node()
                        .reputation())
                .isEqualTo(percent(95));
        ValidatorReputation r =
                sc.reads().getValidatorInfo(validator).orElseThrow().reputation();
        assertThat(r.score()).isEqualTo(Rep.fixed(0.5));
        assertThat(r.totalDecreases()).isZero();
    }

    @Test
    void burnRate_initialValidatorRegistrationsAreNotDemand_palletWouldCountThemAtTheFirstActiveEpoch() {
        Scenario sc = new Scenario();
        // 3 initial registrations while Registered; the default target is 4 registrations an epoch
        Scenario.Activated a = sc.activatedSubnet("burn-start", 3);
        int sid = a.subnetId();
        // the first Active emission step (subnet epoch 1) updated the rate from 0 registrations: target 1.0 -> rate 1.0
        // (the pallet keeps counting through the registration phase: 3 of 4 would lift the rate to 0.5 * 4.0 + 0.5 *
        // 1.0 = 2.5)
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().nodeBurnRate()).isEqualTo(U128.ONE_E18);
        assertThat(Store.REGISTRATIONS_THIS_EPOCH.get(sc.chain.state(), sid)).isZero();
        // so the first registration after activation burns the base 1e13 * 1.0
        sc.ok(
                Scenario.coldkey(3),
                new Call.RegisterValidator(
                        Scenario.hotkey(3), percent(10), Optional.empty(), Model.ValidatorIdentity.named("v4")));
        CallResult r = sc.ok(Scenario.coldkey(3), sc.nodeCall(4, sid, 1));
        assertThat(r.events()).contains(new Event.Burned(Scenario.coldkey(3), BigInteger.TEN.pow(13)));
    }

    @Test
    void
            swap_destinationSubnetRemovedBeforeExecution_refundsToTheUnbondingLedgerClaimableAtOnce_palletCreditsTheOrphanPool() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int from = sc.registerSubnet("swap-from", v);
        int to = sc.registerSubnet("swap-to", v);
        AccountId delegator = Scenario.coldkey(5);
        sc.ok(delegator, new Call.AddDelegateStake(from, tensor(1000)));
        BigInteger shares = sc.reads().subnetDelegateShares(from, delegator);
        assertThat(shares).isEqualTo(tensor(1000)); // the first deposit gets shares = amount
        CallResult swap = sc.ok(delegator, new Call.SwapFromSubnetToSubnet(from, to, shares));
        Event.SwapQueued queued = swap.events().stream()
                .filter(e -> e instanceof Event.SwapQueued)
                .map(e -> (Event.SwapQueued) e)
                .findFirst()
                .orElseThrow();
        // the amount left the source pool now: shares * (B + 1) / (S + 10) with B = 1000e18, S = 1000e18 + 1000 dead
        // shares
        BigInteger amount = queued.amount();
        assertThat(amount)
                .isEqualTo(tensor(1000)
                        .multiply(tensor(1000).add(BigInteger.ONE))
                        .divide(tensor(1000).add(BigInteger.valueOf(1010))));
        assertThat(amount).isEqualTo(new BigInteger("999999999999999998991"));
        assertThat(queued.executeBlock()).isEqualTo(sc.chain.blockNumber() + Scenario.EPOCH);
        sc.ok(Scenario.coldkey(0), new Call.CollectiveRemoveSubnet(to));
        sc.advanceTo(queued.executeBlock());
        assertThat(sc.events(Event.SwapExecuted.class)).hasSize(1);
        // refunded into the ledger at the execution block: claimable at once, nothing lost, nothing credited to the
        // dead pool
        assertThat(sc.reads().unbondings(delegator)).isEqualTo(Map.of(queued.executeBlock(), amount));
        assertThat(sc.reads().subnetDelegatePool(to).balance()).isZero();
        BigInteger free = sc.reads().freeBalance(delegator);
        sc.ok(delegator, new Call.ClaimUnbondings());
        assertThat(sc.reads().freeBalance(delegator)).isEqualTo(free.add(amount));
    }
}
