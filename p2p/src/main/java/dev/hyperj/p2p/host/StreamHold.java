package dev.hyperj.p2p.host;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends an outbound stream handed to a caller that installs its handlers after the future
 * completes, maybe from another thread. Bytes and events that arrive (with the negotiation or
 * later) while no handler follows this one are kept, with autoRead paused, and handed on as soon
 * as one does (checked on every read, write and on a short backoff timer); then it removes itself.
 * A stream left without handlers for {@code patience} is closed. Bounded by {@link #MAX_HELD_BYTES}.
 */
final class StreamHold extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(StreamHold.class);
    static final int MAX_HELD_BYTES = 1 << 20;
    private static final long FIRST_RECHECK_MICROS = 200;
    private static final long MAX_RECHECK_MICROS = 50_000;

    private final long patienceNanos;
    private final List<Object> held = new ArrayList<>();
    private int heldBytes;
    private boolean pausedReading;
    private boolean released;
    private long holdingSince;
    private long recheckMicros = FIRST_RECHECK_MICROS;
    private ScheduledFuture<?> recheck;

    StreamHold(long patienceNanos) {
        this.patienceNanos = patienceNanos;
    }

    private boolean followed(ChannelHandlerContext ctx) {
        return ctx.pipeline().last() != this;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (released || followed(ctx)) {
            release(ctx);
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof ByteBuf b) {
            heldBytes += b.readableBytes();
        }
        hold(ctx, msg);
        if (heldBytes > MAX_HELD_BYTES) {
            log.debug("{}: {} bytes arrived with no handler to read them, closing", ctx.channel(), heldBytes);
            dropHeld();
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (released || followed(ctx)) {
            release(ctx);
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (released || followed(ctx)) {
            release(ctx);
            ctx.fireUserEventTriggered(evt);
        } else {
            hold(ctx, new HeldEvent(evt));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (followed(ctx)) {
            release(ctx);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (followed(ctx)) {
            release(ctx);
        }
        ctx.read();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (followed(ctx)) {
            release(ctx);
        }
    }

    private void hold(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
        if (!pausedReading) {
            pausedReading = true;
            holdingSince = System.nanoTime();
            ctx.channel().config().setAutoRead(false);
            scheduleRecheck(ctx);
        }
    }

    private void scheduleRecheck(ChannelHandlerContext ctx) {
        recheck = ctx.executor().schedule(() -> {
            recheck = null;
            if (released || !ctx.channel().isOpen()) {
                return;
            }
            if (followed(ctx)) {
                release(ctx);
            } else if (System.nanoTime() - holdingSince > patienceNanos) {
                log.debug("{}: no handler was added to the stream within {} ms, closing", ctx.channel(),
                        TimeUnit.NANOSECONDS.toMillis(patienceNanos));
                dropHeld();
                ctx.close();
            } else {
                recheckMicros = Math.min(MAX_RECHECK_MICROS, recheckMicros * 2);
                scheduleRecheck(ctx);
            }
        }, recheckMicros, TimeUnit.MICROSECONDS);
    }

    private void release(ChannelHandlerContext ctx) {
        if (released) {
            return;
        }
        released = true;
        if (recheck != null) {
            recheck.cancel(false);
            recheck = null;
        }
        boolean any = false;
        for (Object o : held) {
            if (o instanceof HeldEvent e) {
                ctx.fireUserEventTriggered(e.event());
            } else {
                any = true;
                ctx.fireChannelRead(o);
            }
        }
        held.clear();
        heldBytes = 0;
        if (any) {
            ctx.fireChannelReadComplete();
        }
        if (pausedReading && ctx.channel().isOpen()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (recheck != null) {
            recheck.cancel(false);
        }
        dropHeld();
    }

    private void dropHeld() {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        heldBytes = 0;
    }

    private record HeldEvent(Object event) {}
}
