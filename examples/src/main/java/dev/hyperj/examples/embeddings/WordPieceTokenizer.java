package dev.hyperj.examples.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The BERT WordPiece tokenizer of all-MiniLM-L6-v2, read from the model's {@code tokenizer.json}
 * and giving the same ids as Hugging Face's tokenizers library for it:
 *
 * <ol>
 *   <li>special tokens ({@code [CLS]}, {@code [SEP]}, ...) written in the text are matched first,
 *       on the raw text, and kept as their ids;
 *   <li>the BERT normalizer: drop NUL, U+FFFD and control characters, turn whitespace into spaces,
 *       put spaces around CJK ideographs, strip accents (NFD, then drop nonspacing marks), lowercase
 *       character by character;
 *   <li>the BERT pre-tokenizer: split on whitespace, and every punctuation character is a word;
 *   <li>WordPiece: longest vocabulary match first, continuations prefixed {@code ##}; a word with no
 *       full split, or longer than 100 characters, is {@code [UNK]};
 *   <li>{@code [CLS]} + ids + {@code [SEP]}, truncated to {@link #MAX_TOKENS} in all.
 * </ol>
 *
 * Immutable and thread-safe.
 */
public final class WordPieceTokenizer {
    /** The model's sequence limit (sentence-transformers' max_seq_length for all-MiniLM-L6-v2). */
    public static final int MAX_TOKENS = 256;

    private static final int MAX_WORD_CHARS = 100;
    private final Map<String, Integer> vocab;
    private final Map<String, Integer> special;
    private final int cls;
    private final int sep;
    private final int unk;

    private WordPieceTokenizer(Map<String, Integer> vocab, Map<String, Integer> special) {
        this.vocab = vocab;
        this.special = special;
        this.cls = id(special, "[CLS]");
        this.sep = id(special, "[SEP]");
        this.unk = id(special, "[UNK]");
    }

    private static int id(Map<String, Integer> m, String token) {
        Integer id = m.get(token);
        if (id == null) throw new IllegalArgumentException("tokenizer.json lacks " + token);
        return id;
    }

    /** The subnet's tokenizer, from the pinned tokenizer.json. */
    public static WordPieceTokenizer load() {
        return fromJson(ModelFiles.TOKENIZER.read());
    }

    /** Reads a BERT WordPiece {@code tokenizer.json} (lowercasing, accent-stripping normalizer). */
    public static WordPieceTokenizer fromJson(byte[] json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("tokenizer.json is not JSON", e);
        }
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())
                || !"##".equals(model.path("continuing_subword_prefix").asText()))
            throw new IllegalArgumentException("not a WordPiece tokenizer with ## continuations");
        JsonNode norm = root.path("normalizer");
        if (!"BertNormalizer".equals(norm.path("type").asText())
                || !norm.path("lowercase").asBoolean()
                || !norm.path("handle_chinese_chars").asBoolean()
                || !norm.path("clean_text").asBoolean()
                || !(norm.path("strip_accents").isNull()
                        || norm.path("strip_accents").asBoolean()))
            throw new IllegalArgumentException("not the lowercasing BERT normalizer this tokenizer implements");
        Map<String, Integer> vocab = new HashMap<>();
        model.path("vocab")
                .properties()
                .forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> special = new HashMap<>();
        for (JsonNode t : root.path("added_tokens"))
            special.put(t.path("content").asText(), t.path("id").asInt());
        return new WordPieceTokenizer(Map.copyOf(vocab), Map.copyOf(special));
    }

    /** The vocabulary's whole words of three or more letters a-z, sorted: material for challenge texts. */
    public List<String> words() {
        return vocab.keySet().stream()
                .filter(w -> w.length() >= 3 && w.chars().allMatch(c -> c >= 'a' && c <= 'z'))
                .sorted()
                .toList();
    }

    /** The ids the model reads for {@code text}: [CLS], the text's, [SEP]; at most {@link #MAX_TOKENS}. */
    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        ids.add(cls);
        int limit = MAX_TOKENS - 1;
        int start = 0;
        // special tokens written in the text, matched on the raw text (leftmost, longest)
        for (int i = 0; i < text.length() && ids.size() < limit; ) {
            String match = null;
            if (text.charAt(i) == '[') {
                for (String s : special.keySet())
                    if (text.startsWith(s, i) && (match == null || s.length() > match.length())) match = s;
            }
            if (match == null) {
                i++;
                continue;
            }
            words(text.substring(start, i), ids, limit);
            if (ids.size() < limit) ids.add(special.get(match));
            i += match.length();
            start = i;
        }
        if (ids.size() < limit) words(text.substring(start), ids, limit);
        ids.add(sep);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private void words(String raw, List<Integer> ids, int limit) {
        String text = normalize(raw);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length() && ids.size() < limit; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == ' ') {
                wordPiece(word, ids, limit);
            } else if (isPunctuation(c)) {
                wordPiece(word, ids, limit);
                word.appendCodePoint(c);
                wordPiece(word, ids, limit);
            } else {
                word.appendCodePoint(c);
            }
        }
        wordPiece(word, ids, limit);
    }

    /** Adds the WordPiece ids of {@code word} (then clears it), stopping at {@code limit} ids in all. */
    private void wordPiece(StringBuilder word, List<Integer> ids, int limit) {
        if (word.isEmpty()) return;
        String w = word.toString();
        word.setLength(0);
        if (w.codePointCount(0, w.length()) > MAX_WORD_CHARS) {
            if (ids.size() < limit) ids.add(unk);
            return;
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < w.length()) {
            int end = w.length();
            Integer found = null;
            while (end > start) {
                String piece = start == 0 ? w.substring(start, end) : "##" + w.substring(start, end);
                found = vocab.get(piece);
                if (found != null) break;
                end = w.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                pieces = List.of(unk);
                break;
            }
            pieces.add(found);
            start = end;
        }
        for (int id : pieces) {
            if (ids.size() >= limit) return;
            ids.add(id);
        }
    }

    /** The BERT normalizer: clean, space CJK, strip accents, lowercase (in this order). */
    static String normalize(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == 0 || c == 0xFFFD || isControl(c)) return;
            if (isWhitespace(c)) clean.append(' ');
            else if (isCjk(c)) clean.append(' ').appendCodePoint(c).append(' ');
            else clean.appendCodePoint(c);
        });
        String nfd = Normalizer.normalize(clean, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        nfd.codePoints().forEach(c -> {
            if (Character.getType(c) == Character.NON_SPACING_MARK) return;
            // one code point at a time: no context rules (such as Greek final sigma)
            if (Character.isUpperCase(c) || Character.isTitleCase(c) || Character.toLowerCase(c) != c)
                out.append(Character.toString(c).toLowerCase(Locale.ROOT));
            else out.appendCodePoint(c);
        });
        return out.toString();
    }

    private static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') return false;
        return switch (Character.getType(c)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    /** Unicode's White_Space property (what Rust's char::is_whitespace tests). */
    private static boolean isWhitespace(int c) {
        return (c >= 0x09 && c <= 0x0D)
                || c == 0x20
                || c == 0x85
                || c == 0xA0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202F
                || c == 0x205F
                || c == 0x3000;
    }

    /** The CJK ideograph blocks BERT spaces out (as Hugging Face's tokenizers lists them). */
    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF)
                || (c >= 0x3400 && c <= 0x4DBF)
                || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F)
                || (c >= 0x2B740 && c <= 0x2B81F)
                || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF)
                || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    /** ASCII symbols and punctuation, and Unicode punctuation (categories P*). */
    private static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }
}
