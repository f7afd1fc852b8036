package dev.hyperj.subnet.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Test
    void fixedCasesMatchPython() throws Exception {
        List<JsonNode> values = new ArrayList<>();
        values.add(CanonicalJson.parse("{\"b\":1,\"a\":[true,false,null],\"c\":{\"z\":\"\",\"y\":-0}}"));
        values.add(F.textNode(
                "quote \" backslash \\ slash / newline \n tab \t cr \r bs \b ff \f nul \u0000 us \u001f del \u007f"));
        values.add(F.textNode("é ü 中文 \u2028 \uffff emoji 😀 𝄞"));
        ObjectNode keys = F.objectNode(); // U+FFFD sorts before U+1F600 by code point, after it by UTF-16 unit
        keys.put("\ufffd", 1);
        keys.put("😀", 2);
        keys.put("a", 3);
        keys.put("A", 4);
        keys.put("", 5);
        keys.put("é", 6);
        values.add(keys);
        values.add(F.numberNode(new BigInteger("2").pow(200)));
        values.add(F.numberNode(new BigInteger("-123456789012345678901234567890")));
        values.add(F.numberNode(Long.MIN_VALUE));
        values.add(F.numberNode(new BigInteger("1000000000000000000")));
        ArrayNode deep = F.arrayNode();
        ArrayNode cur = deep;
        for (int i = 0; i < 40; i++) cur = cur.addArray();
        cur.add(F.objectNode().put("k", "v"));
        values.add(deep);
        checkAgainstPython(values);
    }

    @Test
    void randomValuesMatchPython() throws Exception {
        Random r = new Random(12);
        List<JsonNode> values = new ArrayList<>();
        for (int i = 0; i < 300; i++) values.add(random(r, 0));
        checkAgainstPython(values);
    }

    @Test
    void refusesFloatsNanDuplicatesAndDepth() {
        assertThrows(DagFormatException.class, () -> CanonicalJson.encode(F.numberNode(1.5)));
        assertThrows(DagFormatException.class, () -> CanonicalJson.parse("{\"a\":1.0}"));
        assertThrows(DagFormatException.class, () -> CanonicalJson.parse("NaN"));
        assertThrows(DagFormatException.class, () -> CanonicalJson.parse("[Infinity]"));
        assertThrows(DagFormatException.class, () -> CanonicalJson.parse("{\"a\":1,\"a\":2}"));
        assertThrows(DagFormatException.class, () -> CanonicalJson.parse("{} {}"));
        assertThrows(DagFormatException.class, () -> CanonicalJson.parse("[".repeat(200) + "]".repeat(200)));
        assertThrows(DagFormatException.class, () -> CanonicalJson.parse(""));
    }

    @Test
    void parseThenEncodeIsCanonical() {
        assertEquals(
                "{\"a\":\"\\u00e9\\ud83d\\ude00\",\"b\":[1,2]}",
                CanonicalJson.encodeToString(CanonicalJson.parse("{ \"b\" : [1, 2], \"a\": \"é😀\" }")));
    }

    private static void checkAgainstPython(List<JsonNode> values) throws Exception {
        List<String> plain = new ArrayList<>();
        for (JsonNode v : values) plain.add(PLAIN.writeValueAsString(v)); // not canonical: Python must redo it
        List<String> python = PythonJson.run(PythonJson.CANONICAL, plain);
        assertEquals(values.size(), python.size());
        for (int i = 0; i < values.size(); i++)
            assertEquals(python.get(i), CanonicalJson.encodeToString(values.get(i)), "value " + plain.get(i));
    }

    private static JsonNode random(Random r, int depth) {
        int kind = depth > 4 ? r.nextInt(4) : r.nextInt(6);
        return switch (kind) {
            case 0 -> F.textNode(randomString(r));
            case 1 ->
                switch (r.nextInt(3)) {
                    case 0 -> F.numberNode(r.nextInt());
                    case 1 -> F.numberNode(r.nextLong());
                    default -> F.numberNode(new BigInteger(r.nextInt(300) + 1, r).negate());
                };
            case 2 -> F.booleanNode(r.nextBoolean());
            case 3 -> F.nullNode();
            case 4 -> {
                ArrayNode a = F.arrayNode();
                for (int i = r.nextInt(5); i > 0; i--) a.add(random(r, depth + 1));
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                for (int i = r.nextInt(6); i > 0; i--) o.set(randomString(r), random(r, depth + 1));
                yield o;
            }
        };
    }

    private static String randomString(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            switch (r.nextInt(5)) {
                case 0 -> b.append((char) r.nextInt(0x80));
                case 1 -> b.append((char) (0x80 + r.nextInt(0x780)));
                case 2 -> b.appendCodePoint(0x10000 + r.nextInt(0x100000 - 0x10000));
                case 3 -> {
                    char c = (char) (0x800 + r.nextInt(0xd800 - 0x800));
                    b.append(c);
                }
                default -> b.append((char) (0xe000 + r.nextInt(0x2000)));
            }
        }
        return b.toString();
    }
}
