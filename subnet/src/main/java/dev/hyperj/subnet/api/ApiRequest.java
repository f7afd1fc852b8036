package dev.hyperj.subnet.api;

import com.fasterxml.jackson.core.JacksonException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to the node's network API, read whole and within the server's limits.
 *
 * @param method  upper case, e.g. {@code POST}
 * @param path    the decoded path without the query, e.g. {@code /v1/embeddings}
 * @param query   the decoded query parameters (the first value of each name)
 * @param headers header names in lower case; repeated headers joined with {@code ", "}
 * @param body    the body bytes (empty if none)
 * @param remote  the client's address
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, String> query,
        Map<String, String> headers,
        byte[] body,
        InetSocketAddress remote) {
    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The body as UTF-8 text (malformed bytes become U+FFFD). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON into {@code type}; a body that does not parse is a 400. */
    public <T> T bodyAs(Class<T> type) {
        if (body.length == 0) throw ApiException.badRequest("a JSON body is required");
        try {
            return ApiResponse.JSON.readValue(body, type);
        } catch (JacksonException e) {
            throw ApiException.badRequest("the body is not valid JSON for this route: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body could not be read: " + e.getMessage());
        }
    }
}
