package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The value types the network keeps in state and returns from reads (SCALE-encoded in storage). */
public final class Model {
    private Model() {}

    public record ValidatorIdentity(
            String name,
            String url,
            String image,
            String discord,
            String x,
            String telegram,
            String github,
            String huggingFace,
            String description,
            String misc) {
        public static ValidatorIdentity named(String name) {
            return new ValidatorIdentity(name, "", "", "", "", "", "", "", "", "");
        }
    }

    /** An account that receives {@code rate} of a validator's rewards (after its delegators' share). */
    public record DelegateAccount(AccountId account, BigInteger rate) {}

    public record Validator(
            int id,
            AccountId coldkey,
            AccountId hotkey,
            BigInteger delegateRewardRate,
            long lastRewardRateUpdateBlock,
            Optional<DelegateAccount> delegateAccount,
            ValidatorIdentity identity) {}

    public record ValidatorReputation(
            long startEpoch,
            BigInteger score,
            int lifetimeNodeCount,
            int totalActiveNodes,
            int totalIncreases,
            int totalDecreases,
            BigInteger averageAttestation,
            long lastValidatorEpoch,
            BigInteger owScore) {}

    public enum SubnetState {
        Registered,
        Active,
        Paused
    }

    public enum SubnetRemovalReason {
        MinReputation,
        MinSubnetNodes,
        MinSubnetDelegateStake,
        Council,
        EnactmentPeriod,
        MaxSubnets,
        Owner,
        PauseExpired
    }

    /** A peer id as its base58 (or CID) text and an optional binary multiaddr. */
    public record PeerInfo(String peerId, Optional<Bytes> multiaddr) {
        public static PeerInfo of(String peerId) {
            return new PeerInfo(peerId, Optional.empty());
        }
    }

    public record SubnetRegistrationData(
            String name,
            String repo,
            String description,
            String misc,
            BigInteger minStake,
            BigInteger maxStake,
            BigInteger delegateStakePercentage,
            Map<Integer, Integer> initialValidators,
            Map<String, Bytes> bootnodes) {}

    public record Subnet(
            int id,
            int friendlyId,
            String name,
            String repo,
            String description,
            String misc,
            AccountId owner,
            SubnetState state,
            long registrationEpoch,
            long startEpoch,
            int slot,
            long pausedAtEpoch) {
        Subnet withState(SubnetState s) {
            return new Subnet(
                    id,
                    friendlyId,
                    name,
                    repo,
                    description,
                    misc,
                    owner,
                    s,
                    registrationEpoch,
                    startEpoch,
                    slot,
                    pausedAtEpoch);
        }
    }

    /** What a subnet's owner may tune. */
    public record SubnetParams(
            int churnLimit,
            int churnLimitMultiplier,
            int queueEpochs,
            int idleClassificationEpochs,
            int includedClassificationEpochs,
            int maxRegisteredNodes,
            BigInteger minNodeReputation,
            BigInteger minStake,
            BigInteger maxStake,
            BigInteger delegateStakePercentage,
            long lastDelegateStakePercentageUpdateBlock,
            int targetNodeRegistrationsPerEpoch,
            List<AccountId> bootnodeAccess,
            Optional<AccountId> pendingOwner) {
        /** A builder holding these values, to change some (the owner's update calls check ranges first). */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /** Changes some of a subnet's parameters. */
        public static final class Builder {
            private int churnLimit;
            private int churnLimitMultiplier;
            private int queueEpochs;
            private int idleClassificationEpochs;
            private int includedClassificationEpochs;
            private int maxRegisteredNodes;
            private BigInteger minNodeReputation;
            private BigInteger minStake;
            private BigInteger maxStake;
            private BigInteger delegateStakePercentage;
            private long lastDelegateStakePercentageUpdateBlock;
            private int targetNodeRegistrationsPerEpoch;
            private List<AccountId> bootnodeAccess;
            private Optional<AccountId> pendingOwner;

            private Builder(SubnetParams p) {
                this.churnLimit = p.churnLimit;
                this.churnLimitMultiplier = p.churnLimitMultiplier;
                this.queueEpochs = p.queueEpochs;
                this.idleClassificationEpochs = p.idleClassificationEpochs;
                this.includedClassificationEpochs = p.includedClassificationEpochs;
                this.maxRegisteredNodes = p.maxRegisteredNodes;
                this.minNodeReputation = p.minNodeReputation;
                this.minStake = p.minStake;
                this.maxStake = p.maxStake;
                this.delegateStakePercentage = p.delegateStakePercentage;
                this.lastDelegateStakePercentageUpdateBlock = p.lastDelegateStakePercentageUpdateBlock;
                this.targetNodeRegistrationsPerEpoch = p.targetNodeRegistrationsPerEpoch;
                this.bootnodeAccess = p.bootnodeAccess;
                this.pendingOwner = p.pendingOwner;
            }

            public Builder churnLimit(int value) {
                this.churnLimit = value;
                return this;
            }

            public Builder churnLimitMultiplier(int value) {
                this.churnLimitMultiplier = value;
                return this;
            }

            public Builder queueEpochs(int value) {
                this.queueEpochs = value;
                return this;
            }

            public Builder idleClassificationEpochs(int value) {
                this.idleClassificationEpochs = value;
                return this;
            }

            public Builder includedClassificationEpochs(int value) {
                this.includedClassificationEpochs = value;
                return this;
            }

            public Builder maxRegisteredNodes(int value) {
                this.maxRegisteredNodes = value;
                return this;
            }

            public Builder minNodeReputation(BigInteger value) {
                this.minNodeReputation = value;
                return this;
            }

            public Builder minStake(BigInteger value) {
                this.minStake = value;
                return this;
            }

            public Builder maxStake(BigInteger value) {
                this.maxStake = value;
                return this;
            }

            public Builder delegateStakePercentage(BigInteger value) {
                this.delegateStakePercentage = value;
                return this;
            }

            public Builder lastDelegateStakePercentageUpdateBlock(long value) {
                this.lastDelegateStakePercentageUpdateBlock = value;
                return this;
            }

            public Builder targetNodeRegistrationsPerEpoch(int value) {
                this.targetNodeRegistrationsPerEpoch = value;
                return this;
            }

            public Builder bootnodeAccess(List<AccountId> value) {
                this.bootnodeAccess = value;
                return this;
            }

            public Builder pendingOwner(Optional<AccountId> value) {
                this.pendingOwner = value;
                return this;
            }

            public SubnetParams build() {
                return new SubnetParams(
                        churnLimit,
                        churnLimitMultiplier,
                        queueEpochs,
                        idleClassificationEpochs,
                        includedClassificationEpochs,
                        maxRegisteredNodes,
                        minNodeReputation,
                        minStake,
                        maxStake,
                        delegateStakePercentage,
                        lastDelegateStakePercentageUpdateBlock,
                        targetNodeRegistrationsPerEpoch,
                        bootnodeAccess,
                        pendingOwner);
            }
        }
    }

