package dev.hyperj.chain.client;

import dev.hyperj.chain.crypto.AccountId;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Hands out nonces per account so that concurrent submits from one client do not collide. */
final class Nonces {
    private final Map<AccountId, Long> next = new HashMap<>();

    synchronized long take(AccountId a, ToLongFunction<AccountId> fromNode) {
        long n = Math.max(next.getOrDefault(a, 0L), fromNode.applyAsLong(a));
        next.put(a, n + 1);
        return n;
    }

    /** Forgets the local count after a refused transaction so the next one asks the node again. */
    synchronized void reset(AccountId a) {
        next.remove(a);
    }

    /** Forgets every local count (the connection to the node was lost, its pool may be gone). */
    synchronized void resetAll() {
        next.clear();
    }
}
