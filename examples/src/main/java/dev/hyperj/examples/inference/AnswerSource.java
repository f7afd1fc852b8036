package dev.hyperj.examples.inference;

import java.util.Map;

/** The answers that count for an epoch, by subnet node id: what the scorer checks. */
interface AnswerSource {
    Map<Integer, Inference> answers(long epoch);
}
