package dev.hyperj.p2p.protocol.reqresp;

import dev.hyperj.p2p.protocol.VarintFrames;
import io.netty.channel.Channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import static dev.hyperj.p2p.protocol.reqresp.RequestResponseException.Reason;

/**
 * Request/response protocols: one request per stream, each message an unsigned-varint
 * length-prefixed frame ({@code varint(len) || bytes}), the responder answering one frame and
 * closing. Server handlers run on virtual threads; all sizes and times are bounded by
 * {@link RequestOptions}.
 */
public final class RequestResponse {
    /** Handlers block freely: one virtual thread per request, never an event loop. */
    private static final ExecutorService HANDLERS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("reqresp-handler-", 0).factory());

    private RequestResponse() {
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
            stream.pipeline().addLast("reqresp-server", new ServerHandler(context, handler, options, permits, HANDLERS));
        }
    }

    /**
     * Sends {@code request} on a negotiated outbound stream and completes with the response.
     * {@code deadlineNanos} is the {@link System#nanoTime()} by which the response must be complete.
     */
    static void ask(Channel stream, byte[] request, RequestOptions options, long deadlineNanos,
                    CompletableFuture<byte[]> result) {
        Runnable install = () -> {
            stream.pipeline().addLast("reqresp-frames", VarintFrames.decoder(options.maxFrame()));
            stream.pipeline().addLast("reqresp-client",
                    new ClientHandler(request, deadlineNanos - System.nanoTime(), result));
        };
        if (stream.eventLoop().inEventLoop()) {
            install.run();
        } else {
            stream.eventLoop().execute(install);
        }
    }

    static RequestResponseException tooLarge(int length, RequestOptions options) {
        return new RequestResponseException(Reason.SEND_FAILED, "request of " + length
                + " bytes exceeds the maximum frame of " + options.maxFrame());
    }
}
