package dev.hyperj.subnet.api;

import dev.hyperj.subnet.api.forward.ForwardRoute;
import java.util.List;
import java.util.Optional;

/**
 * A node's network API and API protocol.
 *
 * @param server the HTTP server's address and limits; empty for no network API
 * @param routes the API-protocol routes the node serves to peers (none: it does not serve the protocol)
 * @param telemetry a collector to push signed telemetry events to (none by default)
 */
public record NodeApiConfig(
        Optional<ApiServerConfig> server, List<ForwardRoute> routes, Optional<java.net.URI> telemetry) {
    public NodeApiConfig {
        routes = List.copyOf(routes);
    }

    public NodeApiConfig(Optional<ApiServerConfig> server, List<ForwardRoute> routes) {
        this(server, routes, Optional.empty());
    }

    /** Pushes signed telemetry events to {@code collector} (e.g. a dashboard's /api/telemetry). */
    public NodeApiConfig withTelemetry(java.net.URI collector) {
        return new NodeApiConfig(server, routes, Optional.of(collector));
    }

    /** No network API, no routes. */
    public static NodeApiConfig disabled() {
        return new NodeApiConfig(Optional.empty(), List.of());
    }

    /** The network API on 127.0.0.1:{@code port} (0 = any free port), loopback clients only. */
    public static NodeApiConfig loopback(int port) {
        return new NodeApiConfig(Optional.of(ApiServerConfig.loopback(port)), List.of());
    }

    public NodeApiConfig withServer(ApiServerConfig s) {
        return new NodeApiConfig(Optional.of(s), routes, telemetry);
    }

    public NodeApiConfig withRoutes(List<ForwardRoute> r) {
        return new NodeApiConfig(server, r, telemetry);
    }
}
