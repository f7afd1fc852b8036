package dev.hyperj.chain.scale;

import dev.hyperj.chain.math.U128;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/** Writes SCALE (Parity's Simple Concatenated Aggregate Little-Endian) values. */
public final class ScaleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    public ScaleWriter u8(int v) {
        out.write(v);
        return this;
    }

    public ScaleWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public ScaleWriter u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    public ScaleWriter u32(int v) {
        for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
        return this;
    }

    public ScaleWriter u64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    public ScaleWriter u128(BigInteger v) {
        out.writeBytes(U128.toLittleEndian(v));
        return this;
    }

    /** Compact (variable-length) unsigned integer, up to u128. */
    public ScaleWriter compact(BigInteger v) {
        U128.check(v);
        if (v.bitLength() <= 30) return compact(v.longValue());
        byte[] le = U128.toLittleEndian(v);
        int n = 16;
        while (n > 4 && le[n - 1] == 0) n--;
        out.write(((n - 4) << 2) | 0b11);
        out.write(le, 0, n);
        return this;
    }

    public ScaleWriter compact(long v) {
        if (v < 0) throw new IllegalArgumentException("negative compact: " + v);
        if (v < (1 << 6)) {
            out.write((int) (v << 2));
        } else if (v < (1 << 14)) {
            u16((int) ((v << 2) | 0b01));
        } else if (v < (1L << 30)) {
            u32((int) ((v << 2) | 0b10));
        } else {
            return compact(BigInteger.valueOf(v));
        }
        return this;
    }

    /** Vec<u8>: compact length then the bytes. */
    public ScaleWriter bytes(byte[] b) {
        compact(b.length);
        out.writeBytes(b);
        return this;
    }

    /** Fixed-length bytes, no length prefix. */
    public ScaleWriter raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
