package dev.hyperj.overwatch;

import dev.hyperj.subnet.overwatch.OverwatchCheck.Verdict;
import java.util.Optional;
import java.util.Set;

/**
 * What one node of a subnet gave the agent, as a user would have met it.
 *
 * @param peerId           the peer id the chain lists
 * @param subnetNodeId     its subnet node id, or empty for a bootnode that is not a node
 * @param reachable        a connection (TCP, Noise, Yamux, past the node's proof-of-stake gate) came up
 * @param identified       it answered identify
 * @param missingProtocols protocols the subnet needs that identify did not list
 * @param heartbeats       share of the fully observed recent subnet epochs in which its heartbeat
 *                         reached the agent over gossip, empty when no epoch was observed in full
 * @param check            the verdict of the subnet's declared check, empty when it declares none (or
 *                         the node was not reached)
 * @param problem          the first thing that went wrong, for the operator ("" when nothing did)
 */
public record NodeMeasurement(
        String peerId,
        Optional<Integer> subnetNodeId,
        boolean reachable,
        boolean identified,
        Set<String> missingProtocols,
        Optional<Double> heartbeats,
        Optional<Verdict> check,
        String problem) {
    public NodeMeasurement {
        missingProtocols = Set.copyOf(missingProtocols);
    }

    public static NodeMeasurement unreachable(String peerId, Optional<Integer> subnetNodeId, String problem) {
        return new NodeMeasurement(
                peerId, subnetNodeId, false, false, Set.of(), Optional.empty(), Optional.empty(), problem);
    }

    public boolean isBootnodeOnly() {
        return subnetNodeId.isEmpty();
    }
}
