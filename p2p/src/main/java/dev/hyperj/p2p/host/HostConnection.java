package dev.hyperj.p2p.host;

import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.multistream.MultistreamException;
import dev.hyperj.p2p.multistream.MultistreamSelect;
import dev.hyperj.p2p.mux.StreamMuxer;
import dev.hyperj.p2p.noise.SecureSession;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.resources.ResourceLimitException;
import dev.hyperj.p2p.resources.ResourceManager;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An established connection: the muxer and the streams the host opened or accepted on it. */
final class HostConnection implements Connection {
    private static final Logger log = LoggerFactory.getLogger(HostConnection.class);

    private final Host host;
    private final Channel channel;
    private final PeerId remotePeer;
    private final PublicKey remoteKey;
    private final ResourceManager.ConnectionScope resources;
    private final boolean initiator;
    private final String securityProtocol;
    private final String muxerProtocol;
    private final Multiaddr remoteAddress;
    private final Multiaddr localAddress;
    private final AtomicInteger streams = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private StreamMuxer muxer;
    private ScheduledFuture<?> idleCheck;
    private long lastStreamActivityNanos = System.nanoTime();

    HostConnection(
            Host host,
            Channel channel,
            SecureSession session,
            ResourceManager.ConnectionScope resources,
            boolean initiator,
            String securityProtocol,
            String muxerProtocol,
            Multiaddr remoteAddress,
            Multiaddr localAddress) {
        this.host = host;
        this.channel = channel;
        this.remotePeer = session.remotePeer();
        this.remoteKey = session.remoteKey();
        this.resources = resources;
        this.initiator = initiator;
        this.securityProtocol = securityProtocol;
        this.muxerProtocol = muxerProtocol;
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
    }

    void attach(StreamMuxer m) {
        this.muxer = m;
        scheduleIdleCheck();
    }

    PublicKey remoteKey() {
        return remoteKey;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public PeerId remotePeer() {
        return remotePeer;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    @Override
    public String securityProtocol() {
        return securityProtocol;
    }

    @Override
    public String muxerProtocol() {
        return muxerProtocol;
    }

    @Override
    public int streamCount() {
        return streams.get();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() && !closed.isDone();
    }

    @Override
    public CompletableFuture<PeerStream> newStream(String... protocols) {
        return newStream(null, protocols);
    }

    @Override
    public CompletableFuture<PeerStream> newStream(ProtocolHandler handler, String... protocols) {
        return newStream(handler, Negotiation.FULL, protocols);
    }

    @Override
    public CompletableFuture<PeerStream> newStream(
            ProtocolHandler handler, Negotiation negotiation, String... protocols) {
        CompletableFuture<PeerStream> result = new CompletableFuture<>();
        List<String> proposals;
        try {
            proposals = List.of(protocols);
            if (proposals.isEmpty()) {
                throw new IllegalArgumentException("no protocol given");
            }
            MultistreamSelect.dialer(proposals, host.limits().negotiationTimeout(), (c, p) -> {}); // validates ids
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        if (channel.eventLoop().inEventLoop()) {
            openStream(handler, negotiation, proposals, result);
        } else {
            try {
                channel.eventLoop().execute(() -> openStream(handler, negotiation, proposals, result));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                result.completeExceptionally(new IOException("connection to " + remotePeer + " is closed"));
            }
        }
        return result;
    }

    private void openStream(
            ProtocolHandler handler,
            Negotiation negotiation,
            List<String> proposals,
            CompletableFuture<PeerStream> result) {
        if (!isOpen()) {
            result.completeExceptionally(new IOException("connection to " + remotePeer + " is closed"));
            return;
        }
        ResourceManager.StreamScope reserved;
        try {
            reserved = resources.openStream(false, streamMemory());
        } catch (ResourceLimitException e) {
            result.completeExceptionally(
                    new IOException("cannot open a stream to " + remotePeer + ": " + e.getMessage(), e));
            return;
        }
        streamOpened(); // counted from now so the idle check cannot close the connection under us
        muxer.openStream().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                reserved.close();
                streamClosed();
                result.completeExceptionally(
                        new IOException("cannot open a stream to " + remotePeer + ": " + f.cause(), f.cause()));
                return;
            }
            Channel stream = f.getNow();
            stream.closeFuture().addListener(x -> {
                reserved.close();
                streamClosed();
            });
            stream.pipeline().addLast(dialer(negotiation, proposals, new MultistreamSelect.Outcome() {
                @Override
                public void selected(Channel s, String protocol) throws Exception {
                    reserved.setProtocol(protocol);
                    StreamInfo info = new StreamInfo(remotePeer, protocol, true, remoteAddress);
                    if (handler != null) {
                        handler.initStream(s, info);
                        result.complete(ChannelPeerStream.of(s, info));
                    } else {
                        result.complete(ChannelPeerStream.reading(s, info));
                    }
                }

                @Override
                public void failed(Channel s, MultistreamException cause) {
                    result.completeExceptionally(cause);
                }
            }));
        });
    }

