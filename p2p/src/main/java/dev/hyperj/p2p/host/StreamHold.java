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
 * completes, maybe from another thread. Bytes and events that arrive while no handler follows
 * this one are kept, with autoRead paused, and handed on once one does (checked on every read,
 * write, inbound event and on a short backoff timer); then it removes itself. A stream left
 * without handlers for {@code patience} is closed. Bounded by {@link #MAX_HELD_BYTES}.
 *
 * <p>A handler added from another thread is linked into the pipeline at once but initialised
 * (handlerAdded) by a task on the event loop, and Netty skips it until then. So the check runs
 * under the pipeline's lock, which {@code addLast} holds while it links the handler and queues
 * that task, and the release runs as a later task on the loop, after it.
 */
final class StreamHold extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(StreamHold.class);
    static final int MAX_HELD_BYTES = 1 << 20;
    private static final long FIRST_RECHECK_MICROS = 200;
    private static final long MAX_RECHECK_MICROS = 50_000;
    private static final Object INACTIVE = new Object();

    private final long patienceNanos;
    private final List<Object> held = new ArrayList<>();
    private int heldBytes;
    private boolean pausedReading;
    private boolean releaseScheduled;
    private boolean released;
    private long holdingSince;
    private long recheckMicros = FIRST_RECHECK_MICROS;
    private ScheduledFuture<?> recheck;

    StreamHold(long patienceNanos) {
        this.patienceNanos = patienceNanos;
    }

    private void maybeRelease(ChannelHandlerContext ctx) {
        if (released || releaseScheduled || ctx.isRemoved()) {
            return;
        }
        boolean followed;
        synchronized (ctx.pipeline()) {
            followed = ctx.pipeline().last() != this;
        }
        if (followed) {
            releaseScheduled = true;
            ctx.executor().execute(() -> release(ctx));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (released) {
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
        if (released) {
            ctx.fireChannelReadComplete();
        } // else: release() fires one after the held reads
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (released) {
            ctx.fireUserEventTriggered(evt);
        } else {
            hold(ctx, new HeldEvent(evt));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (released) {
            ctx.fireChannelInactive();
        } else {
            held.add(INACTIVE);
            maybeRelease(ctx);
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        maybeRelease(ctx);
        ctx.read();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        maybeRelease(ctx);
    }

    private void hold(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
        if (!pausedReading) {
            pausedReading = true;
            holdingSince = System.nanoTime();
            ctx.channel().config().setAutoRead(false);
            scheduleRecheck(ctx);
        }
        maybeRelease(ctx);
    }

    private void scheduleRecheck(ChannelHandlerContext ctx) {
        recheck = ctx.executor()
                .schedule(
                        () -> {
                            recheck = null;
                            if (released
                                    || releaseScheduled
                                    || ctx.isRemoved()
                                    || !ctx.channel().isOpen()) {
                                return;
                            }
                            maybeRelease(ctx);
                            if (releaseScheduled) {
                                return;
                            }
                            if (System.nanoTime() - holdingSince > patienceNanos) {
                                log.debug(
                                        "{}: no handler was added to the stream within {} ms, closing",
                                        ctx.channel(),
                                        TimeUnit.NANOSECONDS.toMillis(patienceNanos));
                                dropHeld();
                                ctx.close();
                            } else {
                                recheckMicros = Math.min(MAX_RECHECK_MICROS, recheckMicros * 2);
                                scheduleRecheck(ctx);
                            }
                        },
                        recheckMicros,
                        TimeUnit.MICROSECONDS);
    }

    private void release(ChannelHandlerContext ctx) {
        if (released || ctx.isRemoved()) {
            return;
        }
        released = true;
        if (recheck != null) {
            recheck.cancel(false);
            recheck = null;
        }
        boolean reads = false;
        boolean inactive = false;
        for (Object o : held) {
            if (o == INACTIVE) {
                inactive = true;
            } else if (o instanceof HeldEvent e) {
                ctx.fireUserEventTriggered(e.event());
            } else {
                reads = true;
                ctx.fireChannelRead(o);
            }
        }
        held.clear();
        heldBytes = 0;
        if (reads) {
            ctx.fireChannelReadComplete();
        }
        if (inactive) {
            ctx.fireChannelInactive();
        } else if (pausedReading && ctx.channel().isOpen()) {
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
        held.forEach(o -> {
            if (o != INACTIVE) {
                ReferenceCountUtil.release(o);
            }
        });
        held.clear();
        heldBytes = 0;
    }

    private record HeldEvent(Object event) {}
}
