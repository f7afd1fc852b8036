package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT's use of a libp2p stream (a Netty child channel once the protocol id is negotiated):
 * varint-length-prefixed {@link KadMessage}s, bounded by the codec's limits before any body is
 * buffered. Requesters write one request and read one response; responders answer every request
 * on the stream until the remote closes it (libp2p/specs kad-dht: "must handle additional RPC
 * request messages on an incoming stream"). Any malformed or oversized frame, or an idle stream,
 * closes the stream. Works on any Channel, so the host binding only negotiates and calls these.
 */
public final class KadStreams {
    private static final Logger log = LoggerFactory.getLogger(KadStreams.class);

    private KadStreams() {}

    /**
     * Serves DHT requests arriving on {@code stream} from {@code remote}; the stream is closed after
     * {@code idleTimeout} without a request, or at the first bad frame.
     */
    public static void serve(
            Channel stream, PeerInfo remote, DhtNetwork.InboundHandler handler, KadCodec codec, Duration idleTimeout) {
        stream.pipeline().addLast("kad-idle", new ReadTimeoutHandler(idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        stream.pipeline().addLast("kad-frames", new FrameDecoder(codec));
        stream.pipeline().addLast("kad-serve", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                KadMessage request = (KadMessage) msg;
                CompletableFuture<Optional<KadMessage>> answer;
                try {
                    answer = handler.handle(remote, request);
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
                answer.whenComplete((response, error) -> {
                    if (error != null) {
                        log.debug("DHT {} from {} refused: {}", request.type(), remote.id(), error.toString());
                        abort(ctx.channel());
                    } else if (response.isPresent()) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(codec.encodeFrame(response.get())));
                    }
                });
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    // the requester is done sending; close once pending answers are flushed
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ctx.close());
                }
                ctx.fireUserEventTriggered(evt);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                log.debug("resetting DHT stream from {}: {}", remote.id(), cause.toString());
                abort(ctx.channel());
            }
        });
    }

    /**
     * Writes {@code request} on {@code stream}; completes with the first response frame (then closes
     * the stream), or, when {@code expectResponse} is false, once the request is written. Fails if
     * the stream closes first, a frame is bad, or {@code timeout} passes.
     */
    public static CompletableFuture<KadMessage> request(
            Channel stream, KadMessage request, KadCodec codec, boolean expectResponse, Duration timeout) {
        CompletableFuture<KadMessage> out = new CompletableFuture<>();
        byte[] frame;
        try {
            frame = codec.encodeFrame(request);
        } catch (KadProtocolException e) {
            stream.close();
            return CompletableFuture.failedFuture(e);
        }
        if (expectResponse) {
            stream.pipeline().addLast("kad-idle", new ReadTimeoutHandler(timeout.toMillis(), TimeUnit.MILLISECONDS));
            stream.pipeline().addLast("kad-frames", new FrameDecoder(codec));
            stream.pipeline().addLast("kad-response", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    out.complete((KadMessage) msg);
                    ctx.close();
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    out.completeExceptionally(new IOException("DHT stream closed before the response"));
                    ctx.fireChannelInactive();
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    out.completeExceptionally(cause);
                    abort(ctx.channel());
                }
            });
        }
        stream.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(f -> {
            if (!f.isSuccess()) {
                out.completeExceptionally(f.cause());
                stream.close();
            } else if (!expectResponse) {
                out.complete(null);
                stream.close();
            }
        });
        return out;
    }

    /** libp2p/specs kad-dht: "On any error, the stream is reset" (a muxed stream), else closed. */
    static void abort(Channel stream) {
        if (stream instanceof MuxedStream m) {
            m.reset();
        } else {
            stream.close();
        }
    }

    /** Splits a stream into bounded frames and decodes them; KadProtocolException on bad input. */
    static final class FrameDecoder extends ByteToMessageDecoder {
        private final KadCodec codec;

        FrameDecoder(KadCodec codec) {
            this.codec = codec;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int available = in.readableBytes();
            byte[] head = new byte[Math.min(available, 5)];
            in.getBytes(in.readerIndex(), head);
            int[] lengthAndPrefix = codec.readLengthPrefix(head, 0, head.length); // throws over the limit
            if (lengthAndPrefix == null || available < lengthAndPrefix[1] + lengthAndPrefix[0]) {
                return; // wait for the rest; at most the limit gets buffered
            }
            in.skipBytes(lengthAndPrefix[1]);
            byte[] body = new byte[lengthAndPrefix[0]];
            in.readBytes(body);
            out.add(codec.decode(body));
        }
    }
}
