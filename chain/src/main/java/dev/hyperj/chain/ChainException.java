package dev.hyperj.chain;

/**
 * The root of the exceptions the chain module throws for its own failures, so that a caller can
 * catch everything the chain side may say with one clause: the client could not reach or hear the
 * node ({@code ChainClientException}), the node refused a transaction ({@code TxException}), a
 * JSON-RPC error ({@code RpcException}), the database failed ({@code StoreException}), and the
 * runtime's own abort of a call ({@code DispatchError}, internal).
 *
 * <p>Unchecked, as every one of them was: they cross {@code ChainClient}'s interface, futures and
 * callbacks, where checked exceptions would be wrapped anyway. Malformed input is not here: the
 * decoders' {@code ScaleException} (and the Substrate client's {@code MetadataException}) stay
 * {@link IllegalArgumentException}s, which is what callers across modules catch for bad input,
 * like p2p's decoders.
 */
public abstract class ChainException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected ChainException(String message) {
        super(message);
    }

    protected ChainException(String message, Throwable cause) {
        super(message, cause);
    }

    /** For control flow that needs no stack trace. */
    protected ChainException(String message, Throwable cause, boolean enableSuppression, boolean writableStackTrace) {
        super(message, cause, enableSuppression, writableStackTrace);
    }
}
