package dev.hyperj.p2p.protocol.identify;

/** An identify exchange failed, or a message, signed envelope or peer record was invalid. */
public final class IdentifyException extends RuntimeException {
    IdentifyException(String message) {
        super(message);
    }

    IdentifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
