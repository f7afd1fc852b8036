package dev.hyperj.chain.math;

import java.math.BigInteger;

/**
 * Unsigned 128-bit arithmetic on {@link BigInteger}, the way the pallet treats {@code u128}
 * balances: checked where an overflow would be a bug, saturating where the pallet saturates, and
 * fixed-point percentages with 10^18 = 100%.
 */
public final class U128 {
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    /** 10^18: one TENSOR, and 100% in fixed-point percentages. */
    public static final BigInteger ONE_E18 = BigInteger.TEN.pow(18);

    public static final BigInteger ZERO = BigInteger.ZERO;

    private U128() {}

    /** {@code n} whole TENSOR. */
    public static BigInteger tensor(long n) {
        return ONE_E18.multiply(BigInteger.valueOf(n));
    }

    /** A percentage given in whole percent points, e.g. {@code percent(5)} = 5%. */
    public static BigInteger percent(long p) {
        return ONE_E18.multiply(BigInteger.valueOf(p)).divide(BigInteger.valueOf(100));
    }

    public static BigInteger of(long v) {
        if (v < 0) throw new ArithmeticException("negative u128: " + v);
        return BigInteger.valueOf(v);
    }

    /** Checks that {@code v} is a valid u128. */
    public static BigInteger check(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 128) throw new ArithmeticException("u128 out of range: " + v);
        return v;
    }

    public static boolean isValid(BigInteger v) {
        return v != null && v.signum() >= 0 && v.bitLength() <= 128;
    }

    public static BigInteger add(BigInteger a, BigInteger b) {
        return check(a.add(b));
    }

    public static BigInteger sub(BigInteger a, BigInteger b) {
        return check(a.subtract(b));
    }

    public static BigInteger saturatingAdd(BigInteger a, BigInteger b) {
        BigInteger r = a.add(b);
        return r.bitLength() > 128 ? MAX : r;
    }

    public static BigInteger saturatingSub(BigInteger a, BigInteger b) {
        BigInteger r = a.subtract(b);
        return r.signum() < 0 ? ZERO : r;
    }

    public static BigInteger min(BigInteger a, BigInteger b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public static BigInteger max(BigInteger a, BigInteger b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** {@code x * y / 1e18}, the intermediate in 256 bits (BigInteger is unbounded), result saturated to u128. */
    public static BigInteger percentMul(BigInteger x, BigInteger y) {
        if (x.signum() == 0 || y.signum() == 0) return ZERO;
        BigInteger r = x.multiply(y).divide(ONE_E18);
        return r.bitLength() > 128 ? MAX : r;
    }

    /** {@code x * 1e18 / y}; 0 when either side is 0; saturated to u128. */
    public static BigInteger percentDiv(BigInteger x, BigInteger y) {
        if (x.signum() == 0 || y.signum() == 0) return ZERO;
        BigInteger r = x.multiply(ONE_E18).divide(y);
        return r.bitLength() > 128 ? MAX : r;
    }

    /** {@code a * b / c} with 256-bit intermediate; 0 when c is 0. */
    public static BigInteger mulDiv(BigInteger a, BigInteger b, BigInteger c) {
        if (c.signum() == 0) return ZERO;
        BigInteger r = a.multiply(b).divide(c);
        return r.bitLength() > 128 ? MAX : r;
    }

    /** Saturating f64 -> u128 cast (Rust {@code as u128} semantics): NaN and negatives -> 0, too large -> MAX. */
    public static BigInteger fromDouble(double d) {
        if (Double.isNaN(d) || d <= 0) return ZERO;
        if (Double.isInfinite(d)) return MAX;
        BigInteger r = new java.math.BigDecimal(d).toBigInteger();
        return r.bitLength() > 128 ? MAX : r;
    }

    /** A fixed-point percentage (1e18 = 1.0) as a double. */
    public static double toRatio(BigInteger fixed) {
        return new java.math.BigDecimal(fixed)
                .divide(new java.math.BigDecimal(ONE_E18))
                .doubleValue();
    }

    /** A ratio as a fixed-point percentage, saturating (1.0 -> 1e18). */
    public static BigInteger fromRatio(double ratio) {
        return fromDouble(ratio * 1e18);
    }

    /** 16 little-endian bytes, SCALE's u128. */
    public static byte[] toLittleEndian(BigInteger v) {
        check(v);
        byte[] be = v.toByteArray();
        byte[] le = new byte[16];
        for (int i = 0; i < 16 && i < be.length; i++) le[i] = be[be.length - 1 - i];
        return le;
    }

    public static BigInteger fromLittleEndian(byte[] le, int off) {
        byte[] be = new byte[17];
        for (int i = 0; i < 16; i++) be[16 - i] = le[off + i];
        return new BigInteger(be);
    }
}
