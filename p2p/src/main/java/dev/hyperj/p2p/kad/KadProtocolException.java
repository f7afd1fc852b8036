package dev.hyperj.p2p.kad;

/** A DHT message that is malformed, oversized or out of bounds; the stream carrying it is reset. */
public final class KadProtocolException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public KadProtocolException(String message) {
        super(message);
    }

    public KadProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
