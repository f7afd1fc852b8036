package dev.hyperj.chain.scale;

import dev.hyperj.chain.math.U128;
import java.math.BigInteger;
import java.util.Arrays;

/** Reads SCALE values; every malformed or truncated input raises {@link ScaleException}. */
public final class ScaleReader {
    private final byte[] buf;
    private int pos;

    public ScaleReader(byte[] buf) {
        this.buf = buf;
    }

    public int remaining() {
        return buf.length - pos;
    }

    private void need(int n) {
        if (n < 0 || n > remaining())
            throw new ScaleException("truncated SCALE input: need " + n + " bytes, have " + remaining());
    }

    public int u8() {
        need(1);
        return buf[pos++] & 0xff;
    }

    public boolean bool() {
        int b = u8();
        if (b > 1) throw new ScaleException("invalid bool byte " + b);
        return b == 1;
    }

    public int u16() {
        need(2);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    public int u32() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) v |= (buf[pos + i] & 0xff) << (8 * i);
        pos += 4;
        return v;
    }

    public long u64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (long) (buf[pos + i] & 0xff) << (8 * i);
        pos += 8;
        return v;
    }

    public BigInteger u128() {
        need(16);
        BigInteger v = U128.fromLittleEndian(buf, pos);
        pos += 16;
        return v;
    }

    public BigInteger compactBig() {
        int first = u8();
        switch (first & 0b11) {
            case 0b00:
                return BigInteger.valueOf(first >>> 2);
            case 0b01: {
                need(1);
                int v = (first | (buf[pos++] & 0xff) << 8) >>> 2;
                if (v < (1 << 6)) throw new ScaleException("non-canonical compact");
                return BigInteger.valueOf(v);
            }
            case 0b10: {
                need(3);
                long v = (first & 0xffL)
                        | (buf[pos] & 0xffL) << 8
                        | (buf[pos + 1] & 0xffL) << 16
                        | (buf[pos + 2] & 0xffL) << 24;
                pos += 3;
                v >>>= 2;
                if (v < (1 << 14)) throw new ScaleException("non-canonical compact");
                return BigInteger.valueOf(v);
            }
            default: {
                int n = (first >>> 2) + 4;
                if (n > 16) throw new ScaleException("compact wider than u128: " + n + " bytes");
                need(n);
                byte[] le = new byte[16];
                System.arraycopy(buf, pos, le, 0, n);
                pos += n;
                if (le[n - 1] == 0) throw new ScaleException("non-canonical compact");
                BigInteger v = U128.fromLittleEndian(le, 0);
                if (v.bitLength() <= 30) throw new ScaleException("non-canonical compact");
                return v;
            }
        }
    }

    /** A compact that must fit a non-negative int (lengths, indices). */
    public int compactInt() {
        BigInteger v = compactBig();
        if (v.bitLength() > 31) throw new ScaleException("compact too large: " + v);
        return v.intValue();
    }

    /** A collection length: bounded by the bytes left (each element takes at least one byte... or zero: so by max). */
    public int length(int max) {
        int n = compactInt();
        if (n > max) throw new ScaleException("length " + n + " over the limit " + max);
        return n;
    }

    public byte[] bytes(int max) {
        int n = length(max);
        need(n);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    public byte[] raw(int n) {
        need(n);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    public void expectEnd() {
        if (remaining() != 0) throw new ScaleException(remaining() + " trailing bytes after SCALE value");
    }
}
