package dev.hyperj.overwatch;

import java.util.List;
import java.util.Optional;

/**
 * One subnet as the agent measured it in one overwatch epoch.
 *
 * @param subnetId        the subnet
 * @param overwatchEpoch  the overwatch epoch the measurement is for
 * @param checkId         the check the subnet declares, if the agent has it
 * @param nodes           every on-chain node (class Idle or higher) and bootnode, measured
 * @param attestation     the subnet's consensus health: mean attestation ratio of its recent
 *                        settled epochs (0 for an epoch whose elected validator submitted nothing),
 *                        empty when no epoch has been settled yet
 * @param consensusEpochs how many subnet epochs {@code attestation} averages
 */
public record SubnetMeasurement(
        int subnetId,
        long overwatchEpoch,
        Optional<String> checkId,
        List<NodeMeasurement> nodes,
        Optional<Double> attestation,
        int consensusEpochs) {
    public SubnetMeasurement {
        nodes = List.copyOf(nodes);
    }
}
