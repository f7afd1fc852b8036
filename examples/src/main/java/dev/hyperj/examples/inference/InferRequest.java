package dev.hyperj.examples.inference;

import java.util.List;

/**
 * A user's question to a node, JSON {@code {"input": [x0, ..., x7]}}. The codec accepts any list of
 * at most {@link InferenceCodec#MAX_VALUES} integers; whether they suit the model is the node's
 * judgement, answered with an error response.
 */
public record InferRequest(List<Integer> input) {
    public InferRequest {
        input = List.copyOf(input);
    }
}
