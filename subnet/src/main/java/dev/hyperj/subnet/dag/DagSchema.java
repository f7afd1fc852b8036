package dev.hyperj.subnet.dag;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an application registers per namespace (see {@link MerkleDag#register}): the schema id its
 * nodes carry, how to check a payload, and how a node folds into the namespace's materialised
 * state. {@link #apply} must be deterministic: every node replays the same nodes in the same
 * (topological, then node id) order and must reach the same state.
 */
public interface DagSchema {
    /** The {@code schema_id} nodes of this schema carry. */
    String id();

    /**
     * Checks a node whose parents are all accepted (readable from {@code dag}); throw
     * {@link InvalidNodeException} to reject it.
     */
    default void validate(DagNode node, DagReader dag) throws InvalidNodeException {}

    /** The namespace's state after {@code node}; {@code state} starts as an empty object. Must not modify {@code state}. */
    default JsonNode apply(JsonNode state, DagNode node) {
        return state;
    }

    /** A payload the schema refuses. */
    final class InvalidNodeException extends Exception {
        public InvalidNodeException(String message) {
            super(message);
        }
    }
}
