package dev.hyperj.p2p.gossipsub;

/** A pubsub RPC or frame that is malformed or exceeds the configured limits. */
public final class GossipCodecException extends IllegalArgumentException {
    public GossipCodecException(String message) {
        super(message);
    }

    public GossipCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
