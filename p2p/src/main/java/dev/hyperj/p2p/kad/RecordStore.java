package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.bytes.Bytes;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Value records held for the network, with expiry and hard bounds. When the store is full, new
 * keys are refused (existing keys may still be updated): a flood can fill it but never grow it,
 * and what was stored first stays until it expires. Confined to the DHT's executor.
 */
final class RecordStore {
    enum PutOutcome {
        STORED,
        KEPT_EXISTING,
        FULL,
        TOO_LARGE
    }

    private record Stored(DhtRecord record, long receivedAt) {}

    private final Map<Bytes, Stored> records = new HashMap<>();
    private final int maxRecords;
    private final int maxValueBytes;
    private final long ttlMillis;
    private final Validators validators;

    RecordStore(int maxRecords, int maxValueBytes, long ttlMillis, Validators validators) {
        this.maxRecords = maxRecords;
        this.maxValueBytes = maxValueBytes;
        this.ttlMillis = ttlMillis;
        this.validators = validators;
    }

    int size() {
        return records.size();
    }

    /**
     * Stores a record the caller has validated, unless the one we hold is better by the
     * namespace's selector (as go-libp2p does, so a stale PUT cannot roll a value back).
     */
    PutOutcome put(DhtRecord record, long now) {
        if (record.valueUnsafe().length > maxValueBytes) {
            return PutOutcome.TOO_LARGE;
        }
        Bytes key = Bytes.of(record.keyUnsafe());
        Stored existing = records.get(key);
        if (existing != null && !expired(existing, now)) {
            byte[] k = record.keyUnsafe();
            int best = validators.select(k, java.util.List.of(existing.record.valueUnsafe(), record.valueUnsafe()));
            if (best == 0) {
                return PutOutcome.KEPT_EXISTING;
            }
        } else if (existing == null && records.size() >= maxRecords) {
            purgeExpired(now);
            if (records.size() >= maxRecords) {
                return PutOutcome.FULL;
            }
        }
        String time = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(now));
        records.put(key, new Stored(record.withTimeReceived(time), now));
        return PutOutcome.STORED;
    }

    Optional<DhtRecord> get(byte[] key, long now) {
        Bytes k = Bytes.of(key);
        Stored s = records.get(k);
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            records.remove(k);
            return Optional.empty();
        }
        return Optional.of(s.record);
    }

    void remove(byte[] key) {
        records.remove(Bytes.of(key));
    }

    int purgeExpired(long now) {
        int removed = 0;
        for (Iterator<Stored> it = records.values().iterator(); it.hasNext(); ) {
            if (expired(it.next(), now)) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    private boolean expired(Stored s, long now) {
        return now - s.receivedAt >= ttlMillis;
    }
}
