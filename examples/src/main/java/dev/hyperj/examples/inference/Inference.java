package dev.hyperj.examples.inference;

import java.util.List;

/**
 * What the model answered for one input: its {@link InferenceModel#OUTPUTS} integer logits.
 *
 * @param output the logits, in output order
 */
public record Inference(List<Long> output) {
    public Inference {
        output = List.copyOf(output);
    }

    /** The predicted class: the index of the largest logit (the first one on ties). */
    public int label() {
        int best = 0;
        for (int i = 1; i < output.size(); i++) {
            if (output.get(i) > output.get(best)) best = i;
        }
        return best;
    }
}
