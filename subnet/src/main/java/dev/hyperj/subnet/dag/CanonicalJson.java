package dev.hyperj.subnet.dag;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The DAG's canonical JSON, byte for byte what Python writes with {@code json.dumps(value,
 * sort_keys=True, separators=(",", ":"), ensure_ascii=True)}: keys sorted by code point, no
 * spaces, everything outside printable ASCII escaped as lower-case {@code \\uXXXX} (characters
 * beyond the BMP as surrogate pairs), integers of any size. Floating-point numbers (and so NaN and
 * Infinity) are refused: two languages do not print them alike, and a hash over them would differ.
 *
 * <p>{@link #parse} is the bounded reader for everything that arrives from the network: strict
 * (no duplicate keys, no trailing data, no floats), nesting and sizes limited.
 */
public final class CanonicalJson {
    /** Deepest nesting accepted from the network. */
    public static final int MAX_DEPTH = 64;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(1000)
                        .maxStringLength(8 * 1024 * 1024)
                        .build());
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private CanonicalJson() {}

    public static JsonNodeFactory nodes() {
        return JsonNodeFactory.instance;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The canonical bytes of {@code value} (ASCII). */
    public static byte[] encode(JsonNode value) {
        Out out = new Out();
        write(value, out, 0);
        return out.toByteArray();
    }

    public static String encodeToString(JsonNode value) {
        return new String(encode(value), StandardCharsets.US_ASCII);
    }

    /** {@code "sha256:" + hex(sha256(canonical JSON))}. */
    public static String hash(JsonNode value) {
        return sha256(encode(value));
    }

    /** {@code "sha256:" + hex(sha256(bytes))}. */
    public static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses JSON text strictly; throws {@link DagFormatException} on anything not canonical-able. */
    public static JsonNode parse(byte[] json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || n.isMissingNode()) throw new DagFormatException("empty JSON");
            check(n, 0);
            return n;
        } catch (IOException e) {
            throw new DagFormatException("not JSON: " + firstLine(e.getMessage()));
        }
    }

    public static JsonNode parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String firstLine(String s) {
        if (s == null) return "?";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static void check(JsonNode n, int depth) {
        if (depth > MAX_DEPTH) throw new DagFormatException("JSON nested deeper than " + MAX_DEPTH);
        if (n.isNumber() && !n.isIntegralNumber())
            throw new DagFormatException("floating-point number in JSON: only integers are canonical");
        for (JsonNode c : n) check(c, depth + 1);
    }

    private static void write(JsonNode n, Out out, int depth) {
        if (depth > MAX_DEPTH) throw new DagFormatException("JSON nested deeper than " + MAX_DEPTH);
        switch (n.getNodeType()) {
            case NULL -> out.ascii("null");
            case BOOLEAN -> out.ascii(n.booleanValue() ? "true" : "false");
            case NUMBER -> {
                if (!n.isIntegralNumber())
                    throw new DagFormatException("floating-point number in JSON: only integers are canonical");
                out.ascii(n.bigIntegerValue().toString());
            }
            case STRING -> string(n.textValue(), out);
            case ARRAY -> {
                out.write('[');
                boolean first = true;
                for (JsonNode c : n) {
                    if (!first) out.write(',');
                    first = false;
                    write(c, out, depth + 1);
                }
                out.write(']');
            }
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(n.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) fields.add(it.next());
                fields.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
                out.write('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> f : fields) {
                    if (!first) out.write(',');
                    first = false;
                    string(f.getKey(), out);
                    out.write(':');
                    write(f.getValue(), out, depth + 1);
                }
                out.write('}');
            }
            default -> throw new DagFormatException("not a JSON value: " + n.getNodeType());
        }
    }

    /** Python orders str keys by code point; Java's compareTo by UTF-16 unit, which differs past U+FFFF. */
    static int compareCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void string(String s, Out out) {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.ascii("\\\"");
                case '\\' -> out.ascii("\\\\");
                case '\n' -> out.ascii("\\n");
                case '\r' -> out.ascii("\\r");
                case '\t' -> out.ascii("\\t");
                case '\b' -> out.ascii("\\b");
                case '\f' -> out.ascii("\\f");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) out.write(c);
                    else { // each UTF-16 unit, so a supplementary character becomes its surrogate pair
                        out.write('\\');
                        out.write('u');
                        out.write(HEX[(c >> 12) & 0xf]);
                        out.write(HEX[(c >> 8) & 0xf]);
                        out.write(HEX[(c >> 4) & 0xf]);
                        out.write(HEX[c & 0xf]);
                    }
                }
            }
        }
        out.write('"');
    }

    private static final class Out extends java.io.ByteArrayOutputStream {
        Out() {
            super(256);
        }

        void ascii(String s) {
            for (int i = 0; i < s.length(); i++) write(s.charAt(i));
        }
    }
}
