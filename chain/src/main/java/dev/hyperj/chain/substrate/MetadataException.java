package dev.hyperj.chain.substrate;

/** The node's runtime metadata, or a value against it, is malformed, truncated or not what HyperJ supports. */
public final class MetadataException extends IllegalArgumentException {
    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
