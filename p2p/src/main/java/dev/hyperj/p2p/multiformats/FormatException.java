package dev.hyperj.p2p.multiformats;

/** Malformed multiformat input (varint, base encodings, multihash, CID, multiaddr, peer id). */
public final class FormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
