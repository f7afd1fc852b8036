package dev.hyperj.subnet.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole answer of the network API. Errors have one shape everywhere, {@code {"error": {"code":
 * "...", "message": "..."}}}, so a program branches on the code and a person reads the message.
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
    static final ObjectMapper JSON = new ObjectMapper();

    public ApiResponse {
        if (status < 100 || status > 599) throw new IllegalArgumentException("not an HTTP status: " + status);
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** 200 with {@code value} as JSON (records, maps, lists, Jackson trees). */
    public static ApiResponse json(Object value) {
        return json(200, value);
    }

    public static ApiResponse json(int status, Object value) {
        try {
            return new ApiResponse(status, Map.of("content-type", "application/json"), JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static ApiResponse text(int status, String text) {
        return new ApiResponse(
                status, Map.of("content-type", "text/plain; charset=utf-8"), text.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse bytes(int status, String contentType, byte[] body) {
        return new ApiResponse(status, Map.of("content-type", contentType), body);
    }

    /** The one error shape: {@code {"error": {"code": code, "message": message}}}. */
    public static ApiResponse error(int status, String code, String message) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        return json(status, Map.of("error", e));
    }

    /** Copy with one more header (name in lower case). */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name.toLowerCase(java.util.Locale.ROOT), value);
        return new ApiResponse(status, h, body);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
