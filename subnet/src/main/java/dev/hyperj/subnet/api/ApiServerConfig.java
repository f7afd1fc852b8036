package dev.hyperj.subnet.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node's network API listens and what it bears.
 *
 * @param bind            address and port (port 0 = any free port); loopback by default
 * @param allow           client addresses answered; others get 403
 * @param token           if present, every request needs {@code Authorization: Bearer <token>}
 * @param maxBodyBytes    largest request body; larger ones get 413
 * @param maxHeaderBytes  largest header block; larger ones get 431
 * @param maxConnections  open connections at once; more are closed at accept
 * @param maxInFlight     requests handled at once; more get 503
 * @param requestTimeout  from a request's first byte to its last (slow bodies get 408)
 * @param handlerTimeout  how long a handler may take (then 504)
 * @param idleTimeout     an idle keep-alive connection is closed after this
 */
public record ApiServerConfig(
        InetSocketAddress bind,
        IpAllowList allow,
        Optional<String> token,
        int maxBodyBytes,
        int maxHeaderBytes,
        int maxConnections,
        int maxInFlight,
        Duration requestTimeout,
        Duration handlerTimeout,
        Duration idleTimeout) {
    public ApiServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(allow, "allow");
        Objects.requireNonNull(token, "token");
        if (token.isPresent() && token.get().length() < 16)
            throw new IllegalArgumentException("an API token needs at least 16 characters");
        if (maxBodyBytes < 0 || maxHeaderBytes < 256 || maxConnections < 1 || maxInFlight < 1)
            throw new IllegalArgumentException("API limits must be positive");
    }

    /** 127.0.0.1 on {@code port}, loopback clients, no token, 1 MiB bodies, 8 KiB headers, 256 connections. */
    public static ApiServerConfig loopback(int port) {
        return new ApiServerConfig(
                new InetSocketAddress("127.0.0.1", port),
                IpAllowList.loopback(),
                Optional.empty(),
                1 << 20,
                8192,
                256,
                256,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60));
    }

    public ApiServerConfig withBind(InetSocketAddress b) {
        return new ApiServerConfig(
                b,
                allow,
                token,
                maxBodyBytes,
                maxHeaderBytes,
                maxConnections,
                maxInFlight,
                requestTimeout,
                handlerTimeout,
                idleTimeout);
    }

    public ApiServerConfig withAllow(IpAllowList a) {
        return new ApiServerConfig(
                bind,
                a,
                token,
                maxBodyBytes,
                maxHeaderBytes,
                maxConnections,
                maxInFlight,
                requestTimeout,
                handlerTimeout,
                idleTimeout);
    }

    public ApiServerConfig withToken(String t) {
        return new ApiServerConfig(
                bind,
                allow,
                Optional.ofNullable(t),
                maxBodyBytes,
                maxHeaderBytes,
                maxConnections,
                maxInFlight,
                requestTimeout,
                handlerTimeout,
                idleTimeout);
    }

    public ApiServerConfig withLimits(int body, int header, int connections, int inFlight) {
        return new ApiServerConfig(
                bind, allow, token, body, header, connections, inFlight, requestTimeout, handlerTimeout, idleTimeout);
    }

    public ApiServerConfig withTimeouts(Duration request, Duration handler, Duration idle) {
        return new ApiServerConfig(
                bind, allow, token, maxBodyBytes, maxHeaderBytes, maxConnections, maxInFlight, request, handler, idle);
    }
}
