package dev.hyperj.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Yamux and mplex share: the stream table, opening and accepting child channels, limits,
 * the write path (frames from a child's outbound buffer, batched into one composite per child
 * flush, gated by the connection's writability), inbound delivery at read-complete, flushing and
 * the orderly or hostile end of the connection. Subclasses do the wire format.
 */
abstract class MuxSession extends ChannelDuplexHandler implements StreamMuxer {
    private static final Logger log = LoggerFactory.getLogger(MuxSession.class);

    /** Payload bytes collected in one composite before it is handed to the connection. */
    private static final int BATCH_BYTES = 256 * 1024;

    private static final int BATCH_COMPONENTS = 512;
    /** Payloads up to this size are copied next to their header instead of sliced. */
    static final int COPY_THRESHOLD = 1024;
    /** Refused stream opens (over the limit or after GoAway) tolerated between two stream closes. */
    static final int REFUSED_OPENS_LIMIT = 256;
    /** How long a locally closed stream waits for the remote's FIN before it is reset. */
    static final long CLOSE_TIMEOUT_MILLIS = 10_000;

    final boolean initiator;
    final MuxerConfig config;
    private final Consumer<Channel> inboundStreamInitializer;

    ChannelHandlerContext ctx;
    final LongObjectHashMap<StreamChannel> streams = new LongObjectHashMap<>();
    boolean localGoAway;
    boolean remoteGoAway;
    /** Set once the connection is going down: no more decoding or frames. */
    boolean closed;

    private volatile Throwable failure;
    private boolean started;
    private boolean inRead;
    private boolean readFallbackScheduled;
    private boolean flushScheduled;
    /** streams.size() for other threads (the map itself is only touched on the event loop). */
    private volatile int openCount;
    /**
     * The data batch writeFrames is filling, not yet written to the connection. Removing bytes from
     * a stream's outbound buffer completes their write promises, whose listeners may close the
     * stream (ChannelFutureListener.CLOSE) and so queue a FIN: control frames queued meanwhile go
     * into this batch, after the data, so a FIN never overtakes the data it ends.
     */
    private CompositeByteBuf openBatch;

    private int refusedOpens;
    private final ArrayDeque<StreamChannel> waitingForParent = new ArrayDeque<>();
    private final ArrayList<StreamChannel> readPending = new ArrayList<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    MuxSession(boolean initiator, MuxerConfig config, Consumer<Channel> inboundStreamInitializer) {
        this.initiator = initiator;
        this.config = config;
        this.inboundStreamInitializer = inboundStreamInitializer;
    }

    // ---- wire format, by subclass

    /** Decodes as much of {@code in} as possible; the caller releases it. */
    abstract void decode(ByteBuf in) throws MuxerException;

    /** Allocates the id of a new outbound stream, or returns -1 when ids are exhausted. */
    abstract long nextOutboundId();

    abstract long keyOf(long id, boolean initiatedLocally);

    abstract void sendOpen(StreamChannel s);

    abstract void sendAccept(StreamChannel s);

    abstract void sendRefuse(long id);

    abstract void sendFin(StreamChannel s);

    abstract void sendReset(StreamChannel s);

    /** Bytes {@code s} may send now (Yamux: its send window). */
    abstract long sendCredit(StreamChannel s);

    abstract int maxDataFrame();

    /** Appends one data frame carrying {@code payload} (ownership passes) and takes the credit. */
    abstract void appendData(StreamChannel s, ByteBuf payload, CompositeByteBuf batch);

    /** Payload bytes of {@code s} were handed to its pipeline (or discarded): credit the sender. */
    abstract void consumed(StreamChannel s, int bytes);

    /** Called once the connection is active and the handler installed. */
    void onStart() {}

    /** Last words before a failing connection closes (Yamux: GoAway with an error code). */
    void onFailure(MuxerException e, boolean protocolError) {}

    abstract void sendGoAway();

    final Channel connection() {
        return ctx.channel();
    }

    /** A one-line-per-stream dump of flow-control state, for diagnostics (call on the event loop). */
    String describe() {
        StringBuilder b = new StringBuilder(protocol().id())
                .append(' ')
                .append(ctx.channel())
                .append(" writable=")
                .append(ctx.channel().isWritable())
                .append(" waiting=")
                .append(waitingForParent.size())
                .append(" closed=")
                .append(closed)
                .append('\n');
        for (StreamChannel s : streams.values()) {
            var out = s.unsafe().outboundBuffer();
            b.append("  ")
                    .append(s.id)
                    .append(" open=")
                    .append(s.isOpen())
                    .append(" sendWindow=")
                    .append(s.sendWindow)
                    .append(" recvWindow=")
                    .append(s.recvWindow)
                    .append(" recvCredit=")
                    .append(s.recvCredit)
                    .append(" recvConsumed=")
                    .append(s.recvConsumed)
                    .append(" queuedIn=")
                    .append(s.inboundBytes)
                    .append(" pendingOut=")
                    .append(out == null ? -1 : out.totalPendingWriteBytes())
                    .append(" writable=")
                    .append(s.isWritable())
                    .append(" autoRead=")
                    .append(s.config().isAutoRead())
                    .append(" finSent=")
                    .append(s.finSent)
                    .append(" remoteFin=")
                    .append(s.remoteWriteClosed)
                    .append(" waitingForParent=")
                    .append(s.waitingForParent)
                    .append('\n');
        }
        return b.toString();
    }

    /** Why the connection was closed by this muxer, or null. */
    Throwable failure() {
        return failure;
    }

    // ---- StreamMuxer

    @Override
    public Future<Channel> openStream() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return GlobalEventExecutor.INSTANCE.newFailedFuture(new IllegalStateException("muxer not installed"));
        }
        EventLoop loop = c.channel().eventLoop();
        Promise<Channel> promise = loop.newPromise();
        if (loop.inEventLoop()) open0(promise);
        else loop.execute(() -> open0(promise));
        return promise;
    }

    private void open0(Promise<Channel> promise) {
        if (closed || !ctx.channel().isActive()) {
            promise.setFailure(new ClosedChannelException());
            return;
        }
        if (localGoAway || remoteGoAway) {
            promise.setFailure(new MuxerException("connection is going away: no new streams"));
            return;
        }
        if (streams.size() >= config.maxStreams()) {
            promise.setFailure(new MuxerException("stream limit reached: " + config.maxStreams()));
            return;
        }
        long id = nextOutboundId();
        if (id < 0) {
            promise.setFailure(new MuxerException("stream ids exhausted"));
            return;
        }
        StreamChannel s = newStream(id, keyOf(id, true), true);
        sendOpen(s);
        flushSoon();
        if (register(s)) {
            s.activate();
            promise.setSuccess(s);
        } else {
            promise.setFailure(new MuxerException("stream registration failed"));
        }
    }

    @Override
    public int openStreams() {
        return openCount;
    }

    @Override
    public void goAway() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            localGoAway = true;
            return;
        }
        EventLoop loop = c.channel().eventLoop();
        if (loop.inEventLoop()) goAway0();
        else loop.execute(this::goAway0);
    }

    private void goAway0() {
        if (localGoAway || closed) return;
        localGoAway = true;
        sendGoAway();
        flushSoon();
    }

    // ---- streams

    private StreamChannel newStream(long id, long key, boolean local) {
        StreamChannel s = new StreamChannel(this, id, key, local);
        s.sendWindow = MuxerConfig.YAMUX_DEFAULT_WINDOW;
        s.recvWindow = config.initialWindow();
        s.recvCredit = config.initialWindow();
        s.epochStart = System.nanoTime();
        streams.put(key, s);
        openCount = streams.size();
        return s;
    }

    private boolean register(StreamChannel s) {
        s.unsafe().register(ctx.channel().eventLoop(), s.newPromise());
        // We are on the event loop, so registration completed synchronously.
        if (!s.isRegistered()) {
            streams.remove(s.key);
            openCount = streams.size();
            return false;
        }
        return true;
    }

    /**
     * A remote open: accepts the stream (initializer, then active) or refuses it over the limit or
     * after our GoAway. Returns null when refused; a refusal flood fails the connection.
     */
    StreamChannel acceptOrRefuse(long id) throws MuxerException {
        if (localGoAway || streams.size() >= config.maxStreams()) {
            sendRefuse(id);
            if (++refusedOpens > REFUSED_OPENS_LIMIT) {
                throw new MuxerException("remote keeps opening streams beyond the limit of " + config.maxStreams()
                        + " (" + refusedOpens + " refused)");
            }
            return null;
        }
        StreamChannel s = newStream(id, keyOf(id, false), false);
        sendAccept(s);
        if (!register(s)) return null;
        try {
            inboundStreamInitializer.accept(s);
        } catch (Throwable t) {
            log.warn("inbound stream initializer failed for {}; resetting it", s, t);
            s.reset();
            return null;
        }
        s.activate();
        return s;
    }

    /** The child channel closed (locally, after a remote FIN, or by reset). */
    void streamClosed(StreamChannel s) {
        readPending.remove(s);
        if (closed) {
            streams.remove(s.key);
            openCount = streams.size();
            return;
        }
        if (!s.reset && !s.finSent) {
            s.finSent = true;
            sendFin(s);
            flushSoon();
        }
        if (s.reset || s.remoteWriteClosed) {
            forget(s);
        } else {
            // Keep crediting and discarding its data until the remote's FIN, for a while.
            ctx.executor()
                    .schedule(
                            () -> {
                                if (streams.get(s.key) == s && !closed) {
                                    log.debug(
                                            "{}: no FIN from the remote within {} ms of close, resetting",
                                            s,
                                            CLOSE_TIMEOUT_MILLIS);
                                    s.reset = true;
                                    sendReset(s);
                                    flushSoon();
                                    forget(s);
                                }
                            },
                            CLOSE_TIMEOUT_MILLIS,
                            TimeUnit.MILLISECONDS);
        }
    }

    /** reset() on a stream already closed locally but still waiting for the remote. */
    void resetClosed(StreamChannel s) {
        if (closed || s.reset || streams.get(s.key) != s) return;
        s.reset = true;
        sendReset(s);
        flushSoon();
        forget(s);
    }

    /** The remote finished its side of a stream. */
    void remoteFinished(StreamChannel s) {
        s.onRemoteFin();
        if (s.isClosed()) forget(s);
    }

    void remoteReset(StreamChannel s) {
        s.onRemoteReset();
        forget(s);
    }

    private void forget(StreamChannel s) {
        if (streams.remove(s.key) != null && !s.isInitiator()) refusedOpens = 0;
        openCount = streams.size();
    }

    void markReadPending(StreamChannel s) {
        if (!s.readCompletePending) {
            s.readCompletePending = true;
            readPending.add(s);
        }
    }

    /** Resets one stream for a local reason (e.g. its reader does not keep up). */
    void resetStream(StreamChannel s, String reason) {
        log.debug("{}: resetting: {}", s, reason);
        if (!s.reset) {
            s.reset = true;
            sendReset(s);
            flushSoon();
        }
        forget(s);
        s.closeWith(new StreamResetException(reason));
    }

    // ---- write path

    /** Moves as much of a child's flushed writes as credit and the connection allow into frames. */
    void drain(StreamChannel s, ChannelOutboundBuffer in) {
        if (closed) {
            while (in.current() != null) in.remove(new StreamResetException("connection closed"));
            return;
        }
        s.drainingWrites = true;
        try {
            do {
                s.resumeRequested = false;
                writeFrames(s, in);
                // One flush of the connection per child flush; it may make the connection writable
                // again synchronously, which asks (via resumeRequested) for another round.
                ctx.flush();
            } while (s.resumeRequested && !closed && in.current() != null);
        } finally {
            s.drainingWrites = false;
        }
    }

    private void writeFrames(StreamChannel s, ChannelOutboundBuffer in) {
        CompositeByteBuf batch = null;
        int batchBytes = 0;
        try {
            Object msg;
            while ((msg = in.current()) != null) {
                ByteBuf buf = (ByteBuf) msg;
                int readable = buf.readableBytes();
                if (readable == 0) {
                    in.remove();
                    continue;
                }
                if (!ctx.channel().isWritable()) {
                    if (!s.waitingForParent) {
                        s.waitingForParent = true;
                        waitingForParent.add(s);
                    }
                    break;
                }
                long credit = sendCredit(s);
                if (credit <= 0) break; // a window update resumes us
                int n = (int) Math.min(readable, Math.min(credit, maxDataFrame()));
                if (batch == null) batch = ctx.alloc().compositeDirectBuffer(BATCH_COMPONENTS);
                appendData(s, buf.retainedSlice(buf.readerIndex(), n), batch);
                CompositeByteBuf outer = openBatch; // a listener may drain another stream (nested)
                openBatch = batch;
                try {
                    in.removeBytes(n); // may run write listeners, which may queue control frames into openBatch
                } finally {
                    openBatch = outer;
                }
                batchBytes += n;
                if (batchBytes >= BATCH_BYTES || batch.numComponents() >= BATCH_COMPONENTS - 4) {
                    ctx.write(batch, ctx.voidPromise());
                    batch = null;
                    batchBytes = 0;
                }
            }
        } finally {
            if (batch != null) ctx.write(batch, ctx.voidPromise());
        }
    }

    /** Queues a control frame; flushed at the end of the read cycle or soon after. */
    void writeControl(ByteBuf frame) {
        if (closed) {
            frame.release();
            return;
        }
        if (openBatch != null) {
            openBatch.addComponent(true, frame); // after the data whose write completion queued it
            return;
        }
        ctx.write(frame, ctx.voidPromise());
        if (!inRead) flushSoon();
    }

    /** Flushes the connection once, after the current task (coalesces control frames). */
    void flushSoon() {
        if (inRead || flushScheduled || ctx == null) return;
        flushScheduled = true;
        ctx.executor().execute(() -> {
            flushScheduled = false;
            ctx.flush();
        });
    }

    // ---- connection events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) start();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start();
        super.channelActive(ctx);
    }

    private void start() {
        if (started) return;
        started = true;
        if (localGoAway) {
            localGoAway = false;
            goAway0();
        }
        onStart();
    }

    void schedule(Runnable task, long delayMillis, boolean repeat) {
        timers.add(
                repeat
                        ? ctx.executor().scheduleAtFixedRate(task, delayMillis, delayMillis, TimeUnit.MILLISECONDS)
                        : ctx.executor().schedule(task, delayMillis, TimeUnit.MILLISECONDS));
        timers.removeIf(Future::isDone);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (closed) return;
            inRead = true;
            if (!readFallbackScheduled) {
                // Normally channelReadComplete follows; should a handler before us not send it,
                // this still delivers the data and flushes our replies.
                readFallbackScheduled = true;
                ctx.executor().execute(() -> {
                    readFallbackScheduled = false;
                    if (inRead) channelReadComplete0();
                });
            }
            decode(in);
        } catch (MuxerException e) {
            fail(e, true);
        } catch (Throwable t) {
            log.warn("{} {}: internal error while decoding, closing", protocol().id(), ctx.channel(), t);
            fail(new MuxerException("internal error: " + t), false);
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        channelReadComplete0();
        ctx.fireChannelReadComplete();
    }

    private void channelReadComplete0() {
        inRead = false;
        deliverPendingReads();
        ctx.flush();
    }

    private void deliverPendingReads() {
        if (readPending.isEmpty()) return;
        StreamChannel[] pending = readPending.toArray(new StreamChannel[0]);
        readPending.clear();
        for (StreamChannel s : pending) s.drainInbound();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            int n = waitingForParent.size();
            for (int i = 0; i < n && ctx.channel().isWritable(); i++) {
                StreamChannel s = waitingForParent.poll();
                if (s == null) break;
                s.waitingForParent = false;
                s.resumeWrites();
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        shutdown(null);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} {}: connection error, closing: {}", protocol().id(), ctx.channel(), cause.toString());
        if (failure == null) failure = cause;
        closed = true;
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        shutdown(null);
    }

    /** Logs the reason, says goodbye (Yamux GoAway) and closes the connection. */
    void fail(MuxerException e, boolean protocolError) {
        if (closed) return;
        failure = e;
        log.info("{} {}: closing connection: {}", protocol().id(), ctx.channel(), e.getMessage());
        onFailure(e, protocolError);
        closed = true;
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    private void shutdown(Throwable cause) {
        closed = true;
        for (ScheduledFuture<?> t : timers) t.cancel(false);
        timers.clear();
        readPending.clear();
        waitingForParent.clear();
        if (streams.isEmpty()) return;
        List<StreamChannel> all = new ArrayList<>(streams.values());
        streams.clear();
        openCount = 0;
        for (StreamChannel s : all) s.onConnectionClosed(cause != null ? cause : failure);
    }
}
