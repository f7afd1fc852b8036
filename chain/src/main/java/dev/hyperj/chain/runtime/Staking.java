package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.runtime.Ctx.ensure;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.NetFlow;
import dev.hyperj.chain.runtime.Model.NodeStake;
import dev.hyperj.chain.runtime.Model.Pool;
import dev.hyperj.chain.runtime.Model.Subnet;
import dev.hyperj.chain.runtime.Model.SubnetNode;
import dev.hyperj.chain.runtime.Model.SwapEntry;
import dev.hyperj.chain.runtime.Model.SwapTargetKind;
import dev.hyperj.chain.storage.StorageDoubleMap;
import dev.hyperj.chain.storage.StorageMap;
import java.math.BigInteger;
import java.util.Optional;

/** Node stake, the subnet and validator delegate-stake share pools, transfers and the swap queue. */
final class Staking {
    private Staking() {}

    static final BigInteger DEAD_SHARES = BigInteger.valueOf(1000);
    static final BigInteger VIRTUAL_SHARES = BigInteger.TEN;

    // --- node stake

    static void addToNodeStake(Ctx c, int subnetId, int nodeId, int validatorId, BigInteger amount) {
        NodeStake cur = Store.NODE_STAKE.get(c.s, subnetId, nodeId);
        BigInteger prev = cur == null ? BigInteger.ZERO : cur.amount();
        Store.NODE_STAKE.put(c.s, subnetId, nodeId, new NodeStake(validatorId, U128.add(prev, amount)));
        Store.TOTAL_SUBNET_STAKE.put(c.s, subnetId, U128.add(Store.TOTAL_SUBNET_STAKE.get(c.s, subnetId), amount));
    }

    /** Takes up to {@code amount} off a node's stake (slashes, withdrawals); returns what was taken. */
    static BigInteger takeFromNodeStake(Ctx c, int subnetId, int nodeId, BigInteger amount) {
        NodeStake cur = Store.NODE_STAKE.get(c.s, subnetId, nodeId);
        if (cur == null) return BigInteger.ZERO;
        BigInteger taken = U128.min(amount, cur.amount());
        BigInteger left = cur.amount().subtract(taken);
        if (left.signum() == 0) Store.NODE_STAKE.remove(c.s, subnetId, nodeId);
        else Store.NODE_STAKE.put(c.s, subnetId, nodeId, new NodeStake(cur.validatorId(), left));
        Store.TOTAL_SUBNET_STAKE.put(
                c.s, subnetId, U128.saturatingSub(Store.TOTAL_SUBNET_STAKE.get(c.s, subnetId), taken));
        return taken;
    }

    static void addNodeStake(Ctx c, AccountId origin, int subnetId, int nodeId, BigInteger amount) {
        ensure(amount.signum() > 0, NetworkError.AmountZero);
        SubnetNode n = Nodes.owned(c, origin, subnetId, nodeId);
        NodeStake cur = Store.NODE_STAKE.get(c.s, subnetId, nodeId);
        BigInteger total = (cur == null ? BigInteger.ZERO : cur.amount()).add(amount);
        // as the pallet: the stake after the deposit must lie in [min, max] (a node under the minimum, after a slash
        // or an owner's raise of it, must deposit enough to reach it)
        ensure(total.compareTo(Subnets.params(c, subnetId).minStake()) >= 0, NetworkError.MinStakeNotReached);
        ensure(total.compareTo(Subnets.params(c, subnetId).maxStake()) <= 0, NetworkError.MaxStakeReached);
        Accounts.debitKeepAlive(c, origin, amount, NetworkError.NotEnoughBalanceToStake);
        addToNodeStake(c, subnetId, nodeId, n.validatorId(), amount);
        c.emit(new Event.StakeAdded(subnetId, nodeId, amount));
    }

    /** Withdraws node stake into the coldkey's unbonding ledger; works after the node (or subnet) is gone. */
    static void removeNodeStake(Ctx c, AccountId origin, int subnetId, int nodeId, BigInteger amount) {
        ensure(amount.signum() > 0, NetworkError.AmountZero);
        NodeStake cur = Store.NODE_STAKE.get(c.s, subnetId, nodeId);
        ensure(cur != null, NetworkError.NotEnoughStakeToWithdraw);
        ensure(Validators.get(c, cur.validatorId()).coldkey().equals(origin), NetworkError.NotKeyOwner);
        ensure(cur.amount().compareTo(amount) >= 0, NetworkError.NotEnoughStakeToWithdraw);
        Optional<SubnetNode> node = Store.NODES.find(c.s, subnetId, nodeId);
        if (node.isPresent()) {
            Subnet s = Subnets.get(c, subnetId);
            ensure(
                    cur.amount()
                                    .subtract(amount)
                                    .compareTo(Subnets.params(c, subnetId).minStake())
                            >= 0,
                    NetworkError.MinStakeNotReached);
            Optional<Integer> elected = Store.ELECTED.find(c.s, subnetId, c.subnetEpoch(s.slot()));
            ensure(elected.isEmpty() || elected.get() != nodeId, NetworkError.ElectedValidatorCannotUnstake);
        }
        takeFromNodeStake(c, subnetId, nodeId, amount);
        Accounts.unbond(c, origin, amount, c.p.stakeCooldownEpochs());
        c.emit(new Event.StakeRemoved(subnetId, nodeId, amount));
    }

