package dev.hyperj.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One multiplexed stream as a Netty child channel of the connection: same event loop, its own
 * pipeline and config. The framing and flow control live in the {@link MuxSession}; this class
 * holds the per-stream state the session drives (windows, inbound queue, half-close flags).
 * Everything runs on the connection's event loop.
 */
final class StreamChannel extends AbstractChannel implements MuxedStream {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    final MuxSession session;
    final long id;
    /** Key of this stream in the session's table (mplex ids are only unique per initiator). */
    final long key;

    private final boolean initiator;
    private final ChannelConfig config;

    private boolean active;
    private boolean closed;

    // write side
    private boolean finRequested;
    boolean finSent;
    private ChannelPromise finPromise;
    boolean waitingForParent;
    /** Inside the session's drain of this stream; a resume request then loops the drain instead. */
    boolean drainingWrites;

    boolean resumeRequested;

    // read side
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    long inboundBytes;
    private boolean readRequested;
    private boolean draining;
    boolean remoteWriteClosed;
    private boolean inputShutdownFired;
    boolean readCompletePending;

    /** Set once RST was sent or received; no more frames for this stream. */
    boolean reset;

    // Yamux flow control (unused by mplex)
    long sendWindow;
    int recvWindow;
    long recvCredit;
    long recvConsumed;
    long epochStart;

    StreamChannel(MuxSession session, long id, long key, boolean initiator) {
        super(session.connection());
        this.session = session;
        this.id = id;
        this.key = key;
        this.initiator = initiator;
        this.config = new DefaultChannelConfig(this);
        config.setAllocator(session.connection().config().getAllocator());
    }

    // ---- MuxedStream

    @Override
    public long streamId() {
        return id;
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    @Override
    public Channel parentConnection() {
        return parent();
    }

    @Override
    public ChannelFuture closeWrite() {
        ChannelPromise promise = newPromise();
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) closeWrite0(promise);
        else loop.execute(() -> closeWrite0(promise));
        return promise;
    }

