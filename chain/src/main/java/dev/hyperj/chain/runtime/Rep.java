package dev.hyperj.chain.runtime;

import dev.hyperj.chain.math.U128;
import java.math.BigInteger;

/** Reputation curves, in 1e18 fixed point; powers through StrictMath so every machine agrees. */
final class Rep {
    private Rep() {}

    static final BigInteger ONE = U128.ONE_E18;

    /** {@code min(1, r + r^(1+f) * f)}. */
    static BigInteger increase(BigInteger r, BigInteger f) {
        double rd = U128.toRatio(r);
        double fd = U128.toRatio(f);
        BigInteger add = U128.fromRatio(StrictMath.pow(rd, 1 + fd) * fd);
        return U128.min(ONE, r.add(add));
    }

    /** {@code r - r * f}. */
    static BigInteger decrease(BigInteger r, BigInteger f) {
        return U128.saturatingSub(r, U128.percentMul(r, U128.min(f, ONE)));
    }

    static BigInteger fixed(double ratio) {
        return U128.fromRatio(ratio);
    }
}