    // --- share pools

    /** Shares minted for {@code amount}: {@code amount * (S + 10) / (B + 1)}; the first deposit mints 1000 dead shares and gets shares = amount. */
    static BigInteger sharesFor(Pool p, BigInteger amount) {
        if (p.shares().signum() == 0) return amount;
        return amount.multiply(p.shares().add(VIRTUAL_SHARES))
                .divide(p.balance().add(BigInteger.ONE));
    }

    /** Balance of {@code shares}: {@code shares * (B + 1) / (S + 10)}. */
    static BigInteger balanceOf(Pool p, BigInteger shares) {
        if (p.shares().signum() == 0) return BigInteger.ZERO;
        return U128.min(
                p.balance(),
                shares.multiply(p.balance().add(BigInteger.ONE))
                        .divide(p.shares().add(VIRTUAL_SHARES)));
    }

    record PoolRef(
            StorageMap<Integer, Pool> pools,
            StorageDoubleMap<Integer, AccountId, BigInteger> shares,
            int id,
            boolean validator) {}

    static PoolRef subnetPool(int id) {
        return new PoolRef(Store.SUBNET_POOL, Store.SUBNET_SHARES, id, false);
    }

    static PoolRef validatorPool(int id) {
        return new PoolRef(Store.VALIDATOR_POOL, Store.VALIDATOR_SHARES, id, true);
    }

    /** Credits {@code amount} (already taken from somewhere) to the pool as {@code who}'s shares. */
    static BigInteger deposit(Ctx c, PoolRef ref, AccountId who, BigInteger amount) {
        Pool p = ref.pools().get(c.s, ref.id());
        BigInteger minted = sharesFor(p, amount);
        ensure(minted.signum() > 0, NetworkError.SharesZero);
        BigInteger totalShares = p.shares().add(minted).add(p.shares().signum() == 0 ? DEAD_SHARES : BigInteger.ZERO);
        ref.pools().put(c.s, ref.id(), new Pool(U128.add(p.balance(), amount), U128.check(totalShares)));
        ref.shares().put(c.s, ref.id(), who, U128.add(ref.shares().get(c.s, ref.id(), who), minted));
        if (!ref.validator()) {
            NetFlow f = Store.NET_FLOW.get(c.s, ref.id());
            Store.NET_FLOW.put(c.s, ref.id(), new NetFlow(U128.add(f.in(), amount), f.out()));
        }
        return minted;
    }

    /** Burns {@code shares} of {@code who}; returns the balance they were worth (removed from the pool). */
    static BigInteger withdraw(Ctx c, PoolRef ref, AccountId who, BigInteger shares) {
        ensure(shares.signum() > 0, NetworkError.SharesZero);
        BigInteger owned = ref.shares().get(c.s, ref.id(), who);
        ensure(owned.compareTo(shares) >= 0, NetworkError.NotEnoughStakeToWithdraw);
        Pool p = ref.pools().get(c.s, ref.id());
        BigInteger amount = balanceOf(p, shares);
        ensure(amount.signum() > 0, NetworkError.AmountZero);
        ref.pools()
                .put(
                        c.s,
                        ref.id(),
                        new Pool(p.balance().subtract(amount), p.shares().subtract(shares)));
        BigInteger left = owned.subtract(shares);
        if (left.signum() == 0) ref.shares().remove(c.s, ref.id(), who);
        else ref.shares().put(c.s, ref.id(), who, left);
        // a removed subnet's pool is only drained: no net flow to weigh (it would stay in state forever)
        if (!ref.validator() && Store.SUBNETS.contains(c.s, ref.id())) {
            NetFlow f = Store.NET_FLOW.get(c.s, ref.id());
            Store.NET_FLOW.put(c.s, ref.id(), new NetFlow(f.in(), U128.add(f.out(), amount)));
        }
        return amount;
    }

    /** Rewards and donations grow the balance only, so every share is worth more. */
    static void grow(Ctx c, PoolRef ref, BigInteger amount) {
        Pool p = ref.pools().get(c.s, ref.id());
        ref.pools().put(c.s, ref.id(), new Pool(U128.add(p.balance(), amount), p.shares()));
    }

    private static void checkTarget(Ctx c, PoolRef ref) {
        if (ref.validator()) Validators.get(c, ref.id());
        else Subnets.get(c, ref.id());
    }

    static void addDelegate(Ctx c, AccountId origin, PoolRef ref, BigInteger amount) {
        checkTarget(c, ref);
        ensure(amount.compareTo(c.p.minDelegateStakeDeposit()) >= 0, NetworkError.MinDelegateStakeDepositNotReached);
        Accounts.debitKeepAlive(c, origin, amount, NetworkError.NotEnoughBalanceToStake);
        BigInteger shares = deposit(c, ref, origin, amount);
        c.emit(
                ref.validator()
                        ? new Event.ValidatorDelegateStakeAdded(ref.id(), origin, amount, shares)
                        : new Event.SubnetDelegateStakeAdded(ref.id(), origin, amount, shares));
    }

