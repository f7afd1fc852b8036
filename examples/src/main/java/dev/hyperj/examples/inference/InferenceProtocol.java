package dev.hyperj.examples.inference;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.reqresp.RequestHandler;
import dev.hyperj.p2p.protocol.reqresp.RequestOptions;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@value #ID}: ask a node to run its model. One {@link InferRequest} per stream, one
 * {@link InferResponse} back (request/response framing: a varint length, then the JSON). A request
 * the node cannot take (not JSON, wrong fields, wrong number of inputs, values out of range) is
 * answered with an error response, not a dropped stream, so users learn what was wrong.
 *
 * <p>Users reach nodes through the subnet's proof-of-stake gate like everyone else: with a client
 * peer id a node registered on chain (its {@code client_peer_info}), or as an overwatch peer.
 */
public final class InferenceProtocol {
    private static final Logger log = LoggerFactory.getLogger(InferenceProtocol.class);

    public static final String ID = "/hyperj/example/infer/1.0.0";
    /** Small frames, a short deadline, and a cap on requests served at once per node. */
    public static final RequestOptions OPTIONS = RequestOptions.defaults()
            .withMaxFrame(InferenceCodec.MAX_BYTES)
            .withTimeout(Duration.ofSeconds(10))
            .withMaxConcurrent(64);

    private InferenceProtocol() {}

    /** Serves {@code model} on {@code host}. */
    public static void serve(Host host, InferenceModel model) {
        RequestResponse.register(host, ID, handler(model), OPTIONS);
    }

    static RequestHandler handler(InferenceModel model) {
        return (context, bytes) -> InferenceCodec.encode(answer(model, bytes, context.peer()));
    }

    static InferResponse answer(InferenceModel model, byte[] bytes, PeerId from) {
        try {
            return InferResponse.of(
                    model.infer(InferenceCodec.decodeRequest(bytes).input()));
        } catch (IllegalArgumentException e) { // InferenceFormatException, or input the model does not take
            log.debug("bad inference request from {}: {}", from, e.getMessage());
            return InferResponse.error(e.getMessage());
        }
    }

    /**
     * Asks {@code node} (connected, or known to the host's peer store) to run its model on
     * {@code input}. Fails with {@link InferenceRefusedException} if the node answered with an
     * error, or with the request/response framework's exception if it did not answer.
     */
    public static CompletableFuture<Inference> infer(Host host, PeerId node, List<Integer> input) {
        return RequestResponse.request(
                        host,
                        node,
                        ID,
                        new InferRequest(input),
                        InferenceCodec.REQUESTS,
                        InferenceCodec.RESPONSES,
                        OPTIONS)
                .thenApply(r -> r.inference()
                        .orElseThrow(() -> new InferenceRefusedException(
                                node + ": " + r.error().orElseThrow())));
    }
}