    @Override
    public void reset() {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) reset0();
        else loop.execute(this::reset0);
    }

    private void closeWrite0(ChannelPromise promise) {
        if (finSent) {
            promise.setSuccess();
            return;
        }
        if (closed || reset) {
            promise.setFailure(new ClosedChannelException());
            return;
        }
        if (finRequested) {
            finPromise.addListener(f -> {
                if (f.isSuccess()) promise.trySuccess();
                else promise.tryFailure(f.cause());
            });
            return;
        }
        finRequested = true;
        finPromise = promise;
        unsafe().flush();
        sendFinIfDrained();
    }

    /** Sends FIN once every flushed write went out (called after each drain of the outbound buffer). */
    void sendFinIfDrained() {
        if (!finRequested || finSent || reset) return;
        ChannelOutboundBuffer out = unsafe().outboundBuffer();
        if (out != null && !out.isEmpty()) return;
        finSent = true;
        session.sendFin(this);
        session.flushSoon();
        finPromise.trySuccess();
        closeIfBothDone();
    }

    private void reset0() {
        if (closed) {
            session.resetClosed(this);
            return;
        }
        if (!reset) {
            reset = true;
            session.sendReset(this);
            session.flushSoon();
        }
        closeWith(new StreamResetException("stream reset locally"));
    }

    // ---- driven by the session

    /** Payload for this stream (a retained slice of the connection's input). */
    void onData(ByteBuf data) {
        if (closed) {
            int n = data.readableBytes();
            data.release();
            session.consumed(this, n);
            return;
        }
        inbound.add(data);
        inboundBytes += data.readableBytes();
        session.markReadPending(this);
    }

    void onRemoteFin() {
        remoteWriteClosed = true;
        session.markReadPending(this);
    }

    void onRemoteReset() {
        if (closed) return;
        reset = true;
        pipeline().fireUserEventTriggered(StreamResetEvent.INSTANCE);
        closeWith(new StreamResetException("stream reset by remote"));
    }

    /** The connection went away or the session is tearing down. */
    void onConnectionClosed(Throwable cause) {
        if (closed) return;
        reset = true;
        StreamResetException e = new StreamResetException("connection closed");
        if (cause != null) e.initCause(cause);
        closeWith(e);
    }

    /** Window opened or the connection became writable again: resume queued writes. */
    void resumeWrites() {
        if (drainingWrites) {
            resumeRequested = true;
            return;
        }
        ((StreamUnsafe) unsafe()).resume();
    }

    void closeWith(Throwable cause) {
        ((StreamUnsafe) unsafe()).closeWith(cause);
    }

    /** Delivers queued inbound data if a read was requested, then a pending remote FIN. */
    void drainInbound() {
        readCompletePending = false;
        if (draining || closed) return;
        draining = true;
        try {
            while (readRequested && !inbound.isEmpty()) {
                readRequested = false;
                while (!inbound.isEmpty()) {
                    ByteBuf b = inbound.poll();
                    int n = b.readableBytes();
                    inboundBytes -= n;
                    session.consumed(this, n);
                    pipeline().fireChannelRead(b);
                    if (closed) return;
                }
                pipeline().fireChannelReadComplete();
                if (closed) return;
            }
            if (inbound.isEmpty() && remoteWriteClosed && !inputShutdownFired) {
                inputShutdownFired = true;
                pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
                closeIfBothDone();
            }
        } finally {
            draining = false;
        }
    }

    private void closeIfBothDone() {
        if (!closed && finSent && inputShutdownFired) close();
    }

    boolean isClosed() {
        return closed;
    }

    private void releaseInbound() {
        ByteBuf b;
        while ((b = inbound.poll()) != null) {
            inboundBytes -= b.readableBytes();
            b.release();
        }
    }

    // ---- AbstractChannel

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new StreamUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return parent().localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return parent().remoteAddress();
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("streams cannot be bound");
    }

    @Override
    protected void doDisconnect() {
        close();
    }

    @Override
    protected void doClose() {
        if (closed) return;
        closed = true;
        active = false;
        releaseInbound();
        session.streamClosed(this);
    }

    @Override
    protected void doBeginRead() {
        readRequested = true;
        if (!inbound.isEmpty() || (remoteWriteClosed && !inputShutdownFired)) drainInbound();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        if (reset) {
            // Writes after a reset fail; the channel is closing anyway.
            while (in.current() != null) in.remove(new StreamResetException("stream reset"));
            return;
        }
        session.drain(this, in);
        sendFinIfDrained();
    }

    @Override
    protected Object filterOutboundMessage(Object msg) throws Exception {
        if (!(msg instanceof ByteBuf)) {
            throw new UnsupportedOperationException(
                    "streams carry ByteBufs, not " + msg.getClass().getName());
        }
        if (finRequested) throw new ClosedChannelException();
        return msg;
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public boolean isActive() {
        return active && !closed;
    }

    void activate() {
        active = true;
        pipeline().fireChannelActive();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public String toString() {
        return "stream(" + session.protocol().name().toLowerCase() + " " + id + (initiator ? " out" : " in") + ", "
                + parent() + ")";
    }

    private final class StreamUnsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            safeSetFailure(promise, new UnsupportedOperationException("streams are opened by the muxer"));
        }

        @Override
        public void close(ChannelPromise promise) {
            // Closing with writes still queued drops them (Netty semantics): tell the remote with
            // a reset rather than a FIN that would pretend the data was complete.
            ChannelOutboundBuffer out = outboundBuffer();
            if (!closed && !reset && !finSent && out != null && !out.isEmpty()) {
                reset = true;
                session.sendReset(StreamChannel.this);
                session.flushSoon();
            }
            super.close(promise);
        }

        void closeWith(Throwable cause) {
            close(voidPromise(), cause, new ClosedChannelException());
        }

        void resume() {
            flush0();
        }
    }
}
