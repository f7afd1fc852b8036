package dev.hyperj.chain.rpc;

/** A client connection as the dispatcher sees it: HTTP (no subscriptions) or WebSocket. */
interface Session {
    boolean supportsSubscriptions();

    /** Registers a subscription; its id, or RpcException when the connection has too many. */
    String subscribe(AutoCloseable cancel);

    /** Cancels a subscription of this connection; false if unknown. */
    boolean unsubscribe(String id);

    /** Sends {@code {"jsonrpc":"2.0","method":method,"params":{"subscription":id,"result":result}}}. */
    void notify(String method, String subscriptionId, Object result);
}
