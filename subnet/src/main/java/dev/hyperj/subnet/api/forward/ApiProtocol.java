package dev.hyperj.subnet.api.forward;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.reqresp.RequestOptions;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /subnet/api_protocol/1.0.0} on libp2p request/response: one {@link ApiCall} per stream,
 * one {@link ApiAnswer} back. An undecodable call is answered with {@code bad_call}, not a reset,
 * so the asking side can tell its own mistake from a broken peer.
 */
public final class ApiProtocol {
    public static final String ID = "/subnet/api_protocol/1.0.0";
    /** Room for the headers and framing around the largest body. */
    private static final int OVERHEAD = 64 << 10;

    private ApiProtocol() {}

    /** Serves {@code forwarder}'s routes on {@code host}. */
    public static void serve(Host host, Forwarder forwarder) {
        int maxBody = 0;
        Duration longest = Duration.ofSeconds(1);
        int concurrent = 0;
        for (ForwardRoute r : forwarder.policy().routes()) {
            maxBody = Math.max(maxBody, Math.max(r.maxRequestBytes(), r.maxResponseBytes()));
            if (r.timeout().compareTo(longest) > 0) longest = r.timeout();
            concurrent += r.maxConcurrent();
        }
        RequestOptions options = RequestOptions.defaults()
                .withMaxFrame(maxBody + OVERHEAD)
                .withTimeout(longest.plusSeconds(2))
                // the routes' own limits answer "busy"; this only bounds calls refused at once
                .withMaxConcurrent(concurrent + 64);
        RequestResponse.register(
                host,
                ID,
                (ctx, bytes) -> {
                    ApiCall call;
                    try {
                        call = ApiCall.decode(bytes);
                    } catch (RuntimeException e) {
                        return ApiAnswer.error(ForwardError.BAD_CALL, "not an API call: " + e.getMessage())
                                .encode();
                    }
                    return forwarder.handle(call).encode();
                },
                options);
    }

    /**
     * Asks {@code peer} for {@code call}; completes with its answer (a typed error included) or
     * fails with the request/response reason (unreachable peer, no answer in {@code timeout}).
     */
    public static CompletableFuture<ApiAnswer> call(
            Host host, PeerId peer, ApiCall call, Duration timeout, int maxAnswerBytes) {
        RequestOptions options = RequestOptions.defaults().withTimeout(timeout).withMaxFrame(maxAnswerBytes + OVERHEAD);
        return RequestResponse.request(host, peer, ID, call.encode(), options).thenApply(ApiAnswer::decode);
    }
}
