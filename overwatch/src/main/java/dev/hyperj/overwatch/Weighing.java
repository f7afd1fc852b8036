package dev.hyperj.overwatch;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Turns a {@link SubnetMeasurement} into the subnet weight the agent commits (1e18 = 1). The chain
 * multiplies a subnet's emission weight by the stake-weighted mean of the overwatch weights
 * (CHAIN.md), so the weight is an absolute grade of the subnet, not a share among subnets:
 *
 * <pre>
 *   node health  h = 0                                                   if not reachable
 *                  = 0.2 + 0.1 identify + 0.1 protocols + 0.2 hb + 0.4 check    with a declared check
 *                  = 0.2 + 0.1 identify + 0.1 protocols + 0.6 hb                 without one
 *                  (a bootnode that is no node: 0.5 reachable + 0.5 identify)
 *   service      S = mean of h over the measured nodes and bootnodes (0 when there are none)
 *   consensus    C = mean attestation ratio of the recent settled subnet epochs (0.5 when none yet)
 *   weight       w = S * (0.5 + 0.5 C)
 * </pre>
 *
 * hb is the share of recently observed subnet epochs in which the node's heartbeat reached the
 * agent over gossip (1 when none was observed in full: no evidence is not held against it);
 * protocols is 1 when identify lists every protocol the subnet needs, else 0. Service dominates:
 * a subnet whose nodes users cannot reach or whose answers are wrong is worth little however well
 * its validators agree; consensus can halve it, as validators that do not attest leave the
 * subnet's own scoring unchecked.
 */
public final class Weighing {
    private Weighing() {}

    public static double nodeHealth(NodeMeasurement n, boolean checkDeclared) {
        if (!n.reachable()) return 0;
        if (n.isBootnodeOnly()) return 0.5 + (n.identified() ? 0.5 : 0);
        double hb = n.heartbeats().orElse(1.0);
        double h = 0.2 + (n.identified() ? 0.1 : 0) + (n.missingProtocols().isEmpty() && n.identified() ? 0.1 : 0);
        if (checkDeclared) {
            h += 0.2 * hb + (n.check().map(v -> v.passed()).orElse(false) ? 0.4 : 0);
        } else {
            h += 0.6 * hb;
        }
        return Math.min(1, h);
    }

    public static double service(SubnetMeasurement m) {
        if (m.nodes().isEmpty()) return 0;
        boolean declared = m.checkId().isPresent();
        return m.nodes().stream()
                .mapToDouble(n -> nodeHealth(n, declared))
                .average()
                .orElse(0);
    }

    public static double weight(SubnetMeasurement m) {
        double c = m.attestation().orElse(0.5);
        double w = service(m) * (0.5 + 0.5 * Math.max(0, Math.min(1, c)));
        return Math.max(0, Math.min(1, w));
    }

    /** The weight as the chain takes it: fixed point, 1e18 = 1, rounded down. */
    public static BigInteger fixedPoint(double w) {
        if (!(w >= 0 && w <= 1)) throw new IllegalArgumentException("weight outside [0, 1]: " + w);
        return new BigDecimal(w)
                .multiply(BigDecimal.TEN.pow(18))
                .setScale(0, RoundingMode.FLOOR)
                .toBigIntegerExact();
    }
}
