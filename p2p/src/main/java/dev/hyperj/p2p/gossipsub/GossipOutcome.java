package dev.hyperj.p2p.gossipsub;

/** What became of a message received on a subscribed topic (for counters by topic and outcome). */
public enum GossipOutcome {
    /** Validated and delivered to the application. */
    DELIVERED,
    /** Seen before. */
    DUPLICATE,
    /** Invalid: bad id, bad signature or rejected by the validator. */
    REJECTED,
    /** Ignored by the validator, its timeout, or throttled. */
    IGNORED
}
