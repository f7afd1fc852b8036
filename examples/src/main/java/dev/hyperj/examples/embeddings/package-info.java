/**
 * A decentralized sentence-embeddings subnet (all-MiniLM-L6-v2, 384 dimensions): nodes serve
 * embeddings on ONNX Runtime to peers ({@link dev.hyperj.examples.embeddings.EmbeddingsProtocol})
 * and to users ({@link dev.hyperj.examples.embeddings.OpenAiEmbeddings}, {@code POST
 * /v1/embeddings}), sign every answer ({@link dev.hyperj.examples.embeddings.Receipt}), and are
 * verified by their peers against {@link dev.hyperj.examples.embeddings.MiniLm}, a pure-Java
 * forward pass that gives the same bits on every JVM: each epoch's challenge, and spot checks whose
 * evidence every node re-checks. {@link dev.hyperj.examples.embeddings.EmbeddingsApp} wires it into
 * the framework.
 */
package dev.hyperj.examples.embeddings;
