package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.SubnetRemovalReason;
import java.math.BigInteger;

/** What happened, named after Hypertensor's pallet events (plus balances' Transfer/Minted/Burned). */
public sealed interface Event {
    /** A balance moved from one account to another. */
    record Transfer(AccountId from, AccountId to, BigInteger amount) implements Event {}

    /** New TENSOR was credited to an account (rewards, emissions). */
    record Minted(AccountId to, BigInteger amount) implements Event {}

    /** TENSOR was taken out of existence from an account (registration costs, burns). */
    record Burned(AccountId from, BigInteger amount) implements Event {}

    /** A coldkey registered a validator with its hotkey. */
    record ValidatorRegistered(int validatorId, AccountId coldkey, AccountId hotkey) implements Event {}

    /** A validator moved to a new coldkey. */
    record UpdateColdkey(int validatorId, AccountId coldkey) implements Event {}

    /** A validator moved to a new hotkey. */
    record UpdateHotkey(int validatorId, AccountId hotkey) implements Event {}

    /** A validator changed the share of its rewards that goes to its delegators. */
    record ValidatorUpdateDelegateRewardRate(int validatorId, BigInteger rate) implements Event {}

    /** A validator changed its identity. */
    record ValidatorUpdated(int validatorId) implements Event {}

    /** A subnet was registered (it is Registering until activated), and what it cost. */
    record SubnetRegistered(AccountId owner, String name, int subnetId, BigInteger cost) implements Event {}

    /** A registering subnet met its requirements and became Active. */
    record SubnetActivated(int subnetId) implements Event {}

    /** A subnet was removed, and why. */
    record SubnetDeactivated(int subnetId, SubnetRemovalReason reason) implements Event {}

    /** The owner paused a subnet: no consensus, no emissions. */
    record SubnetPaused(int subnetId) implements Event {}

    /** The owner resumed a paused subnet. */
    record SubnetUnpaused(int subnetId) implements Event {}

    /**
     * The owner changed one of the subnet's settings. {@code what} is the setting's wire name (the
     * pallet's snake_case name, kept as text so that events encode as they always have); made and
     * read as a {@link Setting}.
     */
    record SubnetOwnerUpdate(int subnetId, String what) implements Event {
        public SubnetOwnerUpdate(int subnetId, Setting what) {
            this(subnetId, what.wireName());
        }

        /** The setting, or empty for a name this runtime does not know (an event from another version). */
        public java.util.Optional<Setting> setting() {
            return Setting.ofWireName(what);
        }

        /** What a subnet owner can change. */
        public enum Setting {
            NAME,
            REPO,
            DESCRIPTION,
            MISC,
            CHURN_LIMIT,
            QUEUE_EPOCHS,
            IDLE_EPOCHS,
            INCLUDED_EPOCHS,
            MAX_REGISTERED_NODES,
            MIN_NODE_REPUTATION,
            MIN_MAX_STAKE,
            DELEGATE_STAKE_PERCENTAGE,
            TARGET_REGISTRATIONS,
            BOOTNODE_ACCESS,
            PENDING_OWNER,
            OWNER,
            REPUTATION_FACTORS,
            MIN_WEIGHT_DECREASE_REPUTATION_THRESHOLD,
            INITIAL_VALIDATORS;

            /** The name in events: {@code churn_limit}. */
            public String wireName() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }

