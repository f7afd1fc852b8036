package dev.hyperj.chain.client;

import dev.hyperj.chain.ChainException;

/** The chain could not answer (connection lost, timeout, an RPC error). */
public final class ChainClientException extends ChainException {
    private final int code;

    public ChainClientException(int code, String message) {
        super(message);
        this.code = code;
    }

    public ChainClientException(String message, Throwable cause) {
        super(message, cause);
        this.code = 0;
    }

    /** The JSON-RPC error code (0 when the failure was not an RPC error). */
    public int code() {
        return code;
    }
}
