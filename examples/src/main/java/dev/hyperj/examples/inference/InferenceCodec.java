package dev.hyperj.examples.inference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.examples.challenge.RevealedAnswers;
import dev.hyperj.p2p.protocol.reqresp.Codec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * JSON encoding of the example's three messages. Decoding is strict and bounded: at most
 * {@link #MAX_BYTES} bytes, exactly the expected fields, integers in range, short arrays; anything
 * else throws {@link InferenceFormatException}, and only that.
 */
public final class InferenceCodec {
    /** Largest encoded message (request, response or answer). */
    public static final int MAX_BYTES = 1024;
    /** Most integers in one array: enough for the model, far too few to hurt. */
    public static final int MAX_VALUES = 32;

    public static final int MAX_ERROR = 200;

    public static final Codec<InferRequest> REQUESTS = Codec.of(InferenceCodec::encode, InferenceCodec::decodeRequest);
    public static final Codec<InferResponse> RESPONSES =
            Codec.of(InferenceCodec::encode, InferenceCodec::decodeResponse);

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(4)
                        .maxNumberLength(24)
                        .maxStringLength(MAX_BYTES)
                        .build());
        JSON.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JSON.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private InferenceCodec() {}

    public static byte[] encode(InferRequest r) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode a = o.putArray("input");
        r.input().forEach(a::add);
        return bytes(o);
    }

    public static InferRequest decodeRequest(byte[] bytes) {
        JsonNode n = object(bytes, Set.of("input"));
        return new InferRequest(integers(n.get("input"), Integer.MIN_VALUE, Integer.MAX_VALUE).stream()
                .map(Long::intValue)
                .toList());
    }

    public static byte[] encode(InferResponse r) {
        ObjectNode o = JSON.createObjectNode();
        r.inference().ifPresent(i -> output(o, i));
        r.error().ifPresent(e -> o.put("error", e));
        return bytes(o);
    }

    public static InferResponse decodeResponse(byte[] bytes) {
        JsonNode n = parse(bytes);
        if (n.has("error")) {
            fields(n, Set.of("error"));
            JsonNode e = n.get("error");
            if (!e.isTextual() || e.textValue().length() > MAX_ERROR)
                throw new InferenceFormatException("error: a string of at most " + MAX_ERROR + " characters");
            return new InferResponse(Optional.empty(), Optional.of(e.textValue()));
        }
        fields(n, Set.of("output"));
        return InferResponse.of(new Inference(integers(n.get("output"), Long.MIN_VALUE, Long.MAX_VALUE)));
    }

    /** {@link EpochAnswer}s as committed and revealed through {@link RevealedAnswers}. */
    static final RevealedAnswers.Format<Inference> ANSWERS = new RevealedAnswers.Format<>() {
        @Override
        public byte[] encode(RevealedAnswers.Answer<Inference> a) {
            return InferenceCodec.encode(new EpochAnswer(a.subnetId(), a.epoch(), a.subnetNodeId(), a.value()));
        }

        @Override
        public RevealedAnswers.Answer<Inference> decode(byte[] json) {
            EpochAnswer a = decodeAnswer(json);
            return new RevealedAnswers.Answer<>(a.subnetId(), a.epoch(), a.subnetNodeId(), a.inference());
        }
    };

    public static byte[] encode(EpochAnswer a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("subnet_id", a.subnetId());
        o.put("epoch", a.epoch());
        o.put("subnet_node_id", a.subnetNodeId());
        output(o, a.inference());
        return bytes(o);
    }

    public static EpochAnswer decodeAnswer(byte[] bytes) {
        JsonNode n = object(bytes, Set.of("subnet_id", "epoch", "subnet_node_id", "output"));
        return new EpochAnswer(
                (int) integer(n.get("subnet_id"), 0, Integer.MAX_VALUE),
                integer(n.get("epoch"), 0, Long.MAX_VALUE),
                (int) integer(n.get("subnet_node_id"), 0, Integer.MAX_VALUE),
                new Inference(integers(n.get("output"), Long.MIN_VALUE, Long.MAX_VALUE)));
    }

    private static void output(ObjectNode o, Inference i) {
        ArrayNode a = o.putArray("output");
        i.output().forEach(a::add);
    }

    private static byte[] bytes(ObjectNode o) {
        byte[] b = o.toString().getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_BYTES)
            throw new InferenceFormatException("message of " + b.length + " bytes exceeds " + MAX_BYTES);
        return b;
    }

    private static JsonNode object(byte[] bytes, Set<String> expected) {
        JsonNode n = parse(bytes);
        fields(n, expected);
        return n;
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES)
            throw new InferenceFormatException("a message is at most " + MAX_BYTES + " bytes");
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InferenceFormatException(
                    "not JSON: " + e.getOriginalMessage()); // without the parser's location noise
        } catch (java.io.IOException | RuntimeException e) {
            throw new InferenceFormatException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw new InferenceFormatException("not a JSON object");
        return n;
    }

    private static void fields(JsonNode n, Set<String> expected) {
        if (n.size() != expected.size()) throw new InferenceFormatException("expected exactly the fields " + expected);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!expected.contains(f)) throw new InferenceFormatException("unknown field " + f);
        }
    }

    private static List<Long> integers(JsonNode a, long min, long max) {
        if (!a.isArray()) throw new InferenceFormatException("expected an array of integers, got " + a.getNodeType());
        if (a.size() > MAX_VALUES) throw new InferenceFormatException("at most " + MAX_VALUES + " values");
        List<Long> out = new ArrayList<>(a.size());
        for (JsonNode v : a) out.add(integer(v, min, max));
        return out;
    }

    private static long integer(JsonNode v, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong())
            throw new InferenceFormatException("expected an integer, got " + v.getNodeType());
        long x = v.longValue();
        if (x < min || x > max) throw new InferenceFormatException("integer out of range: " + x);
        return x;
    }
}
