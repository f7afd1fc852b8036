package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;

import dev.hyperj.chain.crypto.AccountId;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Network-wide parameters, fixed at genesis and stored in state (so they are part of the state root).
 * Percentages are fixed point with 1e18 = 100%; durations in epochs unless named blocks.
 */
public record NetworkParams(
        int epochLength,
        int maxSubnets,
        int maxSubnetNodes,
        int minSubnetNodes,
        BigInteger existentialDeposit,
        BigInteger initialRegistrationCost,
        BigInteger minRegistrationCost,
        long registrationCostDelayBlocks,
        BigInteger registrationCostAlpha,
        long subnetRegistrationEpochs,
        long subnetEnactmentEpochs,
        long minSubnetRegistrationEpochs,
        BigInteger minSubnetDelegateStakeFactor,
        BigInteger minSubnetReputation,
        int stakeCooldownEpochs,
        int delegateStakeCooldownEpochs,
        int maxUnbondings,
        BigInteger minDelegateStakeDeposit,
        BigInteger baseNodeBurnAmount,
        BigInteger maxDelegateStakePercentage,
        BigInteger maxRewardRateDecrease,
        long rewardRateUpdatePeriodBlocks,
        int overwatchEpochLengthMultiplier,
        BigInteger overwatchCommitCutoffPercent,
        long overwatchMinAgeEpochs,
        BigInteger overwatchMinStake,
        int maxOverwatchNodes,
        int maxSwapQueueCallsPerBlock,
        int maxSwapQueueLength,
        BigInteger subnetOwnerPercentage,
        BigInteger baseValidatorReward,
        BigInteger maxSlashAmount,
        long maxPauseEpochs,
        long maxEmergencyValidatorEpochs,
        Optional<AccountId> sudo) {

    public static final long BLOCKS_PER_YEAR = 5_256_000L;

    public long epochsPerYear() {
        return BLOCKS_PER_YEAR / epochLength;
    }

    /** Hypertensor's defaults for a given epoch length (dev 20, testnet 100, mainnet 300). */
    public static NetworkParams defaults(int epochLength, Optional<AccountId> sudo) {
        // 0 would divide by zero here, before the constructor can give its range message
        long epy = epochLength > 0 ? BLOCKS_PER_YEAR / epochLength : 0;
        return new NetworkParams(
                epochLength,
                64,
                256,
                3,
                BigInteger.valueOf(500),
                tensor(1),
                tensor(1).divide(BigInteger.TEN),
                438_290L,
                percent(50),
                epy / 52,
                epy / 104,
                epy / 365,
                BigInteger.ZERO,
                percent(10),
                4,
                1,
                32,
                BigInteger.valueOf(1000),
                BigInteger.TEN.pow(13),
                percent(95),
                percent(1),
                14_400L,
                16,
                percent(80),
                epy / 4,
                tensor(100),
                64,
                16,
                1000,
                percent(23),
                tensor(1),
                tensor(1),
                epy / 4,
                epy / 52,
                sudo);
    }

    NetworkParams withEpochs(long registrationEpochs, long enactmentEpochs, long minRegistrationEpochs) {
        return toBuilder()
                .subnetRegistrationEpochs(registrationEpochs)
                .subnetEnactmentEpochs(enactmentEpochs)
                .minSubnetRegistrationEpochs(minRegistrationEpochs)
                .build();
    }

    /** A copy with shorter phases and overwatch age, for scenarios that must not wait a simulated year. */
    public NetworkParams withPhases(
            long registrationEpochs, long enactmentEpochs, long minRegistrationEpochs, long overwatchMinAge) {
        return withEpochs(registrationEpochs, enactmentEpochs, minRegistrationEpochs).toBuilder()
                .overwatchMinAgeEpochs(overwatchMinAge)
                .build();
    }

    /** A copy with another minimum-subnet-delegate-stake factor (0 on dev chains, as Hypertensor's genesis sets it). */
    public NetworkParams withMinSubnetDelegateStakeFactor(BigInteger factor) {
        return toBuilder().minSubnetDelegateStakeFactor(factor).build();
    }

    /** A copy with another registration-cost auction (the differential tests set Hypertensor's genesis values). */
    public NetworkParams withRegistrationCost(BigInteger initial, BigInteger min, long delayBlocks, BigInteger alpha) {
        return toBuilder()
                .initialRegistrationCost(initial)
                .minRegistrationCost(min)
                .registrationCostDelayBlocks(delayBlocks)
                .registrationCostAlpha(alpha)
                .build();
    }

    /** A copy with another maximum pause length (epochs) before a paused subnet starts losing reputation. */
    public NetworkParams withMaxPauseEpochs(long epochs) {
        return toBuilder().maxPauseEpochs(epochs).build();
    }

    /** A copy with another MaxSubnets (the collective's {@code set_max_subnets}, or a genesis choice). */
    public NetworkParams withMaxSubnets(int value) {
        return toBuilder().maxSubnets(value).build();
    }

    /** A builder holding this record's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Changes some parameters and checks the whole set on {@link #build()}: positive epoch length,
     * node minimum, overwatch multiplier and unbonding slots, {@code minSubnetNodes <= maxSubnetNodes},
     * no negative counts or amounts, percentages at most 100% (1e18), sudo present (maybe empty).
     */
    public static final class Builder {
        private int epochLength;
        private int maxSubnets;
        private int maxSubnetNodes;
        private int minSubnetNodes;
        private BigInteger existentialDeposit;
        private BigInteger initialRegistrationCost;
        private BigInteger minRegistrationCost;
        private long registrationCostDelayBlocks;
        private BigInteger registrationCostAlpha;
        private long subnetRegistrationEpochs;
        private long subnetEnactmentEpochs;
        private long minSubnetRegistrationEpochs;
        private BigInteger minSubnetDelegateStakeFactor;
        private BigInteger minSubnetReputation;
        private int stakeCooldownEpochs;
        private int delegateStakeCooldownEpochs;
        private int maxUnbondings;
        private BigInteger minDelegateStakeDeposit;
        private BigInteger baseNodeBurnAmount;
        private BigInteger maxDelegateStakePercentage;
        private BigInteger maxRewardRateDecrease;
        private long rewardRateUpdatePeriodBlocks;
        private int overwatchEpochLengthMultiplier;
        private BigInteger overwatchCommitCutoffPercent;
        private long overwatchMinAgeEpochs;
        private BigInteger overwatchMinStake;
        private int maxOverwatchNodes;
        private int maxSwapQueueCallsPerBlock;
        private int maxSwapQueueLength;
        private BigInteger subnetOwnerPercentage;
        private BigInteger baseValidatorReward;
        private BigInteger maxSlashAmount;
        private long maxPauseEpochs;
        private long maxEmergencyValidatorEpochs;
        private Optional<AccountId> sudo;

        private Builder(NetworkParams p) {
            this.epochLength = p.epochLength;
            this.maxSubnets = p.maxSubnets;
            this.maxSubnetNodes = p.maxSubnetNodes;
            this.minSubnetNodes = p.minSubnetNodes;
            this.existentialDeposit = p.existentialDeposit;
            this.initialRegistrationCost = p.initialRegistrationCost;
            this.minRegistrationCost = p.minRegistrationCost;
            this.registrationCostDelayBlocks = p.registrationCostDelayBlocks;
            this.registrationCostAlpha = p.registrationCostAlpha;
            this.subnetRegistrationEpochs = p.subnetRegistrationEpochs;
            this.subnetEnactmentEpochs = p.subnetEnactmentEpochs;
            this.minSubnetRegistrationEpochs = p.minSubnetRegistrationEpochs;
            this.minSubnetDelegateStakeFactor = p.minSubnetDelegateStakeFactor;
            this.minSubnetReputation = p.minSubnetReputation;
            this.stakeCooldownEpochs = p.stakeCooldownEpochs;
            this.delegateStakeCooldownEpochs = p.delegateStakeCooldownEpochs;
            this.maxUnbondings = p.maxUnbondings;
            this.minDelegateStakeDeposit = p.minDelegateStakeDeposit;
            this.baseNodeBurnAmount = p.baseNodeBurnAmount;
            this.maxDelegateStakePercentage = p.maxDelegateStakePercentage;
            this.maxRewardRateDecrease = p.maxRewardRateDecrease;
            this.rewardRateUpdatePeriodBlocks = p.rewardRateUpdatePeriodBlocks;
            this.overwatchEpochLengthMultiplier = p.overwatchEpochLengthMultiplier;
            this.overwatchCommitCutoffPercent = p.overwatchCommitCutoffPercent;
            this.overwatchMinAgeEpochs = p.overwatchMinAgeEpochs;
            this.overwatchMinStake = p.overwatchMinStake;
            this.maxOverwatchNodes = p.maxOverwatchNodes;
            this.maxSwapQueueCallsPerBlock = p.maxSwapQueueCallsPerBlock;
            this.maxSwapQueueLength = p.maxSwapQueueLength;
            this.subnetOwnerPercentage = p.subnetOwnerPercentage;
            this.baseValidatorReward = p.baseValidatorReward;
            this.maxSlashAmount = p.maxSlashAmount;
            this.maxPauseEpochs = p.maxPauseEpochs;
            this.maxEmergencyValidatorEpochs = p.maxEmergencyValidatorEpochs;
            this.sudo = p.sudo;
        }

        public Builder epochLength(int value) {
            this.epochLength = value;
            return this;
        }

        public Builder maxSubnets(int value) {
            this.maxSubnets = value;
            return this;
        }

        public Builder maxSubnetNodes(int value) {
            this.maxSubnetNodes = value;
            return this;
        }

        public Builder minSubnetNodes(int value) {
            this.minSubnetNodes = value;
            return this;
        }

        public Builder existentialDeposit(BigInteger value) {
            this.existentialDeposit = value;
            return this;
        }

        public Builder initialRegistrationCost(BigInteger value) {
            this.initialRegistrationCost = value;
            return this;
        }

        public Builder minRegistrationCost(BigInteger value) {
            this.minRegistrationCost = value;
            return this;
        }

        public Builder registrationCostDelayBlocks(long value) {
            this.registrationCostDelayBlocks = value;
            return this;
        }

        public Builder registrationCostAlpha(BigInteger value) {
            this.registrationCostAlpha = value;
            return this;
        }

        public Builder subnetRegistrationEpochs(long value) {
            this.subnetRegistrationEpochs = value;
            return this;
        }

        public Builder subnetEnactmentEpochs(long value) {
            this.subnetEnactmentEpochs = value;
            return this;
        }

        public Builder minSubnetRegistrationEpochs(long value) {
            this.minSubnetRegistrationEpochs = value;
            return this;
        }

        public Builder minSubnetDelegateStakeFactor(BigInteger value) {
            this.minSubnetDelegateStakeFactor = value;
            return this;
        }

        public Builder minSubnetReputation(BigInteger value) {
            this.minSubnetReputation = value;
            return this;
        }

        public Builder stakeCooldownEpochs(int value) {
            this.stakeCooldownEpochs = value;
            return this;
        }

        public Builder delegateStakeCooldownEpochs(int value) {
            this.delegateStakeCooldownEpochs = value;
            return this;
        }

        public Builder maxUnbondings(int value) {
            this.maxUnbondings = value;
            return this;
        }

        public Builder minDelegateStakeDeposit(BigInteger value) {
            this.minDelegateStakeDeposit = value;
            return this;
        }

        public Builder baseNodeBurnAmount(BigInteger value) {
            this.baseNodeBurnAmount = value;
            return this;
        }

        public Builder maxDelegateStakePercentage(BigInteger value) {
            this.maxDelegateStakePercentage = value;
            return this;
        }

        public Builder maxRewardRateDecrease(BigInteger value) {
            this.maxRewardRateDecrease = value;
            return this;
        }

        public Builder rewardRateUpdatePeriodBlocks(long value) {
            this.rewardRateUpdatePeriodBlocks = value;
            return this;
        }

        public Builder overwatchEpochLengthMultiplier(int value) {
            this.overwatchEpochLengthMultiplier = value;
            return this;
        }

        public Builder overwatchCommitCutoffPercent(BigInteger value) {
            this.overwatchCommitCutoffPercent = value;
            return this;
        }

        public Builder overwatchMinAgeEpochs(long value) {
            this.overwatchMinAgeEpochs = value;
            return this;
        }

        public Builder overwatchMinStake(BigInteger value) {
            this.overwatchMinStake = value;
            return this;
        }

        public Builder maxOverwatchNodes(int value) {
            this.maxOverwatchNodes = value;
            return this;
        }

        public Builder maxSwapQueueCallsPerBlock(int value) {
            this.maxSwapQueueCallsPerBlock = value;
            return this;
        }

        public Builder maxSwapQueueLength(int value) {
            this.maxSwapQueueLength = value;
            return this;
        }

        public Builder subnetOwnerPercentage(BigInteger value) {
            this.subnetOwnerPercentage = value;
            return this;
        }

        public Builder baseValidatorReward(BigInteger value) {
            this.baseValidatorReward = value;
            return this;
        }

        public Builder maxSlashAmount(BigInteger value) {
            this.maxSlashAmount = value;
            return this;
        }

        public Builder maxPauseEpochs(long value) {
            this.maxPauseEpochs = value;
            return this;
        }

        public Builder maxEmergencyValidatorEpochs(long value) {
            this.maxEmergencyValidatorEpochs = value;
            return this;
        }

        public Builder sudo(Optional<AccountId> value) {
            this.sudo = value;
            return this;
        }

        public NetworkParams build() {
            positive("epochLength", epochLength);
            notNegative("maxSubnets", maxSubnets); // the collective may set 0: no new subnets
            positive("minSubnetNodes", minSubnetNodes);
            if (minSubnetNodes > maxSubnetNodes) {
                throw new IllegalArgumentException(
                        "minSubnetNodes " + minSubnetNodes + " > maxSubnetNodes " + maxSubnetNodes);
            }
            positive("overwatchEpochLengthMultiplier", overwatchEpochLengthMultiplier);
            positive("maxUnbondings", maxUnbondings);
            notNegative("maxOverwatchNodes", maxOverwatchNodes);
            notNegative("maxSwapQueueCallsPerBlock", maxSwapQueueCallsPerBlock);
            notNegative("maxSwapQueueLength", maxSwapQueueLength);
            for (BigInteger amount : new BigInteger[] {
                existentialDeposit,
                initialRegistrationCost,
                minRegistrationCost,
                minSubnetDelegateStakeFactor,
                minDelegateStakeDeposit,
                baseNodeBurnAmount,
                overwatchMinStake,
                baseValidatorReward,
                maxSlashAmount
            }) {
                if (amount == null || amount.signum() < 0) {
                    throw new IllegalArgumentException("amounts must be present and not negative");
                }
            }
            for (BigInteger share : new BigInteger[] {
                registrationCostAlpha,
                minSubnetReputation,
                maxDelegateStakePercentage,
                maxRewardRateDecrease,
                overwatchCommitCutoffPercent,
                subnetOwnerPercentage
            }) {
                if (share == null || share.signum() < 0 || share.compareTo(percent(100)) > 0) {
                    throw new IllegalArgumentException("percentages must be in [0, 1e18]");
                }
            }
            if (sudo == null) throw new IllegalArgumentException("sudo must be present (Optional.empty() for none)");
            return new NetworkParams(
                    epochLength,
                    maxSubnets,
                    maxSubnetNodes,
                    minSubnetNodes,
                    existentialDeposit,
                    initialRegistrationCost,
                    minRegistrationCost,
                    registrationCostDelayBlocks,
                    registrationCostAlpha,
                    subnetRegistrationEpochs,
                    subnetEnactmentEpochs,
                    minSubnetRegistrationEpochs,
                    minSubnetDelegateStakeFactor,
                    minSubnetReputation,
                    stakeCooldownEpochs,
                    delegateStakeCooldownEpochs,
                    maxUnbondings,
                    minDelegateStakeDeposit,
                    baseNodeBurnAmount,
                    maxDelegateStakePercentage,
                    maxRewardRateDecrease,
                    rewardRateUpdatePeriodBlocks,
                    overwatchEpochLengthMultiplier,
                    overwatchCommitCutoffPercent,
                    overwatchMinAgeEpochs,
                    overwatchMinStake,
                    maxOverwatchNodes,
                    maxSwapQueueCallsPerBlock,
                    maxSwapQueueLength,
                    subnetOwnerPercentage,
                    baseValidatorReward,
                    maxSlashAmount,
                    maxPauseEpochs,
                    maxEmergencyValidatorEpochs,
                    sudo);
        }

        private static void positive(String name, long value) {
            if (value < 1) throw new IllegalArgumentException(name + " must be positive, got " + value);
        }

        private static void notNegative(String name, long value) {
            if (value < 0) throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
