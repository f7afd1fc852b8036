package dev.hyperj.examples.inference;

/** The node answered a request with an error (the input was not one the model takes). */
public final class InferenceRefusedException extends RuntimeException {
    public InferenceRefusedException(String message) {
        super(message);
    }
}
