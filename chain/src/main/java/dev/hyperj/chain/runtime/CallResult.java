package dev.hyperj.chain.runtime;

import java.util.List;
import java.util.Optional;

/** The outcome of one call in a block: an error (and no effects) or the events it emitted. */
public record CallResult(int index, Optional<NetworkError> error, List<Event> events) {
    public CallResult {
        events = List.copyOf(events);
    }

    public boolean ok() {
        return error.isEmpty();
    }
}
