package dev.hyperj.p2p.gossipsub;

/**
 * The router's clock and thread. The router is a single-threaded state machine: every call into
 * it, and every task given here, must run on one thread (or one serial executor). The binding
 * implements this over an event loop; the simulator over virtual time.
 */
public interface RouterEnvironment {
    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Runs {@code task} on the router's thread after {@code delayNanos}. */
    void schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the router's thread soon (used to hop back from async validators). */
    void execute(Runnable task);
}
