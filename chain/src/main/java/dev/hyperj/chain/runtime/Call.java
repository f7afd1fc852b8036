package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Model.DelegateAccount;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.OverwatchCommit;
import dev.hyperj.chain.runtime.Model.OverwatchReveal;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Every extrinsic of the network, one record each, named after Hypertensor's pallet call. The SCALE
 * encoding of a call is its variant index (the order below) followed by its fields: that is what
 * issue 7 signs. Append new calls at the end to keep indices stable.
 */
public sealed interface Call {
    // --- balances
    record Transfer(AccountId dest, BigInteger amount) implements Call {}

    // --- validators
    record RegisterValidator(
            AccountId hotkey,
            BigInteger delegateRewardRate,
            Optional<DelegateAccount> delegateAccount,
            ValidatorIdentity identity)
            implements Call {}

    record UpdateValidatorColdkey(int validatorId, AccountId newColdkey) implements Call {}

    record UpdateValidatorHotkey(int validatorId, AccountId newHotkey) implements Call {}

    record UpdateValidatorDelegateRewardRate(int validatorId, BigInteger newRate) implements Call {}

    record UpdateValidatorDelegateAccount(int validatorId, Optional<DelegateAccount> delegateAccount) implements Call {}

    record UpdateValidatorIdentity(int validatorId, ValidatorIdentity identity) implements Call {}

    // --- subnets
    record RegisterSubnet(BigInteger maxCost, SubnetRegistrationData data) implements Call {}

    record ActivateSubnet(int subnetId) implements Call {}

    record OwnerPauseSubnet(int subnetId) implements Call {}

    record OwnerUnpauseSubnet(int subnetId) implements Call {}

    record OwnerDeactivateSubnet(int subnetId) implements Call {}

    record OwnerUpdateName(int subnetId, String value) implements Call {}

    record OwnerUpdateRepo(int subnetId, String value) implements Call {}

    record OwnerUpdateDescription(int subnetId, String value) implements Call {}

    record OwnerUpdateMisc(int subnetId, String value) implements Call {}

    record OwnerUpdateChurnLimit(int subnetId, int value) implements Call {}

    record OwnerUpdateRegistrationQueueEpochs(int subnetId, int value) implements Call {}

    record OwnerUpdateIdleClassificationEpochs(int subnetId, int value) implements Call {}

    record OwnerUpdateIncludedClassificationEpochs(int subnetId, int value) implements Call {}

    record OwnerUpdateMaxRegisteredNodes(int subnetId, int value) implements Call {}

    record OwnerUpdateMinSubnetNodeReputation(int subnetId, BigInteger value) implements Call {}

    record OwnerUpdateMinMaxStake(int subnetId, BigInteger minStake, BigInteger maxStake) implements Call {}

    record OwnerUpdateDelegateStakePercentage(int subnetId, BigInteger value) implements Call {}

    record OwnerUpdateTargetNodeRegistrationsPerEpoch(int subnetId, int value) implements Call {}

    record OwnerAddBootnodeAccess(int subnetId, AccountId account) implements Call {}

    record OwnerRemoveBootnodeAccess(int subnetId, AccountId account) implements Call {}
    /** Official bootnodes: add (peer id -> multiaddr) and remove, by the owner or an account on the access list. */
    record UpdateBootnodes(int subnetId, java.util.Map<String, Bytes> add, List<String> remove) implements Call {}

    record TransferSubnetOwnership(int subnetId, AccountId newOwner) implements Call {}

    record AcceptSubnetOwnership(int subnetId) implements Call {}

    record OwnerSetEmergencyValidatorSet(int subnetId, List<Integer> subnetNodeIds) implements Call {}

    record OwnerRevertEmergencyValidatorSet(int subnetId) implements Call {}
    /** New node reputation factors (only the fields given), effective from the next subnet epoch. */
    record OwnerUpdateReputationFactors(int subnetId, Model.ReputationFactorUpdates updates) implements Call {}

    // --- subnet nodes
    record RegisterSubnetNode(
            int validatorId,
            int subnetId,
            Optional<AccountId> hotkey,
            PeerInfo peerInfo,
            Optional<PeerInfo> bootnodePeerInfo,
            Optional<PeerInfo> clientPeerInfo,
            BigInteger stakeToBeAdded,
            Optional<Bytes> unique,
            Optional<Bytes> nonUnique,
            BigInteger maxBurnAmount)
            implements Call {}

    record UpdateNodeHotkey(int subnetId, int subnetNodeId, Optional<AccountId> newHotkey) implements Call {}

    record UpdateNodePeerInfo(int subnetId, int subnetNodeId, PeerInfo peerInfo) implements Call {}

