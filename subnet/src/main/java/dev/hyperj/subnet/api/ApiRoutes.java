package dev.hyperj.subnet.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The routes an application adds to its node's network API ({@code NodeContext.api()}), e.g.
 * {@code ctx.api().route("POST", "/v1/embeddings", "OpenAI-style embeddings", this::embed)}. Paths
 * match exactly; the node's own routes ({@link #RESERVED}) cannot be taken. Routes may be added at
 * any time (usually in {@code setup}); the server sees them at once.
 */
public final class ApiRoutes {
    /** The node's own paths. */
    public static final Set<String> RESERVED =
            Set.of("/v1/status", "/v1/peers", "/v1/publish", "/v1/request", "/v1/openapi.json", "/metrics");

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    private final Map<String, ApiRoute> byKey = new ConcurrentHashMap<>();

    /** Adds {@code method path}; see {@link #route(String, String, String, ApiHandler)}. */
    public ApiRoutes route(String method, String path, ApiHandler handler) {
        return route(method, path, "", handler);
    }

    /**
     * Adds {@code method path} with a one-line description for {@code /v1/openapi.json}.
     *
     * @throws IllegalArgumentException for an unknown method, a path that is not plain segments of
     *     {@code [A-Za-z0-9._~-]}, one of the node's own paths, or a route already added
     */
    public ApiRoutes route(String method, String path, String description, ApiHandler handler) {
        String m = method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(m))
            throw new IllegalArgumentException("method must be one of " + METHODS + ": " + method);
        if (!PATH.matcher(path).matches()
                || path.contains("/./")
                || path.contains("/../")
                || path.endsWith("/.")
                || path.endsWith("/.."))
            throw new IllegalArgumentException("a route path is /segment/segment... of [A-Za-z0-9._~-]: " + path);
        if (RESERVED.contains(path)) throw new IllegalArgumentException("the node serves " + path + " itself");
        if (handler == null) throw new IllegalArgumentException("a route needs a handler");
        ApiRoute r = new ApiRoute(m, path, description == null ? "" : description, handler);
        if (byKey.putIfAbsent(m + " " + path, r) != null)
            throw new IllegalArgumentException("route already added: " + m + " " + path);
        return this;
    }

    /** The route for {@code method path}, if one was added. */
    public Optional<ApiRoute> find(String method, String path) {
        return Optional.ofNullable(byKey.get(method.toUpperCase(Locale.ROOT) + " " + path));
    }

    /** Whether any method was added for {@code path} (a request with another method is a 405). */
    public boolean hasPath(String path) {
        return byKey.values().stream().anyMatch(r -> r.path().equals(path));
    }

    /** Every route, by path then method. */
    public List<ApiRoute> routes() {
        return byKey.values().stream()
                .sorted(java.util.Comparator.comparing(ApiRoute::path).thenComparing(ApiRoute::method))
                .toList();
    }
}
