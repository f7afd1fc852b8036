package dev.hyperj.p2p.interop;

import dev.hyperj.p2p.host.ProtocolHandler;
import dev.hyperj.p2p.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Bulk transfer over one stream, as the js peer's sink and discard protocols: the sender writes
 * N bytes with back-pressure and half-closes; the receiver reads to the end and answers a digest
 * (SHA-256 for /hyperj/sink/1.0.0, the count as 8 bytes for /hyperj/discard/1.0.0).
 */
public final class Bulk {
    static final String SINK = "/hyperj/sink/1.0.0";
    public static final String DISCARD = "/hyperj/discard/1.0.0";
    static final String ECHO = "/hyperj/echo/1.0.0";
    private static final int CHUNK = 64 * 1024;
    /** What senders send: a 1 MiB pseudo-random block, repeated. */
    private static final byte[] BLOCK = new byte[1 << 20];

    static {
        new Random(0x9e3779b9L).nextBytes(BLOCK);
    }

    private Bulk() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of the first {@code bytes} bytes a sender sends. */
    static byte[] expectedSha256(long bytes) {
        MessageDigest md = sha256();
        for (long sent = 0; sent < bytes; ) {
            int off = (int) (sent % BLOCK.length);
            int n = (int) Math.min(BLOCK.length - off, bytes - sent);
            md.update(BLOCK, off, n);
            sent += n;
        }
        return md.digest();
    }

    /** The receiving side: SHA-256 ({@code hash}) or byte count of everything read, answered at EOF. */
    public static ProtocolHandler receiver(boolean hash) {
        return (stream, info) -> stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            private final MessageDigest md = hash ? sha256() : null;
            private long count;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                count += b.readableBytes();
                if (md != null) {
                    ByteBuffer[] parts = b.nioBuffers();
                    for (ByteBuffer p : parts) {
                        md.update(p);
                    }
                }
                b.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    byte[] answer = md != null
                            ? md.digest()
                            : ByteBuffer.allocate(8).putLong(count).array();
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(f -> ctx.close());
                }
                ctx.fireUserEventTriggered(evt);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }

    /**
     * The sending side, as the handler to open the stream with: writes {@code bytes} with
     * back-pressure, half-closes, and completes {@code answer} with everything the peer sent back.
     */
    public static ProtocolHandler sender(long bytes, CompletableFuture<byte[]> answer) {
        return (stream, info) -> stream.pipeline().addLast(new Sender(bytes, answer));
    }

    private static final class Sender extends ChannelInboundHandlerAdapter {
        private final long bytes;
        private final CompletableFuture<byte[]> answer;
        private final ByteBuf block = Unpooled.wrappedBuffer(BLOCK);
        private final ByteBuf received = Unpooled.buffer();
        private long sent;
        private boolean closedWrite;

        Sender(long bytes, CompletableFuture<byte[]> answer) {
            this.bytes = bytes;
            this.answer = answer;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(true);
            pump(ctx);
        }

        private void pump(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            while (sent < bytes && ch.isWritable()) {
                int off = (int) (sent % BLOCK.length);
                int n = (int) Math.min(Math.min(CHUNK, BLOCK.length - off), bytes - sent);
                ctx.write(block.retainedSlice(off, n));
                sent += n;
            }
            ctx.flush();
            if (sent == bytes && !closedWrite) {
                closedWrite = true;
                ((MuxedStream) ch).closeWrite();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                pump(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            if (received.readableBytes() + b.readableBytes() <= 1024) {
                received.writeBytes(b);
            }
            b.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                answer.complete(ByteBufUtil.getBytes(received));
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.complete(ByteBufUtil.getBytes(received));
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            block.release();
            received.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer.completeExceptionally(cause);
            ctx.close();
        }
    }
}
