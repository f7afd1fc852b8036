package dev.hyperj.p2p.host;

import java.time.Duration;
import java.util.Objects;

/**
 * Deadlines a {@link Host} puts on connections. How many connections and streams it admits is the
 * {@link dev.hyperj.p2p.resources.ResourceLimits}' business; streams per connection live in the
 * muxer's {@code MuxerConfig.maxStreams}.
 *
 * @param handshakeTimeout   TCP connect plus the whole upgrade (security, gater, muxer)
 * @param negotiationTimeout each multistream-select negotiation, on connections and streams
 * @param gaterTimeout       how long the {@link ConnectionGater} may take; timeout = deny
 * @param idleTimeout        a connection without streams for this long is closed; ZERO = never
 */
public record ConnectionLimits(
        Duration handshakeTimeout, Duration negotiationTimeout, Duration gaterTimeout, Duration idleTimeout) {

    public ConnectionLimits {
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

    /** 15 s handshake, 10 s negotiation, 5 s gater, no idle timeout. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO);
    }

    public ConnectionLimits withHandshakeTimeout(Duration d) {
        return new ConnectionLimits(d, negotiationTimeout, gaterTimeout, idleTimeout);
    }

    public ConnectionLimits withNegotiationTimeout(Duration d) {
        return new ConnectionLimits(handshakeTimeout, d, gaterTimeout, idleTimeout);
    }

    public ConnectionLimits withGaterTimeout(Duration d) {
        return new ConnectionLimits(handshakeTimeout, negotiationTimeout, d, idleTimeout);
    }

    public ConnectionLimits withIdleTimeout(Duration d) {
        return new ConnectionLimits(handshakeTimeout, negotiationTimeout, gaterTimeout, d);
    }
}
