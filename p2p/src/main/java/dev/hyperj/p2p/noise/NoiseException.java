package dev.hyperj.p2p.noise;

import java.io.IOException;

/**
 * A Noise secure channel failed: a malformed or unauthentic handshake message, an identity
 * payload whose signature or peer id does not check out, a handshake timeout, or a transport
 * frame that does not decrypt. The connection it happened on is closed.
 */
public final class NoiseException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoiseException(String message) {
        super(message);
    }

    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
