package dev.hyperj.examples.embeddings;

import java.util.List;

/** Turns texts into unit-length 384-dimension sentence embeddings (all-MiniLM-L6-v2). Thread-safe. */
public interface Embedder {
    /** Embedding dimensions of all-MiniLM-L6-v2. */
    int DIMENSIONS = 384;

    /** One embedding per text, in order: tokenize, truncate at 256 tokens, mean-pool, L2-normalize. */
    float[][] embed(List<String> texts);

    /** What this embedder runs, for logs. */
    String describe();
}
