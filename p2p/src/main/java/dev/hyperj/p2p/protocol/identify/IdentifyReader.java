package dev.hyperj.p2p.protocol.identify;

import dev.hyperj.p2p.proto.ProtoException;
import dev.hyperj.p2p.protocol.FrameException;
import dev.hyperj.p2p.protocol.Streams;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the length-prefixed Identify messages the peer writes on an identify (or push) stream until
 * it closes its side, at most {@link Identify#MAX_MESSAGES} of at most {@link Identify#MAX_MESSAGE_SIZE}
 * bytes each (behind a {@link dev.hyperj.p2p.protocol.VarintFrames} decoder), within a timeout; then
 * completes with their merge.
 */
final class IdentifyReader extends ChannelInboundHandlerAdapter {
    private final Duration timeout;
    private final CompletableFuture<IdentifyMessage> result;
    private final List<IdentifyMessage> messages = new ArrayList<>();
    private ScheduledFuture<?> deadline;

    IdentifyReader(Duration timeout, CompletableFuture<IdentifyMessage> result) {
        this.timeout = timeout;
        this.result = result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            if (messages.isEmpty()) {
                                fail(
                                        ctx,
                                        new IdentifyException(
                                                "no identify message within " + timeout.toMillis() + " ms"));
                            } else {
                                finish(ctx); // the peer sent its answer but did not close: take what we have
                            }
                        },
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
        if (!ctx.channel().isActive()) {
            finish(ctx);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        if (result.isDone()) {
            return;
        }
        try {
            messages.add(IdentifyMessage.decode(bytes));
        } catch (ProtoException e) {
            fail(ctx, new IdentifyException("malformed identify message: " + e.getMessage(), e));
            return;
        }
        if (messages.size() == Identify.MAX_MESSAGES) {
            finish(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            finish(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String why = cause instanceof FrameException ? cause.getMessage() : cause.toString();
        fail(ctx, new IdentifyException("identify stream failed: " + why, cause));
    }

    private void finish(ChannelHandlerContext ctx) {
        if (result.isDone()) {
            return;
        }
        deadline.cancel(false);
        if (messages.isEmpty()) {
            fail(ctx, new IdentifyException("identify stream ended without a message"));
            return;
        }
        result.complete(IdentifyMessage.merge(messages));
        ctx.close();
    }

    private void fail(ChannelHandlerContext ctx, IdentifyException e) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (result.completeExceptionally(e)) {
            Streams.abort(ctx.channel());
        }
    }
}
