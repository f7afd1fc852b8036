package dev.hyperj.examples.embeddings;

/** Input the embeddings service does not take, or a message that does not decode; the message says why. */
public final class EmbeddingsException extends IllegalArgumentException {
    private final boolean tooLarge;

    public EmbeddingsException(String message) {
        this(message, false);
    }

    private EmbeddingsException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    /** Input past a size limit (HTTP 413 rather than 400). */
    static EmbeddingsException tooLarge(String message) {
        return new EmbeddingsException(message, true);
    }

    public boolean isTooLarge() {
        return tooLarge;
    }
}