    public enum NodeClass {
        Registered,
        Idle,
        Included,
        Validator
    }

    public record SubnetNode(
            int id,
            int validatorId,
            Optional<AccountId> hotkey,
            PeerInfo peerInfo,
            Optional<PeerInfo> bootnodePeerInfo,
            Optional<PeerInfo> clientPeerInfo,
            NodeClass nodeClass,
            long classStartEpoch,
            Optional<Bytes> unique,
            Optional<Bytes> nonUnique,
            BigInteger reputation,
            int classificationCounter) {
        /** {@code hasClass(c, e)}: class at least {@code c} and started by epoch {@code e}. */
        public boolean hasClass(NodeClass c, long epoch) {
            return nodeClass.compareTo(c) >= 0 && classStartEpoch <= epoch;
        }
    }

    /** A node's stake; it outlives the node and stays withdrawable by the validator's coldkey. */
    public record NodeStake(int validatorId, BigInteger amount) {}

    /** A delegate-stake share pool. */
    public record Pool(BigInteger balance, BigInteger shares) {
        public static final Pool EMPTY = new Pool(BigInteger.ZERO, BigInteger.ZERO);
    }

    public enum SwapTargetKind {
        Subnet,
        Validator
    }

    public record SwapEntry(
            long id, AccountId account, SwapTargetKind kind, int targetId, BigInteger amount, long executeBlock) {}

    public record NodeScore(int subnetNodeId, BigInteger score) {}

    public record Attestation(long block, BigInteger rewardFactor, Optional<Bytes> data) {}

    /** A subnet's node reputation factors (1e18 = 100%), each owner-tunable in [5%, 50%]. */
    public record ReputationFactors(
            BigInteger absentDecrease,
            BigInteger includedIncrease,
            BigInteger belowMinWeightDecrease,
            BigInteger nonAttestorDecrease,
            BigInteger nonConsensusAttestorDecrease,
            BigInteger validatorAbsentDecrease,
            BigInteger validatorNonConsensusDecrease) {
        public static ReputationFactors defaults() {
            BigInteger ten = dev.hyperj.chain.math.U128.percent(10), five = dev.hyperj.chain.math.U128.percent(5);
            return new ReputationFactors(ten, ten, ten, ten, ten, five, five);
        }
    }

