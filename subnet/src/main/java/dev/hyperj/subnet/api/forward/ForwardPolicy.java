package dev.hyperj.subnet.api.forward;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides what to do with an API call, without I/O: refuse it with a typed error, or forward it
 * (a {@link Plan}: where, how, with which headers, within which time). Concurrency is counted by
 * the caller through {@link Slots}, so that tests drive every rule without sockets.
 */
public final class ForwardPolicy {
    /** Headers a service must never get from a peer or give back: they belong to each hop. */
    static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "expect");

    private final Map<String, ForwardRoute> routes;

    public ForwardPolicy(List<ForwardRoute> routes) {
        this.routes = routes.stream()
                .collect(Collectors.toUnmodifiableMap(ForwardRoute::name, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("route configured twice: " + a.name());
                }));
    }

    public List<ForwardRoute> routes() {
        return routes.values().stream()
                .sorted(java.util.Comparator.comparing(ForwardRoute::name))
                .toList();
    }

    /** Counts calls in progress per route; {@link #tryTake} is false at the route's limit. */
    public interface Slots {
        boolean tryTake(ForwardRoute route);
    }

    /** The outcome: exactly one of {@code plan} and {@code refusal} is set. */
    public record Decision(Plan plan, ApiAnswer refusal) {
        static Decision refuse(ForwardError e, String message) {
            return new Decision(null, ApiAnswer.error(e, message));
        }
    }

    /** What to send to the service. The caller must give the route's slot back when done. */
    public record Plan(
            ForwardRoute route,
            URI target,
            String method,
            List<ApiCall.Header> headers,
            byte[] body,
            Duration timeout) {}

    public Decision decide(ApiCall call, Slots slots) {
        ForwardRoute route = routes.get(call.route());
        if (route == null)
            return Decision.refuse(ForwardError.UNKNOWN_ROUTE, "this node serves no route " + clip(call.route()));
        String method = call.method().toUpperCase(Locale.ROOT);
        if (!route.methods().contains(method))
            return Decision.refuse(
                    ForwardError.METHOD_NOT_ALLOWED,
                    "route " + route.name() + " allows "
                            + route.methods().stream().sorted().toList() + ", not " + clip(method));
        List<ApiCall.Header> pass = new ArrayList<>();
        for (ApiCall.Header h : call.headers()) {
            String n = h.name().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(n)) continue; // per hop: dropped, never refused
            if (!route.headers().contains(n))
                return Decision.refuse(
                        ForwardError.HEADER_NOT_ALLOWED,
                        "route " + route.name() + " does not take header " + clip(n) + " (it takes "
                                + route.headers().stream().sorted().toList() + ")");
            pass.add(new ApiCall.Header(n, h.value()));
        }
        if (call.body().length > route.maxRequestBytes())
            return Decision.refuse(
                    ForwardError.BODY_TOO_LARGE,
                    "route " + route.name() + " takes bodies up to " + route.maxRequestBytes() + " bytes, not "
                            + call.body().length);
        if (!slots.tryTake(route))
            return Decision.refuse(
                    ForwardError.BUSY,
                    "route " + route.name() + " is at its limit of " + route.maxConcurrent() + " calls; retry shortly");
        return new Decision(new Plan(route, route.target(), method, pass, call.body(), route.timeout()), null);
    }

    /** The service's response headers that go back to the peer (hop-by-hop ones dropped). */
    public static List<ApiCall.Header> responseHeaders(Map<String, List<String>> headers) {
        List<ApiCall.Header> out = new ArrayList<>();
        headers.forEach((k, vs) -> {
            String n = k.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(n) || n.startsWith(":")) return;
            for (String v : vs) if (out.size() < ApiCall.MAX_HEADERS) out.add(new ApiCall.Header(n, v));
        });
        return out;
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
