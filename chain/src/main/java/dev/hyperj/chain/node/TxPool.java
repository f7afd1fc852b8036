package dev.hyperj.chain.node;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.tx.Transaction;
import dev.hyperj.chain.tx.TxException;
import dev.hyperj.chain.tx.TxException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * Pending transactions by account, ordered by nonce. Bounded: at most {@code maxSize} in all and
 * nonces at most {@code maxFuture} ahead of the account's next one. Accounts are served in the
 * order they first had a transaction pending. Thread-safe (one lock).
 *
 * <p>Rules, after Substrate's pool:
 * <ul>
 *   <li><b>Ready and future.</b> A transaction is ready when its nonce continues its account's chain
 *       of pending nonces from the account's next nonce; otherwise it waits in the future set.
 *   <li><b>Replacement.</b> Substrate replaces a pending transaction with one for the same sender
 *       and nonce only when the newcomer's priority is higher. HyperJ has no tips, so every
 *       transaction has the same priority: the exact same transaction again is refused as
 *       {@link Reason#Duplicate}, a different one as {@link Reason#TooLowPriority}. The first one
 *       stays until it is in a block or expires.
 *   <li><b>Expiry.</b> A transaction that is not ready {@code ttlBlocks} blocks or {@code ttlMs}
 *       milliseconds after it arrived (whichever comes first) is dropped with
 *       {@link Reason#Expired} and a sentence naming the missing nonces. So when a nonce slot was
 *       taken by a transaction the node then refused or dropped, the later nonces of that sender
 *       never wait forever: they become ready as soon as someone submits the missing nonce (its
 *       slot is free again, see {@link #nextNonce}) or expire.
 * </ul>
 */
final class TxPool {
    record Pending(
            Transaction tx,
            byte[] encoded,
            CompletableFuture<Included> inclusion,
            long arrivedAtBlock,
            long arrivedAtNanos) {
        Pending(Transaction tx, byte[] encoded, CompletableFuture<Included> inclusion) {
            this(tx, encoded, inclusion, 0, System.nanoTime());
        }
    }

    /** A transaction taken out of the pool without a block, and why (for its watcher). */
    record Dropped(Pending pending, TxException reason) {}

    private final int maxSize;
    private final int maxFuture;
    private final long ttlBlocks;
    private final long ttlNanos;
    private final Map<AccountId, TreeMap<Long, Pending>> byAccount = new LinkedHashMap<>();
    private int size;
    private boolean closed;

    TxPool(int maxSize, int maxFuture) {
        this(maxSize, maxFuture, Long.MAX_VALUE, Long.MAX_VALUE / 1_000_000);
    }

    TxPool(int maxSize, int maxFuture, long ttlBlocks, long ttlMs) {
        this.maxSize = maxSize;
        this.maxFuture = maxFuture;
        this.ttlBlocks = ttlBlocks;
        this.ttlNanos = ttlMs >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : ttlMs * 1_000_000;
    }

    synchronized void add(Pending p, long accountNonce) {
        if (closed) throw new TxException(Reason.NodeStopped, "the node is shutting down");
        Transaction tx = p.tx();
        if (tx.nonce() < accountNonce) {
            throw new TxException(
                    Reason.StaleNonce,
                    "nonce " + tx.nonce() + " was already used: the account's next nonce is " + accountNonce
                            + " (ask system_accountNextIndex and sign again)");
        }
        if (tx.nonce() - accountNonce >= maxFuture) {
            throw new TxException(
                    Reason.FutureNonceLimit,
                    "nonce " + tx.nonce() + " is too far ahead of the account's next nonce " + accountNonce
                            + " (at most " + maxFuture + " ahead are held); submit the missing nonces first");
        }
        TreeMap<Long, Pending> q = byAccount.get(tx.signer());
        Pending old = q == null ? null : q.get(tx.nonce());
        if (old != null) {
            if (Arrays.equals(old.encoded(), p.encoded())) {
                throw new TxException(
                        Reason.Duplicate,
                        "this transaction (nonce " + tx.nonce() + " from " + tx.signer() + ") is already pending");
            }
            throw new TxException(
                    Reason.TooLowPriority,
                    "nonce " + tx.nonce() + " from " + tx.signer() + " is taken by pending transaction 0x"
                            + HexFormat.of().formatHex(old.tx().hash())
                            + "; a replacement needs a higher priority and, without tips, all have the same:"
                            + " wait until it is in a block (or expired) and sign with the next nonce");
        }
        if (size >= maxSize)
            throw new TxException(
                    Reason.PoolFull, "the transaction pool is full (" + maxSize + "); retry after the next block");
        byAccount.computeIfAbsent(tx.signer(), k -> new TreeMap<>()).put(tx.nonce(), p);
        size++;
    }

    /** The next nonce of an account counting its consecutive pending transactions (a gap is a free slot). */
    synchronized long nextNonce(AccountId a, long accountNonce) {
        TreeMap<Long, Pending> q = byAccount.get(a);
        long n = accountNonce;
        while (q != null && q.containsKey(n)) n++;
        return n;
    }

    /** Up to {@code max} transactions that can run now: per account, consecutive nonces from its next one. */
    synchronized List<Pending> ready(int max, ToLongFunction<AccountId> accountNonce) {
        List<Pending> out = new ArrayList<>();
        for (Map.Entry<AccountId, TreeMap<Long, Pending>> e : byAccount.entrySet()) {
            long n = accountNonce.applyAsLong(e.getKey());
            Pending p;
            while (out.size() < max && (p = e.getValue().get(n)) != null) {
                out.add(p);
                n++;
            }
            if (out.size() >= max) break;
        }
        return out;
    }

    synchronized boolean hasReady(ToLongFunction<AccountId> accountNonce) {
        for (Map.Entry<AccountId, TreeMap<Long, Pending>> e : byAccount.entrySet()) {
            if (e.getValue().containsKey(accountNonce.applyAsLong(e.getKey()))) return true;
        }
        return false;
    }

    /** Drops every transaction whose nonce is below its account's next nonce (included or superseded). */
    synchronized void prune(ToLongFunction<AccountId> accountNonce) {
        for (Iterator<Map.Entry<AccountId, TreeMap<Long, Pending>>> it =
                        byAccount.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<AccountId, TreeMap<Long, Pending>> e = it.next();
            var head = e.getValue().headMap(accountNonce.applyAsLong(e.getKey()), false);
            size -= head.size();
            head.clear();
            if (e.getValue().isEmpty()) it.remove();
        }
    }

    /**
     * Takes out the transactions that are still not ready {@code ttlBlocks} blocks or {@code ttlMs}
     * after they arrived; the caller fails their futures with the reason (outside this lock).
     */
    synchronized List<Dropped> expire(long bestBlock, long nowNanos, ToLongFunction<AccountId> accountNonce) {
        List<Dropped> out = new ArrayList<>();
        for (Iterator<Map.Entry<AccountId, TreeMap<Long, Pending>>> it =
                        byAccount.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<AccountId, TreeMap<Long, Pending>> e = it.next();
            long next = accountNonce.applyAsLong(e.getKey());
            long firstMissing = next;
            while (e.getValue().containsKey(firstMissing)) firstMissing++;
            for (Iterator<Pending> pit =
                            e.getValue().tailMap(firstMissing, false).values().iterator();
                    pit.hasNext(); ) {
                Pending p = pit.next();
                boolean blocksUp = bestBlock - p.arrivedAtBlock() >= ttlBlocks;
                boolean timeUp = nowNanos - p.arrivedAtNanos() >= ttlNanos;
                if (!blocksUp && !timeUp) continue;
                pit.remove();
                size--;
                String waited = blocksUp
                        ? (bestBlock - p.arrivedAtBlock()) + " blocks"
                        : ((nowNanos - p.arrivedAtNanos()) / 1_000_000) + " ms";
                out.add(new Dropped(
                        p,
                        new TxException(
                                Reason.Expired,
                                "dropped: nonce " + p.tx().nonce() + " from " + p.tx().signer()
                                        + " could not become ready within " + waited + " because nonce " + firstMissing
                                        + " never arrived (the account's next nonce is "
                                        + next + "); submit the missing nonce(s) or sign again from nonce " + next)));
            }
            if (e.getValue().isEmpty()) it.remove();
        }
        return out;
    }

    synchronized void remove(Transaction tx) {
        TreeMap<Long, Pending> q = byAccount.get(tx.signer());
        if (q != null && q.remove(tx.nonce()) != null) {
            size--;
            if (q.isEmpty()) byAccount.remove(tx.signer());
        }
    }

    /** Empties the pool for good: later adds are refused as {@link Reason#NodeStopped}. */
    synchronized List<Pending> drain() {
        closed = true;
        List<Pending> all = new ArrayList<>();
        byAccount.values().forEach(q -> all.addAll(q.values()));
        byAccount.clear();
        size = 0;
        return all;
    }

    synchronized int size() {
        return size;
    }
}
