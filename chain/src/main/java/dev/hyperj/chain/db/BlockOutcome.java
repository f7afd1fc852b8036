package dev.hyperj.chain.db;

import dev.hyperj.chain.runtime.CallResult;
import dev.hyperj.chain.runtime.Event;
import java.util.List;

/** What a stored block did: every event in order (hooks first, then calls) and each transaction's result. */
public record BlockOutcome(List<Event> events, List<CallResult> results) {
    public static final BlockOutcome EMPTY = new BlockOutcome(List.of(), List.of());

    public BlockOutcome {
        events = List.copyOf(events);
        results = List.copyOf(results);
    }
}
