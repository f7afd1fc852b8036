package dev.hyperj.subnet.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server on Netty's codec for one {@link ApiHandler} (the node's network API, the
 * dashboard, a metrics endpoint). Everything is bounded by {@link ApiServerConfig}: connections,
 * header and body sizes, the time a request may take to arrive and to be handled, requests in
 * flight, idle connections. Refusals have the one error shape of {@link ApiResponse#error} and are
 * counted by reason ({@link #refusals()}). Handlers run on virtual threads. Paths registered with
 * {@link #stream} are Server-Sent Event streams.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final int SSE_PING_SECONDS = 15;

    private final ApiServerConfig config;
    private final ApiHandler handler;
    private final Map<String, EventSource> streams = new ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("api-handler-", 0).factory());
    private final Semaphore inFlight;
    private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    private final byte[] tokenBytes;

    private ApiServer(ApiServerConfig config, ApiHandler handler) throws InterruptedException {
        this.config = config;
        this.handler = handler;
        this.inFlight = new Semaphore(config.maxInFlight());
        this.tokenBytes = config.token()
                .map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8))
                .orElse(null);
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 4 << 20))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (open.incrementAndGet() > config.maxConnections()) {
                                open.decrementAndGet();
                                refused("connections");
                                ch.close();
                                return;
                            }
                            ch.closeFuture().addListener(f -> open.decrementAndGet());
                            connections.add(ch);
                            ChannelPipeline p = ch.pipeline();
                            p.addLast(
                                    new IdleStateHandler(
                                            0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS) {
                                        @Override
                                        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                                            ctx.close();
                                        }
                                    });
                            p.addLast(new HttpServerCodec(4096, config.maxHeaderBytes(), 8192));
                            p.addLast(new RequestDeadline());
                            p.addLast(new BoundedAggregator(config.maxBodyBytes()));
                            p.addLast(new Dispatcher());
                        }
                    })
                    .bind(config.bind())
                    .sync()
                    .channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Serves {@code handler} as {@code config} says.
     *
     * @throws IllegalStateException if the address cannot be bound (in use, not local)
     */
    public static ApiServer start(ApiServerConfig config, ApiHandler handler) {
        try {
            return new ApiServer(config, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + config.bind());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + config.bind() + ": " + e.getMessage(), e);
        }
    }

    /** Makes {@code GET path} a Server-Sent Events stream of {@code source}. */
    public ApiServer stream(String path, EventSource source) {
        streams.put(path, source);
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** {@code http://host:port} of the server. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + a.getPort();
    }

    /** Open connections now. */
    public int openConnections() {
        return open.get();
    }

    /** Requests being handled now. */
    public int inFlight() {
        return config.maxInFlight() - inFlight.availablePermits();
    }

    /** Refusals so far by reason: address, token, body_size, header_size, slow_request, busy, timeout, connections, bad_request. */
    public Map<String, Long> refusals() {
        Map<String, Long> m = new LinkedHashMap<>();
        refusals.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private void refused(String reason) {
        refusals.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ writing

    private static FullHttpResponse toNetty(ApiResponse r) {
        ByteBuf content = Unpooled.wrappedBuffer(r.body());
        FullHttpResponse out =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), content);
        r.headers().forEach((k, v) -> out.headers().set(k, v));
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return out;
    }

    private static void write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        FullHttpResponse out = toNetty(r);
        if (keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(out);
        } else {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Answers and then half-closes: closing at once while the client is still sending would turn
     * into a TCP reset and the client would lose the answer.
     */
    private static void refuseAndClose(ChannelHandlerContext ctx, ApiResponse r) {
        FullHttpResponse out = toNetty(r);
        out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(out).addListener(f -> {
            if (ctx.channel() instanceof DuplexChannel d && f.isSuccess()) {
                d.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), 2, TimeUnit.SECONDS);
            } else {
                ctx.close();
            }
        });
    }

    // ------------------------------------------------------------------ pipeline

    /** Bounds the time from a request's first line to its last byte (a slow-body client is answered 408). */
    private final class RequestDeadline extends ChannelDuplexHandler {
        private ScheduledFuture<?> pending;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest && pending == null) {
                pending = ctx.executor()
                        .schedule(
                                () -> {
                                    pending = null;
                                    refused("slow_request");
                                    ctx.pipeline().remove(BoundedAggregator.class);
                                    refuseAndClose(
                                            ctx,
                                            ApiResponse.error(
                                                    408,
                                                    "request_timeout",
                                                    "the request did not arrive within "
                                                            + config.requestTimeout()
                                                                    .toMillis() + " ms"));
                                },
                                config.requestTimeout().toMillis(),
                                TimeUnit.MILLISECONDS);
            }
            if (msg instanceof LastHttpContent && pending != null) {
                pending.cancel(false);
                pending = null;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null) pending.cancel(false);
            ctx.fireChannelInactive();
        }
    }

    /** Answers an oversized body with 413 in the one error shape instead of Netty's empty answer. */
    private final class BoundedAggregator extends HttpObjectAggregator {
        BoundedAggregator(int max) {
            super(max);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            refused("body_size");
            refuseAndClose(
                    ctx,
                    ApiResponse.error(
                            413, "body_too_large", "the request body exceeds " + config.maxBodyBytes() + " bytes"));
        }
    }

    private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        Dispatcher() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            try {
                serve(ctx, req);
            } finally {
                req.release();
            }
        }

        private void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!req.decoderResult().isSuccess()) {
                Throwable cause = req.decoderResult().cause();
                if (cause instanceof TooLongFrameException
                        && String.valueOf(cause.getMessage()).contains("header")) {
                    refused("header_size");
                    refuseAndClose(
                            ctx,
                            ApiResponse.error(
                                    431,
                                    "headers_too_large",
                                    "the headers exceed " + config.maxHeaderBytes() + " bytes"));
                } else {
                    refused("bad_request");
                    refuseAndClose(ctx, ApiResponse.error(400, "bad_request", "malformed HTTP request"));
                }
                return;
            }
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            if (!config.allow().allows(remote.getAddress())) {
                refused("address");
                refuseAndClose(
                        ctx,
                        ApiResponse.error(
                                403,
                                "address_not_allowed",
                                remote.getAddress().getHostAddress() + " is not in the API's allow-list"));
                return;
            }
            if (tokenBytes != null) {
                String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
                if (auth == null || !MessageDigest.isEqual(tokenBytes, auth.getBytes(StandardCharsets.UTF_8))) {
                    refused("token");
                    write(
                            ctx,
                            ApiResponse.error(
                                            401,
                                            "unauthorized",
                                            auth == null
                                                    ? "this API needs Authorization: Bearer <token>"
                                                    : "the bearer token is not valid")
                                    .withHeader("www-authenticate", "Bearer"),
                            keepAlive);
                    return;
                }
            }
            QueryStringDecoder qs = new QueryStringDecoder(req.uri());
            String path = qs.path();
            String method = req.method().name().toUpperCase(Locale.ROOT);
            EventSource stream = streams.get(path);
            if (stream != null && method.equals("GET")) {
                openStream(ctx, stream);
                return;
            }
            Map<String, String> query = new LinkedHashMap<>();
            qs.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> h : req.headers()) {
                headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
            }
            ApiRequest request =
                    new ApiRequest(method, path, query, headers, ByteBufUtil.getBytes(req.content()), remote);
            if (!inFlight.tryAcquire()) {
                refused("busy");
                write(ctx, ApiResponse.error(503, "busy", "too many requests in flight; retry shortly"), keepAlive);
                return;
            }
            CompletableFuture<ApiResponse> answer = new CompletableFuture<>();
            java.util.concurrent.Future<?> task;
            try {
                task = workers.submit(() -> answer.complete(call(request)));
            } catch (java.util.concurrent.RejectedExecutionException e) { // closing
                inFlight.release();
                ctx.close();
                return;
            }
            answer.orTimeout(config.handlerTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((r, e) -> {
                        inFlight.release();
                        if (e != null) {
                            task.cancel(true); // interrupts the handler: it must not run on unseen
                            if (e instanceof TimeoutException) {
                                refused("timeout");
                                r = ApiResponse.error(
                                        504,
                                        "handler_timeout",
                                        "no answer within "
                                                + config.handlerTimeout().toMillis() + " ms");
                            } else {
                                r = ApiResponse.error(500, "internal", "the request failed inside the node");
                            }
                        }
                        ApiResponse out = r;
                        ctx.executor().execute(() -> write(ctx, out, keepAlive));
                    });
        }

        private ApiResponse call(ApiRequest request) {
            try {
                ApiResponse r = handler.handle(request);
                return r == null ? ApiResponse.error(500, "internal", "the handler gave no answer") : r;
            } catch (ApiException e) {
                return e.toResponse();
            } catch (Exception e) {
                log.warn("API {} {} failed: {}", request.method(), request.path(), e.toString());
                return ApiResponse.error(500, "internal", "the request failed inside the node");
            }
        }

        private void openStream(ChannelHandlerContext ctx, EventSource source) {
            Channel ch = ctx.channel();
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.writeAndFlush(head);
            AutoCloseable sub;
            try {
                sub = source.subscribe(data -> send(ch, "data: " + data.replace("\n", "\ndata: ") + "\n\n"));
            } catch (RuntimeException e) {
                log.warn("event stream failed to start: {}", e.toString());
                ch.close();
                return;
            }
            ScheduledFuture<?> ping = ch.eventLoop()
                    .scheduleAtFixedRate(
                            () -> send(ch, ": ping\n\n"), SSE_PING_SECONDS, SSE_PING_SECONDS, TimeUnit.SECONDS);
            ch.closeFuture().addListener(f -> {
                ping.cancel(false);
                try {
                    sub.close();
                } catch (Exception e) {
                    log.debug("closing an event subscription failed: {}", e.toString());
                }
            });
        }

        private void send(Channel ch, String text) {
            if (!ch.isActive()) return;
            if (!ch.isWritable()) { // a client that does not read must not grow our buffers
                ch.close();
                return;
            }
            ch.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("API connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** For tests and tools: the refusal reasons this server counts. */
    public static List<String> refusalReasons() {
        return List.of(
                "address",
                "token",
                "body_size",
                "header_size",
                "slow_request",
                "busy",
                "timeout",
                "connections",
                "bad_request");
    }
}
