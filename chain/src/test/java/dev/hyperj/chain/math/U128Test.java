package dev.hyperj.chain.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class U128Test {
    @Test
    void percentMulAndDivUse256BitIntermediates() {
        // MAX * 50% would overflow 128 bits in the intermediate product: the result is still exact.
        assertThat(U128.percentMul(U128.MAX, U128.percent(50))).isEqualTo(U128.MAX.divide(BigInteger.TWO));
        assertThat(U128.percentDiv(U128.tensor(1), U128.tensor(4))).isEqualTo(U128.percent(25));
        assertThat(U128.percentDiv(BigInteger.ZERO, U128.tensor(4))).isZero();
        assertThat(U128.percentDiv(U128.tensor(4), BigInteger.ZERO)).isZero();
        assertThat(U128.percentMul(U128.tensor(3), U128.percent(10))).isEqualTo(new BigInteger("300000000000000000"));
    }

    @Test
    void doubleCastsSaturateLikeRust() {
        assertThat(U128.fromDouble(-5.0)).isZero();
        assertThat(U128.fromDouble(Double.NaN)).isZero();
        assertThat(U128.fromDouble(1e40)).isEqualTo(U128.MAX);
        assertThat(U128.fromDouble(Double.POSITIVE_INFINITY)).isEqualTo(U128.MAX);
        assertThat(U128.fromDouble(12.9)).isEqualTo(BigInteger.valueOf(12));
    }

    @Test
    void checkedArithmeticRejectsUnderflowAndOverflow() {
        assertThatThrownBy(() -> U128.sub(BigInteger.ONE, BigInteger.TWO)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> U128.add(U128.MAX, BigInteger.ONE)).isInstanceOf(ArithmeticException.class);
        assertThat(U128.saturatingSub(BigInteger.ONE, BigInteger.TWO)).isZero();
        assertThat(U128.saturatingAdd(U128.MAX, BigInteger.ONE)).isEqualTo(U128.MAX);
    }

    @Test
    void littleEndianRoundTrip() {
        BigInteger v = new BigInteger("123456789012345678901234567890");
        assertThat(U128.fromLittleEndian(U128.toLittleEndian(v), 0)).isEqualTo(v);
        assertThat(U128.toLittleEndian(BigInteger.ONE)[0]).isEqualTo((byte) 1);
    }
}
