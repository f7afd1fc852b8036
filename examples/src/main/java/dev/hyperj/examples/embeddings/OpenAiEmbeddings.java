package dev.hyperj.examples.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.subnet.api.ApiHandler;
import dev.hyperj.subnet.api.ApiRequest;
import dev.hyperj.subnet.api.ApiResponse;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@code POST /v1/embeddings} in the shape of OpenAI's embeddings API, served by this node's model:
 *
 * <pre>{@code
 * {"input": "a text" | ["a text", ...], "model": "all-MiniLM-L6-v2" (optional), "encoding_format": "float" (optional)}
 * -> {"object": "list", "data": [{"object": "embedding", "index": 0, "embedding": [384 floats]}, ...],
 *     "model": "all-MiniLM-L6-v2", "usage": {"prompt_tokens": n, "total_tokens": n}}
 * }</pre>
 *
 * Errors have the network API's one shape, {@code {"error": {"code", "message"}}}: 400
 * {@code invalid_request} for anything malformed (not UTF-8 JSON, wrong types, empty input or
 * text, token arrays, another model), 413 {@code too_large} for a body, a list or a text past
 * {@link Limits}, 415 {@code unsupported_media_type} for a content type other than
 * {@code application/json} (none at all is taken as JSON), 503 {@code busy} when the node has too
 * many requests at once. Usage counts the
 * tokens the model read, [CLS] and [SEP] included.
 */
public final class OpenAiEmbeddings implements ApiHandler {
    public static final String PATH = "/v1/embeddings";
    public static final String MODEL = "all-MiniLM-L6-v2";
    private static final Set<String> MODEL_NAMES = Set.of(MODEL, "sentence-transformers/" + MODEL);
    private static final Set<String> FIELDS = Set.of("input", "model", "encoding_format", "dimensions", "user");

    private final EmbeddingService service;
    private final WordPieceTokenizer tokenizer;
    private final LongSupplier epoch;

    public OpenAiEmbeddings(EmbeddingService service, WordPieceTokenizer tokenizer, LongSupplier epoch) {
        this.service = service;
        this.tokenizer = tokenizer;
        this.epoch = epoch;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        if (!request.method().equals("POST")) return ApiResponse.error(405, "method_not_allowed", PATH + " takes POST");
        String type = request.headers().get("content-type");
        if (type != null && !isJson(type))
            return ApiResponse.error(
                    415,
                    "unsupported_media_type",
                    "the body must be JSON, sent with content-type: application/json (not " + type + ")");
        try {
            List<String> texts = parse(request.body());
            Receipt r = service.serve(epoch.getAsLong(), texts);
            return ApiResponse.json(body(texts, r.vectors()));
        } catch (EmbeddingsException e) {
            return e.isTooLarge()
                    ? ApiResponse.error(413, "too_large", e.getMessage())
                    : ApiResponse.error(400, "invalid_request", e.getMessage());
        } catch (EmbeddingService.Busy e) {
            return ApiResponse.error(503, "busy", e.getMessage());
        }
    }

    /** Whether a content-type header names JSON ({@code application/json}, parameters such as a charset aside). */
    static boolean isJson(String contentType) {
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return media.equalsIgnoreCase("application/json");
    }

    /** The texts of a request body, or {@link EmbeddingsException} saying what is wrong. */
    static List<String> parse(byte[] body) {
        if (body.length == 0)
            throw new EmbeddingsException("a JSON body is required: {\"input\": \"text\" or [\"text\", ...]}");
        if (body.length > Limits.MAX_REQUEST_BYTES)
            throw EmbeddingsException.tooLarge(
                    "the body is " + body.length + " bytes; at most " + Limits.MAX_REQUEST_BYTES);
        JsonNode n = Wire.parse(body, Limits.MAX_REQUEST_BYTES);
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f))
                throw new EmbeddingsException(
                        "unknown field \"" + f + "\"; fields are " + new java.util.TreeSet<>(FIELDS));
        }
        JsonNode model = n.get("model");
        if (model != null && !model.isNull()) {
            if (!model.isTextual() || !MODEL_NAMES.contains(model.asText()))
                throw new EmbeddingsException(
                        "model must be \"" + MODEL + "\" (the only model this subnet serves), not " + model);
        }
        JsonNode format = n.get("encoding_format");
        if (format != null
                && !format.isNull()
                && !(format.isTextual() && format.asText().equals("float")))
            throw new EmbeddingsException("encoding_format must be \"float\"");
        JsonNode dims = n.get("dimensions");
        if (dims != null && !dims.isNull() && !(dims.isIntegralNumber() && dims.asLong() == Embedder.DIMENSIONS))
            throw new EmbeddingsException("dimensions must be " + Embedder.DIMENSIONS + " (the model's)");
        JsonNode user = n.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) throw new EmbeddingsException("user must be a string");
        JsonNode input = n.get("input");
        if (input == null || input.isNull())
            throw new EmbeddingsException("input is required: a string or a list of strings");
        List<String> texts;
        if (input.isTextual()) texts = List.of(input.asText());
        else if (input.isArray()) {
            if (!input.isEmpty() && !input.get(0).isTextual())
                throw new EmbeddingsException(
                        "input must be a string or a list of strings (token arrays are not taken)");
            texts = Wire.strings(input, "input");
        } else
            throw new EmbeddingsException("input must be a string or a list of strings, not "
                    + input.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        Limits.check(texts);
        return texts;
    }

    private ObjectNode body(List<String> texts, float[][] vectors) {
        ObjectNode o = Wire.JSON.createObjectNode().put("object", "list");
        ArrayNode data = o.putArray("data");
        long tokens = 0;
        for (int i = 0; i < vectors.length; i++) {
            ObjectNode d = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode e = d.putArray("embedding");
            for (float f : vectors[i]) e.add(f);
            tokens += tokenizer.encode(texts.get(i)).length;
        }
        o.put("model", MODEL);
        o.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return o;
    }
}
