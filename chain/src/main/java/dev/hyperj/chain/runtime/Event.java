package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.SubnetRemovalReason;
import java.math.BigInteger;

/** What happened, named after Hypertensor's pallet events (plus balances' Transfer/Minted/Burned). */
public sealed interface Event {
    record Transfer(AccountId from, AccountId to, BigInteger amount) implements Event {}

    record Minted(AccountId to, BigInteger amount) implements Event {}

    record Burned(AccountId from, BigInteger amount) implements Event {}

    record ValidatorRegistered(int validatorId, AccountId coldkey, AccountId hotkey) implements Event {}

    record UpdateColdkey(int validatorId, AccountId coldkey) implements Event {}

    record UpdateHotkey(int validatorId, AccountId hotkey) implements Event {}

    record ValidatorUpdateDelegateRewardRate(int validatorId, BigInteger rate) implements Event {}

    record ValidatorUpdated(int validatorId) implements Event {}

    record SubnetRegistered(AccountId owner, String name, int subnetId, BigInteger cost) implements Event {}

    record SubnetActivated(int subnetId) implements Event {}

    record SubnetDeactivated(int subnetId, SubnetRemovalReason reason) implements Event {}

    record SubnetPaused(int subnetId) implements Event {}

    record SubnetUnpaused(int subnetId) implements Event {}

    record SubnetOwnerUpdate(int subnetId, String what) implements Event {}

    record TransferPendingSubnetOwner(int subnetId, AccountId newOwner) implements Event {}

    record BootnodesUpdated(int subnetId) implements Event {}

    record SubnetNodeRegistered(int subnetId, int subnetNodeId, int validatorId, NodeClass nodeClass)
            implements Event {}

    record SubnetNodeActivated(int subnetId, int subnetNodeId) implements Event {}

    record SubnetNodeRemoved(int subnetId, int subnetNodeId) implements Event {}

    record SubnetNodeUpdated(int subnetId, int subnetNodeId, String what) implements Event {}

    record QueuedNodePrioritized(int subnetId, int subnetNodeId) implements Event {}

    record QueuedNodeRemoved(int subnetId, int subnetNodeId) implements Event {}

    record NodeClassGraduation(int subnetId, int subnetNodeId, NodeClass nodeClass) implements Event {}

    record StakeAdded(int subnetId, int subnetNodeId, BigInteger amount) implements Event {}

    record StakeRemoved(int subnetId, int subnetNodeId, BigInteger amount) implements Event {}

    record Unbonded(AccountId account, BigInteger amount, long claimBlock) implements Event {}

    record UnbondingsClaimed(AccountId account, BigInteger amount) implements Event {}

    record SubnetDelegateStakeAdded(int subnetId, AccountId account, BigInteger amount, BigInteger shares)
            implements Event {}

    record SubnetDelegateStakeRemoved(int subnetId, AccountId account, BigInteger amount, BigInteger shares)
            implements Event {}

    record DelegateStakeTransferred(int poolId, boolean validatorPool, AccountId from, AccountId to, BigInteger shares)
            implements Event {}

    record DelegateStakeDonated(int poolId, boolean validatorPool, BigInteger amount) implements Event {}

    record ValidatorDelegateStakeAdded(int validatorId, AccountId account, BigInteger amount, BigInteger shares)
            implements Event {}

    record ValidatorDelegateStakeRemoved(int validatorId, AccountId account, BigInteger amount, BigInteger shares)
            implements Event {}

    record SwapQueued(long swapId, AccountId account, BigInteger amount, long executeBlock) implements Event {}

    record SwapExecuted(long swapId) implements Event {}

    record ValidatorSubmission(int subnetId, int subnetNodeId, long epoch) implements Event {}

    record Attestation(int subnetId, int subnetNodeId, long epoch) implements Event {}

    record ElectedValidator(int subnetId, int subnetNodeId, long epoch) implements Event {}

    record Slashing(int subnetId, int subnetNodeId, BigInteger amount) implements Event {}

    record SubnetRewards(
            int subnetId,
            long epoch,
            BigInteger overall,
            BigInteger ownerReward,
            BigInteger delegateReward,
            BigInteger nodeRewards)
            implements Event {}

    record NodeReward(int subnetId, int subnetNodeId, BigInteger reward) implements Event {}

    record SubnetReputationUpdate(int subnetId, BigInteger previous, BigInteger reputation) implements Event {}

    record NodeReputationUpdate(int subnetId, int subnetNodeId, BigInteger previous, BigInteger reputation)
            implements Event {}

    record OverwatchNodeRegistered(int overwatchNodeId, int validatorId) implements Event {}

    record OverwatchNodeRemoved(int overwatchNodeId) implements Event {}

    record OverwatchCommit(int overwatchNodeId, long overwatchEpoch, int subnetId) implements Event {}

    record OverwatchReveal(int overwatchNodeId, long overwatchEpoch, int subnetId, BigInteger weight)
            implements Event {}

    record OverwatchRewards(int overwatchNodeId, long overwatchEpoch, BigInteger reward) implements Event {}

    record EmergencyValidatorSetUpdated(int subnetId, int size) implements Event {}

    record OverwatchEligibility(AccountId coldkey, boolean eligible) implements Event {}

    record SetMaxSubnets(int value) implements Event {}

    record SetSubnetPauseCooldownEpochs(int value) implements Event {}
}