    /**
     * An owner's partial update of the reputation factors (the pallet's {@code SubnetReputationFactorUpdates}):
     * absent fields keep the value already scheduled (the pending set if not yet in force, else the current one).
     */
    public record ReputationFactorUpdates(
            Optional<BigInteger> absentDecrease,
            Optional<BigInteger> includedIncrease,
            Optional<BigInteger> belowMinWeightDecrease,
            Optional<BigInteger> nonAttestorDecrease,
            Optional<BigInteger> nonConsensusAttestorDecrease,
            Optional<BigInteger> validatorAbsentDecrease,
            Optional<BigInteger> validatorNonConsensusDecrease) {
        /** Every field set: replaces the whole set. */
        public static ReputationFactorUpdates all(ReputationFactors f) {
            return new ReputationFactorUpdates(
                    Optional.of(f.absentDecrease()),
                    Optional.of(f.includedIncrease()),
                    Optional.of(f.belowMinWeightDecrease()),
                    Optional.of(f.nonAttestorDecrease()),
                    Optional.of(f.nonConsensusAttestorDecrease()),
                    Optional.of(f.validatorAbsentDecrease()),
                    Optional.of(f.validatorNonConsensusDecrease()));
        }

        public static ReputationFactorUpdates none() {
            return new ReputationFactorUpdates(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty());
        }

        public ReputationFactorUpdates withAbsentDecrease(BigInteger v) {
            return new ReputationFactorUpdates(
                    Optional.of(v),
                    includedIncrease,
                    belowMinWeightDecrease,
                    nonAttestorDecrease,
                    nonConsensusAttestorDecrease,
                    validatorAbsentDecrease,
                    validatorNonConsensusDecrease);
        }

        public ReputationFactorUpdates withBelowMinWeightDecrease(BigInteger v) {
            return new ReputationFactorUpdates(
                    absentDecrease,
                    includedIncrease,
                    Optional.of(v),
                    nonAttestorDecrease,
                    nonConsensusAttestorDecrease,
                    validatorAbsentDecrease,
                    validatorNonConsensusDecrease);
        }

        boolean hasUpdate() {
            return absentDecrease.isPresent()
                    || includedIncrease.isPresent()
                    || belowMinWeightDecrease.isPresent()
                    || nonAttestorDecrease.isPresent()
                    || nonConsensusAttestorDecrease.isPresent()
                    || validatorAbsentDecrease.isPresent()
                    || validatorNonConsensusDecrease.isPresent();
        }

        /** Every factor but the included increase changes penalties, which the pallet forbids while an emergency set runs. */
        boolean requiresNoEmergencyValidators() {
            return absentDecrease.isPresent()
                    || belowMinWeightDecrease.isPresent()
                    || nonAttestorDecrease.isPresent()
                    || nonConsensusAttestorDecrease.isPresent()
                    || validatorAbsentDecrease.isPresent()
                    || validatorNonConsensusDecrease.isPresent();
        }

        ReputationFactors applyTo(ReputationFactors f) {
            return new ReputationFactors(
                    absentDecrease.orElse(f.absentDecrease()),
                    includedIncrease.orElse(f.includedIncrease()),
                    belowMinWeightDecrease.orElse(f.belowMinWeightDecrease()),
                    nonAttestorDecrease.orElse(f.nonAttestorDecrease()),
                    nonConsensusAttestorDecrease.orElse(f.nonConsensusAttestorDecrease()),
                    validatorAbsentDecrease.orElse(f.validatorAbsentDecrease()),
                    validatorNonConsensusDecrease.orElse(f.validatorNonConsensusDecrease()));
        }
    }

    /** Current factors and an owner update that takes effect from a later subnet epoch. */
    public record ReputationFactorSchedule(
            ReputationFactors current, Optional<ReputationFactors> pending, long pendingFromSubnetEpoch) {
        public ReputationFactors forEpoch(long subnetEpoch) {
            return pending.isPresent() && subnetEpoch >= pendingFromSubnetEpoch ? pending.get() : current;
        }
    }

    /** A storage key: one subnet's epoch. */
    public record SubnetEpoch(int subnetId, long epoch) {}

    public record ConsensusSubmission(
            int validatorNodeId,
            List<NodeScore> data,
            Map<Integer, Attestation> attests,
            List<Integer> snapshot,
            List<Integer> validatorSet,
            Optional<Integer> prioritizeQueueNodeId,
            Optional<Integer> removeQueueNodeId,
            Optional<Bytes> args,
            long block,
            BigInteger rewardFactor) {}

    public record EmergencyValidatorSet(List<Integer> nodeIds, long expiresEpoch) {}

    /** The emission budget fixed at the weights block of a general epoch. */
    public record EpochEmission(long epoch, BigInteger subnetEmissions, BigInteger capacitor) {}

    public record NetFlow(BigInteger in, BigInteger out) {
        public static final NetFlow ZERO = new NetFlow(BigInteger.ZERO, BigInteger.ZERO);
    }

    public record OverwatchNode(int id, int validatorId, AccountId hotkey, BigInteger stake) {}

    public record OverwatchCommit(int subnetId, Bytes weightHash) {}

    public record OverwatchReveal(int subnetId, BigInteger weight, Bytes salt) {}
}
