package dev.hyperj.p2p.host;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds a {@link Host} puts on connections. Stream limits per connection live in the muxer's
 * {@code MuxerConfig.maxStreams}.
 *
 * @param maxConnections        open connections in total, inbound and outbound, upgrading or
 *                              established; an inbound connection over it is closed on accept
 * @param maxConnectionsPerPeer authenticated connections to one peer (simultaneous dials make 2)
 * @param handshakeTimeout      TCP connect plus the whole upgrade (security, gater, muxer)
 * @param negotiationTimeout    each multistream-select negotiation, on connections and streams
 * @param gaterTimeout          how long the {@link ConnectionGater} may take; timeout = deny
 * @param idleTimeout           a connection without streams for this long is closed; ZERO = never
 */
public record ConnectionLimits(
        int maxConnections,
        int maxConnectionsPerPeer,
        Duration handshakeTimeout,
        Duration negotiationTimeout,
        Duration gaterTimeout,
        Duration idleTimeout) {

    public ConnectionLimits {
        if (maxConnections < 1 || maxConnectionsPerPeer < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
        for (Duration d : new Duration[] {handshakeTimeout, negotiationTimeout, gaterTimeout, idleTimeout}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative timeout: " + d);
            }
        }
        if (handshakeTimeout.isZero() || negotiationTimeout.isZero() || gaterTimeout.isZero()) {
            throw new IllegalArgumentException("handshake, negotiation and gater timeouts must be positive");
        }
    }

    /** 1024 connections, 4 per peer, 15 s handshake, 10 s negotiation, 5 s gater, no idle timeout. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(
                1024, 4, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO);
    }

    public ConnectionLimits withMaxConnections(int n) {
        return new ConnectionLimits(
                n, maxConnectionsPerPeer, handshakeTimeout, negotiationTimeout, gaterTimeout, idleTimeout);
    }

    public ConnectionLimits withMaxConnectionsPerPeer(int n) {
        return new ConnectionLimits(maxConnections, n, handshakeTimeout, negotiationTimeout, gaterTimeout, idleTimeout);
    }

    public ConnectionLimits withHandshakeTimeout(Duration d) {
        return new ConnectionLimits(
                maxConnections, maxConnectionsPerPeer, d, negotiationTimeout, gaterTimeout, idleTimeout);
    }

    public ConnectionLimits withNegotiationTimeout(Duration d) {
        return new ConnectionLimits(
                maxConnections, maxConnectionsPerPeer, handshakeTimeout, d, gaterTimeout, idleTimeout);
    }

    public ConnectionLimits withGaterTimeout(Duration d) {
        return new ConnectionLimits(
                maxConnections, maxConnectionsPerPeer, handshakeTimeout, negotiationTimeout, d, idleTimeout);
    }

    public ConnectionLimits withIdleTimeout(Duration d) {
        return new ConnectionLimits(
                maxConnections, maxConnectionsPerPeer, handshakeTimeout, negotiationTimeout, gaterTimeout, d);
    }
}
