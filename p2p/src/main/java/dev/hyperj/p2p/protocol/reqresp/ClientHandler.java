package dev.hyperj.p2p.protocol.reqresp;

import static dev.hyperj.p2p.protocol.reqresp.RequestResponseException.Reason;

import dev.hyperj.p2p.multistream.MultistreamException;
import dev.hyperj.p2p.mux.MuxedStream;
import dev.hyperj.p2p.protocol.FrameException;
import dev.hyperj.p2p.protocol.Streams;
import dev.hyperj.p2p.protocol.VarintFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The asking side of one request stream: writes the request, completes with the response, closes. */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final byte[] request;
    private final long timeoutNanos;
    private final CompletableFuture<byte[]> result;
    private ScheduledFuture<?> deadline;

    /** {@code timeoutNanos}: what is left of the request's timeout once the stream is open. */
    ClientHandler(byte[] request, long timeoutNanos, CompletableFuture<byte[]> result) {
        this.request = request;
        this.timeoutNanos = timeoutNanos;
        this.result = result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor()
                .schedule(
                        () -> fail(ctx, new RequestResponseException(Reason.TIMEOUT, "no response within the timeout")),
                        Math.max(0, timeoutNanos),
                        TimeUnit.NANOSECONDS);
        if (!ctx.channel().isActive()) {
            fail(ctx, new RequestResponseException(Reason.NO_RESPONSE, "stream closed before the request was sent"));
            return;
        }
        ctx.writeAndFlush(VarintFrames.encode(ctx.alloc(), request)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(ctx, new RequestResponseException(Reason.SEND_FAILED, "could not write the request", f.cause()));
            } else if (ctx.channel() instanceof MuxedStream stream) {
                stream.closeWrite(); // one request per stream: the peer may read to the end (as rust-libp2p's codecs
                // do)
            }
        });
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
        byte[] response = ByteBufUtil.getBytes(frame);
        frame.release();
        deadline.cancel(false);
        if (result.complete(response)) {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            fail(
                    ctx,
                    new RequestResponseException(Reason.NO_RESPONSE, "the peer closed the stream without a response"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new RequestResponseException(Reason.NO_RESPONSE, "the stream closed without a response"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FrameException fe) {
            fail(ctx, new RequestResponseException(Reason.BAD_FRAME, fe.getMessage(), fe));
        } else if (cause instanceof MultistreamException me) {
            // a lazily negotiated stream learns only now whether the peer speaks the protocol; a
            // reset before its answer may refuse the protocol or the request: no response, then
            fail(
                    ctx,
                    new RequestResponseException(
                            me.refused() ? Reason.STREAM_FAILED : Reason.NO_RESPONSE, me.getMessage(), me));
        } else {
            fail(ctx, new RequestResponseException(Reason.NO_RESPONSE, "stream failed: " + cause, cause));
        }
    }

    private void fail(ChannelHandlerContext ctx, RequestResponseException e) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (result.completeExceptionally(e)) {
            Streams.abort(ctx.channel());
        }
    }
}
