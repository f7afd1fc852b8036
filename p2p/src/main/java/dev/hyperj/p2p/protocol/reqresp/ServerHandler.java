package dev.hyperj.p2p.protocol.reqresp;

import dev.hyperj.p2p.protocol.FrameException;
import dev.hyperj.p2p.protocol.Streams;
import dev.hyperj.p2p.protocol.VarintFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering side of one request stream: reads one length-prefixed request, runs the user's
 * handler on a virtual thread (never on the event loop), writes the length-prefixed response and
 * closes. Bounded by the frame limit, the timeout (which also interrupts a slow handler) and a
 * semaphore of concurrent requests shared by all streams of one registration.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ServerHandler.class);

    private final RequestContext context;
    private final RequestHandler handler;
    private final RequestOptions options;
    private final Semaphore permits;
    private final ExecutorService executor;
    private boolean requestSeen;
    private ScheduledFuture<?> deadline;
    private Future<?> running;

    ServerHandler(
            RequestContext context,
            RequestHandler handler,
            RequestOptions options,
            Semaphore permits,
            ExecutorService executor) {
        this.context = context;
        this.handler = handler;
        this.options = options;
        this.permits = permits;
        this.executor = executor;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            LOG.debug(
                                    "{} request from {}: no response within {} ms, resetting",
                                    context.protocol(),
                                    context.peer(),
                                    options.timeout().toMillis());
                            if (running != null) {
                                running.cancel(true);
                            }
                            Streams.abort(ctx.channel());
                        },
                        options.timeout().toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel(false);
        if (running != null) {
            running.cancel(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (requestSeen) {
            frame.release(); // one request per stream: anything after it is ignored
            return;
        }
        requestSeen = true;
        byte[] request = ByteBufUtil.getBytes(frame);
        frame.release();
        ctx.channel().config().setAutoRead(false);
        if (!permits.tryAcquire()) {
            LOG.debug(
                    "{} request from {}: {} requests already running, resetting",
                    context.protocol(),
                    context.peer(),
                    options.maxConcurrent());
            Streams.abort(ctx.channel());
            return;
        }
        try {
            running = executor.submit(() -> answer(ctx, request));
        } catch (RuntimeException e) { // executor shut down
            permits.release();
            Streams.abort(ctx.channel());
        }
    }

    private void answer(ChannelHandlerContext ctx, byte[] request) {
        boolean answered = false;
        try {
            byte[] response = handler.handle(context, request);
            if (response == null) {
                throw new IllegalStateException("handler returned null");
            }
            if (response.length > options.maxFrame()) {
                throw new IllegalStateException(
                        "response of " + response.length + " bytes exceeds the maximum frame of " + options.maxFrame());
            }
            ctx.channel()
                    .writeAndFlush(VarintFrames.encode(ctx.alloc(), response))
                    .addListener(ChannelFutureListener.CLOSE);
            answered = true;
        } catch (InterruptedException e) {
            LOG.debug("{} handler for {} interrupted (timeout or stream closed)", context.protocol(), context.peer());
        } catch (Exception e) {
            LOG.info(
                    "{} handler failed on a request from {}, resetting the stream: {}",
                    context.protocol(),
                    context.peer(),
                    e.toString());
        } finally {
            permits.release();
            if (!answered) {
                Streams.abort(ctx.channel()); // also when the handler threw an Error, which goes on up
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !requestSeen) {
            LOG.debug("{} stream from {} ended without a request", context.protocol(), context.peer());
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FrameException) {
            LOG.info(
                    "{} request from {} rejected, resetting: {}",
                    context.protocol(),
                    context.peer(),
                    cause.getMessage());
        } else {
            LOG.debug("{} stream from {} failed: {}", context.protocol(), context.peer(), cause.toString());
        }
        Streams.abort(ctx.channel());
    }
}
