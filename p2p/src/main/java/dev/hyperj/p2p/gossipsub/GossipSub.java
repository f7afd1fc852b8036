package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.ConnectionGater;
import dev.hyperj.p2p.host.ConnectionListener;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.host.StreamInfo;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GossipSub on a {@link Host}: registers the meshsub and floodsub protocol ids, keeps one
 * long-lived outbound stream per peer for sending and reads varint-framed RPCs from the peer's
 * inbound streams, and runs the {@link GossipRouter} on its own single thread.
 *
 * <p>Threads: Netty stream handlers decode frames on their event loops and hand RPCs to the
 * router thread; the router's queues are drained into the outbound stream while it is writable,
 * so a slow peer sheds gossip in its bounded queue instead of buffering without limit. Message
 * handlers run on the router thread: keep them short.
 */
public final class GossipSub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GossipSub.class);
    /** Inbound RPCs of one stream waiting for the router before the stream stops reading. */
    private static final int MAX_PENDING_PER_STREAM = 64;
    /** Times a peer's outbound stream is reopened while its connection stays up. */
    private static final int MAX_STREAM_REOPENS = 3;

    /** A delivered message. */
    public record Delivery(String topic, MessageId id, Rpc.Message message, PeerId receivedFrom) {}

    private final class PeerLink {
        final PeerId peer;
        Channel out;
        boolean opening;
        boolean added;
        int reopens;

        PeerLink(PeerId peer) {
            this.peer = peer;
        }
    }

    private final Host host;
    private final EventLoop loop;
    private final RpcCodec codec;
    private final GossipRouter router;
    private final Map<PeerId, PeerLink> links = new HashMap<>(); // router thread only
    private final Map<String, Consumer<Delivery>> handlers = new ConcurrentHashMap<>();
    private final Map<PeerId, Long> blacklist = new ConcurrentHashMap<>();
    private final ConnectionListener connectionListener;
    private final boolean ownsLoop;
    private final java.util.concurrent.atomic.AtomicLong bytesSent = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytesReceived = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    private GossipSub(
            Host host,
            GossipConfig config,
            PeerScoreParams params,
            PeerScoreThresholds thresholds,
            EventLoop sharedLoop) {
        this.host = host;
        this.ownsLoop = sharedLoop == null;
        this.loop = sharedLoop != null
                ? sharedLoop
                : new DefaultEventLoop(r -> {
                    Thread t = new Thread(
                            r, "gossipsub-" + host.peerId().toBase58().substring(0, 12));
                    t.setDaemon(true);
                    return t;
                });
        this.codec = new RpcCodec(config.limits());
        RouterEnvironment env = new RouterEnvironment() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void schedule(long delayNanos, Runnable task) {
                if (!closed) loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void execute(Runnable task) {
                if (!closed) loop.execute(task);
            }
        };
        this.router = GossipRouter.builder(host.identity())
                .config(config)
                .scoreParams(params)
                .thresholds(thresholds)
                .environment(env)
                .outbound(this::drain)
                .listener(new Listener())
                .random(new Random())
                .build();
        this.connectionListener = new ConnectionListener() {
            @Override
            public void connected(Connection c) {
                onLoop(() -> openOutbound(c.remotePeer()));
            }

            @Override
            public void disconnected(Connection c) {
                onLoop(() -> maybeRemove(c.remotePeer()));
            }
        };
    }

    /** Starts gossipsub on a started host with HyperJ's default parameters. */
    public static GossipSub start(Host host) {
        return start(host, GossipConfig.defaults(), PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
    }

    public static GossipSub start(
            Host host, GossipConfig config, PeerScoreParams params, PeerScoreThresholds thresholds) {
        return start(host, config, params, thresholds, null);
    }

    /**
     * Like {@link #start(Host, GossipConfig, PeerScoreParams, PeerScoreThresholds)}, running the
     * router on {@code routerLoop} (shared by several instances, e.g. many nodes in one JVM; not
     * shut down by {@link #close()}); null for a thread of its own.
     */
    public static GossipSub start(
            Host host,
            GossipConfig config,
            PeerScoreParams params,
            PeerScoreThresholds thresholds,
            EventLoop routerLoop) {
        GossipSub g = new GossipSub(host, config, params, thresholds, routerLoop);
        for (String id : PubsubProtocol.ids()) host.addProtocol(id, g::initInbound);
        host.connections().addListener(g.connectionListener);
        g.onLoop(() -> {
            g.router.start();
            for (PeerId p : host.connections().connectedPeers()) g.openOutbound(p);
        });
        return g;
    }

    /**
     * A gater to compose into the host's: refuses peers gossipsub blacklisted (SUBNET.md: 10
     * minutes after abuse).
     */
    public ConnectionGater gater() {
        return (peer, remote, inbound) -> CompletableFuture.completedFuture(!isBlacklisted(peer));
    }

    /** Framed RPC bytes written to peers' streams (control and gossip included). */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Bytes read from peers' pubsub streams. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    public boolean isBlacklisted(PeerId peer) {
        Long until = blacklist.get(peer);
        return until != null && System.nanoTime() < until;
    }

    // ------------------------------------------------------------ application API

    /** Subscribes; {@code handler} gets every validated message of the topic (on the router thread). */
    public CompletableFuture<Void> subscribe(String topic, Consumer<Delivery> handler) {
        handlers.put(topic, Objects.requireNonNull(handler));
        return call(() -> {
            router.subscribe(topic);
            return null;
        });
    }

    public CompletableFuture<Void> unsubscribe(String topic) {
        handlers.remove(topic);
        return call(() -> {
            router.unsubscribe(topic);
            return null;
        });
    }

    public CompletableFuture<MessageId> publish(String topic, byte[] data) {
        byte[] copy = data.clone();
        return call(() -> router.publish(topic, copy));
    }

    public CompletableFuture<Void> setValidator(String topic, TopicValidator validator) {
        return call(() -> {
            router.setValidator(topic, validator);
            return null;
        });
    }

    /** Runs {@code query} against the router on its thread (inspection, tests). */
    public <T> CompletableFuture<T> call(java.util.function.Function<GossipRouter, T> query) {
        return call(() -> query.apply(router));
    }

    private <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("gossipsub closed"));
            return f;
        }
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private void onLoop(Runnable r) {
        if (!closed) loop.execute(r);
    }

    // ------------------------------------------------------------ streams

    private void openOutbound(PeerId peer) {
        if (closed || peer.equals(host.peerId()) || isBlacklisted(peer)) return;
        PeerLink link = links.computeIfAbsent(peer, PeerLink::new);
        if (link.out != null || link.opening) return;
        link.opening = true;
        // the handler runs before the future completes: it hands over the channel the link writes to
        java.util.concurrent.atomic.AtomicReference<Channel> opened =
                new java.util.concurrent.atomic.AtomicReference<>();
        host.newStream(
                        peer,
                        (stream, info) -> {
                            initOutbound(stream, info);
                            opened.set(stream);
                        },
                        PubsubProtocol.ids().toArray(String[]::new))
                .whenComplete((s, err) -> onLoop(() -> {
                    link.opening = false;
                    if (err != null) {
                        log.debug("no pubsub stream to {}: {}", peer, err.toString());
                        if (host.connections().isConnected(peer) && link.reopens++ < MAX_STREAM_REOPENS) {
                            openOutbound(peer);
                        }
                        return;
                    }
                    Channel ch = opened.get();
                    if (links.get(peer) != link) {
                        ch.close();
                        return;
                    }
                    link.out = ch;
                    ch.closeFuture()
                            .addListener(f -> onLoop(() -> {
                                if (link.out != ch) return;
                                link.out = null;
                                // The stream died but the connection may live on: reopen a few times
                                // (the router keeps the peer and its queue meanwhile), else forget the peer.
                                if (host.connections().isConnected(peer) && link.reopens++ < MAX_STREAM_REOPENS) {
                                    openOutbound(peer);
                                } else {
                                    maybeRemove(peer);
                                }
                            }));
                    drain(peer);
                }));
    }

    private void initOutbound(Channel stream, StreamInfo info) {
        stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // Peers send on their own outbound stream; anything here is discarded.
                io.netty.util.ReferenceCountUtil.release(msg);
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (ctx.channel().isWritable()) onLoop(() -> drain(info.remotePeer()));
                ctx.fireChannelWritabilityChanged();
            }
        });
        PeerId peer = info.remotePeer();
        PubsubProtocol protocol = PubsubProtocol.fromId(info.protocol()).orElse(PubsubProtocol.MESHSUB_V10);
        onLoop(() -> addToRouter(peer, protocol));
    }

    private void initInbound(Channel stream, StreamInfo info) {
        PeerId peer = info.remotePeer();
        if (isBlacklisted(peer)) {
            stream.close();
            return;
        }
        PubsubProtocol protocol = PubsubProtocol.fromId(info.protocol()).orElse(PubsubProtocol.MESHSUB_V10);
        stream.pipeline().addLast(new InboundFrames(peer));
        onLoop(() -> {
            addToRouter(peer, protocol);
            openOutbound(peer);
        });
    }

    private void addToRouter(PeerId peer, PubsubProtocol protocol) {
        PeerLink link = links.computeIfAbsent(peer, PeerLink::new);
        if (link.added) return;
        List<Connection> conns = host.connections().connections(peer);
        if (conns.isEmpty()) return;
        Connection c = conns.get(0);
        String ip = c.remoteAddress()
                .tcpSocketAddress()
                .map(a -> a.getAddress().getHostAddress())
                .orElse(null);
        link.added = router.addPeer(peer, protocol, c.isInitiator(), ip);
    }

    private void maybeRemove(PeerId peer) {
        if (host.connections().isConnected(peer) && links.containsKey(peer) && links.get(peer).out != null) return;
        PeerLink link = links.remove(peer);
        router.removePeer(peer);
        if (link != null && link.out != null) link.out.close();
    }

    /** Writes the peer's queued RPCs while its stream takes them. */
    private void drain(PeerId peer) {
        PeerLink link = links.get(peer);
        if (link == null || link.out == null || !link.out.isActive()) return;
        Channel ch = link.out;
        boolean wrote = false;
        while (ch.isWritable()) {
            Rpc rpc = router.pollOutbound(peer);
            if (rpc == null) break;
            byte[] frame = codec.encodeFramed(rpc);
            bytesSent.addAndGet(frame.length);
            ch.write(Unpooled.wrappedBuffer(frame));
            wrote = true;
        }
        if (wrote) ch.flush();
    }

    /** Accumulates stream bytes into varint-framed RPCs, bounded by the RPC size limit. */
    private final class InboundFrames extends ChannelInboundHandlerAdapter {
        private final PeerId peer;
        private ByteBuffer buffer = ByteBuffer.allocate(4096);
        private final java.util.concurrent.atomic.AtomicInteger pending =
                new java.util.concurrent.atomic.AtomicInteger();

        InboundFrames(PeerId peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int n = in.readableBytes();
                bytesReceived.addAndGet(n);
                ensure(n);
                in.readBytes(buffer.array(), buffer.position(), n);
                buffer.position(buffer.position() + n);
            } finally {
                in.release();
            }
        }

        private void ensure(int more) {
            if (buffer.remaining() >= more) return;
            int need = buffer.position() + more;
            int limit = codec.limits().maxRpcSize() + 16;
            if (need > limit) throw new GossipCodecException("pubsub stream buffer over " + limit + " bytes");
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(limit, Math.max(need, buffer.capacity() * 2)));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            buffer.flip();
            try {
                for (byte[] frame; (frame = codec.readFrame(buffer)) != null; ) {
                    Rpc rpc = codec.decode(frame);
                    if (pending.incrementAndGet() > MAX_PENDING_PER_STREAM)
                        ctx.channel().config().setAutoRead(false);
                    onLoop(() -> {
                        router.handleRpc(peer, rpc);
                        if (pending.decrementAndGet() <= MAX_PENDING_PER_STREAM / 2
                                && !ctx.channel().config().isAutoRead()) {
                            ctx.channel().config().setAutoRead(true);
                        }
                    });
                }
            } finally {
                buffer.compact();
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.info("resetting pubsub stream from {}: {}", peer, cause.getMessage());
            // Reset, not a graceful close: the peer broke the framing, nothing it sends still counts.
            if (ctx.channel() instanceof dev.hyperj.p2p.mux.MuxedStream ms) {
                ms.reset();
            } else {
                ctx.close();
            }
        }
    }

    // ------------------------------------------------------------ router events

    private final List<java.util.function.BiConsumer<String, GossipOutcome>> outcomeObservers =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Sees what became of each message received on a subscribed topic (metrics); called on the
     * router's thread, so keep it cheap. Close the handle to stop.
     */
    public AutoCloseable onOutcome(java.util.function.BiConsumer<String, GossipOutcome> observer) {
        outcomeObservers.add(Objects.requireNonNull(observer));
        return () -> outcomeObservers.remove(observer);
    }

    private final class Listener implements GossipListener {
        @Override
        public void onOutcome(String topic, GossipOutcome outcome) {
            for (var o : outcomeObservers) o.accept(topic, outcome);
        }

        @Override
        public void onMessage(String topic, MessageId id, Rpc.Message message, PeerId receivedFrom) {
            Consumer<Delivery> h = handlers.get(topic);
            if (h == null) return;
            try {
                h.accept(new Delivery(topic, id, message, receivedFrom));
            } catch (RuntimeException e) {
                log.warn("message handler of {} failed", topic, e);
            }
        }

        @Override
        public void onPeerBlacklisted(PeerId peer, BlacklistReason reason, long until) {
            blacklist.put(peer, until);
            PeerLink link = links.remove(peer);
            if (link != null && link.out != null) link.out.close();
            for (Connection c : host.connections().connections(peer)) c.close();
        }

        @Override
        public void onPeerExchange(PeerId from, String topic, List<Rpc.PeerInfo> peers) {
            // Without signed peer records we can only dial peers whose addresses we already know.
            for (Rpc.PeerInfo info : peers) {
                byte[] id = info.peerId();
                if (id == null) continue;
                PeerId p;
                try {
                    p = PeerId.fromBytes(id);
                } catch (RuntimeException e) {
                    continue;
                }
                List<dev.hyperj.p2p.multiformats.Multiaddr> known =
                        host.peerStore().addresses(p);
                if (!host.connections().isConnected(p) && !isBlacklisted(p) && !known.isEmpty()) {
                    // The connection listener opens the pubsub stream once connected.
                    host.connect(known.get(0).withPeerId(p));
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        CompletableFuture<Void> done = call(() -> {
            router.stop();
            for (PeerLink l : links.values()) if (l.out != null) l.out.close();
            links.clear();
            return null;
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("gossipsub close", e);
        }
        closed = true;
        for (String id : PubsubProtocol.ids()) host.removeProtocol(id);
        host.connections().removeListener(connectionListener);
        if (ownsLoop) loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
