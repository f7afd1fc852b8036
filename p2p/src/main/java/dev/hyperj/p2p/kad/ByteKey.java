package dev.hyperj.p2p.kad;

import java.util.Arrays;

/** Byte array with value equality, for map keys. The array is owned (never modified). */
record ByteKey(byte[] bytes) {
    static ByteKey copyOf(byte[] b) {
        return new ByteKey(b.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return KadMessage.printable(bytes);
    }
}
