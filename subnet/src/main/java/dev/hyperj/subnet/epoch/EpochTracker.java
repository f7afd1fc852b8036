package dev.hyperj.subnet.epoch;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a subnet's epochs from the chain's new-head subscription. Each new head gives an
 * {@link EpochPosition} computed with the subnet's real slot; the first head of each new subnet
 * epoch triggers one read of the subnet (info, nodes, bootnodes, overwatch peers) and an
 * {@link EpochEvent} to the listeners.
 *
 * <p>Heads are handed to the tracker's own (virtual) thread, never processed on the
 * subscription's thread: a remote client delivers heads on its connection's thread, where a
 * blocking read would wait on itself. When heads arrive faster than they are processed only the
 * newest is kept; a node that falls more than an epoch behind gets one event for the epoch it is
 * in, with {@link EpochEvent#skipped()} saying how many passed unseen (stale epochs are of no use to
 * consensus). A read that fails is retried on the next head. Listeners run on the tracker's
 * thread, in order; keep them short or hand work off.
 */
public final class EpochTracker implements EpochView, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EpochTracker.class);

    private record Pending(CompletableFuture<EpochEvent> future, long epoch) {}

    private final ChainClient chain;
    private final int subnetId;
    private final AtomicReference<BlockHeader> latest = new AtomicReference<>();
    private final Semaphore signal = new Semaphore(0);
    private final List<Consumer<EpochEvent>> epochListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<EpochPosition>> blockListeners = new CopyOnWriteArrayList<>();
    private final List<Pending> waiting = new ArrayList<>();
    private final Thread worker;
    private volatile AutoCloseable subscription;
    private volatile boolean closed;
    // tracker thread only
    private long lastBlock = -1;
    private int slot = -1;
    private int epochLength = -1;
    // written on the tracker thread, read anywhere
    private volatile EpochPosition position;
    private volatile EpochEvent current;

    private EpochTracker(ChainClient chain, int subnetId) {
        this.chain = chain;
        this.subnetId = subnetId;
        this.worker = Thread.ofVirtual().name("epoch-tracker-" + subnetId).unstarted(this::run);
    }

    /** A tracker that follows the chain at once (listeners added later may miss the first event). */
    public static EpochTracker start(ChainClient chain, int subnetId) {
        return create(chain, subnetId).follow();
    }

    /** A tracker that does nothing until {@link #follow}: add listeners first to see every event. */
    public static EpochTracker create(ChainClient chain, int subnetId) {
        return new EpochTracker(chain, subnetId);
    }

    /** Subscribes to new heads and processes the current best block at once. */
    public synchronized EpochTracker follow() {
        if (closed) throw new IllegalStateException("epoch tracker closed");
        if (subscription != null) throw new IllegalStateException("already following");
        worker.start();
        subscription = chain.subscribeNewHeads(this::offer);
        offer(chain.bestHeader());
        return this;
    }

    @Override
    public int subnetId() {
        return subnetId;
    }

    @Override
    public Optional<EpochPosition> position() {
        return Optional.ofNullable(position);
    }

    @Override
    public Optional<EpochEvent> current() {
        return Optional.ofNullable(current);
    }

    /** Calls {@code listener} for every epoch event (on the tracker's thread) until the handle is closed. */
    public AutoCloseable onEpoch(Consumer<EpochEvent> listener) {
        epochListeners.add(listener);
        return () -> epochListeners.remove(listener);
    }

    /** Calls {@code listener} with the position of every processed head, after any epoch event it caused. */
    public AutoCloseable onBlock(Consumer<EpochPosition> listener) {
        blockListeners.add(listener);
        return () -> blockListeners.remove(listener);
    }

    /** Completes with the first event of an epoch {@code >= epoch} (at once if already there); fails if the tracker closes first. */
    public CompletableFuture<EpochEvent> awaitEpoch(long epoch) {
        CompletableFuture<EpochEvent> f = new CompletableFuture<>();
        synchronized (waiting) {
            EpochEvent c = current;
            if (c != null && c.epoch() >= epoch) {
                f.complete(c);
            } else if (closed) {
                f.completeExceptionally(new IllegalStateException("epoch tracker closed"));
            } else {
                waiting.add(new Pending(f, epoch));
            }
        }
        return f;
    }

    private void offer(BlockHeader h) {
        if (closed) return;
        latest.accumulateAndGet(h, (old, now) -> old == null || now.number() > old.number() ? now : old);
        signal.release();
    }

    private void run() {
        while (!closed) {
            try {
                signal.acquire();
                signal.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            BlockHeader h = latest.getAndSet(null);
            if (h == null || h.number() <= lastBlock) continue;
            try {
                process(h);
            } catch (RuntimeException e) {
                if (closed) return; // stopping: the chain call was interrupted on purpose
                // the chain did not answer (or a listener broke): the next head retries
                log.warn("subnet {}: epoch tracking at block #{} failed: {}", subnetId, h.number(), e.toString());
            }
        }
    }

    private void process(BlockHeader h) {
        if (slot < 0) {
            Optional<SubnetInfo> info = chain.subnet(subnetId);
            if (info.isEmpty()) {
                log.debug("subnet {} not on chain at block #{}", subnetId, h.number());
                lastBlock = h.number();
                return;
            }
            epochLength = chain.epochInfo().epochLength();
            slot = info.get().subnet().slot();
        }
        EpochPosition pos = EpochPosition.at(h.number(), slot, epochLength);
        EpochEvent prev = current;
        if (prev == null || pos.epoch() > prev.epoch()) {
            SubnetSnapshot snap = snapshot(h.number());
            long skipped = prev == null ? 0 : pos.epoch() - prev.epoch() - 1;
            if (skipped > 0)
                log.warn("subnet {}: {} epoch(s) passed unseen before epoch {}", subnetId, skipped, pos.epoch());
            EpochEvent ev = new EpochEvent(pos, snap, skipped);
            position = pos;
            lastBlock = h.number();
            current = ev;
            for (Consumer<EpochEvent> l : epochListeners) {
                try {
                    l.accept(ev);
                } catch (RuntimeException e) {
                    log.warn("epoch listener failed on epoch {}: {}", ev.epoch(), e.toString(), e);
                }
            }
            List<Pending> due = new ArrayList<>();
            synchronized (waiting) {
                waiting.removeIf(p -> p.epoch() <= ev.epoch() && due.add(p));
            }
            due.forEach(p -> p.future().complete(ev));
        } else {
            position = pos;
            lastBlock = h.number();
        }
        for (Consumer<EpochPosition> l : blockListeners) {
            try {
                l.accept(pos);
            } catch (RuntimeException e) {
                log.warn("block listener failed at #{}: {}", pos.block(), e.toString(), e);
            }
        }
    }

    private SubnetSnapshot snapshot(long block) {
        return SubnetSnapshot.read(chain, subnetId, block);
    }

    /** Stops following heads, waits for a chain read under way; pending {@link #awaitEpoch} futures fail. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        AutoCloseable s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                log.debug("closing the head subscription: {}", e.toString());
            }
        }
        worker.interrupt();
        if (Thread.currentThread() != worker && worker.isAlive()) {
            // a chain read under way must end before the caller may close the chain client
            try {
                if (!worker.join(Duration.ofSeconds(10)))
                    log.warn("subnet {}: epoch tracker still busy at close", subnetId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending> left;
        synchronized (waiting) {
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        left.forEach(p -> p.future().completeExceptionally(new IllegalStateException("epoch tracker closed")));
    }
}
