package dev.hyperj.chain.rpc;

import dev.hyperj.chain.node.ChainNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over HTTP (POST) and WebSocket (upgrade on any path) on one port, Netty based.
 * Bounded: request bodies and WebSocket messages ({@link Limits#maxBodyBytes}), batch size,
 * subscriptions per connection, requests in flight (beyond: "server busy"), idle connections.
 * Requests run on virtual threads; responses are written back on the connection.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

    /** The server's bounds. */
    public record Limits(
            int maxBodyBytes,
            int maxBatch,
            int maxSubscriptionsPerConnection,
            int maxInFlight,
            int idleSeconds,
            int messageSeconds) {
        /** With the default 30 s for a message to arrive whole. */
        public Limits(
                int maxBodyBytes, int maxBatch, int maxSubscriptionsPerConnection, int maxInFlight, int idleSeconds) {
            this(maxBodyBytes, maxBatch, maxSubscriptionsPerConnection, maxInFlight, idleSeconds, 30);
        }

        public Limits {
            if (messageSeconds < 1 || idleSeconds < 1) {
                throw new IllegalArgumentException("idle and message deadlines must be at least 1 s");
            }
        }

        public static Limits defaults() {
            return new Limits(1 << 20, 100, 64, 512, 300, 30);
        }
    }

    private final RpcDispatcher dispatcher;
    private final Limits limits;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight;
    private final AtomicLong subscriptionIds = new AtomicLong();
    /**
     * Every open connection, closed explicitly on {@link #close}: shutting the event loops down
     * alone was seen to leave an accepted connection open (ESTABLISHED, requests unread), and
     * its client waiting for answers that never came.
     */
    private final io.netty.channel.group.ChannelGroup connections =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

    private RpcServer(ChainNode node, InetSocketAddress bind, Limits limits) throws InterruptedException {
        this.dispatcher = new RpcDispatcher(node, limits.maxBatch());
        this.limits = limits;
        this.inFlight = new Semaphore(limits.maxInFlight());
        this.group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(
                            io.netty.channel.ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new io.netty.channel.WriteBufferWaterMark(1 << 20, 16 << 20))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ChannelPipeline p = ch.pipeline();
                            p.addLast(new IdleStateHandler(0, 0, limits.idleSeconds(), TimeUnit.SECONDS) {
                                @Override
                                protected void channelIdle(
                                        ChannelHandlerContext ctx, io.netty.handler.timeout.IdleStateEvent evt) {
                                    ctx.close();
                                }
                            });
                            MessageDeadline deadline = new MessageDeadline(limits.messageSeconds());
                            p.addLast(deadline);
                            p.addLast(new HttpServerCodec(4096, 8192, 8192));
                            p.addLast(deadline.boundaries());
                            p.addLast(new BoundedAggregator(limits.maxBodyBytes()));
                            p.addLast(new HttpHandler());
                            p.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath("/")
                                    .checkStartsWith(true)
                                    .maxFramePayloadLength(limits.maxBodyBytes())
                                    .handleCloseFrames(true)
                                    .build()));
                            p.addLast(new WebSocketFrameAggregator(limits.maxBodyBytes()));
                            p.addLast(new WsHandler());
                        }
                    })
                    .bind(bind)
                    .sync()
                    .channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Serves {@code node} on {@code bind} (port 0 = any free port). */
    public static RpcServer start(ChainNode node, InetSocketAddress bind, Limits limits) {
        try {
            RpcServer s = new RpcServer(node, bind, limits);
            log.info("JSON-RPC (HTTP and WebSocket) on {}", s.address());
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + bind);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        workers.shutdownNow();
        try {
            // requests still running read the node: let them end before the caller closes it
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a request off the event loop; beyond maxInFlight, answers "server busy" at once. */
    private void run(Channel ch, String text, Session session, java.util.function.Consumer<String> reply) {
        if (!inFlight.tryAcquire()) {
            // answer with the request's id so that the caller's wait ends now rather than at its timeout
            com.fasterxml.jackson.databind.JsonNode id = null;
            try {
                id = ChainJson.mapper().readTree(text).get("id");
            } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
                // not JSON: the id stays null
            }
            reply.accept(RpcDispatcher.write(RpcDispatcher.error(
                    id,
                    new RpcException(
                            RpcException.SERVER_BUSY, "server busy: too many requests in flight; retry shortly"))));
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    List<Runnable> after = new ArrayList<>();
                    String resp = dispatcher.handle(text, session, after);
                    reply.accept(resp);
                    for (Runnable r : after) r.run();
                } catch (RuntimeException e) {
                    log.warn("request on {} failed: {}", ch.remoteAddress(), e.toString(), e);
                } finally {
                    inFlight.release();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.release();
        }
    }

    /** Answers an oversized body with a JSON-RPC error (HTTP 413) instead of Netty's empty one. */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        /** How long a refused client may go on sending its oversized body before we close. */
        private static final int OVERSIZED_DRAIN_SECONDS = 5;

        private final int max;

        BoundedAggregator(int max) {
            super(max);
            this.max = max;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            String body = RpcDispatcher.write(RpcDispatcher.error(
                    null, new RpcException(RpcException.INVALID_REQUEST, "request body exceeds " + max + " bytes")));
            FullHttpResponse r = response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, body);
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            // Closing at once would reset the connection while the client is still sending its
            // body (unread bytes turn close() into a TCP RST), and the client would lose the
            // answer. Half-close instead: the client reads the answer and EOF, the aggregator
            // discards the rest of the body, and the connection is closed when the client goes or
            // after a bound.
            ctx.writeAndFlush(r).addListener(f -> {
                if (ctx.channel() instanceof DuplexChannel duplex && f.isSuccess()) {
                    duplex.shutdownOutput();
                    ctx.executor().schedule(() -> ctx.close(), OVERSIZED_DRAIN_SECONDS, TimeUnit.SECONDS);
                } else {
                    ctx.close();
                }
            });
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body == null ? "" : body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return r;
    }

    private static final Session HTTP_SESSION = new Session() {
        public boolean supportsSubscriptions() {
            return false;
        }

        public String subscribe(AutoCloseable cancel) {
            throw new RpcException(RpcException.METHOD_NOT_FOUND, "subscriptions need a WebSocket connection");
        }

        public boolean unsubscribe(String id) {
            return false;
        }

        public void notify(String method, String id, Object result) {}
    };

    private final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        HttpHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                ctx.fireChannelRead(req); // to the WebSocket handshake
                return;
            }
            try {
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                if (!req.decoderResult().isSuccess()) {
                    write(ctx, response(HttpResponseStatus.BAD_REQUEST, ""), false);
                    return;
                }
                if (req.method().equals(HttpMethod.GET)) {
                    write(ctx, response(HttpResponseStatus.OK, "{\"status\":\"ok\"}"), keepAlive);
                    return;
                }
                if (!req.method().equals(HttpMethod.POST)) {
                    write(ctx, response(HttpResponseStatus.METHOD_NOT_ALLOWED, ""), keepAlive);
                    return;
                }
                String text = req.content().toString(StandardCharsets.UTF_8);
                run(
                        ctx.channel(),
                        text,
                        HTTP_SESSION,
                        resp -> write(ctx, response(HttpResponseStatus.OK, resp == null ? "" : resp), keepAlive));
            } finally {
                req.release();
            }
        }

        private void write(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
            if (keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(r);
            } else {
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Closes a connection whose HTTP request or WebSocket message does not arrive whole within
     * {@code seconds} of its first byte: the idle timeout alone lets a client trickle a byte a
     * second and hold the connection (and its buffers) for ever. Armed by the first bytes of a
     * message, disarmed by {@link #boundaries()}, which sits behind the HTTP (later WebSocket)
     * decoder and sees where each message ends.
     */
    private static final class MessageDeadline extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final int seconds;
        private io.netty.util.concurrent.ScheduledFuture<?> timer;

        MessageDeadline(int seconds) {
            this.seconds = seconds;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (timer == null) {
                timer = ctx.executor()
                        .schedule(
                                () -> {
                                    log.debug(
                                            "closing {}: a message took over {} s to arrive",
                                            ctx.channel().remoteAddress(),
                                            seconds);
                                    ctx.close();
                                },
                                seconds,
                                TimeUnit.SECONDS);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            disarm();
            ctx.fireChannelInactive();
        }

        void disarm() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        io.netty.channel.ChannelHandler boundaries() {
            return new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof io.netty.handler.codec.http.LastHttpContent
                            || msg instanceof io.netty.handler.codec.http.websocketx.WebSocketFrame f
                                    && f.isFinalFragment()) {
                        disarm();
                    }
                    ctx.fireChannelRead(msg);
                }
            };
        }
    }

    private final class WsHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> implements Session {
        private final Map<String, AutoCloseable> subscriptions = new ConcurrentHashMap<>();
        private volatile Channel channel;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame binary) {
                binary.release();
                // 1003: the endpoint cannot accept this type of data (RFC 6455, 7.4.1)
                ctx.writeAndFlush(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(
                                1003, "JSON-RPC is sent in text frames"))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                return;
            }
            super.channelRead(ctx, msg);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            run(ctx.channel(), frame.text(), this, resp -> {
                if (resp != null) ctx.channel().writeAndFlush(new TextWebSocketFrame(resp));
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            for (String id : List.copyOf(subscriptions.keySet())) unsubscribe(id);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("WebSocket connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }

        @Override
        public boolean supportsSubscriptions() {
            return true;
        }

        @Override
        public String subscribe(AutoCloseable cancel) {
            if (subscriptions.size() >= limits.maxSubscriptionsPerConnection()) {
                throw new RpcException(
                        RpcException.TOO_MANY_SUBSCRIPTIONS,
                        "too many subscriptions on this connection (max " + limits.maxSubscriptionsPerConnection()
                                + "); unsubscribe some first");
            }
            String id = Long.toString(subscriptionIds.incrementAndGet());
            subscriptions.put(id, cancel);
            return id;
        }

        @Override
        public boolean unsubscribe(String id) {
            AutoCloseable c = subscriptions.remove(id);
            if (c == null) return false;
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing subscription {} failed: {}", id, e.toString());
            }
            return true;
        }

        @Override
        public void notify(String method, String id, Object result) {
            Channel ch = channel;
            if (ch == null || !ch.isActive()) return;
            if (!ch.isWritable()) {
                // a subscriber that does not read its notifications must not grow our buffers without bound
                log.info("closing WebSocket {}: it does not keep up with its notifications", ch.remoteAddress());
                ch.close();
                return;
            }
            Map<String, Object> msg =
                    Map.of("jsonrpc", "2.0", "method", method, "params", Map.of("subscription", id, "result", result));
            try {
                ch.writeAndFlush(new TextWebSocketFrame(ChainJson.mapper().writeValueAsString(msg)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                log.warn("cannot serialize a {} notification: {}", method, e.toString());
            }
        }
    }
}
