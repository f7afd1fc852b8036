package dev.hyperj.chain.rpc;

import dev.hyperj.chain.ChainException;

/** A JSON-RPC error: code, message and optional data. */
public final class RpcException extends ChainException {
    public static final int PARSE_ERROR = -32700,
            INVALID_REQUEST = -32600,
            METHOD_NOT_FOUND = -32601,
            INVALID_PARAMS = -32602,
            INTERNAL = -32603,
            SERVER_BUSY = -32005,
            TOO_MANY_SUBSCRIPTIONS = -32006,
            /** Substrate's "Invalid Transaction": refused before reaching a block (data = the reason). */
            INVALID_TRANSACTION = 1010;

    private final int code;
    private final transient Object data;

    public RpcException(int code, String message) {
        this(code, message, null);
    }

    public RpcException(int code, String message, Object data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    public int code() {
        return code;
    }

    public Object data() {
        return data;
    }
}
