package dev.hyperj.p2p.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The multiformats unsigned varint: 7 bits per byte, least significant group first, at most 9 bytes
 * (so at most 2^63 - 1), and always minimal; decoders reject over-long and non-minimal encodings.
 */
public final class Varint {
    /** Longest encoding the multiformats spec allows. */
    public static final int MAX_BYTES = 9;

    private Varint() {}

    /** Bytes needed to encode {@code value}. */
    public static int encodedLength(long value) {
        requireNonNegative(value);
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    public static byte[] encode(long value) {
        byte[] out = new byte[encodedLength(value)];
        int i = 0;
        while ((value & ~0x7FL) != 0) {
            out[i++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[i] = (byte) value;
        return out;
    }

    public static void write(ByteBuffer out, long value) {
        out.put(encode(value));
    }

    public static void write(OutputStream out, long value) throws IOException {
        out.write(encode(value));
    }

    /** Decodes a buffer that holds exactly one varint. */
    public static long decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long v = decode(in);
        if (in.hasRemaining()) {
            throw new FormatException("trailing bytes after varint");
        }
        return v;
    }

    /** Decodes the varint at {@code in}'s position and moves the position past it. */
    public static long decode(ByteBuffer in) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (!in.hasRemaining()) {
                throw new FormatException("truncated varint");
            }
            int b = in.get() & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new FormatException("varint is not minimally encoded");
                }
                return value;
            }
        }
        throw new FormatException("varint longer than " + MAX_BYTES + " bytes");
    }

    /**
     * Reads one varint from a stream.
     *
     * @throws EOFException if the stream ends before the first byte
     * @throws FormatException if it ends mid-varint or the varint is malformed
     */
    public static long decode(InputStream in) throws IOException {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    throw new EOFException("end of stream before varint");
                }
                throw new FormatException("truncated varint");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new FormatException("varint is not minimally encoded");
                }
                return value;
            }
        }
        throw new FormatException("varint longer than " + MAX_BYTES + " bytes");
    }

    /** Decodes a varint that must not exceed {@code max}; for lengths and codes. */
    public static int decodeInt(ByteBuffer in, int max) {
        long v = decode(in);
        if (v > max) {
            throw new FormatException("varint value " + v + " exceeds " + max);
        }
        return (int) v;
    }

    private static void requireNonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("unsigned varint cannot encode " + value);
        }
    }
}
