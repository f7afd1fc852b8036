package dev.hyperj.examples.embeddings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.examples.challenge.RevealedAnswers;
import dev.hyperj.examples.challenge.RevealedAnswers.Answer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON messages of the embeddings subnet: requests and responses of the peer protocol, epoch
 * answers and evidence on gossip. Embeddings travel as base64 of their IEEE 754 bits (big-endian),
 * so they arrive bit for bit. Decoding is strict (exact fields, types, ranges, sizes, UTF-8) and
 * fails only with {@link EmbeddingsException}.
 */
final class Wire {
    private Wire() {}

    static final ObjectMapper JSON = new ObjectMapper();

    /** A peer's request: embed {@code texts}; {@code epoch} is the asker's, and goes into the receipt. */
    record Request(long epoch, List<String> texts) {}

    /** A node's answer to a {@link Request}: embeddings with their signature, or an error. */
    record Response(float[][] vectors, byte[] publicKey, byte[] signature, String error) {
        static Response of(Receipt r) {
            return new Response(r.vectors(), r.publicKey(), r.signature(), null);
        }

        static Response error(String message) {
            return new Response(null, null, null, message);
        }
    }

    /**
     * A node's answer to the epoch's challenge, as committed: the hash of its embedding of the
     * challenge text, {@code {"subnet_id", "epoch", "subnet_node_id", "answer": "sha256:..."}}.
     */
    static final RevealedAnswers.Format<String> ANSWERS = new RevealedAnswers.Format<>() {
        @Override
        public byte[] encode(Answer<String> a) {
            return Wire.encode(a);
        }

        @Override
        public Answer<String> decode(byte[] json) {
            return decodeAnswer(json);
        }
    };

    /** A served answer shown to be wrong: the receipt, and who signed it. */
    record Evidence(int subnetId, int subnetNodeId, String peerId, Receipt receipt) {}

    static final int MAX_RESPONSE_BYTES = 256 * 1024;
    static final int MAX_GOSSIP_BYTES = 64 * 1024;

    static byte[] encode(Request r) {
        ObjectNode o = JSON.createObjectNode().put("epoch", r.epoch());
        ArrayNode a = o.putArray("texts");
        r.texts().forEach(a::add);
        return bytes(o, Limits.MAX_REQUEST_BYTES);
    }

    static Request decodeRequest(byte[] bytes) {
        JsonNode n = object(bytes, Limits.MAX_REQUEST_BYTES, Set.of("epoch", "texts"));
        List<String> texts = strings(n.get("texts"), "texts");
        Limits.check(texts);
        return new Request(integer(n.get("epoch"), "epoch"), texts);
    }

    static byte[] encode(Response r) {
        ObjectNode o = JSON.createObjectNode();
        if (r.error() != null) o.put("error", r.error());
        else {
            vectors(o.putArray("embeddings"), r.vectors());
            o.put("public_key", HexFormat.of().formatHex(r.publicKey()));
            o.put("signature", HexFormat.of().formatHex(r.signature()));
        }
        return bytes(o, MAX_RESPONSE_BYTES);
    }

    static Response decodeResponse(byte[] bytes) {
        JsonNode n = parse(bytes, MAX_RESPONSE_BYTES);
        if (n.has("error") && n.size() == 1) return Response.error(text(n.get("error"), "error"));
        fields(n, Set.of("embeddings", "public_key", "signature"));
        return new Response(
                vectors(n.get("embeddings")),
                hex(n.get("public_key"), "public_key"),
                hex(n.get("signature"), "signature"),
                null);
    }

    static byte[] encode(Answer<String> a) {
        return bytes(
                JSON.createObjectNode()
                        .put("subnet_id", a.subnetId())
                        .put("epoch", a.epoch())
                        .put("subnet_node_id", a.subnetNodeId())
                        .put("answer", a.value()),
                MAX_GOSSIP_BYTES);
    }

    static Answer<String> decodeAnswer(byte[] bytes) {
        JsonNode n = object(bytes, MAX_GOSSIP_BYTES, Set.of("subnet_id", "epoch", "subnet_node_id", "answer"));
        String hash = text(n.get("answer"), "answer");
        if (!hash.matches("sha256:[0-9a-f]{64}")) throw new EmbeddingsException("answer is not sha256:<64 hex digits>");
        return new Answer<>(
                intField(n.get("subnet_id"), "subnet_id"),
                integer(n.get("epoch"), "epoch"),
                intField(n.get("subnet_node_id"), "subnet_node_id"),
                hash);
    }

    /** Evidence is small: a spot check's few short texts. */
    static final int MAX_EVIDENCE_TEXTS = 4;

    static byte[] encode(Evidence e) {
        Receipt r = e.receipt();
        ObjectNode o = JSON.createObjectNode()
                .put("subnet_id", e.subnetId())
                .put("subnet_node_id", e.subnetNodeId())
                .put("peer_id", e.peerId())
                .put("epoch", r.epoch());
        ArrayNode t = o.putArray("texts");
        r.texts().forEach(t::add);
        vectors(o.putArray("embeddings"), r.vectors());
        o.put("public_key", HexFormat.of().formatHex(r.publicKey()));
        o.put("signature", HexFormat.of().formatHex(r.signature()));
        return bytes(o, MAX_GOSSIP_BYTES);
    }

