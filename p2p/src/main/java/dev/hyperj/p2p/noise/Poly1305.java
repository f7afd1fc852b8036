package dev.hyperj.p2p.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Poly1305 one-time authenticator (RFC 8439, section 2.5), written because the JDK's runs as
 * generic big-integer code on CPUs without AVX-512 (about 560 MB per CPU-second here, against about
 * 1,000 for this one), which made it the largest single cost of a Noise transport.
 *
 * <p>The 130-bit accumulator is kept as two 64-bit limbs plus a small third one, multiplied by r
 * with 64x64->128-bit products. Because clamping clears the low two bits of r's upper limb,
 * {@code h1 * r1 * 2^128 = h1 * (r1 / 4) * 2^130}, which is congruent to {@code h1 * (r1 + r1 / 4)}
 * modulo {@code 2^130 - 5}: the high products fold back with one precomputed factor. No branch or
 * memory access depends on the key or the data. Only whole 16-byte blocks are taken, which is all
 * the AEAD construction needs (it pads each part with zeros to a block). Not thread-safe.
 */
final class Poly1305 {
    static final int KEY_LENGTH = 32;
    static final int TAG_LENGTH = 16;
    static final int BLOCK_LENGTH = 16;
    private static final VarHandle LE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long r0;
    private long r1;
    private long s1;
    private long h0;
    private long h1;
    private long h2;
    private long pad0;
    private long pad1;

    /** Starts a new MAC with the 32-byte one-time key (r, then s) at {@code off}. */
    void init(byte[] key, int off) {
        r0 = (long) LE_LONG.get(key, off) & 0x0ffffffc0fffffffL;
        r1 = (long) LE_LONG.get(key, off + 8) & 0x0ffffffc0ffffffcL;
        s1 = r1 + (r1 >>> 2);
        pad0 = (long) LE_LONG.get(key, off + 16);
        pad1 = (long) LE_LONG.get(key, off + 24);
        h0 = 0;
        h1 = 0;
        h2 = 0;
    }

    /** The carry out of {@code a + b = sum} (unsigned 64-bit), without a branch. */
    private static long carry(long a, long b, long sum) {
        return ((a & b) | ((a | b) & ~sum)) >>> 63;
    }

    /** Absorbs {@code len / 16} whole blocks from {@code m} at {@code off} ({@code len} a multiple of 16). */
    void blocks(byte[] m, int off, int len) {
        if ((len & (BLOCK_LENGTH - 1)) != 0) {
            throw new IllegalArgumentException("Poly1305 takes whole blocks here, not " + len + " bytes");
        }
        long h0 = this.h0;
        long h1 = this.h1;
        long h2 = this.h2;
        final long r0 = this.r0;
        final long r1 = this.r1;
        final long s1 = this.s1;
        for (int end = off + len; off < end; off += BLOCK_LENGTH) {
            // h += m + 2^128
            long m0 = (long) LE_LONG.get(m, off);
            long m1 = (long) LE_LONG.get(m, off + 8);
            long t = h0 + m0;
            long c = carry(h0, m0, t);
            h0 = t;
            long u = h1 + m1;
            long c1 = carry(h1, m1, u);
            t = u + c;
            c1 += carry(u, c, t);
            h1 = t;
            h2 += c1 + 1;
            // d0 = h0 r0 + h1 s1 (128 bits)
            long d0lo = h0 * r0;
            long d0hi = Math.unsignedMultiplyHigh(h0, r0);
            long p = h1 * s1;
            t = d0lo + p;
            d0hi += Math.unsignedMultiplyHigh(h1, s1) + carry(d0lo, p, t);
            d0lo = t;
            // d1 = h0 r1 + h1 r0 + h2 s1 (128 bits; h2 is a few bits, so h2 s1 < 2^64)
            long d1lo = h0 * r1;
            long d1hi = Math.unsignedMultiplyHigh(h0, r1);
            p = h1 * r0;
            t = d1lo + p;
            d1hi += Math.unsignedMultiplyHigh(h1, r0) + carry(d1lo, p, t);
            d1lo = t;
            p = h2 * s1;
            t = d1lo + p;
            d1hi += carry(d1lo, p, t);
            d1lo = t;
            // h = d0 + d1 2^64 + h2 r0 2^128
            h0 = d0lo;
            t = d0hi + d1lo;
            c = carry(d0hi, d1lo, t);
            h1 = t;
            h2 = d1hi + h2 * r0 + c;
            // fold everything from 2^130 up back in, times 5
            c = (h2 & ~3L) + (h2 >>> 2);
            h2 &= 3;
            t = h0 + c;
            c = carry(h0, c, t);
            h0 = t;
            t = h1 + c;
            c = carry(h1, c, t);
            h1 = t;
            h2 += c;
        }
        this.h0 = h0;
        this.h1 = h1;
        this.h2 = h2;
    }

    /** Writes the 16-byte tag {@code (h mod 2^130-5) + s mod 2^128} at {@code off}. */
    void finish(byte[] out, int off) {
        long h0 = this.h0;
        long h1 = this.h1;
        long h2 = this.h2;
        long c = (h2 & ~3L) + (h2 >>> 2);
        h2 &= 3;
        long t = h0 + c;
        c = carry(h0, c, t);
        h0 = t;
        t = h1 + c;
        c = carry(h1, c, t);
        h1 = t;
        h2 += c;
        // h is now below 2p: subtract p once if h + 5 reaches 2^130
        long g0 = h0 + 5;
        c = carry(h0, 5, g0);
        long g1 = h1 + c;
        c = carry(h1, c, g1);
        long select = -((h2 + c) >>> 2);
        h0 = (h0 & ~select) | (g0 & select);
        h1 = (h1 & ~select) | (g1 & select);
        t = h0 + pad0;
        c = carry(h0, pad0, t);
        LE_LONG.set(out, off, t);
        LE_LONG.set(out, off + 8, h1 + pad1 + c);
    }
}