    record UpdateNodeBootnodePeerInfo(int subnetId, int subnetNodeId, Optional<PeerInfo> peerInfo) implements Call {}

    record UpdateNodeClientPeerInfo(int subnetId, int subnetNodeId, Optional<PeerInfo> peerInfo) implements Call {}

    record UpdateNodeUnique(int subnetId, int subnetNodeId, Optional<Bytes> unique) implements Call {}

    record UpdateNodeNonUnique(int subnetId, int subnetNodeId, Optional<Bytes> nonUnique) implements Call {}

    record RemoveSubnetNode(int subnetId, int subnetNodeId) implements Call {}

    // --- staking
    record AddNodeStake(int subnetId, int subnetNodeId, BigInteger amount) implements Call {}

    record RemoveNodeStake(int subnetId, int subnetNodeId, BigInteger amount) implements Call {}

    record ClaimUnbondings() implements Call {}

    record AddDelegateStake(int subnetId, BigInteger amount) implements Call {}

    record RemoveDelegateStake(int subnetId, BigInteger shares) implements Call {}

    record TransferDelegateStake(int subnetId, AccountId to, BigInteger shares) implements Call {}

    record DonateDelegateStake(int subnetId, BigInteger amount) implements Call {}

    record SwapFromSubnetToSubnet(int fromSubnetId, int toSubnetId, BigInteger shares) implements Call {}

    record AddValidatorDelegateStake(int validatorId, BigInteger amount) implements Call {}

    record RemoveValidatorDelegateStake(int validatorId, BigInteger shares) implements Call {}

    record TransferValidatorDelegateStake(int validatorId, AccountId to, BigInteger shares) implements Call {}

    record DonateValidatorDelegateStake(int validatorId, BigInteger amount) implements Call {}

    record SwapFromValidatorToValidator(int fromValidatorId, int toValidatorId, BigInteger shares) implements Call {}

    record SwapFromValidatorToSubnet(int fromValidatorId, int toSubnetId, BigInteger shares) implements Call {}

    record SwapFromSubnetToValidator(int fromSubnetId, int toValidatorId, BigInteger shares) implements Call {}

    // --- consensus
    record ProposeAttestation(
            int subnetId,
            int subnetNodeId,
            List<NodeScore> data,
            Optional<Integer> prioritizeQueueNodeId,
            Optional<Integer> removeQueueNodeId,
            Optional<Bytes> args,
            Optional<Bytes> attestData)
            implements Call {}

    record Attest(int subnetId, int subnetNodeId, Optional<Bytes> attestData) implements Call {}

    // --- overwatch
    record RegisterOverwatchNode(int validatorId, AccountId hotkey, BigInteger stakeToBeAdded) implements Call {}

    record RemoveOverwatchNode(int overwatchNodeId) implements Call {}

    record SetOverwatchNodePeerId(int subnetId, int overwatchNodeId, String peerId) implements Call {}

    record CommitOverwatchSubnetWeights(int overwatchNodeId, List<OverwatchCommit> commits) implements Call {}

    record RevealOverwatchSubnetWeights(int overwatchNodeId, List<OverwatchReveal> reveals) implements Call {}

    record AddOverwatchNodeStake(int overwatchNodeId, BigInteger amount) implements Call {}

    record RemoveOverwatchNodeStake(int overwatchNodeId, BigInteger amount) implements Call {}

    // --- collective (the sudo account of the genesis config)
    record CollectiveRemoveSubnet(int subnetId) implements Call {}

    record CollectiveRemoveSubnetNode(int subnetId, int subnetNodeId) implements Call {}

    record CollectiveSetColdkeyOverwatchNodeEligibility(AccountId coldkey, boolean eligible) implements Call {}

    // --- appended after the first release: indices above stay stable

    /** A Validator-class node whose score weight (score / sum) is under this is penalised by the below-min-weight factor; 0 = off, at most 10%. */
    record OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold(int subnetId, BigInteger value) implements Call {}
    /** While the subnet is Registered: adds validators to the initial whitelist or updates their max registrations (each >= 1). */
    record OwnerAddOrUpdateInitialValidators(int subnetId, java.util.Map<Integer, Integer> validators)
            implements Call {}
    /** While the subnet is Registered: removes validators from the initial whitelist. */
    record OwnerRemoveInitialValidators(int subnetId, List<Integer> validatorIds) implements Call {}
    /** Collective: epochs an owner must wait after an unpause (or activation) before pausing again (default 0). */
    record CollectiveSetSubnetPauseCooldownEpochs(int value) implements Call {}
    /** Collective: MaxSubnets, at most EpochLength - 3 (the slots a chain has). */
    record CollectiveSetMaxSubnets(int value) implements Call {}
}
