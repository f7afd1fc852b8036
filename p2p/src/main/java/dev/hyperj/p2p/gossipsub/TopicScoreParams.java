package dev.hyperj.p2p.gossipsub;

import java.time.Duration;

/**
 * Per-topic score parameters of gossipsub v1.1 (P1 time in mesh, P2 first deliveries, P3/P3b mesh
 * delivery deficit and failure penalty, P4 invalid messages). Weights of P3, P3b and P4 must be
 * negative or zero, P1 and P2 positive or zero; decays are per decay interval, in (0, 1).
 */
public record TopicScoreParams(
        double topicWeight,
        double timeInMeshWeight,
        Duration timeInMeshQuantum,
        double timeInMeshCap,
        double firstMessageDeliveriesWeight,
        double firstMessageDeliveriesDecay,
        double firstMessageDeliveriesCap,
        double meshMessageDeliveriesWeight,
        double meshMessageDeliveriesDecay,
        double meshMessageDeliveriesCap,
        double meshMessageDeliveriesThreshold,
        Duration meshMessageDeliveriesWindow,
        Duration meshMessageDeliveriesActivation,
        double meshFailurePenaltyWeight,
        double meshFailurePenaltyDecay,
        double invalidMessageDeliveriesWeight,
        double invalidMessageDeliveriesDecay) {

    public TopicScoreParams {
        if (topicWeight < 0 || timeInMeshWeight < 0 || firstMessageDeliveriesWeight < 0) {
            throw new IllegalArgumentException("topic, P1 and P2 weights must be >= 0");
        }
        if (meshMessageDeliveriesWeight > 0 || meshFailurePenaltyWeight > 0 || invalidMessageDeliveriesWeight > 0) {
            throw new IllegalArgumentException("P3, P3b and P4 weights must be <= 0");
        }
        if (timeInMeshQuantum.isZero() || timeInMeshQuantum.isNegative()) {
            throw new IllegalArgumentException("time in mesh quantum must be positive");
        }
        for (double decay : new double[] {
            firstMessageDeliveriesDecay,
            meshMessageDeliveriesDecay,
            meshFailurePenaltyDecay,
            invalidMessageDeliveriesDecay
        }) {
            if (!(decay > 0 && decay < 1)) throw new IllegalArgumentException("decays must be in (0, 1)");
        }
    }

    /**
     * HyperJ's default for every topic. P3/P3b are off: subnet topics carry a few messages per
     * epoch per node, so a delivery quota would punish honest mesh peers. P4 (quadratic) weighs
     * -0.15: one invalid message makes a fresh peer's score negative (pruned from meshes), and 20
     * (SUBNET.md's disconnect count) cost 60 points, which keeps the peer above the graylist
     * threshold (-80) so that its RPCs are still read and the count rule can fire.
     */
    public static TopicScoreParams defaults() {
        return new TopicScoreParams(
                1.0,
                0.01,
                Duration.ofSeconds(1),
                300,
                1.0,
                0.9,
                20,
                0,
                0.9,
                0,
                0,
                Duration.ofMillis(100),
                Duration.ofSeconds(30),
                0,
                0.9,
                -0.15,
                0.99);
    }

    /** The same parameters with a P3 delivery quota (for high-rate topics). */
    public TopicScoreParams withMeshDeliveries(
            double weight, double threshold, double cap, Duration activation, double failureWeight) {
        return new TopicScoreParams(
                topicWeight,
                timeInMeshWeight,
                timeInMeshQuantum,
                timeInMeshCap,
                firstMessageDeliveriesWeight,
                firstMessageDeliveriesDecay,
                firstMessageDeliveriesCap,
                weight,
                meshMessageDeliveriesDecay,
                cap,
                threshold,
                meshMessageDeliveriesWindow,
                activation,
                failureWeight,
                meshFailurePenaltyDecay,
                invalidMessageDeliveriesWeight,
                invalidMessageDeliveriesDecay);
    }
}
