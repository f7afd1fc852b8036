package dev.hyperj.chain.runtime;

import dev.hyperj.chain.storage.ChangeSet;
import java.util.List;

/**
 * The result of executing a block: the writes to apply to the backend (atomically), the state root
 * after them, every event in order (hooks first, then calls) and each call's result.
 */
public record BlockResult(
        long blockNumber, byte[] stateRoot, ChangeSet changes, List<Event> events, List<CallResult> callResults) {
    public BlockResult {
        stateRoot = stateRoot.clone();
        events = List.copyOf(events);
        callResults = List.copyOf(callResults);
    }

    @Override
    public byte[] stateRoot() {
        return stateRoot.clone();
    }
}
