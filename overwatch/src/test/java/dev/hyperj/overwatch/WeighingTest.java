package dev.hyperj.overwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.subnet.overwatch.OverwatchCheck.Verdict;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class WeighingTest {
    static NodeMeasurement healthy(int id) {
        return new NodeMeasurement(
                "p" + id, Optional.of(id), true, true, Set.of(), Optional.of(1.0), Optional.of(Verdict.pass("ok")), "");
    }

    static SubnetMeasurement subnet(Optional<Double> attestation, NodeMeasurement... nodes) {
        return new SubnetMeasurement(1, 0, Optional.of("c/1"), List.of(nodes), attestation, 4);
    }

    @Test
    void aHealthySubnetWeighsOne() {
        assertThat(Weighing.weight(subnet(Optional.of(1.0), healthy(1), healthy(2), healthy(3))))
                .isCloseTo(1.0, Offset.offset(1e-12));
    }

    @Test
    void eachFaultCostsItsShare() {
        NodeMeasurement down = NodeMeasurement.unreachable("p9", Optional.of(9), "dial failed");
        NodeMeasurement wrong = new NodeMeasurement(
                "p8", Optional.of(8), true, true, Set.of(), Optional.of(1.0), Optional.of(Verdict.fail("wrong")), "");
        NodeMeasurement noProtocol = new NodeMeasurement(
                "p7", Optional.of(7), true, true, Set.of("/x"), Optional.of(0.5), Optional.of(Verdict.fail("no")), "");
        assertThat(Weighing.nodeHealth(down, true)).isZero();
        assertThat(Weighing.nodeHealth(wrong, true)).isCloseTo(0.6, Offset.offset(1e-12));
        assertThat(Weighing.nodeHealth(noProtocol, true)).isCloseTo(0.2 + 0.1 + 0.1, Offset.offset(1e-12));
        // half the nodes down: service 0.5; attestation 0.5 scales by 0.75
        assertThat(Weighing.weight(subnet(Optional.of(0.5), healthy(1), down)))
                .isCloseTo(0.5 * 0.75, Offset.offset(1e-12));
        // no epoch settled yet: consensus counts as 0.5
        assertThat(Weighing.weight(subnet(Optional.empty(), healthy(1)))).isCloseTo(0.75, Offset.offset(1e-12));
        assertThat(Weighing.weight(subnet(Optional.of(1.0)))).isZero();
    }

    @Test
    void withoutACheckHeartbeatsCarryTheWork() {
        NodeMeasurement silent =
                new NodeMeasurement("p", Optional.of(1), true, true, Set.of(), Optional.of(0.0), Optional.empty(), "");
        assertThat(Weighing.nodeHealth(silent, false)).isCloseTo(0.4, Offset.offset(1e-12));
        NodeMeasurement unobserved =
                new NodeMeasurement("p", Optional.of(1), true, true, Set.of(), Optional.empty(), Optional.empty(), "");
        assertThat(Weighing.nodeHealth(unobserved, false)).isCloseTo(1.0, Offset.offset(1e-12));
    }

    @Test
    void fixedPointRoundsDownAndRefusesNonsense() {
        assertThat(Weighing.fixedPoint(1.0)).isEqualTo(BigInteger.TEN.pow(18));
        assertThat(Weighing.fixedPoint(0.0)).isZero();
        assertThat(Weighing.fixedPoint(0.5)).isEqualTo(new BigInteger("500000000000000000"));
        assertThatThrownBy(() -> Weighing.fixedPoint(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Weighing.fixedPoint(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
