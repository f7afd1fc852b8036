package dev.hyperj.p2p.kad;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clock and executor a DHT node runs on. All of a node's state is confined to it: tasks run
 * one at a time, in submission order for {@link #execute}. Real nodes use {@link #singleThread};
 * simulations use a virtual-time implementation, which makes whole networks deterministic.
 */
public interface DhtScheduler extends AutoCloseable {
    /** Milliseconds on this scheduler's clock (epoch-based for real schedulers). */
    long nowMillis();

    /** Runs {@code task} soon, after tasks already submitted. */
    void execute(Runnable task);

    /** Runs {@code task} after {@code delay}; the handle cancels it if it has not started. */
    Cancellable schedule(Runnable task, Duration delay);

    /** Stops running tasks (for owned schedulers); a no-op by default. */
    @Override
    default void close() {}

    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /**
     * A scheduler on a single-threaded executor shared with others (e.g. one Netty event loop serving
     * many nodes of one process), on the wall clock. Confinement holds because the executor runs one
     * task at a time; {@link #close} leaves it running, it belongs to the caller.
     */
    static DhtScheduler on(ScheduledExecutorService singleThreaded) {
        return new DhtScheduler() {
            @Override
            public long nowMillis() {
                return System.currentTimeMillis();
            }

            @Override
            public void execute(Runnable task) {
                singleThreaded.execute(task);
            }

            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                ScheduledFuture<?> f = singleThreaded.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }
        };
    }

    /** A scheduler on one daemon thread named {@code name}, on the wall clock. */
    static DhtScheduler singleThread(String name) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        return new DhtScheduler() {
            @Override
            public long nowMillis() {
                return System.currentTimeMillis();
            }

            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }

            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }
}
