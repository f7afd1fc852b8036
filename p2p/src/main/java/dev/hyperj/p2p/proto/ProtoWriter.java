package dev.hyperj.p2p.proto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes protobuf wire format, field by field, in the order called. Varints are always minimal, so
 * writing fields in tag order yields the deterministic encoding libp2p requires for keys.
 */
public final class ProtoWriter {
    static final int WIRE_VARINT = 0;
    static final int WIRE_FIXED64 = 1;
    static final int WIRE_LEN = 2;
    static final int WIRE_FIXED32 = 5;

    private byte[] buf;
    private int size;

    public ProtoWriter() {
        this(64);
    }

    /** @param initialCapacity a size hint; the buffer grows as needed */
    public ProtoWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Writes a varint field (int32/int64/uint32/uint64/enum; negative values take 10 bytes, as protobuf specifies). */
    public ProtoWriter writeVarint(int field, long value) {
        tag(field, WIRE_VARINT);
        rawVarint(value);
        return this;
    }

    public ProtoWriter writeBool(int field, boolean value) {
        return writeVarint(field, value ? 1 : 0);
    }

    /** Writes a length-delimited field (bytes or an embedded message). */
    public ProtoWriter writeBytes(int field, byte[] value) {
        return writeBytes(field, value, 0, value.length);
    }

    public ProtoWriter writeBytes(int field, byte[] value, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, value.length);
        tag(field, WIRE_LEN);
        rawVarint(length);
        ensure(length);
        System.arraycopy(value, offset, buf, size, length);
        size += length;
        return this;
    }

    public ProtoWriter writeString(int field, String value) {
        return writeBytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an embedded message field. */
    public ProtoWriter writeMessage(int field, ProtoWriter message) {
        return writeBytes(field, message.buf, 0, message.size);
    }

    public ProtoWriter writeFixed64(int field, long value) {
        tag(field, WIRE_FIXED64);
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    public ProtoWriter writeFixed32(int field, int value) {
        tag(field, WIRE_FIXED32);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** Number of bytes written so far. */
    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void tag(int field, int wireType) {
        if (field < 1 || field > ProtoReader.MAX_FIELD) {
            throw new IllegalArgumentException("protobuf field number out of range: " + field);
        }
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buf[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[size++] = (byte) value;
    }

    private void ensure(int extra) {
        if (buf.length - size < extra) {
            long wanted = Math.max((long) buf.length * 2, (long) size + extra);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("protobuf message too large");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