    static Evidence decodeEvidence(byte[] bytes) {
        JsonNode n = object(
                bytes,
                MAX_GOSSIP_BYTES,
                Set.of(
                        "subnet_id",
                        "subnet_node_id",
                        "peer_id",
                        "epoch",
                        "texts",
                        "embeddings",
                        "public_key",
                        "signature"));
        List<String> texts = strings(n.get("texts"), "texts");
        if (texts.size() > MAX_EVIDENCE_TEXTS)
            throw new EmbeddingsException("evidence holds more than " + MAX_EVIDENCE_TEXTS + " texts");
        Limits.check(texts);
        Receipt r = new Receipt(
                integer(n.get("epoch"), "epoch"),
                texts,
                vectors(n.get("embeddings")),
                hex(n.get("public_key"), "public_key"),
                hex(n.get("signature"), "signature"));
        return new Evidence(
                intField(n.get("subnet_id"), "subnet_id"),
                intField(n.get("subnet_node_id"), "subnet_node_id"),
                text(n.get("peer_id"), "peer_id"),
                r);
    }

    // ---- helpers

    private static void vectors(ArrayNode a, float[][] vectors) {
        for (float[] v : vectors) {
            ByteBuffer b = ByteBuffer.allocate(v.length * 4);
            for (float f : v) b.putFloat(f);
            a.add(Base64.getEncoder().encodeToString(b.array()));
        }
    }

    private static float[][] vectors(JsonNode n) {
        if (n == null || !n.isArray()) throw new EmbeddingsException("embeddings is not a list");
        if (n.size() > Limits.MAX_TEXTS) throw new EmbeddingsException("more than " + Limits.MAX_TEXTS + " embeddings");
        float[][] out = new float[n.size()][];
        for (int i = 0; i < out.length; i++) {
            byte[] b;
            try {
                b = Base64.getDecoder().decode(text(n.get(i), "embeddings[" + i + "]"));
            } catch (IllegalArgumentException e) {
                throw new EmbeddingsException("embeddings[" + i + "] is not base64");
            }
            if (b.length != Embedder.DIMENSIONS * 4)
                throw new EmbeddingsException("embeddings[" + i + "] holds " + b.length + " bytes, not 384 floats");
            ByteBuffer buf = ByteBuffer.wrap(b);
            out[i] = new float[Embedder.DIMENSIONS];
            for (int j = 0; j < out[i].length; j++) out[i][j] = buf.getFloat();
        }
        return out;
    }

    private static byte[] bytes(ObjectNode o, int max) {
        byte[] b = o.toString().getBytes(StandardCharsets.UTF_8);
        if (b.length > max) throw new EmbeddingsException("message of " + b.length + " bytes exceeds " + max);
        return b;
    }

    /** Strict UTF-8 JSON of at most {@code max} bytes. */
    static JsonNode parse(byte[] bytes, int max) {
        if (bytes.length > max)
            throw EmbeddingsException.tooLarge("the message is " + bytes.length + " bytes; at most " + max);
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new EmbeddingsException("not valid UTF-8");
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) throw new EmbeddingsException("not a JSON object");
            return n;
        } catch (JacksonException e) {
            throw new EmbeddingsException("not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new EmbeddingsException("unreadable: " + e.getMessage());
        }
    }

    private static JsonNode object(byte[] bytes, int max, Set<String> expected) {
        JsonNode n = parse(bytes, max);
        fields(n, expected);
        return n;
    }

    private static void fields(JsonNode n, Set<String> expected) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!expected.contains(f)) throw new EmbeddingsException("unexpected field " + f);
        }
        for (String f : expected) if (!n.has(f)) throw new EmbeddingsException("missing field " + f);
    }

    static List<String> strings(JsonNode n, String name) {
        if (n == null || !n.isArray()) throw new EmbeddingsException(name + " is not a list of strings");
        if (n.size() > Limits.MAX_TEXTS)
            throw EmbeddingsException.tooLarge(
                    name + " has " + n.size() + " texts; at most " + Limits.MAX_TEXTS + " per request");
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) out.add(text(n.get(i), name + "[" + i + "]"));
        return out;
    }

    private static String text(JsonNode n, String name) {
        if (n == null || !n.isTextual()) throw new EmbeddingsException(name + " is not a string");
        return n.asText();
    }

    private static long integer(JsonNode n, String name) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0)
            throw new EmbeddingsException(name + " is not a non-negative integer");
        return n.asLong();
    }

    private static int intField(JsonNode n, String name) {
        long v = integer(n, name);
        if (v > Integer.MAX_VALUE) throw new EmbeddingsException(name + " is out of range");
        return (int) v;
    }

    private static byte[] hex(JsonNode n, String name) {
        String s = text(n, name);
        if (s.length() > 2048) throw new EmbeddingsException(name + " is too long");
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new EmbeddingsException(name + " is not hex");
        }
    }
}
