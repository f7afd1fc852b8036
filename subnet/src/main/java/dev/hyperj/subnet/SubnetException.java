package dev.hyperj.subnet;

/**
 * The root of the exceptions the subnet module throws for its own failures: a refusal of the
 * network API ({@code ApiException}) and a DAG store that cannot be opened, read or written
 * ({@code DagStoreException}). Chain failures reach subnet code as the chain module's
 * {@code ChainException}s and are passed on as they are.
 *
 * <p>Unchecked, as they were. Two kinds stay outside on purpose: malformed input from peers
 * ({@code DagFormatException}, {@code HeartbeatFormatException}) stays an
 * {@link IllegalArgumentException}, which is what validators catch for bad input, and an
 * application's {@code DagSchema.InvalidNodeException} stays checked, since a schema must say
 * when a node is invalid.
 */
public abstract class SubnetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected SubnetException(String message) {
        super(message);
    }

    protected SubnetException(String message, Throwable cause) {
        super(message, cause);
    }

    protected SubnetException(String message, Throwable cause, boolean enableSuppression, boolean writableStackTrace) {
        super(message, cause, enableSuppression, writableStackTrace);
    }
}
