package dev.hyperj.chain.substrate;

import java.util.List;
import java.util.Optional;

/** A submitted extrinsic in a block: where, whether its call succeeded (else why, by name) and its events. */
public record ExtrinsicResult(
        long blockNumber,
        byte[] blockHash,
        byte[] extrinsicHash,
        Optional<ModuleError> error,
        List<ChainEvent> events) {
    public boolean ok() {
        return error.isEmpty();
    }

    public List<ChainEvent> events(String pallet, String name) {
        return events.stream().filter(e -> e.is(pallet, name)).toList();
    }
}
