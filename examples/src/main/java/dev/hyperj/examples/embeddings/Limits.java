package dev.hyperj.examples.embeddings;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** What one request may hold, the same on the peer protocol and on {@code POST /v1/embeddings}. */
public final class Limits {
    private Limits() {}

    /** Texts per request. */
    public static final int MAX_TEXTS = 64;
    /** UTF-8 bytes per text (the model reads 256 tokens, about a thousand characters of English; the rest is cut). */
    public static final int MAX_TEXT_BYTES = 16 * 1024;
    /** A whole request, as JSON. */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;

    /** Refuses an empty list, too many texts, an empty text or one too long, with a message saying which. */
    public static void check(List<String> texts) {
        if (texts.isEmpty())
            throw new EmbeddingsException("input is empty: send one text or a list of 1 to " + MAX_TEXTS);
        if (texts.size() > MAX_TEXTS)
            throw EmbeddingsException.tooLarge(
                    "input has " + texts.size() + " texts; at most " + MAX_TEXTS + " per request");
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null) throw new EmbeddingsException("input[" + i + "] is not a string");
            if (t.isEmpty()) throw new EmbeddingsException("input[" + i + "] is an empty string");
            if (!wellFormed(t))
                throw new EmbeddingsException("input[" + i + "] holds an unpaired surrogate (not Unicode text)");
            int bytes = t.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_TEXT_BYTES)
                throw EmbeddingsException.tooLarge(
                        "input[" + i + "] is " + bytes + " bytes of UTF-8; at most " + MAX_TEXT_BYTES + " per text");
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return false;
        }
        return true;
    }
}
