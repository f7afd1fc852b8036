package dev.hyperj.p2p.protocol.ping;

import dev.hyperj.p2p.multistream.MultistreamException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends {@code count} pings one after the other on one stream, each 32 fresh random bytes, and
 * measures the time until the same bytes come back. Completes with the round-trip times, then
 * closes the stream.
 */
final class PingInitiator extends ChannelInboundHandlerAdapter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int count;
    private final Duration timeout;
    private final CompletableFuture<List<Duration>> result;
    private final List<Duration> rtts = new ArrayList<>();
    private final byte[] sent = new byte[Ping.PING_SIZE];
    private final byte[] received = new byte[Ping.PING_SIZE];
    private int receivedLength;
    private long sentAt;
    private ScheduledFuture<?> timer;

    PingInitiator(int count, Duration timeout, CompletableFuture<List<Duration>> result) {
        this.count = count;
        this.timeout = timeout;
        this.result = result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            sendNext(ctx);
        } else {
            fail(ctx, new PingException("ping stream closed before the first ping"));
        }
    }

    private void sendNext(ChannelHandlerContext ctx) {
        RANDOM.nextBytes(sent);
        receivedLength = 0;
        timer = ctx.executor()
                .schedule(
                        () -> fail(ctx, new PingException("no pong within " + timeout.toMillis() + " ms")),
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
        sentAt = System.nanoTime();
        ctx.writeAndFlush(ctx.alloc().buffer(Ping.PING_SIZE).writeBytes(sent)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(ctx, new PingException("could not send ping", f.cause()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && !result.isDone()) {
                int n = Math.min(in.readableBytes(), Ping.PING_SIZE - receivedLength);
                if (n == 0) {
                    fail(ctx, new PingException("peer sent bytes nobody asked for"));
                    return;
                }
                in.readBytes(received, receivedLength, n);
                receivedLength += n;
                if (receivedLength == Ping.PING_SIZE) {
                    long rtt = System.nanoTime() - sentAt;
                    timer.cancel(false);
                    if (!Arrays.equals(sent, received)) {
                        fail(
                                ctx,
                                new PingException("pong " + ByteBufUtil.hexDump(received) + " does not match ping "
                                        + ByteBufUtil.hexDump(sent)));
                        return;
                    }
                    rtts.add(Duration.ofNanos(rtt));
                    if (rtts.size() == count) {
                        result.complete(List.copyOf(rtts));
                        ctx.close();
                    } else {
                        sendNext(ctx);
                    }
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            fail(
                    ctx,
                    new PingException("peer closed the ping stream after " + rtts.size() + " of " + count + " pongs"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new PingException("ping stream closed after " + rtts.size() + " of " + count + " pongs"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(
                ctx,
                cause instanceof MultistreamException
                        ? new PingException(
                                "no ping stream: " + cause.getMessage(), cause) // lazily negotiated: the peer said na
                        : new PingException("ping stream failed: " + cause.getMessage(), cause));
    }

    private void fail(ChannelHandlerContext ctx, PingException e) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (result.completeExceptionally(e)) {
            ctx.close();
        }
    }
}
