package dev.hyperj.examples.inference;

import java.util.Objects;
import java.util.Optional;

/**
 * A node's answer to an {@link InferRequest}: JSON {@code {"output": [...]}} on success,
 * {@code {"error": "..."}} when the request was not one the model can take.
 */
public record InferResponse(Optional<Inference> inference, Optional<String> error) {
    public InferResponse {
        if (inference.isPresent() == error.isPresent())
            throw new IllegalArgumentException("exactly one of inference and error");
        error.ifPresent(e -> {
            if (e.length() > InferenceCodec.MAX_ERROR)
                throw new InferenceFormatException("error text longer than " + InferenceCodec.MAX_ERROR);
        });
    }

    public static InferResponse of(Inference inference) {
        return new InferResponse(Optional.of(Objects.requireNonNull(inference)), Optional.empty());
    }

    /** An error answer; long texts are cut to {@link InferenceCodec#MAX_ERROR} characters. */
    public static InferResponse error(String message) {
        String m =
                message.length() > InferenceCodec.MAX_ERROR ? message.substring(0, InferenceCodec.MAX_ERROR) : message;
        return new InferResponse(Optional.empty(), Optional.of(m));
    }
}
