package dev.hyperj.p2p.gossipsub;

/** What this node puts on the messages it publishes and demands of those it receives. */
public enum SignaturePolicy {
    /** Publish with from, seqno, signature (and key if the id does not embed it); accept only valid signatures. */
    STRICT_SIGN,
    /** Publish with none of from, seqno, signature, key; reject messages carrying any of them. */
    STRICT_NO_SIGN
}
