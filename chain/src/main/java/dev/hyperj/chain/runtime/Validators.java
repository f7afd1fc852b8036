package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.runtime.Ctx.ensure;
import static dev.hyperj.chain.runtime.Ctx.fail;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.DelegateAccount;
import dev.hyperj.chain.runtime.Model.Validator;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.runtime.Model.ValidatorReputation;
import java.math.BigInteger;
import java.util.Optional;

/** The validator identity layer: one validator per coldkey, owning nodes across subnets. */
final class Validators {
    private Validators() {}

    static Validator get(Ctx c, int id) {
        return Store.VALIDATORS.find(c.s, id).orElseThrow(() -> fail(NetworkError.InvalidValidatorId));
    }

    /** The validator whose coldkey signed. */
    static Validator owned(Ctx c, AccountId origin, int id) {
        Validator v = get(c, id);
        ensure(v.coldkey().equals(origin), NetworkError.NotKeyOwner);
        return v;
    }

    static boolean keyInUse(Ctx c, AccountId k) {
        return Store.HOTKEY_OWNER.contains(c.s, k) || Store.COLDKEY_VALIDATOR.contains(c.s, k);
    }

    private static void checkDelegateAccount(Optional<DelegateAccount> d, AccountId coldkey, AccountId hotkey) {
        if (d.isEmpty()) return;
        DelegateAccount a = d.get();
        ensure(!a.account().equals(hotkey), NetworkError.DelegateAccountCannotBeHotkey);
        ensure(!a.account().equals(coldkey), NetworkError.DelegateAccountCannotBeColdkey);
        ensure(a.rate().signum() > 0 && a.rate().compareTo(U128.ONE_E18) <= 0, NetworkError.InvalidDelegateAccountRate);
    }

    private static void checkIdentity(Ctx c, ValidatorIdentity id, int self) {
        ensure(!id.name().isBlank(), NetworkError.IdentityFieldEmpty);
        for (String f : java.util.List.of(
                id.name(),
                id.url(),
                id.image(),
                id.discord(),
                id.x(),
                id.telegram(),
                id.github(),
                id.huggingFace(),
                id.description(),
                id.misc())) {
            ensure(f.length() <= Subnets.MAX_TEXT, NetworkError.InvalidValues);
        }
        Optional<Integer> owner = Store.VALIDATOR_NAMES.find(c.s, id.name());
        ensure(owner.isEmpty() || owner.get() == self, NetworkError.IdentityTaken);
    }

    static void register(Ctx c, AccountId coldkey, Call.RegisterValidator call) {
        ensure(!Store.COLDKEY_VALIDATOR.contains(c.s, coldkey), NetworkError.HotkeyAlreadyRegisteredToColdkey);
        ensure(!call.hotkey().equals(coldkey), NetworkError.ColdkeyMatchesHotkey);
        ensure(!keyInUse(c, call.hotkey()) && !Store.HOTKEY_OWNER.contains(c.s, coldkey), NetworkError.HotkeyHasOwner);
        ensure(
                call.delegateRewardRate().compareTo(c.p.maxDelegateStakePercentage()) <= 0,
                NetworkError.InvalidDelegateRewardRate);
        checkDelegateAccount(call.delegateAccount(), coldkey, call.hotkey());
        int id = Store.TOTAL_VALIDATORS.get(c.s) + 1;
        checkIdentity(c, call.identity(), id);
        Store.TOTAL_VALIDATORS.put(c.s, id);
        Store.VALIDATORS.put(
                c.s,
                id,
                new Validator(
                        id,
                        coldkey,
                        call.hotkey(),
                        call.delegateRewardRate(),
                        c.block,
                        call.delegateAccount(),
                        call.identity()));
        Store.COLDKEY_VALIDATOR.put(c.s, coldkey, id);
        Store.HOTKEY_OWNER.put(c.s, call.hotkey(), id);
        Store.VALIDATOR_NAMES.put(c.s, call.identity().name(), id);
        Store.VALIDATOR_REPUTATION.put(
                c.s,
                id,
                new ValidatorReputation(c.epoch(), Rep.fixed(0.5), 0, 0, 0, 0, BigInteger.ZERO, 0, BigInteger.ZERO));
        c.emit(new Event.ValidatorRegistered(id, coldkey, call.hotkey()));
    }

