package dev.hyperj.examples.inference;

/** Bytes that are not a message of the example subnet (request, response or answer). */
public final class InferenceFormatException extends IllegalArgumentException {
    public InferenceFormatException(String message) {
        super(message);
    }
}
