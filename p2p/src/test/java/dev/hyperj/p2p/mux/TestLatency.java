package dev.hyperj.p2p.mux;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/** Delays every inbound message by a fixed time, in order: a long-latency link on loopback. */
final class TestLatency extends ChannelInboundHandlerAdapter {
    private final long delayMillis;

    TestLatency(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.executor()
                .schedule(
                        () -> {
                            ctx.fireChannelRead(msg);
                            ctx.fireChannelReadComplete();
                        },
                        delayMillis,
                        TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // fired with each delayed message instead
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> ctx.fireChannelInactive(), delayMillis + 1, TimeUnit.MILLISECONDS);
    }
}