    static void updateColdkey(Ctx c, AccountId origin, int id, AccountId newColdkey) {
        Validator v = owned(c, origin, id);
        ensure(!newColdkey.equals(v.hotkey()), NetworkError.ColdkeyMatchesHotkey);
        ensure(!keyInUse(c, newColdkey), NetworkError.HotkeyAlreadyRegisteredToColdkey);
        Store.COLDKEY_VALIDATOR.remove(c.s, origin);
        Store.COLDKEY_VALIDATOR.put(c.s, newColdkey, id);
        Store.VALIDATORS.put(
                c.s,
                id,
                new Validator(
                        id,
                        newColdkey,
                        v.hotkey(),
                        v.delegateRewardRate(),
                        v.lastRewardRateUpdateBlock(),
                        v.delegateAccount(),
                        v.identity()));
        c.emit(new Event.UpdateColdkey(id, newColdkey));
    }

    static void updateHotkey(Ctx c, AccountId origin, int id, AccountId newHotkey) {
        Validator v = owned(c, origin, id);
        ensure(!newHotkey.equals(v.coldkey()), NetworkError.ColdkeyMatchesHotkey);
        ensure(!keyInUse(c, newHotkey), NetworkError.HotkeyHasOwner);
        Store.HOTKEY_OWNER.remove(c.s, v.hotkey());
        Store.HOTKEY_OWNER.put(c.s, newHotkey, id);
        Store.VALIDATORS.put(
                c.s,
                id,
                new Validator(
                        id,
                        v.coldkey(),
                        newHotkey,
                        v.delegateRewardRate(),
                        v.lastRewardRateUpdateBlock(),
                        v.delegateAccount(),
                        v.identity()));
        c.emit(new Event.UpdateHotkey(id, newHotkey));
    }

    static void updateRewardRate(Ctx c, AccountId origin, int id, BigInteger rate) {
        Validator v = owned(c, origin, id);
        ensure(rate.compareTo(c.p.maxDelegateStakePercentage()) <= 0, NetworkError.InvalidDelegateRewardRate);
        ensure(!rate.equals(v.delegateRewardRate()), NetworkError.NoDelegateRewardRateChange);
        ensure(
                c.block >= v.lastRewardRateUpdateBlock() + c.p.rewardRateUpdatePeriodBlocks(),
                NetworkError.MaxRewardRateUpdates);
        // Pallet bug not copied: MaxRewardRateDecrease is a real 1% (1e16), not 1e7.
        if (rate.compareTo(v.delegateRewardRate()) < 0) {
            ensure(
                    v.delegateRewardRate().subtract(rate).compareTo(c.p.maxRewardRateDecrease()) <= 0,
                    NetworkError.SurpassesMaxRewardRateDecrease);
        }
        Store.VALIDATORS.put(
                c.s, id, new Validator(id, v.coldkey(), v.hotkey(), rate, c.block, v.delegateAccount(), v.identity()));
        c.emit(new Event.ValidatorUpdateDelegateRewardRate(id, rate));
    }

    static void updateDelegateAccount(Ctx c, AccountId origin, int id, Optional<DelegateAccount> d) {
        Validator v = owned(c, origin, id);
        checkDelegateAccount(d, v.coldkey(), v.hotkey());
        Store.VALIDATORS.put(
                c.s,
                id,
                new Validator(
                        id,
                        v.coldkey(),
                        v.hotkey(),
                        v.delegateRewardRate(),
                        v.lastRewardRateUpdateBlock(),
                        d,
                        v.identity()));
        c.emit(new Event.ValidatorUpdated(id));
    }

