package dev.hyperj.subnet.dag;

/** Why ingest refused a node. */
public enum RejectReason {
    /** Fields missing, of the wrong type, a bad id format, unsorted or repeated parents, wrong version. */
    MALFORMED,
    /** The signature does not verify with the header's public key. */
    FORGED_SIGNATURE,
    /** The author is not the peer id of the header's public key. */
    AUTHOR_MISMATCH,
    /** The node id is not the hash of the header. */
    WRONG_NODE_ID,
    /** The body does not hash to the header's body_hash, or is not body_size bytes. */
    WRONG_BODY_HASH,
    /** The node lists itself as a parent. */
    SELF_PARENT,
    /** The node is its own ancestor through the nodes waiting for parents. */
    CYCLE,
    /** No schema is registered for the node's namespace and schema id. */
    UNKNOWN_SCHEMA,
    /** Body larger than the limit, or more parents than allowed. */
    OVERSIZED_BODY,
    /** The schema refused the payload. */
    INVALID_PAYLOAD,
    /** Filed under an epoch that pruning has already cut away. */
    PRUNED_EPOCH
}
