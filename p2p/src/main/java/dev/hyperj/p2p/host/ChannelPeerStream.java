package dev.hyperj.p2p.host;

import dev.hyperj.p2p.mux.MuxedStream;
import dev.hyperj.p2p.mux.StreamResetEvent;
import dev.hyperj.p2p.mux.StreamResetException;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@link PeerStream} over a stream channel. Its reader sits at the end of the channel's pipeline:
 * at once for a stream opened without a handler (so no byte is lost), on the first {@link #read()}
 * otherwise. The reader copies what arrives into a queue, touched only on the channel's event loop.
 */
final class ChannelPeerStream implements PeerStream {
    private final Channel channel;
    private final StreamInfo info;
    private final Reader reader = new Reader();
    private final AtomicBoolean readerAdded = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private ChannelPeerStream(Channel channel, StreamInfo info) {
        this.channel = channel;
        this.info = info;
        channel.closeFuture().addListener(f -> closed.complete(null));
    }

    /** A stream whose pipeline a protocol handler owns; reading starts with the first read. */
    static ChannelPeerStream of(Channel channel, StreamInfo info) {
        return new ChannelPeerStream(channel, info);
    }

    /** A stream read through {@link #read()} from its first byte; call on the channel's event loop. */
    static ChannelPeerStream reading(Channel channel, StreamInfo info) {
        ChannelPeerStream s = new ChannelPeerStream(channel, info);
        s.addReader();
        return s;
    }

    private void addReader() {
        if (readerAdded.compareAndSet(false, true)) channel.pipeline().addLast("peer-stream-reader", reader);
    }

    @Override
    public PeerId remotePeer() {
        return info.remotePeer();
    }

    @Override
    public String protocol() {
        return info.protocol();
    }

    @Override
    public CompletableFuture<Void> write(byte[] bytes) {
        return future(channel.writeAndFlush(Unpooled.copiedBuffer(bytes)));
    }

    @Override
    public CompletableFuture<Optional<byte[]>> read() {
        addReader();
        return onLoop(reader::next);
    }

    @Override
    public CompletableFuture<Void> closeWrite() {
        return future(((MuxedStream) channel).closeWrite());
    }

    @Override
    public CompletableFuture<Void> close() {
        return future(channel.close());
    }

    @Override
    public void reset() {
        ((MuxedStream) channel).reset();
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed.copy();
    }

    @Override
    public String toString() {
        return "PeerStream(" + info.protocol() + " with " + info.remotePeer() + ")";
    }

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> task) {
        if (channel.eventLoop().inEventLoop()) return task.get();
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            channel.eventLoop()
                    .execute(() -> task.get().whenComplete((v, e) -> {
                        if (e != null) f.completeExceptionally(e);
                        else f.complete(v);
                    }));
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new StreamResetException("stream closed: its event loop stopped"));
        }
        return f;
    }

    private static CompletableFuture<Void> future(ChannelFuture cf) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        cf.addListener(x -> {
            if (x.isSuccess()) f.complete(null);
            else f.completeExceptionally(x.cause());
        });
        return f;
    }

    /** Queues what the pipeline passes on; pauses reading while the queue is full. Event loop only. */
    private final class Reader extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private int queued;
        private boolean ended;
        private Throwable failure;
        private CompletableFuture<Optional<byte[]>> pending;

        CompletableFuture<Optional<byte[]>> next() {
            if (pending != null) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("a read of " + ChannelPeerStream.this + " is already pending"));
            }
            byte[] head = queue.poll();
            if (head != null) {
                queued -= head.length;
                if (!channel.config().isAutoRead() && queued < MAX_BUFFERED_BYTES / 2) {
                    channel.config().setAutoRead(true);
                }
                return CompletableFuture.completedFuture(Optional.of(head));
            }
            if (failure != null) return CompletableFuture.failedFuture(failure);
            if (ended || !channel.isActive()) return CompletableFuture.completedFuture(Optional.empty());
            pending = new CompletableFuture<>();
            return pending;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            byte[] bytes;
            try {
                bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
            } finally {
                buf.release();
            }
            if (bytes.length == 0) return;
            if (pending != null) {
                CompletableFuture<Optional<byte[]>> p = pending;
                pending = null;
                p.complete(Optional.of(bytes));
                return;
            }
            queue.add(bytes);
            queued += bytes.length;
            if (queued >= MAX_BUFFERED_BYTES) ctx.channel().config().setAutoRead(false);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                end(null);
            } else if (evt instanceof StreamResetEvent) {
                end(new StreamResetException("stream reset by " + info.remotePeer()));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            end(null);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            end(cause);
            ctx.close();
        }

        private void end(Throwable cause) {
            if (cause != null && failure == null && !ended) failure = cause;
            ended = true;
            if (pending != null && queue.isEmpty()) {
                CompletableFuture<Optional<byte[]>> p = pending;
                pending = null;
                if (failure != null) p.completeExceptionally(failure);
                else p.complete(Optional.empty());
            }
        }
    }
}