    static void removeDelegate(Ctx c, AccountId origin, PoolRef ref, BigInteger shares) {
        BigInteger amount = withdraw(c, ref, origin, shares);
        Accounts.unbond(c, origin, amount, c.p.delegateStakeCooldownEpochs());
        c.emit(
                ref.validator()
                        ? new Event.ValidatorDelegateStakeRemoved(ref.id(), origin, amount, shares)
                        : new Event.SubnetDelegateStakeRemoved(ref.id(), origin, amount, shares));
    }

    static void transferShares(Ctx c, AccountId origin, PoolRef ref, AccountId to, BigInteger shares) {
        ensure(shares.signum() > 0, NetworkError.SharesZero);
        ensure(!origin.equals(to), NetworkError.TransferToSelfNotAllowed);
        BigInteger owned = ref.shares().get(c.s, ref.id(), origin);
        ensure(owned.compareTo(shares) >= 0, NetworkError.NotEnoughStakeToWithdraw);
        BigInteger left = owned.subtract(shares);
        if (left.signum() == 0) ref.shares().remove(c.s, ref.id(), origin);
        else ref.shares().put(c.s, ref.id(), origin, left);
        ref.shares().put(c.s, ref.id(), to, U128.add(ref.shares().get(c.s, ref.id(), to), shares));
        c.emit(new Event.DelegateStakeTransferred(ref.id(), ref.validator(), origin, to, shares));
    }

    static void donate(Ctx c, AccountId origin, PoolRef ref, BigInteger amount) {
        checkTarget(c, ref);
        ensure(amount.compareTo(c.p.minDelegateStakeDeposit()) >= 0, NetworkError.MinDelegateStakeDepositNotReached);
        ensure(ref.pools().get(c.s, ref.id()).shares().signum() > 0, NetworkError.SharesZero);
        Accounts.debitKeepAlive(c, origin, amount, NetworkError.NotEnoughBalance);
        grow(c, ref, amount);
        c.emit(new Event.DelegateStakeDonated(ref.id(), ref.validator(), amount));
    }

    /** Takes shares out of one pool now and queues the amount for the destination, credited after EpochLength blocks. */
    static void swap(Ctx c, AccountId origin, PoolRef from, PoolRef to, BigInteger shares) {
        checkTarget(c, to);
        long queued = Store.NEXT_SWAP_ID.get(c.s) - Store.SWAP_HEAD.get(c.s);
        ensure(queued < c.p.maxSwapQueueLength(), NetworkError.SwapQueueFull);
        BigInteger amount = withdraw(c, from, origin, shares);
        long id = Store.NEXT_SWAP_ID.get(c.s);
        Store.NEXT_SWAP_ID.put(c.s, id + 1);
        long at = c.block + c.p.epochLength();
        Store.SWAP_QUEUE.put(
                c.s,
                id,
                new SwapEntry(
                        id,
                        origin,
                        to.validator() ? SwapTargetKind.Validator : SwapTargetKind.Subnet,
                        to.id(),
                        amount,
                        at));
        c.emit(new Event.SwapQueued(id, origin, amount, at));
    }

    /** Every block: up to MaxSwapQueueCallsPerBlock matured swaps, in queue order. A vanished destination refunds to unbonding. */
    static void executeSwaps(Ctx c) {
        long head = Store.SWAP_HEAD.get(c.s);
        long next = Store.NEXT_SWAP_ID.get(c.s);
        int done = 0;
        while (head < next && done < c.p.maxSwapQueueCallsPerBlock()) {
            SwapEntry e = Store.SWAP_QUEUE.get(c.s, head);
            if (e == null) {
                head++;
                continue;
            }
            if (e.executeBlock() > c.block) break;
            Store.SWAP_QUEUE.remove(c.s, head);
            PoolRef ref = e.kind() == SwapTargetKind.Validator ? validatorPool(e.targetId()) : subnetPool(e.targetId());
            boolean exists = ref.validator()
                    ? Store.VALIDATORS.contains(c.s, e.targetId())
                    : Store.SUBNETS.contains(c.s, e.targetId());
            if (exists && sharesFor(ref.pools().get(c.s, ref.id()), e.amount()).signum() > 0) {
                deposit(c, ref, e.account(), e.amount());
            } else {
                // cannot fail here (a hook): the ledger may exceed its cap by this entry
                java.util.TreeMap<Long, BigInteger> ledger =
                        new java.util.TreeMap<>(Store.UNBONDINGS.get(c.s, e.account()));
                ledger.merge(c.block, e.amount(), BigInteger::add);
                Store.UNBONDINGS.put(c.s, e.account(), ledger);
            }
            c.emit(new Event.SwapExecuted(e.id()));
            head++;
            done++;
        }
        Store.SWAP_HEAD.put(c.s, head);
    }
}
