package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.multistream.MultistreamException;
import dev.hyperj.p2p.multistream.MultistreamSelect;
import dev.hyperj.p2p.mux.MuxerProtocol;
import dev.hyperj.p2p.mux.StreamMuxer;
import dev.hyperj.p2p.noise.Noise;
import dev.hyperj.p2p.noise.SecureSession;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.resources.ResourceLimitException;
import dev.hyperj.p2p.resources.ResourceManager;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades one TCP connection: multistream(security) -> Noise -> peer id and per-peer limit check
 * -> gater (nothing read meanwhile) -> multistream(muxer) -> StreamMuxer, all under one deadline.
 * Every path that ends the connection early records a reason, logs it, tells the listeners and
 * fails the dial future. Confined to the channel's event loop.
 */
final class Upgrade {
    private static final Logger log = LoggerFactory.getLogger(Upgrade.class);
    static final List<String> SECURITY_PROTOCOLS = List.of(Noise.PROTOCOL_ID, Noise.POS_PROTOCOL_ID);
    /** Plaintext the peer may send while the gater decides (its muxer proposal, early stream data). */
    static final int MAX_GATED_BYTES = 64 * 1024;

    private static final String UPGRADE = "upgrade";
    private static final String TAIL = "tail";

    private final Host host;
    private final boolean inbound;
    private final PeerId expectedPeer;
    private final Multiaddr dialedAddress;
    private final CompletableFuture<Connection> result;
    private InetSocketAddress remoteSocket;
    private Channel channel;
    private String stage = "connect";
    private String reason;
    private String securityProtocol;
    private SecureSession session;
    private ResourceManager.ConnectionScope scope;
    private HostConnection connection;
    private ScheduledFuture<?> deadline;

    Upgrade(
            Host host,
            boolean inbound,
            PeerId expectedPeer,
            Multiaddr dialedAddress,
            InetSocketAddress remoteSocket,
            CompletableFuture<Connection> result) {
        this.host = host;
        this.inbound = inbound;
        this.expectedPeer = expectedPeer;
        this.dialedAddress = dialedAddress;
        this.remoteSocket = remoteSocket;
        this.result = result;
    }

    /** The resources reserved for this connection, before the channel exists (a dial). */
    void reserved(ResourceManager.ConnectionScope s) {
        this.scope = s;
    }

    /** Called from the channel initializer with the connection's reserved resources. */
    void install(Channel ch, ResourceManager.ConnectionScope s) {
        this.channel = ch;
        this.scope = s;
        ch.closeFuture().addListener(f -> onClosed());
        long timeoutMs = host.limits().handshakeTimeout().toMillis();
        deadline = ch.eventLoop()
                .schedule(
                        () -> fail("upgrade not finished within " + timeoutMs + " ms (during " + stage + ")"),
                        timeoutMs,
                        TimeUnit.MILLISECONDS);
        ch.pipeline().addLast(UPGRADE, new GateHandler());
        ch.pipeline().addLast(TAIL, new TailHandler());
        stage = "security negotiation";
        MultistreamSelect.Outcome outcome = new MultistreamSelect.Outcome() {
            @Override
            public void selected(Channel c, String protocol) {
                securityProtocol = protocol;
                stage = "noise handshake";
                c.pipeline()
                        .addBefore(
                                UPGRADE,
                                "noise",
                                Noise.handler(
                                        host.identity(),
                                        !inbound,
                                        expectedPeer,
                                        host.limits().handshakeTimeout()));
            }

            @Override
            public void failed(Channel c, MultistreamException cause) {
                recordReason("security negotiation failed: " + cause.getMessage());
            }
        };
        ch.pipeline()
                .addBefore(
                        UPGRADE,
                        "mss-security",
                        inbound
                                ? MultistreamSelect.listener(
                                        Set.copyOf(SECURITY_PROTOCOLS),
                                        host.limits().negotiationTimeout(),
                                        outcome)
                                : MultistreamSelect.dialer(
                                        SECURITY_PROTOCOLS, host.limits().negotiationTimeout(), outcome));
    }

    /** The channel never got installed (registration failed): give the slot back and fail. */
    void abandon(Throwable cause) {
        scope.close();
        String r = "connect failed: " + cause;
        host.connections().refused(remoteAddress(), inbound, r);
        result.completeExceptionally(new UpgradeException(r, cause));
    }

    void recordReason(String r) {
        if (reason == null) {
            reason = r;
        }
    }

    void fail(String r) {
        recordReason(r);
        if (channel != null) {
            channel.close();
        }
    }

    Multiaddr remoteAddress() {
        if (remoteSocket == null && channel != null && channel.remoteAddress() instanceof InetSocketAddress a) {
            remoteSocket = a;
        }
        return remoteSocket == null ? null : TcpAddresses.toMultiaddr(remoteSocket);
    }

    private void onClosed() {
        if (deadline != null) {
            deadline.cancel(false);
        }
        scope.close();
        host.channelClosed(channel);
        if (connection != null) {
            connection.onClosed();
            host.connections().unregister(connection);
            return;
        }
        String r = reason != null ? reason : "connection closed during " + stage;
        if (reason == null && !inbound && "muxer negotiation".equals(stage)) {
            // libp2p has no close reason: a listener that authenticated us and then hangs up
            // before any muxer is agreed has refused us, which is worth saying plainly
            r = session.remotePeer() + " closed the connection after the secure handshake: it refused us"
                    + " (its connection gater, e.g. a subnet node refusing peers not staked on its subnet,"
                    + " or its connection limits)";
        }
        log.debug("{} connection {} refused: {}", inbound ? "inbound" : "outbound", channel, r);
        host.connections().refused(remoteAddress(), inbound, r);
        result.completeExceptionally(new UpgradeException(r));
    }