            public static java.util.Optional<Setting> ofWireName(String name) {
                for (Setting s : values()) if (s.wireName().equals(name)) return java.util.Optional.of(s);
                return java.util.Optional.empty();
            }
        }
    }

    /** The owner offered the subnet to a new owner, who must accept it. */
    record TransferPendingSubnetOwner(int subnetId, AccountId newOwner) implements Event {}

    /** The subnet's official bootnodes changed. */
    record BootnodesUpdated(int subnetId) implements Event {}

    /** A node was registered in a subnet, with the class it starts in. */
    record SubnetNodeRegistered(int subnetId, int subnetNodeId, int validatorId, NodeClass nodeClass)
            implements Event {}

    /** A queued node left the registration queue and became Idle. */
    record SubnetNodeActivated(int subnetId, int subnetNodeId) implements Event {}

    /** A node left its subnet (removed by its owner or for low reputation). */
    record SubnetNodeRemoved(int subnetId, int subnetNodeId) implements Event {}

    /** A node's owner changed one of its fields ({@code what} names it). */
    record SubnetNodeUpdated(int subnetId, int subnetNodeId, String what) implements Event {}

    /** Consensus moved a queued node to the front of the queue. */
    record QueuedNodePrioritized(int subnetId, int subnetNodeId) implements Event {}

    /** Consensus removed a node from the registration queue. */
    record QueuedNodeRemoved(int subnetId, int subnetNodeId) implements Event {}

    /** A node moved up to a new class (Idle -> Included -> Validator). */
    record NodeClassGraduation(int subnetId, int subnetNodeId, NodeClass nodeClass) implements Event {}

    /** Stake was added to a node. */
    record StakeAdded(int subnetId, int subnetNodeId, BigInteger amount) implements Event {}

    /** Stake was taken from a node into unbonding. */
    record StakeRemoved(int subnetId, int subnetNodeId, BigInteger amount) implements Event {}

    /** An amount started unbonding, claimable from {@code claimBlock}. */
    record Unbonded(AccountId account, BigInteger amount, long claimBlock) implements Event {}

    /** An account claimed its unbonded stake back into its balance. */
    record UnbondingsClaimed(AccountId account, BigInteger amount) implements Event {}

    /** An account delegated stake to a subnet's pool and got shares. */
    record SubnetDelegateStakeAdded(int subnetId, AccountId account, BigInteger amount, BigInteger shares)
            implements Event {}

    /** An account redeemed shares of a subnet's pool into unbonding. */
    record SubnetDelegateStakeRemoved(int subnetId, AccountId account, BigInteger amount, BigInteger shares)
            implements Event {}

    /** Shares of a subnet or validator pool changed hands. */
    record DelegateStakeTransferred(int poolId, boolean validatorPool, AccountId from, AccountId to, BigInteger shares)
            implements Event {}

    /** An amount was added to a pool without shares (raising every share's value). */
    record DelegateStakeDonated(int poolId, boolean validatorPool, BigInteger amount) implements Event {}

    /** An account delegated stake to a validator's pool and got shares. */
    record ValidatorDelegateStakeAdded(int validatorId, AccountId account, BigInteger amount, BigInteger shares)
            implements Event {}

    /** An account redeemed shares of a validator's pool into unbonding. */
    record ValidatorDelegateStakeRemoved(int validatorId, AccountId account, BigInteger amount, BigInteger shares)
            implements Event {}

    /** A stake swap was queued to execute at {@code executeBlock}. */
    record SwapQueued(long swapId, AccountId account, BigInteger amount, long executeBlock) implements Event {}

    /** A queued stake swap was executed. */
    record SwapExecuted(long swapId) implements Event {}

    /** The elected node proposed the epoch's scores. */
    record ValidatorSubmission(int subnetId, int subnetNodeId, long epoch) implements Event {}

    /** A node attested the epoch's proposal. */
    record Attestation(int subnetId, int subnetNodeId, long epoch) implements Event {}

    /** A node was elected to propose for the epoch. */
    record ElectedValidator(int subnetId, int subnetNodeId, long epoch) implements Event {}

    /** The proposer's stake was cut because its proposal did not reach consensus (the amount burned). */
    record Slashing(int subnetId, int subnetNodeId, BigInteger amount) implements Event {}

    /** What a subnet's epoch paid out in total and to whom by kind. */
    record SubnetRewards(
            int subnetId,
            long epoch,
            BigInteger overall,
            BigInteger ownerReward,
            BigInteger delegateReward,
            BigInteger nodeRewards)
            implements Event {}

    /** What one node earned in the epoch (added to its stake). */
    record NodeReward(int subnetId, int subnetNodeId, BigInteger reward) implements Event {}

    /** A subnet's reputation changed. */
    record SubnetReputationUpdate(int subnetId, BigInteger previous, BigInteger reputation) implements Event {}

    /** A node's reputation changed. */
    record NodeReputationUpdate(int subnetId, int subnetNodeId, BigInteger previous, BigInteger reputation)
            implements Event {}

    /** A validator registered an overwatch node. */
    record OverwatchNodeRegistered(int overwatchNodeId, int validatorId) implements Event {}

    /** An overwatch node was removed. */
    record OverwatchNodeRemoved(int overwatchNodeId) implements Event {}

    /** An overwatch node committed a hidden weight for a subnet. */
    record OverwatchCommit(int overwatchNodeId, long overwatchEpoch, int subnetId) implements Event {}

    /** An overwatch node revealed the weight it committed for a subnet. */
    record OverwatchReveal(int overwatchNodeId, long overwatchEpoch, int subnetId, BigInteger weight)
            implements Event {}

    /** What an overwatch node earned for an overwatch epoch. */
    record OverwatchRewards(int overwatchNodeId, long overwatchEpoch, BigInteger reward) implements Event {}

    /** The collective set (or cleared, size 0) a subnet's emergency validator set. */
    record EmergencyValidatorSetUpdated(int subnetId, int size) implements Event {}

    /** The collective made a coldkey eligible (or not) to run an overwatch node. */
    record OverwatchEligibility(AccountId coldkey, boolean eligible) implements Event {}

    /** The collective changed the maximum number of subnets. */
    record SetMaxSubnets(int value) implements Event {}

    /** The collective changed how long a subnet waits between pauses. */
    record SetSubnetPauseCooldownEpochs(int value) implements Event {}
}
