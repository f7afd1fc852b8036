package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An in-memory network of DHT nodes on one virtual clock: deterministic for a given seed, fast
 * (no threads, no sockets), for tests and benchmarks of the DHT logic at sizes real hosts cannot
 * reach on one machine. Every message crosses the wire codec (encoded, length-checked and decoded
 * by the receiver's limits), so hostile bytes can be injected with {@link #sendRaw}.
 *
 * <p>Latency: each pair of nodes has a fixed one-way latency drawn uniformly from
 * [minLatency, maxLatency], plus up to 10% jitter per message. Offline nodes swallow messages (the
 * requester times out); client-mode nodes refuse inbound streams.
 *
 * <p>Single-threaded: drive it from one thread with {@link #await}, {@link #runFor}.
 */
public final class SimulatedDhtNetwork {
    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final SplittableRandom random;
    private final long seed;
    private final long minLatencyMicros;
    private final long maxLatencyMicros;
    private final Map<PeerId, Endpoint> endpoints = new LinkedHashMap<>();
    private long messages;
    private long bytes;

    public SimulatedDhtNetwork(long seed, Duration minLatency, Duration maxLatency) {
        if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
            throw new IllegalArgumentException("need 0 <= minLatency <= maxLatency");
        }
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.minLatencyMicros = minLatency.toNanos() / 1000;
        this.maxLatencyMicros = maxLatency.toNanos() / 1000;
    }

    /** The virtual clock all nodes share (milliseconds from 0). */
    public DhtScheduler scheduler() {
        return scheduler;
    }

    /** Adds a node with a fresh (seeded) Ed25519 identity, not yet started. */
    public KadDht addNode(KadConfig config) {
        return addNode(config, Validators.defaults());
    }

    public KadDht addNode(KadConfig config, Validators validators) {
        byte[] seed32 = new byte[32];
        random.nextBytes(seed32);
        PrivateKey key = Keys.ed25519FromSeed(seed32);
        PeerId id = PeerId.fromPublicKey(key.publicKey());
        int n = endpoints.size() + 1;
        Multiaddr addr = Multiaddr.parse(
                "/ip4/10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff) + "/tcp/4001");
        Endpoint e = new Endpoint(id, List.of(addr), new KadCodec(config.codecLimits()));
        endpoints.put(id, e);
        return KadDht.builder(id, e)
                .config(config)
                .validators(validators)
                .scheduler(scheduler)
                .random(random.split())
                .build();
    }

    /** The network side of {@code peer} (its {@link DhtNetwork}). */
    public DhtNetwork endpoint(PeerId peer) {
        return endpointOf(peer);
    }

    /** A peer's address info as other nodes would learn it. */
    public PeerInfo info(PeerId peer) {
        Endpoint e = endpointOf(peer);
        return new PeerInfo(e.id, e.addrs);
    }

    /** Takes a node off the network (messages to it vanish) or back on. */
    public void setOnline(PeerId peer, boolean online) {
        endpointOf(peer).online = online;
    }

    /**
     * Delivers raw {@code frame} bytes from {@code from} to {@code to}'s inbound handler, as a stream
     * would: the receiver decodes with its limits. Completes with the decoded response, or fails as
     * the stream would be reset (malformed, oversized, refused).
     */
    public CompletableFuture<KadMessage> sendRaw(PeerId from, PeerId to, byte[] frame) {
        Endpoint src = endpointOf(from);
        return src.deliver(endpointOf(to), frame.clone(), true);
    }

    /** Messages and bytes carried so far. */
    public long messagesDelivered() {
        return messages;
    }

    public long bytesDelivered() {
        return bytes;
    }

    /** Runs the clock for {@code d} of virtual time. */
    public void runFor(Duration d) {
        scheduler.runUntil(scheduler.nowMillis() + d.toMillis(), () -> false);
    }

    /**
     * Runs the clock until {@code f} completes (at most {@code limit} of virtual time) and returns
     * its value; throws {@link IllegalStateException} if it did not complete in time, or the
     * future's own failure (unwrapped).
     */
    public <T> T await(CompletableFuture<T> f, Duration limit) {
        scheduler.runUntil(scheduler.nowMillis() + limit.toMillis(), f::isDone);
        if (!f.isDone()) {
            throw new IllegalStateException("not done after " + limit + " of virtual time");
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public <T> T await(CompletableFuture<T> f) {
        return await(f, Duration.ofHours(1));
    }

    private Endpoint endpointOf(PeerId peer) {
        Endpoint e = endpoints.get(peer);
        if (e == null) {
            throw new IllegalArgumentException("no simulated node " + peer);
        }
        return e;
    }

    /** One-way latency in microseconds: fixed per pair (seeded), plus up to 10% jitter. */
    private long latencyMicros(PeerId a, PeerId b) {
        int h = a.compareTo(b) < 0 ? 31 * a.hashCode() + b.hashCode() : 31 * b.hashCode() + a.hashCode();
        long base = minLatencyMicros
                + Math.floorMod(new SplittableRandom(seed ^ h).nextLong(), maxLatencyMicros - minLatencyMicros + 1);
        return base + (base == 0 ? 0 : random.nextLong(base / 10 + 1));
    }

    private final class Endpoint implements DhtNetwork {
        final PeerId id;
        final List<Multiaddr> addrs;
        final KadCodec codec;
        boolean online = true;
        InboundHandler handler;

        Endpoint(PeerId id, List<Multiaddr> addrs, KadCodec codec) {
            this.id = id;
            this.addrs = addrs;
            this.codec = codec;
        }

        @Override
        public CompletableFuture<KadMessage> request(PeerInfo peer, KadMessage request) {
            Endpoint target = endpoints.get(peer.id());
            if (target == null) {
                return CompletableFuture.failedFuture(new IOException("no route to " + peer.id()));
            }
            return deliver(target, codec.encodeFrame(request), true);
        }

        @Override
        public CompletableFuture<Void> send(PeerInfo peer, KadMessage message) {
            Endpoint target = endpoints.get(peer.id());
            if (target == null) {
                return CompletableFuture.failedFuture(new IOException("no route to " + peer.id()));
            }
            return deliver(target, codec.encodeFrame(message), false).thenApply(m -> null);
        }

        /** Carries a frame to {@code target}; with a response expected, carries the answer back. */
        CompletableFuture<KadMessage> deliver(Endpoint target, byte[] frame, boolean expectResponse) {
            CompletableFuture<KadMessage> out = new CompletableFuture<>();
            if (!online) {
                return out; // our own link is down: nothing leaves, the caller's timeout fires
            }
            long oneWay = latencyMicros(id, target.id);
            scheduler.scheduleMicros(oneWay, () -> {
                if (!target.online) {
                    return; // swallowed: the requester times out, as with a dead host
                }
                messages++;
                bytes += frame.length;
                if (target.handler == null) {
                    scheduler.scheduleMicros(
                            oneWay,
                            () -> out.completeExceptionally(
                                    new IOException(target.id + " does not serve the DHT protocol")));
                    return;
                }
                KadMessage request;
                try {
                    request = target.codec.decodeFrame(frame);
                } catch (KadProtocolException e) {
                    scheduler.scheduleMicros(oneWay, () -> out.completeExceptionally(e));
                    return;
                }
                CompletableFuture<Optional<KadMessage>> answer;
                try {
                    answer = target.handler.handle(new PeerInfo(id, addrs), request);
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
                answer.whenComplete((response, error) -> {
                    if (error != null) {
                        scheduler.scheduleMicros(
                                oneWay,
                                () -> out.completeExceptionally(new IOException(
                                        "stream reset by " + target.id + ": " + error.getMessage(), error)));
                        return;
                    }
                    if (!expectResponse || response.isEmpty()) {
                        if (expectResponse) {
                            scheduler.scheduleMicros(
                                    oneWay,
                                    () -> out.completeExceptionally(
                                            new IOException("stream closed without an answer")));
                        } else {
                            out.complete(null);
                        }
                        return;
                    }
                    byte[] back = target.codec.encodeFrame(response.get());
                    scheduler.scheduleMicros(oneWay, () -> {
                        if (!online) {
                            return;
                        }
                        messages++;
                        bytes += back.length;
                        try {
                            out.complete(codec.decodeFrame(back));
                        } catch (KadProtocolException e) {
                            out.completeExceptionally(e);
                        }
                    });
                });
            });
            return out;
        }

        @Override
        public void serve(InboundHandler h) {
            handler = h;
        }

        @Override
        public List<Multiaddr> listenAddresses() {
            return addrs;
        }
    }

    /** Discrete-event clock: a queue of tasks by (time, submission order). */
    static final class VirtualScheduler implements DhtScheduler {
        private static final class Task implements Comparable<Task> {
            final long atMicros;
            final long seq;
            final Runnable run;
            boolean cancelled;

            Task(long atMicros, long seq, Runnable run) {
                this.atMicros = atMicros;
                this.seq = seq;
                this.run = run;
            }

            @Override
            public int compareTo(Task o) {
                int c = Long.compare(atMicros, o.atMicros);
                return c != 0 ? c : Long.compare(seq, o.seq);
            }
        }

        private final PriorityQueue<Task> queue = new PriorityQueue<>();
        private long nowMicros;
        private long seq;

        @Override
        public long nowMillis() {
            return nowMicros / 1000;
        }

        @Override
        public void execute(Runnable task) {
            scheduleMicros(0, task);
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            Task t = scheduleMicros(delay.toNanos() / 1000, task);
            return () -> t.cancelled = true;
        }

        Task scheduleMicros(long delayMicros, Runnable run) {
            Task t = new Task(nowMicros + Math.max(0, delayMicros), seq++, run);
            queue.add(t);
            return t;
        }

        /** Runs tasks in order until {@code done} holds or the next task is after {@code untilMillis}. */
        void runUntil(long untilMillis, java.util.function.BooleanSupplier done) {
            long limit = untilMillis * 1000;
            while (!done.getAsBoolean()) {
                Task t = queue.peek();
                if (t == null || t.atMicros > limit) {
                    nowMicros = Math.max(nowMicros, limit);
                    return;
                }
                queue.poll();
                nowMicros = t.atMicros;
                if (!t.cancelled) {
                    t.run.run();
                }
            }
        }

        int pending() {
            return queue.size();
        }
    }

    /** Every node's id, in the order they were added. */
    public List<PeerId> peers() {
        return new ArrayList<>(endpoints.keySet());
    }
}
