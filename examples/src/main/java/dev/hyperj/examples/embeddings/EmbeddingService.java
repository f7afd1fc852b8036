package dev.hyperj.examples.embeddings;

import dev.hyperj.p2p.crypto.PrivateKey;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What a node serves, to peers and to HTTP users alike: checks the input against {@link Limits},
 * bounds the requests being embedded at once (more wait up to {@link #QUEUE_WAIT_MS}, then are
 * refused with {@link Busy}), embeds with the node's model, and signs a {@link Receipt}.
 */
public final class EmbeddingService {
    /** Requests embedded at once per node (the embedder bounds its own runs further). */
    public static final int MAX_IN_FLIGHT = 8;

    static final long QUEUE_WAIT_MS = 5_000;
    private final long queueWaitMs;

    /** Too many requests at once: try again later (HTTP 503). */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("the node is busy: too many embedding requests at once; try again shortly", null, false, false);
        }
    }

    private final Embedder model;
    private final PrivateKey key;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT, true);

    public EmbeddingService(Embedder model, PrivateKey key) {
        this(model, key, QUEUE_WAIT_MS);
    }

    EmbeddingService(Embedder model, PrivateKey key, long queueWaitMs) {
        this.model = model;
        this.key = key;
        this.queueWaitMs = queueWaitMs;
    }

    public Embedder model() {
        return model;
    }

    /** Embeds {@code texts} and signs the result for {@code epoch}; {@link EmbeddingsException} for bad input. */
    public Receipt serve(long epoch, List<String> texts) {
        Limits.check(texts);
        try {
            if (!inFlight.tryAcquire(queueWaitMs, TimeUnit.MILLISECONDS)) throw new Busy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        }
        try {
            return Receipt.sign(epoch, texts, model.embed(texts), key);
        } finally {
            inFlight.release();
        }
    }
}
