package dev.hyperj.p2p.gossipsub;

/** A topic validator's verdict (libp2p pubsub): deliver and forward, penalise the sender, or drop quietly. */
public enum ValidationResult {
    ACCEPT,
    REJECT,
    IGNORE
}
