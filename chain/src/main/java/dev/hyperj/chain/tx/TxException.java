package dev.hyperj.chain.tx;

import dev.hyperj.chain.ChainException;

/** A transaction the node refuses before it reaches a block, with the reason as a code and a sentence. */
public final class TxException extends ChainException {
    /** Why a transaction was refused. */
    public enum Reason {
        Malformed,
        WrongChain,
        WrongGenesis,
        BadSignature,
        StaleNonce,
        FutureNonceLimit,
        PoolFull,
        Duplicate,
        NodeStopped,
        /** Same sender and nonce as a different pending transaction (no tips: a replacement is never of higher priority). */
        TooLowPriority,
        /** Dropped from the pool: it could not become ready in time (a nonce before it never arrived). */
        Expired
    }

    private final Reason reason;

    public TxException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
