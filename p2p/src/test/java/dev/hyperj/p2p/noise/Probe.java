package dev.hyperj.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** The application end of a test connection: records the session, the first error and what arrives. */
final class Probe extends ChannelInboundHandlerAdapter {
    final CompletableFuture<SecureSession> session = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final AtomicLong received = new AtomicLong();
    final AtomicLong maxChunk = new AtomicLong();
    private final MessageDigest digest = sha256();
    private final long expectedBytes;
    final CompletableFuture<byte[]> digestWhenComplete = new CompletableFuture<>();
    volatile Channel channel;

    Probe(long expectedBytes) {
        this.expectedBytes = expectedBytes;
    }

    Probe() {
        this(-1);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.channel().closeFuture().addListener(f -> closed.complete(null));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SecureSession s) {
            session.complete(s);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            int n = buf.readableBytes();
            maxChunk.accumulateAndGet(n, Math::max);
            synchronized (digest) {
                digest.update(buf.nioBuffer());
            }
            if (received.addAndGet(n) == expectedBytes) {
                synchronized (digest) {
                    digestWhenComplete.complete(digest.digest());
                }
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        error.complete(cause);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
