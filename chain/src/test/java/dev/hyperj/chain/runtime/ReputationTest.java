package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.math.U128;
import java.math.BigInteger;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ReputationTest {
    @Test
    void decreaseIsProportionalAndIncreaseIsConvexCappedAtOne() {
        BigInteger r = U128.ONE_E18;
        // absent three epochs in a row: 1.0 -> 0.9 -> 0.81 -> 0.729
        r = Rep.decrease(r, percent(10));
        assertThat(r).isEqualTo(percent(90));
        r = Rep.decrease(r, percent(10));
        assertThat(r).isEqualTo(percent(81));
        r = Rep.decrease(r, percent(10));
        assertThat(r).isEqualTo(new BigInteger("729000000000000000"));
        // included +10%: r + r^1.1 * 0.1
        BigInteger up = Rep.increase(r, percent(10));
        assertThat(U128.toRatio(up)).isCloseTo(0.729 + Math.pow(0.729, 1.1) * 0.1, Offset.offset(1e-15));
        assertThat(Rep.increase(percent(99), percent(10))).isEqualTo(U128.ONE_E18);
        // a product of factors: non-consensus proposer with delta 0.5 -> 5% * 0.5 = 2.5%
        assertThat(Rep.decrease(U128.ONE_E18, U128.percentMul(percent(5), percent(50))))
                .isEqualTo(new BigInteger("975000000000000000"));
        assertThat(Rep.decrease(percent(50), U128.ONE_E18.multiply(BigInteger.TWO)))
                .isZero();
    }

    @Test
    void emissionCurveAndAuthorReward() {
        Ctx c = new Ctx(
                new dev.hyperj.chain.storage.Overlay(new dev.hyperj.chain.storage.MemoryBackend()),
                1,
                new byte[32],
                NetworkParams.defaults(20, java.util.Optional.empty()));
        // util 0 -> 75,000 + 25,000 / (1 + e^-3.5) = 98,872.6 TENSOR a year; util 0.5 -> 87,500
        assertThat(U128.toRatio(Emissions.yearlyEmission(c, 0)))
                .isCloseTo(75_000 + 25_000 / (1 + Math.exp(-3.5)), Offset.offset(1e-6));
        assertThat(U128.toRatio(Emissions.yearlyEmission(c, 64 * 256 / 2))).isCloseTo(87_500, Offset.offset(1e-6));
        assertThat(Emissions.AUTHOR_REWARD_PER_YEAR.divide(BigInteger.valueOf(5_256_000)))
                .isEqualTo(new BigInteger("190258751902587"));
    }
}
