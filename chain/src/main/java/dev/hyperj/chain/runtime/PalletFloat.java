package dev.hyperj.chain.runtime;

import dev.hyperj.chain.math.U128;
import java.math.BigInteger;

/**
 * The pallet's floating-point steps, bit for bit. Where the pallet leaves fixed point for f64 it
 * rounds twice ({@code v as f64 / 1e18 as f64}, then {@code (x * 1e18) as u128}) and writes its
 * curves in particular forms; an algebraically equal formula differs in the last bits, which moves
 * a balance by 128 units near 1e18. Its {@code libm} powers and exponentials are fdlibm's, as
 * {@link StrictMath}'s. The differential tests against Hypertensor's runtime hold these exact.
 */
final class PalletFloat {
    private PalletFloat() {}

    /** {@code u128::MAX as f64} (2^128). */
    static final double U128_MAX = 0x1p128;

    /** {@code get_percent_as_f64}: {@code v as f64 / 1e18 as f64} (two roundings, not one). */
    static double percentAsF64(BigInteger v) {
        return v.doubleValue() / 1e18;
    }

    /** {@code get_f64_as_percentage}: {@code (v * 1e18) as u128}, saturating. */
    static BigInteger f64AsPercentage(double v) {
        return U128.fromDouble(v * 1e18);
    }

    /** {@code sigmoid_decreasing(x, mid, k, 0.0, 1.0)}: {@code e^d / (1 + e^d)} below the midpoint, {@code 1 / (1 + e^d)} above. */
    static double sigmoidDecreasing(double x, double mid, double k) {
        double e = StrictMath.exp(k * Math.abs(x - mid));
        double s = x > mid ? 1.0 / (1.0 + e) : e / (1.0 + e);
        return Math.clamp(s, 0.0, 1.0);
    }

    /** {@code concave_down_decreasing(x, min, 1.0, power)}: {@code min + (1 - min) * (1 - x^power)}, clamped. */
    static double concaveDownDecreasing(double x, double min, double power) {
        double p = power <= 0.0 ? 1.0 : power;
        return Math.clamp(min + (1.0 - min) * (1.0 - StrictMath.pow(x, p)), min, 1.0);
    }
}
