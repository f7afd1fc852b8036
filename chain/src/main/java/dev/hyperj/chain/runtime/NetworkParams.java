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
                registrationEpochs,
                enactmentEpochs,
                minRegistrationEpochs,
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

    /** A copy with shorter phases and overwatch age, for scenarios that must not wait a simulated year. */
    public NetworkParams withPhases(
            long registrationEpochs, long enactmentEpochs, long minRegistrationEpochs, long overwatchMinAge) {
        NetworkParams p = withEpochs(registrationEpochs, enactmentEpochs, minRegistrationEpochs);
        return new NetworkParams(
                p.epochLength,
                p.maxSubnets,
                p.maxSubnetNodes,
                p.minSubnetNodes,
                p.existentialDeposit,
                p.initialRegistrationCost,
                p.minRegistrationCost,
                p.registrationCostDelayBlocks,
                p.registrationCostAlpha,
                p.subnetRegistrationEpochs,
                p.subnetEnactmentEpochs,
                p.minSubnetRegistrationEpochs,
                p.minSubnetDelegateStakeFactor,
                p.minSubnetReputation,
                p.stakeCooldownEpochs,
                p.delegateStakeCooldownEpochs,
                p.maxUnbondings,
                p.minDelegateStakeDeposit,
                p.baseNodeBurnAmount,
                p.maxDelegateStakePercentage,
                p.maxRewardRateDecrease,
                p.rewardRateUpdatePeriodBlocks,
                p.overwatchEpochLengthMultiplier,
                p.overwatchCommitCutoffPercent,
                overwatchMinAge,
                p.overwatchMinStake,
                p.maxOverwatchNodes,
                p.maxSwapQueueCallsPerBlock,
                p.maxSwapQueueLength,
                p.subnetOwnerPercentage,
                p.baseValidatorReward,
                p.maxSlashAmount,
                p.maxPauseEpochs,
                p.maxEmergencyValidatorEpochs,
                p.sudo);
    }

    /** A copy with another minimum-subnet-delegate-stake factor (0 on dev chains, as Hypertensor's genesis sets it). */
    public NetworkParams withMinSubnetDelegateStakeFactor(BigInteger factor) {
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
                factor,
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

    /** A copy with another registration-cost auction (the differential tests set Hypertensor's genesis values). */
    public NetworkParams withRegistrationCost(BigInteger initial, BigInteger min, long delayBlocks, BigInteger alpha) {
        return new NetworkParams(
                epochLength,
                maxSubnets,
                maxSubnetNodes,
                minSubnetNodes,
                existentialDeposit,
                initial,
                min,
                delayBlocks,
                alpha,
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

    /** A copy with another maximum pause length (epochs) before a paused subnet starts losing reputation. */
    public NetworkParams withMaxPauseEpochs(long epochs) {
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
                epochs,
                maxEmergencyValidatorEpochs,
                sudo);
    }

    /** A copy with another MaxSubnets (the collective's {@code set_max_subnets}, or a genesis choice). */
    public NetworkParams withMaxSubnets(int value) {
        return new NetworkParams(
                epochLength,
                value,
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
}
