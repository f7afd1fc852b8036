package dev.hyperj.subnet.dag;

/** Bytes or JSON that are not a well-formed DAG message; the message says what is wrong. */
public final class DagFormatException extends IllegalArgumentException {
    public DagFormatException(String message) {
        super(message);
    }
}
