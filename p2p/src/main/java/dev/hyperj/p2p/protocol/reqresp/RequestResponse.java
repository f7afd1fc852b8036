package dev.hyperj.p2p.protocol.reqresp;

import static dev.hyperj.p2p.protocol.reqresp.RequestResponseException.Reason;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.host.Negotiation;
import dev.hyperj.p2p.host.ProtocolHandler;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.VarintFrames;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Request/response protocols: one request per stream, each message an unsigned-varint
 * length-prefixed frame ({@code varint(len) || bytes}), the responder answering one frame and
 * closing. Server handlers run on virtual threads; all sizes and times are bounded by
 * {@link RequestOptions}.
 */
public final class RequestResponse {
    /** Handlers block freely: one virtual thread per request, never an event loop. */
    private static final ExecutorService HANDLERS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("reqresp-handler-", 0).factory());

    private RequestResponse() {}

    /** The server side of a request/response protocol with default options, to register on a host. */
    public static ProtocolHandler handler(RequestHandler handler) {
        return handler(handler, RequestOptions.defaults());
    }

    /** The server side of a request/response protocol, to register on a host. */
    public static ProtocolHandler handler(RequestHandler handler, RequestOptions options) {
        Server server = new Server(handler, options);
        return (stream, info) ->
                server.serve(stream, new RequestContext(info.remotePeer(), info.protocol(), info.remoteAddress()));
    }

    /** Registers {@code handler} for {@code protocol} on {@code host}, default options. */
    public static void register(Host host, String protocol, RequestHandler handler) {
        host.addProtocol(protocol, handler(handler));
    }

    public static void register(Host host, String protocol, RequestHandler handler, RequestOptions options) {
        host.addProtocol(protocol, handler(handler, options));
    }

    /** Sends one request to {@code peer} (connecting through the host's peer store if needed) and completes with the response. */
    public static CompletableFuture<byte[]> request(Host host, PeerId peer, String protocol, byte[] request) {
        return request(host, peer, protocol, request, RequestOptions.defaults());
    }

    /**
     * Sends one request and completes with the response, or fails with a
     * {@link RequestResponseException} whose reason says why; {@code options.timeout()} bounds
     * everything from opening the stream to the complete response.
     */
    public static CompletableFuture<byte[]> request(
            Host host, PeerId peer, String protocol, byte[] request, RequestOptions options) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        if (request.length > options.maxFrame()) {
            result.completeExceptionally(tooLarge(request.length, options));
            return result;
        }
        byte[] copy = request.clone();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        CompletableFuture.delayedExecutor(options.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .execute(() -> result.completeExceptionally(new RequestResponseException(
                        Reason.TIMEOUT,
                        protocol + " to " + peer + ": no response within "
                                + options.timeout().toMillis() + " ms")));
        host.newStream(
                        peer,
                        (stream, info) -> {
                            if (result.isDone()) {
                                stream.close();
                            } else {
                                ask(stream, copy, options, deadline, result);
                            }
                        },
                        Negotiation.LAZY,
                        protocol)
                .whenComplete((stream, e) -> { // lazy: the request travels with the proposal
                    if (e != null) {
                        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                ? e.getCause()
                                : e;
                        result.completeExceptionally(new RequestResponseException(
                                Reason.STREAM_FAILED, protocol + " to " + peer + ": " + cause.getMessage(), cause));
                    }
                });
        return result;
    }

    /** A typed request: {@code request} encoded with {@code requests}, the response decoded with {@code responses}. */
    public static <Q, R> CompletableFuture<R> request(
            Host host,
            PeerId peer,
            String protocol,
            Q request,
            Codec<Q> requests,
            Codec<R> responses,
            RequestOptions options) {
        byte[] bytes;
        try {
            bytes = requests.encode(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new RequestResponseException(
                    Reason.SEND_FAILED, "cannot encode the request: " + e.getMessage(), e));
        }
        return request(host, peer, protocol, bytes, options).thenApply(response -> {
            try {
                return responses.decode(response);
            } catch (RuntimeException e) {
                throw new RequestResponseException(
                        Reason.BAD_RESPONSE, "cannot decode the response: " + e.getMessage(), e);
            }
        });
    }

    public static <Q, R> CompletableFuture<R> request(
            Host host, PeerId peer, String protocol, Q request, Codec<Q> requests, Codec<R> responses) {
        return request(host, peer, protocol, request, requests, responses, RequestOptions.defaults());
    }

    /** One registration's server side: its limits and its count of running requests. */
    static final class Server {
        private final RequestHandler handler;
        private final RequestOptions options;
        private final Semaphore permits;

        Server(RequestHandler handler, RequestOptions options) {
            this.handler = handler;
            this.options = options;
            this.permits = new Semaphore(options.maxConcurrent());
        }

        /** Installs the server on a negotiated inbound stream (on its event loop). */
        void serve(Channel stream, RequestContext context) {
            stream.pipeline().addLast("reqresp-frames", VarintFrames.decoder(options.maxFrame()));
            stream.pipeline()
                    .addLast("reqresp-server", new ServerHandler(context, handler, options, permits, HANDLERS));
        }
    }

    /**
     * Sends {@code request} on a negotiated outbound stream and completes with the response.
     * {@code deadlineNanos} is the {@link System#nanoTime()} by which the response must be complete.
     */
    static void ask(
            Channel stream,
            byte[] request,
            RequestOptions options,
            long deadlineNanos,
            CompletableFuture<byte[]> result) {
        Runnable install = () -> {
            stream.pipeline().addLast("reqresp-frames", VarintFrames.decoder(options.maxFrame()));
            stream.pipeline()
                    .addLast("reqresp-client", new ClientHandler(request, deadlineNanos - System.nanoTime(), result));
        };
        if (stream.eventLoop().inEventLoop()) {
            install.run();
        } else {
            stream.eventLoop().execute(install);
        }
    }

    static RequestResponseException tooLarge(int length, RequestOptions options) {
        return new RequestResponseException(
                Reason.SEND_FAILED,
                "request of " + length + " bytes exceeds the maximum frame of " + options.maxFrame());
    }
}
