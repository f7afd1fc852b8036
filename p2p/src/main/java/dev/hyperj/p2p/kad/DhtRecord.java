package dev.hyperj.p2p.kad;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A DHT value record as on the wire: key, value and the time its holder received it (RFC 3339,
 * set by the receiver; empty when unknown). Arrays are copied in and out.
 */
public record DhtRecord(byte[] key, byte[] value, String timeReceived) {
    public DhtRecord {
        key = key.clone();
        value = value.clone();
        Objects.requireNonNull(timeReceived, "timeReceived");
    }

    public DhtRecord(byte[] key, byte[] value) {
        this(key, value, "");
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The key without copying, for code in this package that promises not to modify it. */
    byte[] keyUnsafe() {
        return key;
    }

    byte[] valueUnsafe() {
        return value;
    }

    DhtRecord withTimeReceived(String time) {
        return new DhtRecord(key, value, time);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhtRecord r
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value)
                && timeReceived.equals(r.timeReceived);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(value)) + timeReceived.hashCode();
    }

    @Override
    public String toString() {
        return "DhtRecord[key=" + KadMessage.printable(key) + ", value=" + value.length + " bytes"
                + (timeReceived.isEmpty() ? "" : ", received " + timeReceived) + "]";
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
