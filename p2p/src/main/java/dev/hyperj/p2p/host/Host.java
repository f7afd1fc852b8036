package dev.hyperj.p2p.host;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.mux.MuxerConfig;
import dev.hyperj.p2p.mux.MuxerProtocol;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.resources.ResourceLimitException;
import dev.hyperj.p2p.resources.ResourceLimits;
import dev.hyperj.p2p.resources.ResourceManager;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p host over TCP (Netty NIO): listens and dials TCP multiaddrs, upgrades each connection
 * (multistream-select -> Noise -> gater -> multistream-select -> yamux/mplex), negotiates stream
 * protocols and hands streams to the registered {@link ProtocolHandler}s. Connection and stream
 * limits, idle timeouts and events live in {@link #connections()}, what is known about peers in
 * {@link #peerStore()}.
 *
 * <p>Futures returned here complete on a connection's event loop: do not block in their callbacks.
 */
public final class Host implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Host.class);
    /** How long a successfully dialed address stays in the peer store. */
    static final Duration DIALED_ADDRESS_TTL = Duration.ofHours(1);

    private final PrivateKey identity;
    private final PeerId peerId;
    private final List<Multiaddr> listen;
    private final Map<String, ProtocolHandler> handlers = new ConcurrentHashMap<>();
    private final Set<String> protocolIdsView = Collections.unmodifiableSet(handlers.keySet());
    private final ConnectionGater gater;
    private final MuxerConfig muxerConfig;
    private final List<MuxerProtocol> muxers;
    private final ConnectionLimits limits;
    private final ResourceManager resources;
    private final ConnectionManager connections;
    private final PeerStore peerStore;
    private final Duration peerStoreSweepInterval;
    private final String agentVersion;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ByteBufAllocator allocator;
    private final ExecutorService resolver = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Channel> openChannels = ConcurrentHashMap.newKeySet();
    /** Listening channels and the socket address each was asked to bind. */
    private final Map<Channel, InetSocketAddress> serverChannels = new LinkedHashMap<>();

    private final Map<PeerId, CompletableFuture<Connection>> dials = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile List<Multiaddr> listenAddresses = List.of();
    private final List<Runnable> localChangeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ObservedAddresses observedAddresses = new ObservedAddresses(this::localChanged);
    private ScheduledFuture<?> sweepTask;

    private Host(Builder b) {
        this.identity = b.identity != null ? b.identity : Keys.generate(KeyType.ED25519);
        this.peerId = PeerId.fromPublicKey(identity.publicKey());
        this.listen = List.copyOf(b.listen);
        this.handlers.putAll(b.protocols);
        this.gater = b.gater;
        this.muxerConfig = b.muxerConfig;
        this.muxers = List.copyOf(b.muxers);
        this.limits = b.limits;
        this.resources = new ResourceManager(b.resources);
        this.connections = new ConnectionManager(limits, resources);
        this.peerStore = b.peerStore != null ? b.peerStore : new PeerStore();
        this.peerStore.protect(connections::isConnected);
        this.peerStoreSweepInterval = b.peerStoreSweepInterval;
        this.agentVersion = b.agentVersion;
        this.ownsGroup = b.group == null;
        this.group = b.group != null
                ? b.group
                : new MultiThreadIoEventLoopGroup(
                        b.threads, new DefaultThreadFactory("hyperj-p2p", true), NioIoHandler.newFactory());
        this.allocator = b.allocator;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the listen addresses (port 0 picks a free port) and starts the peer store sweep. */
    public CompletableFuture<Void> start() {
        if (!started.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException("already started"));
        }
        List<CompletableFuture<Void>> binds = new ArrayList<>();
        for (Multiaddr a : listen) {
            CompletableFuture<Void> bound = new CompletableFuture<>();
            binds.add(bound);
            InetSocketAddress socket;
            try {
                TcpAddresses.Target t = TcpAddresses.parse(a);
                if (t.needsResolution() || t.peer() != null) {
                    throw new IllegalArgumentException("listen on /ip4 or /ip6 and /tcp only: " + a);
                }
                socket = TcpAddresses.literal(t);
            } catch (IllegalArgumentException | UnknownHostException e) {
                bound.completeExceptionally(e);
                continue;
            }
            ServerBootstrap sb = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            accept(ch);
                        }
                    });
            if (allocator != null) {
                sb.option(ChannelOption.ALLOCATOR, allocator).childOption(ChannelOption.ALLOCATOR, allocator);
            }
            sb.bind(socket).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    synchronized (serverChannels) {
                        serverChannels.put(f.channel(), socket);
                    }
                    bound.complete(null);
                } else {
                    bound.completeExceptionally(
                            new UpgradeException("cannot listen on " + a + ": " + f.cause(), f.cause()));
                }
            });
        }
        long sweepMs = peerStoreSweepInterval.toMillis();
        sweepTask = group.next()
                .scheduleAtFixedRate(
                        () -> {
                            try {
                                peerStore.sweep();
                            } catch (RuntimeException e) {
                                log.warn("peer store sweep failed", e);
                            }
                        },
                        sweepMs,
                        sweepMs,
                        TimeUnit.MILLISECONDS);
        return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new)).thenRun(() -> {
            List<Multiaddr> addrs = new ArrayList<>();
            synchronized (serverChannels) {
                for (Map.Entry<Channel, InetSocketAddress> e : serverChannels.entrySet()) {
                    for (Multiaddr m : TcpAddresses.dialable(
                            e.getValue(), (InetSocketAddress) e.getKey().localAddress())) {
                        addrs.add(m.withPeerId(peerId));
                    }
                }
            }
            listenAddresses = List.copyOf(addrs);
            log.info("host {} listening on {}", peerId, listenAddresses);
            localChanged();
        });
    }

    private void accept(SocketChannel ch) {
        Upgrade upgrade = new Upgrade(this, true, null, null, ch.remoteAddress(), new CompletableFuture<>());
        ResourceManager.ConnectionScope scope = null;
        String refusal = "host is closing";
        if (!closed.get()) {
            try {
                scope = resources.openInbound(
                        ch.remoteAddress().getAddress(),
                        () -> ch.eventLoop()
                                .execute(() -> upgrade.fail("closed to admit a newer connection: "
                                        + resources.limits().transientConnections()
                                        + " connections were still handshaking")));
            } catch (ResourceLimitException e) {
                refusal = e.getMessage();
            }
        }
        if (scope == null) {
            log.debug("inbound connection {} refused: {}", ch, refusal);
            connections.refused(TcpAddresses.toMultiaddr(ch.remoteAddress()), true, refusal);
            ch.close();
            return;
        }
        openChannels.add(ch);
        upgrade.install(ch, scope);
    }

    public PeerId peerId() {
        return peerId;
    }

    public PrivateKey identity() {
        return identity;
    }

    public String agentVersion() {
        return agentVersion;
    }

    /** Where this host listens, with resolved ports and {@code /p2p/<id>}; empty before {@link #start()}. */
    public List<Multiaddr> listenAddresses() {
        return listenAddresses;
    }

    /**
     * Dials {@code addr} (/ip4, /ip6, /dns4, /dns6, /dns then /tcp, optionally /p2p/&lt;id&gt;) and
     * upgrades the connection. With /p2p the authenticated peer must match it, and an open
     * connection to that peer (or a dial already under way) is reused. Fails with
     * {@link UpgradeException} saying why.
     */
    public CompletableFuture<Connection> connect(Multiaddr addr) {
        TcpAddresses.Target target;
        try {
            target = TcpAddresses.parse(addr);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new UpgradeException("cannot dial " + addr + ": " + e.getMessage()));
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(new UpgradeException("host is closed"));
        }
        PeerId peer = target.peer();
        if (peer == null) {
            CompletableFuture<Connection> result = new CompletableFuture<>();
            dial(target, addr, result);
            return result;
        }
        if (peer.equals(peerId)) {
            return CompletableFuture.failedFuture(new UpgradeException("cannot dial ourselves"));
        }
        Optional<HostConnection> existing = connections.anyOpen(peer);
        if (existing.isPresent()) {
            return CompletableFuture.completedFuture(existing.get());
        }
        CompletableFuture<Connection> mine = new CompletableFuture<>();
        CompletableFuture<Connection> prior = dials.putIfAbsent(peer, mine);
        if (prior != null) {
            return prior;
        }
        mine.whenComplete((c, e) -> dials.remove(peer, mine));
        dial(target, addr, mine);
        return mine;
    }

    private void dial(TcpAddresses.Target target, Multiaddr addr, CompletableFuture<Connection> result) {
        if (!target.needsResolution()) {
            try {
                connectSocket(TcpAddresses.literal(target), target, addr, result);
            } catch (UnknownHostException e) {
                result.completeExceptionally(new UpgradeException("cannot dial " + addr + ": " + e.getMessage(), e));
            }
            return;
        }
        // name lookups block: keep them off the event loops
        CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return TcpAddresses.resolveName(target);
                            } catch (UnknownHostException e) {
                                throw new java.util.concurrent.CompletionException(e);
                            }
                        },
                        resolver)
                .whenComplete((socket, error) -> {
                    if (error != null) {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        result.completeExceptionally(
                                new UpgradeException("cannot resolve " + addr + ": " + cause.getMessage(), cause));
                    } else {
                        connectSocket(socket, target, addr, result);
                    }
                });
    }

    private void connectSocket(
            InetSocketAddress socket,
            TcpAddresses.Target target,
            Multiaddr addr,
            CompletableFuture<Connection> result) {
        ResourceManager.ConnectionScope scope;
        try {
            scope = resources.openOutbound();
        } catch (ResourceLimitException e) {
            result.completeExceptionally(new UpgradeException(e.getMessage(), e));
            return;
        }
        Upgrade upgrade = new Upgrade(this, false, target.peer(), addr, socket, result);
        upgrade.reserved(scope);
        AtomicBoolean installed = new AtomicBoolean();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, limits.handshakeTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        installed.set(true);
                        openChannels.add(ch);
                        upgrade.install(ch, scope);
                    }
                });
        if (allocator != null) {
            b.option(ChannelOption.ALLOCATOR, allocator);
        }
        ChannelFuture cf;
        try {
            cf = b.connect(socket);
        } catch (RuntimeException e) {
            upgrade.abandon(e);
            return;
        }
        cf.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                return;
            }
            if (installed.get()) {
                upgrade.fail("connect to " + socket + " failed: " + f.cause().getMessage());
            } else {
                upgrade.abandon(f.cause());
            }
        });
    }

    /**
     * Opens a stream to {@code peer} (dialing its known addresses if not connected) and negotiates
     * the first of {@code protocols} it supports. The future completes, on the connection's event
     * loop, with the stream, read from its first byte ({@link PeerStream#read()}). Handlers
     * registered on this host with {@link #addProtocol} serve inbound streams only; to run a
     * protocol on the stream's pipeline instead, use {@link #newStream(PeerId, ProtocolHandler,
     * String...)}.
     */
    public CompletableFuture<PeerStream> newStream(PeerId peer, String... protocols) {
        return newStream(peer, null, protocols);
    }

    /** Like {@link #newStream(PeerId, String...)}, calling {@code handler} (with
     *  {@code info.initiator() == true}) on the stream once negotiated, before any received byte
     *  is delivered and before the future completes. */
    public CompletableFuture<PeerStream> newStream(PeerId peer, ProtocolHandler handler, String... protocols) {
        return connection(peer).thenCompose(c -> c.newStream(handler, protocols));
    }

    /**
     * Like {@link #newStream(PeerId, ProtocolHandler, String...)}; with {@link Negotiation#LAZY} and
     * one protocol, {@code handler} runs (and the future completes) as soon as the proposal is
     * written, so what it writes first saves the round trip of waiting for the listener's answer.
     */
    public CompletableFuture<PeerStream> newStream(
            PeerId peer, ProtocolHandler handler, Negotiation negotiation, String... protocols) {
        return connection(peer).thenCompose(c -> c.newStream(handler, negotiation, protocols));
    }

    private CompletableFuture<Connection> connection(PeerId peer) {
        Optional<HostConnection> existing = connections.anyOpen(peer);
        if (existing.isPresent()) {
            return CompletableFuture.completedFuture(existing.get());
        }
        CompletableFuture<Connection> inFlight = dials.get(peer);
        if (inFlight != null) {
            return inFlight;
        }
        List<Multiaddr> known = peerStore.addresses(peer);
        if (known.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new UpgradeException("not connected to " + peer + " and no known address"));
        }
        CompletableFuture<Connection> attempt = connect(known.get(0).withPeerId(peer));
        for (Multiaddr next : known.subList(1, known.size())) {
            attempt = attempt.exceptionallyCompose(e -> connect(next.withPeerId(peer)));
        }
        return attempt;
    }

    public void addProtocol(String id, ProtocolHandler handler) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(handler, "handler");
        if (handlers.put(id, handler) == null) {
            localChanged();
        }
    }

    public void removeProtocol(String id) {
        if (handlers.remove(id) != null) {
            localChanged();
        }
    }

    /**
     * What we tell peers we listen on: {@link #listenAddresses()} and then the addresses other
     * peers confirmed seeing us at ({@link #observedAddresses()}), each with {@code /p2p/<id>}.
     */
    public List<Multiaddr> advertisedAddresses() {
        List<Multiaddr> confirmed = observedAddresses.confirmed();
        if (confirmed.isEmpty()) {
            return listenAddresses;
        }
        java.util.LinkedHashSet<Multiaddr> all = new java.util.LinkedHashSet<>(listenAddresses);
        for (Multiaddr m : confirmed) {
            all.add(m.withPeerId(peerId));
        }
        return List.copyOf(all);
    }

    /** Addresses peers report seeing us at (fed by identify); confirmed ones are advertised. */
    public ObservedAddresses observedAddresses() {
        return observedAddresses;
    }

    /**
     * Calls {@code listener} (on the thread that made the change: keep it short) whenever what we
     * would tell peers about ourselves may have changed: our protocols or advertised addresses.
     */
    public void addLocalChangeListener(Runnable listener) {
        localChangeListeners.add(Objects.requireNonNull(listener));
    }

    public void removeLocalChangeListener(Runnable listener) {
        localChangeListeners.remove(listener);
    }

    private void localChanged() {
        for (Runnable l : localChangeListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                log.warn("local change listener failed", e);
            }
        }
    }

    /** The protocol ids with a registered handler. */
    public Set<String> protocols() {
        return Set.copyOf(handlers.keySet());
    }

    public PeerStore peerStore() {
        return peerStore;
    }

    public ConnectionManager connections() {
        return connections;
    }

    /** What this host admits and holds, by scope, and its refusal counters. */
    public ResourceManager resources() {
        return resources;
    }

    /**
     * Graceful shutdown: stops listening, sends go-away on every muxer, closes all connections and,
     * unless the event loop group was given to the builder, shuts it down. Call it off the event loops.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (sweepTask != null) {
            sweepTask.cancel(false);
        }
        List<CompletableFuture<?>> waits = new ArrayList<>();
        synchronized (serverChannels) {
            for (Channel c : serverChannels.keySet()) {
                c.close();
            }
        }
        for (Connection c : connections.connections()) {
            waits.add(c.close());
        }
        for (Channel c : openChannels) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            c.close().addListener(f -> done.complete(null));
            waits.add(done);
        }
        boolean onEventLoop = false;
        for (io.netty.util.concurrent.EventExecutor e : group) {
            onEventLoop |= e.inEventLoop();
        }
        if (onEventLoop) {
            // waiting here would stall the very loop that must close the channels
            log.warn("host {} closed from one of its event loops: not waiting for connections to close", peerId);
            if (ownsGroup) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
        } else {
            try {
                CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("host {}: connections did not all close within 5 s", peerId);
            }
            if (ownsGroup) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        resolver.shutdownNow();
        log.info("host {} closed", peerId);
    }

    // ---- package-private plumbing for Upgrade / HostConnection / tests ----

    ConnectionGater gater() {
        return gater;
    }

    MuxerConfig muxerConfig() {
        return muxerConfig;
    }

    List<MuxerProtocol> muxers() {
        return muxers;
    }

    ConnectionLimits limits() {
        return limits;
    }

    ProtocolHandler handler(String protocol) {
        return handlers.get(protocol);
    }

    Set<String> protocolIdsView() {
        return protocolIdsView;
    }

    /** Socket channels (upgrading or established) still open. */
    int openChannelCount() {
        return openChannels.size();
    }

    void channelClosed(Channel ch) {
        openChannels.remove(ch);
    }

    void established(HostConnection c, Multiaddr dialedAddress) {
        connections.register(c);
        try {
            peerStore.putPublicKey(c.remotePeer(), c.remoteKey());
            if (dialedAddress != null) {
                peerStore.addAddresses(c.remotePeer(), DIALED_ADDRESS_TTL, dialedAddress);
            }
        } catch (RuntimeException e) {
            log.debug("peer store update for {} failed", c.remotePeer(), e);
        }
    }

    /** Configures a {@link Host}; only the identity is worth setting for most uses. */
    public static final class Builder {
        private PrivateKey identity;
        private final List<Multiaddr> listen = new ArrayList<>();
        private final Map<String, ProtocolHandler> protocols = new LinkedHashMap<>();
        private ConnectionGater gater = ConnectionGater.ALLOW_ALL;
        private MuxerConfig muxerConfig = MuxerConfig.defaults();
        private List<MuxerProtocol> muxers = List.of(MuxerProtocol.YAMUX, MuxerProtocol.MPLEX);
        private ConnectionLimits limits = ConnectionLimits.defaults();
        private ResourceLimits resources = ResourceLimits.defaults();
        private String agentVersion = "hyperj/0.1.0";
        private EventLoopGroup group;
        private int threads = 0; // Netty's default: 2 x cores
        private ByteBufAllocator allocator;
        private PeerStore peerStore;
        private Duration peerStoreSweepInterval = Duration.ofMinutes(1);

        private Builder() {}

        /** The host's key; an Ed25519 key is generated when not set. */
        public Builder identity(PrivateKey key) {
            this.identity = Objects.requireNonNull(key);
            return this;
        }

        public Builder listen(Multiaddr... addrs) {
            listen.addAll(List.of(addrs));
            return this;
        }

        public Builder protocol(String id, ProtocolHandler handler) {
            protocols.put(Objects.requireNonNull(id), Objects.requireNonNull(handler));
            return this;
        }

        public Builder gater(ConnectionGater g) {
            this.gater = Objects.requireNonNull(g);
            return this;
        }

        public Builder muxerConfig(MuxerConfig cfg) {
            this.muxerConfig = Objects.requireNonNull(cfg);
            return this;
        }

        /** Muxers in order of preference (default yamux, then mplex). */
        public Builder muxers(MuxerProtocol... preferred) {
            if (preferred.length == 0) {
                throw new IllegalArgumentException("at least one muxer");
            }
            this.muxers = List.of(preferred);
            return this;
        }

        public Builder limits(ConnectionLimits l) {
            this.limits = Objects.requireNonNull(l);
            return this;
        }

        /** Connection, stream and memory limits by scope (default {@link ResourceLimits#defaults()}). */
        public Builder resources(ResourceLimits r) {
            this.resources = Objects.requireNonNull(r);
            return this;
        }

        public Builder agentVersion(String v) {
            this.agentVersion = Objects.requireNonNull(v);
            return this;
        }

        /** Share an event loop group (not shut down by {@link Host#close()}); default: the host's own. */
        public Builder eventLoopGroup(EventLoopGroup g) {
            this.group = Objects.requireNonNull(g);
            return this;
        }

        /** Event loop threads of the host's own group (0 = Netty's default). */
        public Builder threads(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("threads must be >= 0");
            }
            this.threads = n;
            return this;
        }

        public Builder allocator(ByteBufAllocator a) {
            this.allocator = Objects.requireNonNull(a);
            return this;
        }

        /** Use this peer store (e.g. with other bounds or a test clock). */
        public Builder peerStore(PeerStore store) {
            this.peerStore = Objects.requireNonNull(store);
            return this;
        }

        public Builder peerStoreSweepInterval(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("sweep interval must be positive");
            }
            this.peerStoreSweepInterval = d;
            return this;
        }

        public Host build() {
            return new Host(this);
        }
    }
}
