package dev.hyperj.subnet.epoch;

import java.util.Optional;

/**
 * Where a node is in its subnet's epochs: what the checks of per-epoch messages need. An
 * {@link EpochTracker} is one, following the chain; a simulation can drive its own.
 */
public interface EpochView {
    int subnetId();

    /** The position at the newest processed block; empty until the subnet exists on chain. */
    Optional<EpochPosition> position();

    /** The last epoch event; empty before the first. */
    Optional<EpochEvent> current();
}
