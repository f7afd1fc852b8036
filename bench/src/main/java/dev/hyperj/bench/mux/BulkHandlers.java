package dev.hyperj.bench.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.concurrent.CompletableFuture;

/** A sender that pumps a shared payload while the channel is writable, and a counting sink. */
final class BulkHandlers {
    private BulkHandlers() {}

    /** Writes {@code total} bytes as duplicates of one payload buffer (no data generation cost). */
    static final class Pump extends ChannelInboundHandlerAdapter {
        private final ByteBuf payload;
        private final long total;
        private final boolean halfClose;
        private long written;
        private ChannelHandlerContext ctx;

        Pump(ByteBuf payload, long total, boolean halfClose) {
            this.payload = payload;
            this.total = total;
            this.halfClose = halfClose;
        }

        /** Starts pumping as soon as it is in the pipeline (on the event loop). */
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            ctx.executor().execute(this::pump);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) pump();
            ctx.fireChannelWritabilityChanged();
        }

        private void pump() {
            if (written >= total) return;
            while (written < total && ctx.channel().isWritable()) {
                int n = (int) Math.min(payload.readableBytes(), total - written);
                ctx.write(payload.retainedSlice(payload.readerIndex(), n), ctx.voidPromise());
                written += n;
            }
            ctx.flush();
            if (written >= total && halfClose) ((dev.hyperj.p2p.mux.MuxedStream) ctx.channel()).closeWrite();
        }
    }

    /** Counts bytes; completes when {@code expected} bytes arrived (raw) or at EOF (streams). */
    static final class Sink extends ChannelInboundHandlerAdapter {
        volatile CompletableFuture<Long> done = new CompletableFuture<>();
        volatile long expected = Long.MAX_VALUE;
        private long received;

        void expect(long bytes) {
            received = 0;
            expected = bytes;
            done = new CompletableFuture<>();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            received += b.readableBytes();
            b.release();
            if (received >= expected) done.complete(received);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                done.complete(received);
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
