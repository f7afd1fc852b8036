package dev.hyperj.p2p.protocol.ping;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code /ipfs/ping/1.0.0}: echoes every 32 bytes it reads, for as many pings as the peer
 * sends. Bounded: it buffers at most one 32-byte ping, stops reading while its echoes cannot be
 * written (the peer does not read them), and closes a stream idle for longer than {@code idleTimeout}.
 */
final class PingResponder extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PingResponder.class);

    private final long idleTimeoutNanos;
    private ByteBuf pending;
    private long lastActivity;
    private ScheduledFuture<?> idleCheck;

    PingResponder(Duration idleTimeout) {
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        pending = ctx.alloc().buffer(Ping.PING_SIZE, Ping.PING_SIZE);
        lastActivity = System.nanoTime();
        scheduleIdleCheck(ctx, idleTimeoutNanos);
    }

    private void scheduleIdleCheck(ChannelHandlerContext ctx, long delayNanos) {
        idleCheck = ctx.executor()
                .schedule(
                        () -> {
                            long idle = System.nanoTime() - lastActivity;
                            if (idle >= idleTimeoutNanos) {
                                LOG.debug(
                                        "ping stream {} idle for {} ms, closing",
                                        ctx.channel(),
                                        TimeUnit.NANOSECONDS.toMillis(idle));
                                ctx.close();
                            } else {
                                scheduleIdleCheck(ctx, idleTimeoutNanos - idle);
                            }
                        },
                        delayNanos,
                        TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            lastActivity = System.nanoTime();
            while (in.isReadable() && pending != null) {
                int n = Math.min(in.readableBytes(), pending.writableBytes());
                pending.writeBytes(in, n);
                if (!pending.isWritable()) {
                    ctx.write(pending);
                    pending = ctx.alloc().buffer(Ping.PING_SIZE, Ping.PING_SIZE);
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false); // the peer is not reading its echoes
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.flush();
            ctx.close(); // the peer is done pinging: finish our side too
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("ping stream {} failed, closing: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