    private void onSecured(ChannelHandlerContext ctx, SecureSession s) {
        session = s;
        PeerId peer = s.remotePeer();
        if (expectedPeer != null && !expectedPeer.equals(peer)) {
            fail("peer id mismatch: dialed " + expectedPeer + ", authenticated " + peer);
            return;
        }
        if (peer.equals(host.peerId())) {
            fail("connected to ourselves");
            return;
        }
        try {
            scope.authenticate(peer);
        } catch (ResourceLimitException e) {
            fail(e.getMessage());
            return;
        } catch (IllegalStateException evicted) {
            fail("closed to admit a newer connection");
            return;
        }
        stage = "gater";
        ctx.channel().config().setAutoRead(false);
        ConnectionGater gater = host.gater();
        CompletableFuture<Boolean> decision;
        try {
            decision = gater.allow(peer, remoteAddress(), inbound);
        } catch (RuntimeException e) {
            fail("gater failed: " + e);
            return;
        }
        if (decision == null) {
            fail("gater returned no decision");
            return;
        }
        long timeoutMs = host.limits().gaterTimeout().toMillis();
        GateHandler gate = (GateHandler) ctx.handler();
        ScheduledFuture<?> timeout = ctx.executor()
                .schedule(
                        () -> gate.decide(ctx, false, "gater gave no answer within " + timeoutMs + " ms"),
                        timeoutMs,
                        TimeUnit.MILLISECONDS);
        decision.whenComplete((allowed, error) -> {
            try {
                ctx.executor().execute(() -> {
                    timeout.cancel(false);
                    if (error != null) {
                        gate.decide(ctx, false, "gater failed: " + error);
                    } else {
                        gate.decide(ctx, Boolean.TRUE.equals(allowed), "denied by the gater");
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                // the event loop is gone, and the channel with it
            }
        });
    }

    private void negotiateMuxer(ChannelHandlerContext ctx) {
        stage = "muxer negotiation";
        List<String> muxers = host.muxers().stream().map(MuxerProtocol::id).toList();
        MultistreamSelect.Outcome outcome = new MultistreamSelect.Outcome() {
            @Override
            public void selected(Channel c, String protocol) {
                MuxerProtocol mp = host.muxers().stream()
                        .filter(m -> m.id().equals(protocol))
                        .findFirst()
                        .orElseThrow();
                established(c, mp);
            }

            @Override
            public void failed(Channel c, MultistreamException cause) {
                recordReason("muxer negotiation failed: " + cause.getMessage());
            }
        };
        ctx.pipeline()
                .addAfter(
                        ctx.name(),
                        "mss-muxer",
                        inbound
                                ? MultistreamSelect.listener(
                                        Set.copyOf(muxers), host.limits().negotiationTimeout(), outcome)
                                : MultistreamSelect.dialer(muxers, host.limits().negotiationTimeout(), outcome));
    }

    private void established(Channel c, MuxerProtocol mp) {
        Multiaddr local = c.localAddress() instanceof InetSocketAddress a ? TcpAddresses.toMultiaddr(a) : null;
        HostConnection conn = new HostConnection(
                host, c, session, scope, !inbound, securityProtocol, mp.id(), remoteAddress(), local);
        StreamMuxer muxer = StreamMuxer.create(mp, !inbound, host.muxerConfig(), conn::initInboundStream);
        conn.attach(muxer);
        c.pipeline().addBefore(TAIL, "muxer", muxer);
        stage = "established";
        deadline.cancel(false);
        connection = conn;
        host.established(conn, inbound ? null : dialedAddress);
        log.debug(
                "{} connection to {} established over {} + {}",
                inbound ? "inbound" : "outbound",
                conn.remotePeer(),
                securityProtocol,
                mp.id());
        result.complete(conn);
    }

    /** Watches for the secure session, then holds plaintext while the gater decides. */
    private final class GateHandler extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
        private int heldBytes;
        private boolean decided;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SecureSession s && session == null) {
                onSecured(ctx, s);
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf b)) {
                ReferenceCountUtil.release(msg);
                fail("unexpected " + msg.getClass().getSimpleName() + " during " + stage);
                return;
            }
            heldBytes += b.readableBytes();
            held.add(b);
            if (heldBytes > MAX_GATED_BYTES) {
                fail("peer sent more than " + MAX_GATED_BYTES + " bytes before the gater decided");
            }
        }

        void decide(ChannelHandlerContext ctx, boolean allowed, String denial) {
            if (decided || ctx.isRemoved() || !ctx.channel().isOpen()) {
                return;
            }
            decided = true;
            if (!allowed) {
                fail(denial);
                return;
            }
            negotiateMuxer(ctx);
            boolean any = !held.isEmpty();
            for (ByteBuf b; (b = held.poll()) != null; ) {
                ctx.fireChannelRead(b);
            }
            if (any) {
                ctx.fireChannelReadComplete();
            }
            ctx.pipeline().remove(this);
            ctx.channel().config().setAutoRead(true);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            for (ByteBuf b; (b = held.poll()) != null; ) {
                b.release();
            }
        }
    }

    /** Last handler of every connection: turns errors into a recorded reason and a close. */
    private final class TailHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (connection == null) {
                fail("closed during " + stage + ": " + describe(cause));
            } else {
                log.debug("connection to {} failed, closing: {}", connection.remotePeer(), describe(cause));
                ctx.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            ReferenceCountUtil.release(evt);
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m;
    }
}
