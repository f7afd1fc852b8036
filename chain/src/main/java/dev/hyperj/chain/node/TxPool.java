package dev.hyperj.chain.node;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.tx.Transaction;
import dev.hyperj.chain.tx.TxException;
import dev.hyperj.chain.tx.TxException.Reason;
import java.util.ArrayList;
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
 */
final class TxPool {
    record Pending(Transaction tx, byte[] encoded, CompletableFuture<Included> inclusion) {}

    private final int maxSize;
    private final int maxFuture;
    private final Map<AccountId, TreeMap<Long, Pending>> byAccount = new LinkedHashMap<>();
    private int size;

    TxPool(int maxSize, int maxFuture) {
        this.maxSize = maxSize;
        this.maxFuture = maxFuture;
    }

    synchronized void add(Pending p, long accountNonce) {
        Transaction tx = p.tx();
        if (tx.nonce() < accountNonce) {
            throw new TxException(Reason.StaleNonce, "nonce " + tx.nonce() + " was already used: the account's next nonce is " + accountNonce
                    + " (ask system_accountNextIndex and sign again)");
        }
        if (tx.nonce() - accountNonce >= maxFuture) {
            throw new TxException(Reason.FutureNonceLimit, "nonce " + tx.nonce() + " is too far ahead of the account's next nonce " + accountNonce
                    + " (at most " + maxFuture + " ahead are held); submit the missing nonces first");
        }
        if (size >= maxSize) throw new TxException(Reason.PoolFull, "the transaction pool is full (" + maxSize + "); retry after the next block");
        TreeMap<Long, Pending> q = byAccount.computeIfAbsent(tx.signer(), k -> new TreeMap<>());
        if (q.containsKey(tx.nonce())) {
            throw new TxException(Reason.Duplicate, "a transaction with nonce " + tx.nonce() + " from " + tx.signer() + " is already pending");
        }
        q.put(tx.nonce(), p);
        size++;
    }

    /** The next nonce of an account counting its consecutive pending transactions. */
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
        for (Iterator<Map.Entry<AccountId, TreeMap<Long, Pending>>> it = byAccount.entrySet().iterator(); it.hasNext();) {
            Map.Entry<AccountId, TreeMap<Long, Pending>> e = it.next();
            var head = e.getValue().headMap(accountNonce.applyAsLong(e.getKey()), false);
            size -= head.size();
            head.clear();
            if (e.getValue().isEmpty()) it.remove();
        }
    }

    synchronized void remove(Transaction tx) {
        TreeMap<Long, Pending> q = byAccount.get(tx.signer());
        if (q != null && q.remove(tx.nonce()) != null) {
            size--;
            if (q.isEmpty()) byAccount.remove(tx.signer());
        }
    }

    synchronized List<Pending> drain() {
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
