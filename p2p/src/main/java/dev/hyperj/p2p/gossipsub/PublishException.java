package dev.hyperj.p2p.gossipsub;

/** A publication the router refused, and why (rust-libp2p gossipsub's {@code PublishError}). */
public final class PublishException extends IllegalArgumentException {
    /** Why a publication was refused. */
    public enum Reason {
        /** The message id was seen already (published or received): nothing was sent. */
        DUPLICATE,
        /** The message alone would make an RPC over the configured limit. */
        MESSAGE_TOO_LARGE
    }

    private final Reason reason;

    PublishException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
