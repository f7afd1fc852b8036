package dev.hyperj.p2p.proto;

/** Malformed protobuf wire data: truncated, oversized, or of an unexpected wire type. */
public final class ProtoException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ProtoException(String message) {
        super(message);
    }
}
