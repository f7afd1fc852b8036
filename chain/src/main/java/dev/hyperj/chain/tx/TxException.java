package dev.hyperj.chain.tx;

/** A transaction the node refuses before it reaches a block, with the reason as a code and a sentence. */
public final class TxException extends RuntimeException {
    /** Why a transaction was refused. */
    public enum Reason { Malformed, WrongChain, WrongGenesis, BadSignature, StaleNonce, FutureNonceLimit, PoolFull, Duplicate, NodeStopped }

    private final Reason reason;

    public TxException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
