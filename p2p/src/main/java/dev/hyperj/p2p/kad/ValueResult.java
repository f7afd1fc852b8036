package dev.hyperj.p2p.kad;

import java.util.Optional;

/**
 * Outcome of a GET_VALUE: the best valid record found (by the namespace's selector), how many
 * answers carried a valid record (the local store counts as one), and how many peers holding an
 * outdated or no-longer-best value were sent the best one.
 */
public record ValueResult(Optional<DhtRecord> record, int validAnswers, int corrected, LookupStats stats) {
    public byte[] value() {
        return record.orElseThrow().value();
    }
}
