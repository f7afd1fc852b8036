package dev.hyperj.p2p.protocol.identify;

import dev.hyperj.p2p.P2pException;

/** An identify exchange failed, or a message, signed envelope or peer record was invalid. */
public final class IdentifyException extends P2pException {
    IdentifyException(String message) {
        super(message);
    }

    IdentifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