    /** Lazy only where it can be: one protocol (with several, the listener's answer decides). */
    private io.netty.channel.ChannelHandler dialer(
            Negotiation negotiation, List<String> proposals, MultistreamSelect.Outcome outcome) {
        return negotiation == Negotiation.LAZY && proposals.size() == 1
                ? MultistreamSelect.lazyDialer(proposals.get(0), host.limits().negotiationTimeout(), outcome)
                : MultistreamSelect.dialer(proposals, host.limits().negotiationTimeout(), outcome);
    }

    /** The muxer's inbound stream initializer: protocol negotiation as listener, then the handler. */
    void initInboundStream(Channel stream) {
        ResourceManager.StreamScope reserved;
        try {
            reserved = resources.openStream(true, streamMemory());
        } catch (ResourceLimitException e) {
            log.debug("inbound stream from {} refused: {}", remotePeer, e.getMessage());
            stream.close();
            return;
        }
        streamOpened();
        stream.closeFuture().addListener(x -> {
            reserved.close();
            streamClosed();
        });
        stream.pipeline()
                .addLast(MultistreamSelect.listener(
                        host.protocolIdsView(), host.limits().negotiationTimeout(), (s, protocol) -> {
                            reserved.setProtocol(protocol);
                            ProtocolHandler h = host.handler(protocol);
                            if (h == null) {
                                throw new IllegalStateException("protocol " + protocol + " was removed");
                            }
                            h.initStream(s, new StreamInfo(remotePeer, protocol, false, remoteAddress));
                        }));
    }

    /** What a peer can make us buffer on one stream without our consent: its receive window. */
    private long streamMemory() {
        return host.muxerConfig().initialWindow();
    }

    private void streamOpened() {
        streams.incrementAndGet();
        lastStreamActivityNanos = System.nanoTime();
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
    }

    private void streamClosed() {
        lastStreamActivityNanos = System.nanoTime();
        if (streams.decrementAndGet() == 0) {
            scheduleIdleCheck();
        }
    }

    private void scheduleIdleCheck() {
        long idleNanos = host.limits().idleTimeout().toNanos();
        if (idleNanos == 0 || !channel.isOpen()) {
            return;
        }
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        long wait = Math.max(0, lastStreamActivityNanos + idleNanos - System.nanoTime());
        idleCheck = channel.eventLoop().schedule(this::checkIdle, wait, TimeUnit.NANOSECONDS);
    }

    private void checkIdle() {
        idleCheck = null;
        if (streams.get() > 0 || !channel.isOpen()) {
            return;
        }
        long idleNanos = host.limits().idleTimeout().toNanos();
        if (System.nanoTime() - lastStreamActivityNanos < idleNanos) {
            scheduleIdleCheck();
            return;
        }
        log.debug(
                "closing connection to {}: no stream for {} ms", remotePeer, TimeUnit.NANOSECONDS.toMillis(idleNanos));
        close();
    }

    @Override
    public CompletableFuture<Void> close() {
        if (channel.isOpen()) {
            try {
                channel.eventLoop().execute(() -> {
                    try {
                        muxer.goAway();
                    } finally {
                        channel.close();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                channel.close();
            }
        }
        return closed;
    }

    void onClosed() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        closed.complete(null);
    }

    @Override
    public String toString() {
        return "Connection[" + remotePeer + " " + (initiator ? "->" : "<-") + " " + remoteAddress + "]";
    }
}