    static void updateIdentity(Ctx c, AccountId origin, int id, ValidatorIdentity identity) {
        Validator v = owned(c, origin, id);
        checkIdentity(c, identity, id);
        Store.VALIDATOR_NAMES.remove(c.s, v.identity().name());
        Store.VALIDATOR_NAMES.put(c.s, identity.name(), id);
        Store.VALIDATORS.put(
                c.s,
                id,
                new Validator(
                        id,
                        v.coldkey(),
                        v.hotkey(),
                        v.delegateRewardRate(),
                        v.lastRewardRateUpdateBlock(),
                        v.delegateAccount(),
                        identity));
        c.emit(new Event.ValidatorUpdated(id));
    }

    // --- reputation

    static ValidatorReputation reputation(Ctx c, int id) {
        return Store.VALIDATOR_REPUTATION.get(c.s, id);
    }

    /**
     * The proposer's validator after its epoch is settled, as the pallet's increase/decrease_validator_reputation: the
     * score rises (in consensus) or falls (not), and {@code average_attestation} is the running mean of the attestation
     * ratios of every proposal settled so far: (avg * (n - 1) + ratio) / n, n = total increases + decreases.
     */
    static void noteProposalSettled(
            Ctx c, int id, boolean inConsensus, BigInteger factor, BigInteger attestationRatio) {
        ValidatorReputation r = reputation(c, id);
        if (r == null) return;
        BigInteger score = inConsensus ? Rep.increase(r.score(), factor) : Rep.decrease(r.score(), factor);
        int increases = r.totalIncreases() + (inConsensus ? 1 : 0);
        int decreases = r.totalDecreases() + (inConsensus ? 0 : 1);
        BigInteger previous = BigInteger.valueOf((long) increases + decreases - 1);
        BigInteger avg = previous.signum() == 0
                ? attestationRatio
                : r.averageAttestation()
                        .multiply(previous)
                        .add(attestationRatio)
                        .divide(previous.add(BigInteger.ONE));
        Store.VALIDATOR_REPUTATION.put(
                c.s,
                id,
                new ValidatorReputation(
                        r.startEpoch(),
                        score,
                        r.lifetimeNodeCount(),
                        r.totalActiveNodes(),
                        increases,
                        decreases,
                        avg,
                        c.epoch(),
                        r.owScore()));
    }

    /** Records the epoch of the validator's latest proposal. */
    static void markProposal(Ctx c, int id) {
        ValidatorReputation r = reputation(c, id);
        if (r == null) return;
        Store.VALIDATOR_REPUTATION.put(
                c.s,
                id,
                new ValidatorReputation(
                        r.startEpoch(),
                        r.score(),
                        r.lifetimeNodeCount(),
                        r.totalActiveNodes(),
                        r.totalIncreases(),
                        r.totalDecreases(),
                        r.averageAttestation(),
                        c.epoch(),
                        r.owScore()));
    }

    static void nodeCountChanged(Ctx c, int id, int lifetimeDelta, int activeDelta) {
        ValidatorReputation r = reputation(c, id);
        if (r == null) return;
        Store.VALIDATOR_REPUTATION.put(
                c.s,
                id,
                new ValidatorReputation(
                        r.startEpoch(),
                        r.score(),
                        r.lifetimeNodeCount() + lifetimeDelta,
                        Math.max(0, r.totalActiveNodes() + activeDelta),
                        r.totalIncreases(),
                        r.totalDecreases(),
                        r.averageAttestation(),
                        r.lastValidatorEpoch(),
                        r.owScore()));
    }

    static void setOwScore(Ctx c, int id, BigInteger ow) {
        ValidatorReputation r = reputation(c, id);
        if (r == null) return;
        Store.VALIDATOR_REPUTATION.put(
                c.s,
                id,
                new ValidatorReputation(
                        r.startEpoch(),
                        r.score(),
                        r.lifetimeNodeCount(),
                        r.totalActiveNodes(),
                        r.totalIncreases(),
                        r.totalDecreases(),
                        r.averageAttestation(),
                        r.lastValidatorEpoch(),
                        ow));
    }
}
