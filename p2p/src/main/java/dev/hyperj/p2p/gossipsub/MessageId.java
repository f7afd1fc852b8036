package dev.hyperj.p2p.gossipsub;

import java.util.Arrays;
import java.util.HexFormat;

/** A pubsub message id: an immutable byte string with value equality (map keys, seen cache). */
public final class MessageId {
    private final byte[] bytes;
    private final int hash;

    private MessageId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A message id holding a copy of {@code bytes}. */
    public static MessageId of(byte[] bytes) {
        return new MessageId(bytes.clone());
    }

    /** Wraps an array the caller will never change again. */
    static MessageId wrap(byte[] bytes) {
        return new MessageId(bytes);
    }

    /** A copy of the id's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
