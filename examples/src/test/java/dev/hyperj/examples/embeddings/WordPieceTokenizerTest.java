package dev.hyperj.examples.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our tokenizer against Hugging Face's: tokenizer-reference.json holds the ids that the Rust
 * tokenizers library gives for a varied set of texts with the model's tokenizer.json (written by
 * examples/tokenizer-reference/generate.mjs, never by our code).
 */
class WordPieceTokenizerTest {
    static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = WordPieceTokenizer.load();
    }

    static JsonNode reference() throws Exception {
        try (InputStream in = WordPieceTokenizerTest.class.getResourceAsStream("tokenizer-reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void sameIdsAsHuggingFaceTokenizersOnEveryReferenceText() throws Exception {
        JsonNode ref = reference();
        assertThat(ref.path("max_length").asInt()).isEqualTo(WordPieceTokenizer.MAX_TOKENS);
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (JsonNode c : ref.path("cases")) {
            String text = c.path("text").asText();
            int[] expected = new ObjectMapper().treeToValue(c.path("ids"), int[].class);
            int[] got = tokenizer.encode(text);
            if (!java.util.Arrays.equals(expected, got))
                wrong.add(text.substring(0, Math.min(60, text.length())) + "\n  expected "
                        + java.util.Arrays.toString(expected) + "\n  got      " + java.util.Arrays.toString(got));
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(35);
        assertThat(wrong).isEmpty();
    }

    @Test
    void longTextsAreTruncatedTo256TokensEndingWithSep() {
        int[] ids = tokenizer.encode("word ".repeat(10_000));
        assertThat(ids).hasSize(WordPieceTokenizer.MAX_TOKENS);
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[255]).isEqualTo(102);
    }

    @Test
    void aTokenizerJsonOfAnotherKindIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WordPieceTokenizer.fromJson(
                        "{\"model\":{\"type\":\"BPE\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
