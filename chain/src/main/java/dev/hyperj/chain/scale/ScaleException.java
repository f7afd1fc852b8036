package dev.hyperj.chain.scale;

/** Malformed or out-of-bounds SCALE input (every decoder error of this package). */
public final class ScaleException extends IllegalArgumentException {
    public ScaleException(String message) {
        super(message);
    }

    public ScaleException(String message, Throwable cause) {
        super(message, cause);
    }
}
