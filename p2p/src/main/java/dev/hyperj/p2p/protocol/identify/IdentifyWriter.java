package dev.hyperj.p2p.protocol.identify;

import dev.hyperj.p2p.protocol.VarintFrames;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes our Identify message(s), length-prefixed, then closes the stream; ignores what the peer sends. */
final class IdentifyWriter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(IdentifyWriter.class);

    private final List<IdentifyMessage> messages;

    IdentifyWriter(List<IdentifyMessage> messages) {
        this.messages = messages;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        for (IdentifyMessage m : messages) {
            ctx.write(VarintFrames.encode(ctx.alloc(), m.encode()));
        }
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        io.netty.util.ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("identify stream {} failed while answering: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
