package dev.hyperj.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

/** Stream handlers used by the muxer tests. */
final class TestHandlers {
    private TestHandlers() {}

    /** Echoes everything back, with back-pressure, and half-closes when the remote does. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
            if (!ctx.channel().isWritable()) {
                ctx.flush();
                // The flush may have made it writable again already (its event came and went).
                if (!ctx.channel().isWritable()) ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) ctx.channel().config().setAutoRead(true);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                ctx.flush();
                ((MuxedStream) ctx.channel()).closeWrite();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Result of reading a stream to its end. */
    record Received(long bytes, long crc, byte[] data, boolean eof) {}

    /** Reads a stream to EOF (or close), keeping a CRC, a count and (if asked) the bytes. */
    static final class Collector extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Received> done = new CompletableFuture<>();
        final CompletableFuture<Void> resetSeen = new CompletableFuture<>();
        private final CRC32 crc = new CRC32();
        private final ByteArrayOutputStream data;
        private long bytes;

        Collector(boolean keepData) {
            data = keepData ? new ByteArrayOutputStream() : null;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                bytes += b.readableBytes();
                crc.update(b.nioBuffer());
                if (data != null) {
                    byte[] a = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), a);
                    data.writeBytes(a);
                }
            } finally {
                b.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownReadComplete.INSTANCE) done.complete(result(true));
            if (evt == StreamResetEvent.INSTANCE) resetSeen.complete(null);
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.complete(result(false));
            ctx.fireChannelInactive();
        }

        private Received result(boolean eof) {
            return new Received(bytes, crc.getValue(), data == null ? null : data.toByteArray(), eof);
        }
    }

    /**
     * Writes {@code total} pseudo-random bytes in chunks while the channel is writable, resumes on
     * writability changes, then half-closes. {@code sent} completes with the CRC of what was written.
     */
    static final class Sender extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Long> sent = new CompletableFuture<>();
        final CRC32 crc = new CRC32();
        private final long total;
        private final int chunk;
        private final SplittableRandom random;
        private final boolean closeWhenDone;
        long written;
        long unwritableEvents;

        Sender(long total, int chunk, long seed, boolean closeWhenDone) {
            this.total = total;
            this.chunk = chunk;
            this.random = new SplittableRandom(seed);
            this.closeWhenDone = closeWhenDone;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) ctx.executor().execute(() -> pump(ctx));
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) pump(ctx);
            else unwritableEvents++;
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            while (written < total && ch.isWritable()) {
                int n = (int) Math.min(chunk, total - written);
                byte[] a = new byte[n];
                random.nextBytes(a);
                crc.update(a);
                written += n;
                ctx.write(Unpooled.wrappedBuffer(a)).addListener(f -> {
                    if (!f.isSuccess()) sent.completeExceptionally(f.cause());
                });
                if (written % (4 * chunk) == 0) ctx.flush();
            }
            ctx.flush();
            if (written == total && !sent.isDone()) {
                if (closeWhenDone) {
                    ((MuxedStream) ch).closeWrite().addListener(f -> {
                        if (f.isSuccess()) sent.complete(crc.getValue());
                        else sent.completeExceptionally(f.cause());
                    });
                } else {
                    sent.complete(crc.getValue());
                }
            }
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] a = new byte[n];
        new SplittableRandom(seed).nextBytes(a);
        return a;
    }
}
