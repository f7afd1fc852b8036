package dev.hyperj.p2p.kad;

import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Validates and ranks the records of one key namespace ("/pk/...", "/myapp/..."), as libp2p's
 * record Validator does. Both methods must be pure and deterministic: every node must agree.
 */
public interface RecordValidator {
    /** Throws {@link InvalidRecordException} if {@code value} is not acceptable under {@code key}. */
    void validate(byte[] key, byte[] value);

    /**
     * The index of the best of {@code values} (all already valid, at least one). The default
     * keeps the first: right for namespaces where all valid values are equivalent.
     */
    default int select(byte[] key, List<byte[]> values) {
        return 0;
    }

    /**
     * A validator from a predicate and an order: valid values satisfy {@code valid}; the best is
     * the greatest by {@code better} (the earliest among equals), e.g. an epoch-window predicate
     * with "highest epoch wins".
     */
    static RecordValidator of(String description, BiPredicate<byte[], byte[]> valid, Comparator<byte[]> better) {
        return new RecordValidator() {
            @Override
            public void validate(byte[] key, byte[] value) {
                boolean ok;
                try {
                    ok = valid.test(key, value);
                } catch (RuntimeException e) {
                    throw new InvalidRecordException("record rejected by " + description + ": " + e.getMessage(), e);
                }
                if (!ok) {
                    throw new InvalidRecordException("record rejected by " + description);
                }
            }

            @Override
            public int select(byte[] key, List<byte[]> values) {
                int best = 0;
                for (int i = 1; i < values.size(); i++) {
                    if (better.compare(values.get(i), values.get(best)) > 0) {
                        best = i;
                    }
                }
                return best;
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
