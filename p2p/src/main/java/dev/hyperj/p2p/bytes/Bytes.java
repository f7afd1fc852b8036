package dev.hyperj.p2p.bytes;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value equality and unsigned order: the one value type for byte
 * keys and hashes across the modules (map keys, record fields; SCALE encodes it as {@code Vec<u8>},
 * JSON as "0x" + hex). It copies on the way in and out, so nobody can change one after the fact.
 */
public record Bytes(byte[] value) implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    public Bytes {
        value = value.clone();
    }

    /** Parses the JSON form, "0x" + hex. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Bytes fromHex(String hex) {
        String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        try {
            return new Bytes(HexFormat.of().parseHex(h));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hex bytes: " + hex, e);
        }
    }

    public static Bytes of(byte[] value) {
        return new Bytes(value);
    }

    public static Bytes utf8(String s) {
        return new Bytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** The byte at {@code index}, without copying the string. */
    public byte byteAt(int index) {
        return value[index];
    }

    public String asUtf8() {
        return new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(value, o.value);
    }

    /** "0x" + lowercase hex, also the JSON form. */
    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
        return "0x" + HexFormat.of().formatHex(value);
    }
}
