package dev.hyperj.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event stream of {@code hyperj p2p}: one JSON object per line, {"event": name, ...}, each
 * line written whole even when events race on several threads.
 */
final class JsonLines {
    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream out;

    JsonLines(PrintStream out) {
        this.out = out;
    }

    /** Writes {"event": event, k1: v1, k2: v2, ...}; {@code fields} alternate names and values. */
    void emit(String event, Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        for (int i = 0; i < fields.length; i += 2) {
            line.put((String) fields[i], fields[i + 1]);
        }
        emit(line);
    }

    /** Writes a line built by the caller (its "event" entry first, by convention). */
    void emit(Map<String, Object> line) {
        String text;
        try {
            text = json.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + line.get("event"), e);
        }
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    /**
     * Puts {@code bytes} into {@code line} as {@code name}: the text if they are valid UTF-8, else
     * their base64 under {@code name + "Base64"}, so binary payloads survive the JSON line intact.
     */
    static void putPayload(Map<String, Object> line, String name, byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            line.put(name, text);
        } catch (CharacterCodingException e) {
            line.put(name + "Base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** The message of the failure behind {@code e}, without the future wrappers around it. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null
                && (t instanceof java.util.concurrent.ExecutionException
                        || t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
