package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.runtime.Ctx.ensure;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.math.U128;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/** Free balances, minting and burning, the unbonding ledger. */
final class Accounts {
    private Accounts() {}

    static BigInteger free(Ctx c, AccountId a) {
        return Store.ACCOUNT.get(c.s, a);
    }

    static void setFree(Ctx c, AccountId a, BigInteger v) {
        if (v.signum() == 0) Store.ACCOUNT.remove(c.s, a);
        else Store.ACCOUNT.put(c.s, a, U128.check(v));
    }

    static void credit(Ctx c, AccountId a, BigInteger amount) {
        if (amount.signum() == 0) return;
        setFree(c, a, U128.add(free(c, a), amount));
    }

    /** Takes {@code amount} from {@code a}, which must keep at least the existential deposit. */
    static void debitKeepAlive(Ctx c, AccountId a, BigInteger amount, NetworkError notEnough) {
        BigInteger f = free(c, a);
        ensure(f.compareTo(amount.add(c.p.existentialDeposit())) >= 0, notEnough);
        setFree(c, a, f.subtract(amount));
    }

    static void transfer(Ctx c, AccountId from, AccountId to, BigInteger amount) {
        ensure(amount.signum() > 0, NetworkError.AmountZero);
        ensure(!from.equals(to), NetworkError.TransferToSelfNotAllowed);
        BigInteger f = free(c, from);
        ensure(f.compareTo(amount) >= 0, NetworkError.InsufficientBalance);
        ensure(f.subtract(amount).compareTo(c.p.existentialDeposit()) >= 0, NetworkError.Expendability);
        ensure(free(c, to).add(amount).compareTo(c.p.existentialDeposit()) >= 0, NetworkError.ExistentialDeposit);
        setFree(c, from, f.subtract(amount));
        credit(c, to, amount);
        c.emit(new Event.Transfer(from, to, amount));
    }

    /** New units: issuance and the minted total grow. */
    static void mintTo(Ctx c, AccountId to, BigInteger amount) {
        if (amount.signum() == 0) return;
        credit(c, to, amount);
        noteMinted(c, amount);
        c.emit(new Event.Minted(to, amount));
    }

    /** Records units minted straight into a stake or pool. */
    static void noteMinted(Ctx c, BigInteger amount) {
        Store.TOTAL_MINTED.put(c.s, U128.add(Store.TOTAL_MINTED.get(c.s), amount));
        Store.TOTAL_ISSUANCE.put(c.s, U128.add(Store.TOTAL_ISSUANCE.get(c.s), amount));
    }

    /** Records units destroyed (already taken from wherever they were). */
    static void noteBurned(Ctx c, AccountId from, BigInteger amount) {
        if (amount.signum() == 0) return;
        Store.TOTAL_BURNED.put(c.s, U128.add(Store.TOTAL_BURNED.get(c.s), amount));
        Store.TOTAL_ISSUANCE.put(c.s, U128.sub(Store.TOTAL_ISSUANCE.get(c.s), amount));
        c.emit(new Event.Burned(from, amount));
    }

    /** Puts {@code amount} in {@code a}'s unbonding ledger, claimable after {@code cooldownEpochs}. */
    static void unbond(Ctx c, AccountId a, BigInteger amount, int cooldownEpochs) {
        if (amount.signum() == 0) return;
        long claimBlock = c.block + (long) cooldownEpochs * c.p.epochLength();
        TreeMap<Long, BigInteger> ledger = new TreeMap<>(Store.UNBONDINGS.get(c.s, a));
        ensure(
                ledger.containsKey(claimBlock) || ledger.size() < c.p.maxUnbondings(),
                NetworkError.MaxUnlockingsReached);
        ledger.merge(claimBlock, amount, BigInteger::add);
        Store.UNBONDINGS.put(c.s, a, ledger);
        c.emit(new Event.Unbonded(a, amount, claimBlock));
    }

    static void claimUnbondings(Ctx c, AccountId a) {
        TreeMap<Long, BigInteger> ledger = new TreeMap<>(Store.UNBONDINGS.get(c.s, a));
        BigInteger total = BigInteger.ZERO;
        var it = ledger.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, BigInteger> e = it.next();
            if (e.getKey() <= c.block) {
                total = total.add(e.getValue());
                it.remove();
            }
        }
        ensure(total.signum() > 0, NetworkError.NoStakeUnbondingsOrCooldownNotMet);
        if (ledger.isEmpty()) Store.UNBONDINGS.remove(c.s, a);
        else Store.UNBONDINGS.put(c.s, a, ledger);
        credit(c, a, total);
        c.emit(new Event.UnbondingsClaimed(a, total));
    }
}
