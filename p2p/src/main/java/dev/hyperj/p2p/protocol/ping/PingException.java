package dev.hyperj.p2p.protocol.ping;

import dev.hyperj.p2p.P2pException;

/** A ping failed: the peer echoed different bytes, closed the stream early, or did not answer in time. */
public final class PingException extends P2pException {
    PingException(String message) {
        super(message);
    }

    PingException(String message, Throwable cause) {
        super(message, cause);
    }
}
