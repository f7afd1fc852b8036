package dev.hyperj.subnet.api.forward;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One route of the API protocol: peers ask {@code name}; the node forwards to {@code target}, a
 * local HTTP service, within the route's limits.
 *
 * @param name             what peers ask for, e.g. {@code /embed}
 * @param target           the service's URL (http only)
 * @param methods          methods peers may use
 * @param headers          request header names peers may send (lower case); any other is refused
 * @param maxRequestBytes  largest request body
 * @param maxResponseBytes largest response body the service may answer
 * @param timeout          how long the service may take
 * @param maxConcurrent    calls forwarded at once; more are refused as busy
 */
public record ForwardRoute(
        String name,
        URI target,
        Set<String> methods,
        Set<String> headers,
        int maxRequestBytes,
        int maxResponseBytes,
        Duration timeout,
        int maxConcurrent) {
    /** Content negotiation and tracing pass by default. */
    public static final Set<String> DEFAULT_HEADERS =
            Set.of("content-type", "accept", "accept-encoding", "x-request-id");

    public ForwardRoute {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith("/") || name.length() > 128)
            throw new IllegalArgumentException("a route name is /...: " + name);
        if (!"http".equals(target.getScheme()) || target.getHost() == null)
            throw new IllegalArgumentException("a route forwards to an http:// URL: " + target);
        methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        headers = headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (methods.isEmpty()) throw new IllegalArgumentException("a route allows at least one method");
        if (maxRequestBytes < 0
                || maxResponseBytes < 0
                || maxConcurrent < 1
                || timeout.isNegative()
                || timeout.isZero()) throw new IllegalArgumentException("route limits must be positive");
    }

    /** POST and GET, {@link #DEFAULT_HEADERS}, 1 MiB each way, 10 s, 32 at once. */
    public static ForwardRoute of(String name, URI target) {
        return new ForwardRoute(
                name, target, Set.of("GET", "POST"), DEFAULT_HEADERS, 1 << 20, 1 << 20, Duration.ofSeconds(10), 32);
    }

    public ForwardRoute withMethods(Set<String> m) {
        return new ForwardRoute(name, target, m, headers, maxRequestBytes, maxResponseBytes, timeout, maxConcurrent);
    }

    public ForwardRoute withHeaders(Set<String> h) {
        return new ForwardRoute(name, target, methods, h, maxRequestBytes, maxResponseBytes, timeout, maxConcurrent);
    }

    public ForwardRoute withBodyLimits(int request, int response) {
        return new ForwardRoute(name, target, methods, headers, request, response, timeout, maxConcurrent);
    }

    public ForwardRoute withTimeout(Duration t) {
        return new ForwardRoute(name, target, methods, headers, maxRequestBytes, maxResponseBytes, t, maxConcurrent);
    }

    public ForwardRoute withMaxConcurrent(int n) {
        return new ForwardRoute(name, target, methods, headers, maxRequestBytes, maxResponseBytes, timeout, n);
    }

    /**
     * Parses {@code NAME=URL[;methods=GET|POST][;headers=a|b][;max-body=BYTES][;max-response=BYTES][;timeout=MS][;concurrency=N]},
     * the form of {@code hyperj node --api-route}.
     */
    public static ForwardRoute parse(String spec) {
        String[] parts = spec.split(";");
        int eq = parts[0].indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("a route is NAME=URL[;option=value...]: " + spec);
        ForwardRoute r;
        try {
            r = of(
                    parts[0].substring(0, eq).strip(),
                    URI.create(parts[0].substring(eq + 1).strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad route " + spec + ": " + e.getMessage());
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("a route option is name=value: " + parts[i]);
            String v = kv[1].strip();
            try {
                r = switch (kv[0].strip()) {
                    case "methods" -> r.withMethods(Set.of(v.split("\\|")));
                    case "headers" -> r.withHeaders(Set.of(v.split("\\|")));
                    case "max-body" -> r.withBodyLimits(Integer.parseInt(v), r.maxResponseBytes());
                    case "max-response" -> r.withBodyLimits(r.maxRequestBytes(), Integer.parseInt(v));
                    case "timeout" -> r.withTimeout(Duration.ofMillis(Long.parseLong(v)));
                    case "concurrency" -> r.withMaxConcurrent(Integer.parseInt(v));
                    default ->
                        throw new IllegalArgumentException("unknown route option " + kv[0]
                                + " (methods, headers, max-body, max-response, timeout, concurrency)");
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("route option " + kv[0] + " needs a number: " + v);
            }
        }
        return r;
    }
}
