package dev.hyperj.cli.devnet;

import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.NodeClass;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * What the chain says about one finished subnet epoch, read at the first block of the next one
 * (after the runtime settled it): who was elected, what was submitted, who attested, and each
 * node's class, reputation and stake after the settlement.
 *
 * @param block            the block the report was read at (the first of the next subnet epoch)
 * @param subnetEpoch      the epoch reported on
 * @param electedNodeId    the subnet node id the chain elected, if any
 * @param submitted        whether the elected validator's proposal is on chain
 * @param submittedScores  how many (node, score) entries the proposal carried
 * @param attestations     attestations of the proposal (the proposer's own included)
 * @param validatorSetSize validators that could attest it
 * @param nodes            every node of the subnet, in subnet node id order
 */
public record EpochReport(
        long block,
        long subnetEpoch,
        Optional<Integer> electedNodeId,
        boolean submitted,
        int submittedScores,
        int attestations,
        int validatorSetSize,
        List<NodeReport> nodes) {
    /** The chain's consensus threshold: 66% of the validator set attested. */
    public static final BigInteger MIN_ATTESTATION = U128.percent(66);

    public EpochReport {
        nodes = List.copyOf(nodes);
    }

    /**
     * One node after the epoch's settlement.
     *
     * @param index       its index in the devnet ({@link Devnet#nodes()}), -1 for a node the devnet did not start
     * @param rewards     its stake's growth since registration (rewards compound into stake; slashes count negative)
     * @param score       the score the epoch's proposal gave it, empty if the proposal left it out (or there was none)
     * @param running     whether the devnet runs it now
     * @param dag         its Merkle DAG as of the epoch's end ({@code MerkleDag.cut}), empty if not running
     */
    public record NodeReport(
            int index,
            int subnetNodeId,
            String peerId,
            NodeClass nodeClass,
            BigInteger reputation,
            BigInteger stake,
            BigInteger rewards,
            Optional<BigInteger> score,
            boolean running,
            Optional<dev.hyperj.subnet.dag.MerkleDag.Cut> dag) {
        /** Reputation as a number in [0, 1]. */
        public double reputationRatio() {
            return U128.toRatio(reputation);
        }
    }

    /** Attestations over the validator set, 0 without a proposal. */
    public double attestationRatio() {
        return validatorSetSize == 0 || !submitted ? 0 : (double) attestations / validatorSetSize;
    }

    /** As the runtime decides it: a proposal attested by at least 66% of its validator set (fixed point, no rounding surprises). */
    /** Whether every running node held the same DAG heads at the epoch's end (vacuously true with none). */
    public boolean dagAgreed() {
        return nodes.stream()
                        .flatMap(n -> n.dag().stream())
                        .map(c -> c.heads())
                        .distinct()
                        .count()
                <= 1;
    }

    public boolean consensus() {
        if (!submitted || validatorSetSize == 0) return false;
        BigInteger ratio = U128.percentDiv(BigInteger.valueOf(attestations), BigInteger.valueOf(validatorSetSize));
        return ratio.compareTo(MIN_ATTESTATION) >= 0;
    }

    public Optional<NodeReport> node(int subnetNodeId) {
        return nodes.stream().filter(n -> n.subnetNodeId() == subnetNodeId).findFirst();
    }

    /** The report of the devnet's node {@code index}, if it is a node of the subnet. */
    public Optional<NodeReport> nodeAt(int index) {
        return nodes.stream().filter(n -> n.index() == index).findFirst();
    }
}
