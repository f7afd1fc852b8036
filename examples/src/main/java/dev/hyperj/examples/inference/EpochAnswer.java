package dev.hyperj.examples.inference;

import java.util.Objects;

/**
 * A node's answer to its epoch's {@link Challenge}, committed and revealed through the framework's
 * commit/reveal as JSON {@code {"subnet_id", "epoch", "subnet_node_id", "output": [...]}}.
 */
public record EpochAnswer(int subnetId, long epoch, int subnetNodeId, Inference inference) {
    public EpochAnswer {
        if (subnetId < 0 || epoch < 0 || subnetNodeId < 0)
            throw new InferenceFormatException("negative subnet, epoch or node id");
        Objects.requireNonNull(inference, "inference");
    }
}
