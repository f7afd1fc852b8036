package dev.hyperj.chain.runtime;

import dev.hyperj.chain.math.U128;
import java.math.BigInteger;

/** Reputation curves, in 1e18 fixed point; powers through StrictMath so every machine agrees. */
final class Rep {
    private Rep() {}

    static final BigInteger ONE = U128.ONE_E18;

    /**
     * {@code min(1, r + r^(1+f) * f)} in the pallet's steps ({@code increase_rep} on its main
     * line): r and f to f64 ({@code v as f64 / 1e18}), the sum in f64, then {@code (x * 1e18) as u128}.
     */
    static BigInteger increase(BigInteger r, BigInteger f) {
        if (r.compareTo(ONE) >= 0) return U128.min(r, ONE);
        double rd = PalletFloat.percentAsF64(r);
        double fd = PalletFloat.percentAsF64(f);
        double raised = rd + StrictMath.pow(rd, 1.0 + fd) * fd;
        return U128.min(ONE, PalletFloat.f64AsPercentage(raised));
    }

    /** {@code r - r * f}. */
    static BigInteger decrease(BigInteger r, BigInteger f) {
        return U128.saturatingSub(r, U128.percentMul(r, U128.min(f, ONE)));
    }

    static BigInteger fixed(double ratio) {
        return U128.fromRatio(ratio);
    }
}
