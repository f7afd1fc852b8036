package dev.hyperj.chain.client;

import dev.hyperj.chain.crypto.AccountId;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Hands out nonces per account so that concurrent submits from one client do not collide.
 *
 * <p>The node is asked outside the lock. Holding the lock across that (blocking, remote) call
 * deadlocked the remote client when its connection dropped: the connection's thread, failing the
 * calls in flight one by one, ran a failed submit's {@link #reset} and blocked on the lock, held
 * by a thread waiting for its nonce call, which that same connection thread had yet to fail; that
 * call then hung until its 60 s timeout.
 */
public final class Nonces {
    private final Map<AccountId, Long> next = new HashMap<>();

    public long take(AccountId a, ToLongFunction<AccountId> fromNode) {
        long known = fromNode.applyAsLong(a);
        synchronized (this) {
            long n = Math.max(next.getOrDefault(a, 0L), known);
            next.put(a, n + 1);
            return n;
        }
    }

    /** Forgets the local count after a refused transaction so the next one asks the node again. */
    public synchronized void reset(AccountId a) {
        next.remove(a);
    }

    /** Forgets every local count (the connection to the node was lost, its pool may be gone). */
    public synchronized void resetAll() {
        next.clear();
    }
}
