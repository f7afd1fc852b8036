package dev.hyperj.p2p.proto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads protobuf wire format one field at a time, never allocating more than the input holds:
 * <pre>{@code
 * ProtoReader r = new ProtoReader(bytes);
 * while (r.next()) {
 *     switch (r.field()) {
 *         case 1 -> type = r.varint();
 *         case 2 -> data = r.bytes();
 *         default -> r.skip();
 *     }
 * }
 * }</pre>
 * A field whose value was not read is skipped by the following {@link #next()}. Groups (wire types 3
 * and 4) are rejected: no libp2p message uses them. Every malformation throws {@link ProtoException}.
 */
public final class ProtoReader {
    /** Largest field number protobuf allows. */
    static final int MAX_FIELD = (1 << 29) - 1;

    private final byte[] buf;
    private final int end;
    private int pos;
    private int field;
    private int wireType;
    private boolean valuePending;

    public ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /** Reads {@code buf[offset, offset+length)}; the array is not copied, so do not change it while reading. */
    public ProtoReader(byte[] buf, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buf.length);
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    /** Moves to the next field; false at the end of the input. */
    public boolean next() {
        if (valuePending) {
            skip();
        }
        if (pos >= end) {
            field = 0;
            return false;
        }
        long tag = rawVarint();
        long fieldNumber = tag >>> 3;
        int type = (int) (tag & 7);
        if (fieldNumber < 1 || fieldNumber > MAX_FIELD) {
            throw new ProtoException("invalid protobuf field number " + fieldNumber);
        }
        if (type == 3 || type == 4) {
            throw new ProtoException("protobuf groups are not supported (field " + fieldNumber + ")");
        }
        if (type > 5) {
            throw new ProtoException("invalid protobuf wire type " + type + " (field " + fieldNumber + ")");
        }
        field = (int) fieldNumber;
        wireType = type;
        valuePending = true;
        return true;
    }

    /** The current field's number. */
    public int field() {
        return field;
    }

    /** The current field's wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
    public int wireType() {
        return wireType;
    }

    /** The current varint field's value (as unsigned 64 bits in a long). */
    public long varint() {
        expect(ProtoWriter.WIRE_VARINT);
        valuePending = false;
        return rawVarint();
    }

    /** The current varint field as a non-negative int, rejecting larger values. */
    public int varintAsInt() {
        long v = varint();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new ProtoException("protobuf field " + field + " value out of int range");
        }
        return (int) v;
    }

    public boolean bool() {
        long v = varint();
        if (v != 0 && v != 1) {
            throw new ProtoException("protobuf field " + field + " is not a bool: " + v);
        }
        return v == 1;
    }

    /** The current length-delimited field's bytes (a copy). */
    public byte[] bytes() {
        int len = lengthPrefix();
        byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return out;
    }

    /** The current length-delimited field's bytes, without copying. */
    public ByteBuffer bytesView() {
        int len = lengthPrefix();
        ByteBuffer out = ByteBuffer.wrap(buf, pos, len).slice().asReadOnlyBuffer();
        pos += len;
        return out;
    }

    /** The current length-delimited field as strict UTF-8. */
    public String string() {
        int len = lengthPrefix();
        try {
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, len))
                    .toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw new ProtoException("protobuf field " + field + " is not valid UTF-8");
        }
    }

    public long fixed64() {
        expect(ProtoWriter.WIRE_FIXED64);
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (buf[pos++] & 0xFFL) << (8 * i);
        }
        valuePending = false;
        return v;
    }

    public int fixed32() {
        expect(ProtoWriter.WIRE_FIXED32);
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (buf[pos++] & 0xFF) << (8 * i);
        }
        valuePending = false;
        return v;
    }

    /** Skips the current field's value. */
    public void skip() {
        if (!valuePending) {
            return;
        }
        switch (wireType) {
            case ProtoWriter.WIRE_VARINT -> rawVarint();
            case ProtoWriter.WIRE_FIXED64 -> advance(8);
            case ProtoWriter.WIRE_LEN -> advance(readLength());
            case ProtoWriter.WIRE_FIXED32 -> advance(4);
            default -> throw new ProtoException("invalid protobuf wire type " + wireType);
        }
        valuePending = false;
    }

    private int lengthPrefix() {
        expect(ProtoWriter.WIRE_LEN);
        int len = readLength();
        need(len);
        valuePending = false;
        return len;
    }

    private int readLength() {
        long len = rawVarint();
        if (len < 0 || len > end - pos) {
            throw new ProtoException("protobuf field " + field + " length " + Long.toUnsignedString(len)
                    + " exceeds the " + (end - pos) + " bytes left");
        }
        return (int) len;
    }

    private void expect(int type) {
        if (!valuePending) {
            throw new ProtoException("protobuf field value already read or no current field");
        }
        if (wireType != type) {
            throw new ProtoException("protobuf field " + field + " has wire type " + wireType + ", expected " + type);
        }
    }

    private void need(int n) {
        if (end - pos < n) {
            throw new ProtoException("truncated protobuf field " + field);
        }
    }

    private void advance(int n) {
        need(n);
        pos += n;
    }

    private long rawVarint() {
        long value = 0;
        for (int i = 0; i < 10; i++) {
            if (pos >= end) {
                throw new ProtoException("truncated protobuf varint");
            }
            int b = buf[pos++] & 0xFF;
            if (i == 9 && b > 1) {
                throw new ProtoException("protobuf varint overflows 64 bits");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new ProtoException("protobuf varint longer than 10 bytes");
    }
}
