package dev.hyperj.examples.embeddings;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.reqresp.RequestOptions;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@value #ID}: ask a node for embeddings. One request per stream, {@code {"epoch": E, "texts":
 * [...]}}; the answer is the embeddings (base64 of the IEEE bits) with the node's signature over
 * them, or {@code {"error": "..."}} for input the node does not take or when it is busy. The asker
 * checks the signature, so what it holds is a {@link Receipt} it can show others.
 */
public final class EmbeddingsProtocol {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingsProtocol.class);

    public static final String ID = "/hyperj/example/embeddings/1.0.0";
    public static final RequestOptions OPTIONS = RequestOptions.defaults()
            .withMaxFrame(Limits.MAX_REQUEST_BYTES)
            .withTimeout(Duration.ofSeconds(30))
            .withMaxConcurrent(64);

    private EmbeddingsProtocol() {}

    /** Serves {@code service} on {@code host} (receipts carry the epoch the asker names). */
    public static void serve(Host host, EmbeddingService service) {
        RequestResponse.register(
                host, ID, (context, bytes) -> Wire.encode(answer(service, bytes, context.peer())), OPTIONS);
    }

    static Wire.Response answer(EmbeddingService service, byte[] bytes, PeerId from) {
        try {
            Wire.Request r = Wire.decodeRequest(bytes);
            return Wire.Response.of(service.serve(r.epoch(), r.texts()));
        } catch (EmbeddingsException | EmbeddingService.Busy e) {
            log.debug("embeddings request from {} refused: {}", from, e.getMessage());
            return Wire.Response.error(e.getMessage());
        }
    }

    /**
     * Asks {@code node} to embed {@code texts} for {@code epoch}. Completes with its signed
     * {@link Receipt}; fails with {@link EmbeddingsException} if the node refused, answered
     * something malformed or a signature that is not its own, or with the request/response
     * framework's exception if it did not answer.
     */
    public static CompletableFuture<Receipt> embed(Host host, PeerId node, long epoch, List<String> texts) {
        Limits.check(texts);
        return RequestResponse.request(host, node, ID, Wire.encode(new Wire.Request(epoch, texts)), OPTIONS)
                .thenApply(bytes -> {
                    Wire.Response r = Wire.decodeResponse(bytes);
                    if (r.error() != null) throw new EmbeddingsException(node + " refused: " + r.error());
                    Receipt receipt = new Receipt(epoch, texts, r.vectors(), r.publicKey(), r.signature());
                    if (!receipt.signedBy(node))
                        throw new EmbeddingsException(node + " answered with a signature not its own");
                    return receipt;
                });
    }
}
