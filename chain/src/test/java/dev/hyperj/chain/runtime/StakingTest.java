package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.DelegateAccount;
import dev.hyperj.chain.runtime.Model.Pool;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StakingTest {
    static final AccountId FAITH = DevAccounts.FAITH.account();
    static final AccountId ETHAN = DevAccounts.ETHAN.account();

    @Test
    void nodeStakeUnbondsForFourEpochsThenIsClaimable() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("stake", v);
        int node = sc.registerNodes(sid, List.of(1)).get(0);
        AccountId cold = Scenario.coldkey(0);
        sc.ok(cold, new Call.AddNodeStake(sid, node, tensor(50)));
        assertThat(sc.stake(sid, node)).isEqualTo(tensor(150));
        sc.assertNoop(cold, new Call.AddNodeStake(sid, node, tensor(851)), NetworkError.MaxStakeReached);
        sc.assertNoop(cold, new Call.RemoveNodeStake(sid, node, tensor(51)), NetworkError.MinStakeNotReached);
        sc.assertNoop(Scenario.coldkey(1), new Call.RemoveNodeStake(sid, node, tensor(10)), NetworkError.NotKeyOwner);
        sc.ok(cold, new Call.RemoveNodeStake(sid, node, tensor(50)));
        long claimBlock = sc.chain.blockNumber() + 4L * Scenario.EPOCH;
        assertThat(sc.reads().unbondings(cold)).containsExactly(Map.entry(claimBlock, tensor(50)));
        sc.assertNoop(cold, new Call.ClaimUnbondings(), NetworkError.NoStakeUnbondingsOrCooldownNotMet);
        sc.advanceTo(claimBlock - 1);
        BigInteger before = sc.reads().freeBalance(cold);
        sc.ok(cold, new Call.ClaimUnbondings());
        assertThat(sc.reads().freeBalance(cold)).isEqualTo(before.add(tensor(50)));
        assertThat(sc.reads().unbondings(cold)).isEmpty();
    }

    @Test
    void unbondingLedgerHoldsAtMost32Entries() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("ledger", v);
        sc.ok(FAITH, new Call.AddDelegateStake(sid, tensor(1000)));
        BigInteger shares = sc.reads().subnetDelegateShares(sid, FAITH);
        BigInteger slice = shares.divide(BigInteger.valueOf(64));
        for (int i = 0; i < 32; i++) sc.ok(FAITH, new Call.RemoveDelegateStake(sid, slice));
        assertThat(sc.reads().unbondings(FAITH)).hasSize(32);
        sc.assertNoop(FAITH, new Call.RemoveDelegateStake(sid, slice), NetworkError.MaxUnlockingsReached);
    }

    @Test
    void sharePoolMathWithDeadSharesDepositsRewardsAndWithdrawals() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("pool", v);
        sc.assertNoop(
                FAITH,
                new Call.AddDelegateStake(sid, BigInteger.valueOf(999)),
                NetworkError.MinDelegateStakeDepositNotReached);
        // first deposit: shares = amount, plus 1000 dead shares
        sc.ok(FAITH, new Call.AddDelegateStake(sid, tensor(1000)));
        assertThat(sc.reads().subnetDelegateShares(sid, FAITH)).isEqualTo(tensor(1000));
        assertThat(sc.reads().subnetDelegatePool(sid))
                .isEqualTo(new Pool(tensor(1000), tensor(1000).add(BigInteger.valueOf(1000))));
        // second deposit: shares = amount * (S + 10) / (B + 1)
        Pool p = sc.reads().subnetDelegatePool(sid);
        BigInteger expected = tensor(500)
                .multiply(p.shares().add(BigInteger.TEN))
                .divide(p.balance().add(BigInteger.ONE));
        sc.ok(ETHAN, new Call.AddDelegateStake(sid, tensor(500)));
        assertThat(sc.reads().subnetDelegateShares(sid, ETHAN)).isEqualTo(expected);
        // a donation only grows the balance: every share is worth more (500 TENSOR over 1500 TENSOR of shares: +1/3)
        sc.ok(DevAccounts.DOROTHY.account(), new Call.DonateDelegateStake(sid, tensor(500)));
        var faithStake = sc.reads().getDelegateStakes(FAITH).get(0);
        assertThat(U128.toRatio(faithStake.balance())).isCloseTo(1333.3333, org.assertj.core.data.Offset.offset(0.001));
        // withdrawal pays shares * (B + 1) / (S + 10) into unbonding (1 epoch)
        Pool before = sc.reads().subnetDelegatePool(sid);
        BigInteger owed = faithStake
                .shares()
                .multiply(before.balance().add(BigInteger.ONE))
                .divide(before.shares().add(BigInteger.TEN));
        sc.ok(FAITH, new Call.RemoveDelegateStake(sid, faithStake.shares()));
        assertThat(sc.reads().unbondings(FAITH).values()).containsExactly(owed);
        assertThat(sc.reads().subnetDelegatePool(sid).balance())
                .isEqualTo(before.balance().subtract(owed));
        sc.assertNoop(FAITH, new Call.RemoveDelegateStake(sid, BigInteger.ONE), NetworkError.NotEnoughStakeToWithdraw);
    }

    @Test
    void transfersAndQueuedSwapsMoveStakeAfterAnEpoch() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int a = sc.registerSubnet("from", v);
        int b = sc.registerSubnet("to", v);
        sc.ok(FAITH, new Call.AddDelegateStake(a, tensor(1000)));
        BigInteger shares = sc.reads().subnetDelegateShares(a, FAITH);
        sc.ok(FAITH, new Call.TransferDelegateStake(a, ETHAN, shares.divide(BigInteger.TWO)));
        assertThat(sc.reads().subnetDelegateShares(a, ETHAN)).isEqualTo(shares.divide(BigInteger.TWO));
        sc.assertNoop(
                FAITH, new Call.TransferDelegateStake(a, FAITH, BigInteger.ONE), NetworkError.TransferToSelfNotAllowed);
        sc.ok(ETHAN, new Call.SwapFromSubnetToSubnet(a, b, shares.divide(BigInteger.TWO)));
        long queuedAt = sc.chain.blockNumber();
        assertThat(sc.reads().supply().swapQueue()).isPositive();
        assertThat(sc.reads().subnetDelegateShares(b, ETHAN)).isZero();
        sc.advanceTo(queuedAt + Scenario.EPOCH - 1);
        assertThat(sc.reads().subnetDelegateShares(b, ETHAN)).isZero();
        sc.advanceTo(queuedAt + Scenario.EPOCH);
        assertThat(sc.events(Event.SwapExecuted.class)).hasSize(1);
        assertThat(sc.reads().subnetDelegateShares(b, ETHAN)).isPositive();
        assertThat(sc.reads().supply().swapQueue()).isZero();
        // subnet -> validator pool, and back
        sc.ok(FAITH, new Call.SwapFromSubnetToValidator(a, 1, sc.reads().subnetDelegateShares(a, FAITH)));
        sc.advanceTo(sc.chain.blockNumber() + Scenario.EPOCH);
        assertThat(sc.reads().validatorDelegatePool(1).balance()).isPositive();
    }

    @Test
    void rewardRateDecreaseIsLimitedToOnePercent_palletBugFix() {
        Scenario sc = new Scenario();
        sc.registerValidators(1); // rate 10%
        AccountId cold = Scenario.coldkey(0);
        sc.assertNoop(
                cold, new Call.UpdateValidatorDelegateRewardRate(1, percent(9)), NetworkError.MaxRewardRateUpdates);
        sc.advanceTo(14_401);
        // MaxRewardRateDecrease is 1% (1e16), not the pallet's 1e7 (~1e-11): a 2-point cut is refused, a 1-point cut
        // allowed
        sc.assertNoop(
                cold,
                new Call.UpdateValidatorDelegateRewardRate(1, percent(8)),
                NetworkError.SurpassesMaxRewardRateDecrease);
        sc.ok(cold, new Call.UpdateValidatorDelegateRewardRate(1, percent(9)));
        assertThat(sc.reads().getValidatorInfo(1).orElseThrow().validator().delegateRewardRate())
                .isEqualTo(percent(9));
    }

    @Test
    void nodeRewardSplitsIntoValidatorDelegatorsDelegateAccountAndStake() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        AccountId receiver = Scenario.account("delegate-account");
        for (int id : v) {
            sc.ok(
                    Scenario.coldkey(id - 1),
                    new Call.UpdateValidatorDelegateAccount(
                            id, Optional.of(new DelegateAccount(receiver, percent(50)))));
            sc.ok(FAITH, new Call.AddValidatorDelegateStake(id, tensor(1000)));
        }
        Scenario.Activated a = sc.activatedSubnet("split", 3);
        int sid = a.subnetId();
        sc.nextSubnetEpoch(sid);
        int proposer = sc.elected(sid);
        sc.consensus(sid, Scenario.scores(a.nodes(), 1, 1, 1), a.nodes());
        int other = a.nodes().stream().filter(n -> n != proposer).findFirst().orElseThrow();
        int validator =
                sc.reads().getSubnetNodeInfo(sid, other).orElseThrow().node().validatorId();
        BigInteger stakeBefore = sc.stake(sid, other);
        BigInteger poolBefore = sc.reads().validatorDelegatePool(validator).balance();
        BigInteger receiverBefore = sc.reads().freeBalance(receiver);
        sc.nextSubnetEpoch(sid);
        BigInteger reward = sc.events(Event.NodeReward.class).stream()
                .filter(r -> r.subnetNodeId() == other)
                .findFirst()
                .orElseThrow()
                .reward();
        BigInteger toDelegators = U128.percentMul(reward, percent(10));
        BigInteger toAccount = U128.percentMul(reward.subtract(toDelegators), percent(50));
        assertThat(sc.reads().validatorDelegatePool(validator).balance().subtract(poolBefore))
                .isEqualTo(toDelegators);
        // every validator routes 50% of what is left to the same delegate account: one mint per rewarded node
        List<BigInteger> toReceiver = sc.events(Event.Minted.class).stream()
                .filter(m -> m.to().equals(receiver))
                .map(Event.Minted::amount)
                .toList();
        assertThat(toReceiver).hasSize(3).contains(toAccount);
        assertThat(sc.reads().freeBalance(receiver).subtract(receiverBefore))
                .isEqualTo(toReceiver.stream().reduce(BigInteger.ZERO, BigInteger::add));
        assertThat(sc.stake(sid, other).subtract(stakeBefore))
                .isEqualTo(reward.subtract(toDelegators).subtract(toAccount));
        // the delegate account must not be a validator key and its rate must be in (0, 100%]
        sc.assertNoop(
                Scenario.coldkey(0),
                new Call.UpdateValidatorDelegateAccount(
                        1, Optional.of(new DelegateAccount(Scenario.hotkey(0), percent(5)))),
                NetworkError.DelegateAccountCannotBeHotkey);
        sc.assertNoop(
                Scenario.coldkey(0),
                new Call.UpdateValidatorDelegateAccount(1, Optional.of(new DelegateAccount(receiver, BigInteger.ZERO))),
                NetworkError.InvalidDelegateAccountRate);
    }

    @Test
    void validatorIdentityAndKeysAreUnique() {
        Scenario sc = new Scenario();
        sc.registerValidators(2);
        AccountId cold = Scenario.coldkey(0);
        sc.assertNoop(
                cold,
                new Call.RegisterValidator(
                        Scenario.account("x"),
                        BigInteger.ZERO,
                        Optional.empty(),
                        Model.ValidatorIdentity.named("again")),
                NetworkError.HotkeyAlreadyRegisteredToColdkey);
        AccountId eve = Scenario.account("eve");
        sc.ok(cold, new Call.Transfer(eve, tensor(10)));
        sc.assertNoop(
                eve,
                new Call.RegisterValidator(
                        eve, BigInteger.ZERO, Optional.empty(), Model.ValidatorIdentity.named("eve")),
                NetworkError.ColdkeyMatchesHotkey);
        sc.assertNoop(
                eve,
                new Call.RegisterValidator(
                        Scenario.hotkey(1), BigInteger.ZERO, Optional.empty(), Model.ValidatorIdentity.named("eve")),
                NetworkError.HotkeyHasOwner);
        sc.assertNoop(
                eve,
                new Call.RegisterValidator(
                        Scenario.account("eve-hot"),
                        BigInteger.ZERO,
                        Optional.empty(),
                        Model.ValidatorIdentity.named("validator-0")),
                NetworkError.IdentityTaken);
        sc.assertNoop(
                eve,
                new Call.RegisterValidator(
                        Scenario.account("eve-hot"),
                        percent(96),
                        Optional.empty(),
                        Model.ValidatorIdentity.named("eve")),
                NetworkError.InvalidDelegateRewardRate);
        sc.ok(
                eve,
                new Call.RegisterValidator(
                        Scenario.account("eve-hot"),
                        BigInteger.ZERO,
                        Optional.empty(),
                        Model.ValidatorIdentity.named("eve")));
        sc.ok(cold, new Call.UpdateValidatorHotkey(1, Scenario.account("new-hot")));
        assertThat(sc.reads().getValidatorInfo(1).orElseThrow().validator().hotkey())
                .isEqualTo(Scenario.account("new-hot"));
        AccountId newCold = Scenario.account("new-cold");
        sc.ok(cold, new Call.UpdateValidatorColdkey(1, newCold));
        assertThat(sc.reads().validatorIdOf(newCold)).contains(1);
        sc.assertNoop(
                cold,
                new Call.UpdateValidatorIdentity(1, Model.ValidatorIdentity.named("z")),
                NetworkError.NotKeyOwner);
        // transfers keep the existential deposit (500)
        AccountId nobody = Scenario.account("nobody");
        sc.assertNoop(
                DevAccounts.CHARLETH.account(),
                new Call.Transfer(nobody, BigInteger.valueOf(499)),
                NetworkError.ExistentialDeposit);
        sc.assertNoop(eve, new Call.Transfer(nobody, sc.reads().freeBalance(eve)), NetworkError.Expendability);
    }
}
