package dev.hyperj.chain.client;

import dev.hyperj.chain.runtime.NetworkError;
import java.util.EnumMap;
import java.util.Map;

/** One sentence per runtime error saying what went wrong and what to do (the pallet only gives a name). */
public final class ErrorHints {
    private static final Map<NetworkError, String> HINTS = new EnumMap<>(NetworkError.class);

    static {
        h(NetworkError.BadOrigin, "this account may not make this call; sign with the owner/authorised key");
        h(NetworkError.Arithmetic, "an amount overflowed or underflowed; use a smaller amount");
        h(NetworkError.InvalidValues, "a required field is missing or invalid; check the call's arguments");
        h(NetworkError.InsufficientBalance, "the account's free balance is too low; fund it or lower the amount");
        h(NetworkError.NotEnoughBalance, "the account's free balance is too low; fund it or lower the amount");
        h(
                NetworkError.NotEnoughBalanceToStake,
                "the account cannot cover the stake and keep the existential deposit; fund it or stake less");
        h(
                NetworkError.NotEnoughBalanceToRegisterSubnet,
                "the account cannot pay the subnet registration cost; fund it first");
        h(
                NetworkError.ExistentialDeposit,
                "the transfer would leave less than the existential deposit (500); send less or everything");
        h(NetworkError.Expendability, "the account must keep the existential deposit; lower the amount");
        h(NetworkError.InvalidSubnetId, "no subnet has this id; list subnets with 'hyperj query subnets'");
        h(NetworkError.InvalidSubnetNodeId, "no node has this id in the subnet; list them with 'hyperj query nodes'");
        h(
                NetworkError.InvalidValidatorId,
                "no validator has this id; register one with 'hyperj tx register-validator'");
        h(NetworkError.NotSubnetOwner, "only the subnet's owner may do this; sign with the owner's key");
        h(
                NetworkError.NotKeyOwner,
                "this key does not own the node or validator; sign with its coldkey (or hotkey for consensus)");
        h(
                NetworkError.CostGreaterThanMaxCost,
                "the registration cost is above --max-cost; raise it (see the current cost with 'hyperj query subnets')");
        h(NetworkError.SubnetNameExist, "another subnet uses this name; choose another");
        h(NetworkError.SubnetRepoExist, "another subnet uses this repository; choose another");
        h(NetworkError.NoAvailableSlots, "every subnet slot of this chain is taken; wait for a subnet to be removed");
        h(
                NetworkError.MinSubnetRegistrationEpochsNotMet,
                "the subnet is too young to activate; wait a few more epochs");
        h(
                NetworkError.SubnetActivationConditionsNotMetYet,
                "activation needs enough nodes, reputation and delegate stake; register nodes and stake first");
        h(NetworkError.MinStakeNotReached, "the stake is below the subnet's minimum; stake more");
        h(NetworkError.MaxStakeReached, "the stake would exceed the subnet's maximum; stake less");
        h(
                NetworkError.NotInitialValidatorRegistrationWhitelist,
                "while the subnet registers, only its initial validators may add nodes (with registrations left)");
        h(NetworkError.PeerIdExist, "this peer id is already used in the subnet; use another key");
        h(NetworkError.InvalidPeerId, "the peer id is not a valid libp2p peer id text");
        h(NetworkError.InvalidMultiaddr, "the multiaddr is not a valid binary multiaddr ending in /p2p");
        h(NetworkError.MaxBurnAmountExceeded, "the registration burn is above --max-burn; raise it");
        h(
                NetworkError.NoStakeUnbondingsOrCooldownNotMet,
                "nothing to claim yet; unbondings mature after the cooldown epochs");
        h(
                NetworkError.InvalidElectedSubnetNode,
                "this node is not the elected validator of the epoch; only it may propose");
        h(NetworkError.SubnetRewardsAlreadySubmitted, "this epoch already has a proposal; attest to it instead");
        h(NetworkError.AlreadyAttested, "this node already attested this epoch");
        h(NetworkError.InvalidValidator, "only Validator-class nodes in the proposal's snapshot may attest");
        h(
                NetworkError.InvalidSubnetConsensusSubmission,
                "there is no proposal for this epoch yet; wait for the elected validator");
        h(NetworkError.NoElectedValidator, "no validator was elected for this epoch; wait for the next subnet epoch");
        h(NetworkError.HotkeyHasOwner, "this hotkey is already used; choose an unused hotkey");
        h(NetworkError.ColdkeyMatchesHotkey, "the hotkey must differ from the coldkey");
        h(NetworkError.HotkeyAlreadyRegisteredToColdkey, "this coldkey already has a validator");
        h(NetworkError.IdentityTaken, "another validator uses this identity name; choose another");
        h(NetworkError.TransferToSelfNotAllowed, "the destination must differ from the sender");
        h(NetworkError.AmountZero, "the amount must be positive");
        h(NetworkError.SharesZero, "the shares must be positive; see your shares with 'hyperj query stakes'");
        h(NetworkError.MinDelegateStakeDepositNotReached, "delegate deposits must be at least 1000 units");
        h(NetworkError.SubnetIsPaused, "the subnet is paused; wait for its owner to unpause it");
        h(NetworkError.SubnetMustBeActive, "the subnet must be active for this");
        // owner, node-update, delegate, consensus and overwatch calls ('hyperj tx owner ...', 'update-node-*',
        // 'overwatch ...')
        h(
                NetworkError.SubnetEpochDataIsNone,
                "there is no proposal for this subnet epoch yet; wait for the elected validator to propose, then attest");
        h(NetworkError.InvalidChurnLimit, "the churn limit must be in [1, 64]");
        h(
                NetworkError.InvalidRegistrationQueueEpochs,
                "the queue epochs are out of range; see the subnet's current value with 'hyperj query subnet'");
        h(
                NetworkError.InvalidIdleClassificationEpochs,
                "the idle classification epochs are out of range; see 'hyperj query subnet'");
        h(
                NetworkError.InvalidIncludedClassificationEpochs,
                "the included classification epochs are out of range; see 'hyperj query subnet'");
        h(
                NetworkError.InvalidMaxRegisteredNodes,
                "the maximum of registered nodes is out of range; see 'hyperj query subnet'");
        h(
                NetworkError.InvalidTargetNodeRegistrationsPerEpoch,
                "the target registrations per epoch is out of range; see 'hyperj query subnet'");
        h(NetworkError.MinSubnetNodeReputation, "the minimum node reputation must be in [5%, 50%]");
        h(NetworkError.InvalidSubnetMinStake, "the minimum stake must be in [100, 250] TENSOR");
        h(NetworkError.InvalidSubnetMaxStake, "the maximum stake must be at most 1000 TENSOR and at least the minimum");
        h(NetworkError.InvalidSubnetStakeParameters, "the minimum stake must not exceed the maximum");
        h(NetworkError.InvalidDelegateStakePercentage, "the delegate stake percentage must be in [5%, 95%]");
        h(
                NetworkError.DelegateStakePercentageUpdateTooSoon,
                "the delegate percentage changes at most once per 14,400 blocks (from registration); wait and retry");
        h(
                NetworkError.DelegateStakePercentageAbsDiffTooLarge,
                "the delegate percentage moves at most 2 points per change; take a smaller step");
        h(
                NetworkError.InvalidDelegateRewardRate,
                "the reward rate is above the network's maximum delegate stake percentage; choose a lower rate");
        h(NetworkError.NoDelegateRewardRateChange, "the validator already has this reward rate");
        h(
                NetworkError.MaxRewardRateUpdates,
                "the reward rate changes at most once per 14,400 blocks (from registration); wait and retry");
        h(
                NetworkError.SurpassesMaxRewardRateDecrease,
                "the reward rate may drop by at most 1 point per change; take a smaller step");
        h(NetworkError.InvalidDelegateAccountRate, "the delegate account's rate must be in (0%, 100%]");
        h(NetworkError.DelegateAccountCannotBeHotkey, "the delegate account must differ from the validator's hotkey");
        h(NetworkError.DelegateAccountCannotBeColdkey, "the delegate account must differ from the validator's coldkey");
        h(NetworkError.IdentityFieldEmpty, "the identity needs a name (--name)");
        h(
                NetworkError.NotPendingSubnetOwner,
                "only the account the subnet was offered to may accept it; sign with that key");
        h(
                NetworkError.NoPendingSubnetOwner,
                "the subnet was not offered to anyone; its owner runs 'hyperj tx transfer-subnet-ownership' first");
        h(
                NetworkError.SubnetMustBePaused,
                "emergency validators can only be set while the subnet is paused; pause it first");
        h(NetworkError.SubnetMustBeRegistering, "this works only while the subnet is Registered (before activation)");
        h(NetworkError.SubnetMustBeRegisteringOrActivated, "the subnet must be Registered or Active for this");
        h(NetworkError.SubnetActivatedAlready, "the subnet is already active");
        h(
                NetworkError.InvalidEmergencySubnetNodeId,
                "give 1..64 node ids of this subnet; to revert, an emergency set must exist");
        h(
                NetworkError.EmergencyValidatorsSet,
                "penalty factors cannot change while emergency validators are set; revert them first");
        h(
                NetworkError.SubnetPauseCooldownActive,
                "the subnet was unpaused or activated too recently to pause again; wait the collective's cooldown epochs");
        h(
                NetworkError.InvalidAccess,
                "only the owner or an account on the bootnode access list may update the bootnodes");
        h(NetworkError.InBootnodeAccessList, "this account is already on the bootnode access list");
        h(NetworkError.NotInAccessList, "this account is not on the bootnode access list");
        h(NetworkError.MaxSubnetBootnodeAccess, "the bootnode access list is full (21); remove an account first");
        h(NetworkError.TooManyBootnodes, "a subnet has at most 32 official bootnodes; remove some first");
        h(NetworkError.BootnodesEmpty, "give at least one --bootnode peerId=multiaddr");
        h(NetworkError.InvalidBootnodePeerId, "a bootnode peer id is not a valid libp2p peer id text");
        h(NetworkError.BootnodePeerIdExist, "this bootnode peer id is already used in the subnet; use another key");
        h(NetworkError.ClientPeerIdExist, "this client peer id is already used in the subnet; use another key");
        h(NetworkError.InvalidClientPeerId, "the client peer id is not a valid libp2p peer id text");
        h(NetworkError.MultiaddrExist, "this multiaddr is already used in the subnet");
        h(NetworkError.PeerIdsMustBeUnique, "the node's main, bootnode and client peer ids must differ");
        h(NetworkError.UniqueParameterTaken, "another node of the subnet uses this unique parameter; choose another");
        h(
                NetworkError.SubnetNodeUniqueParamTaken,
                "another node of the subnet uses this unique parameter; choose another");
        h(
                NetworkError.InvalidHotkeySubnetNodeId,
                "this hotkey does not belong to the node; sign with the node's hotkey");
        h(
                NetworkError.ElectedValidatorCannotRemove,
                "the node is this epoch's elected validator; remove it next epoch");
        h(NetworkError.ElectedValidatorCannotUnstake, "the node is this epoch's elected validator; unstake next epoch");
        h(
                NetworkError.NotEnoughStakeToWithdraw,
                "the node, pool or account holds less than that; see 'hyperj query stakes'");
        h(
                NetworkError.MaxUnlockingsReached,
                "32 unbondings are pending; claim matured ones with 'hyperj tx claim-unbondings' first");
        h(NetworkError.SwapQueueFull, "the stake swap queue is full (1000); retry in a few blocks");
        h(NetworkError.MaxRegisteredNodes, "the subnet's registration queue is full; wait for nodes to activate");
        h(NetworkError.MaxSubnetNodes, "the subnet has its maximum of nodes");
        h(NetworkError.MaxSubnets, "the chain holds its maximum of subnets; wait for one to be removed");
        h(NetworkError.InvalidMaxSubnets, "MaxSubnets must be at most EpochLength - 3 (the slots a chain has)");
        h(NetworkError.InvalidPercent, "the percentage is out of range for this setting (see 'hyperj tx --help')");
        h(NetworkError.InvalidWeight, "an overwatch weight must be in [0, 1]");
        h(NetworkError.NoCommitFound, "nothing was committed for this subnet this overwatch epoch; commit first");
        h(
                NetworkError.RevealMismatch,
                "the weight and salt do not hash to the commit; reveal with the same --weight and --salt");
        h(NetworkError.CommitsEmpty, "give at least one --weight subnet=weight");
        h(NetworkError.AlreadyCommitted, "this overwatch node already committed for this subnet this epoch");
        h(
                NetworkError.NotCommitPeriod,
                "commits are taken in the first 80% of the overwatch epoch; wait for the next one");
        h(NetworkError.NotRevealPeriod, "reveals are taken in the last 20% of the overwatch epoch; wait for it");
        h(NetworkError.MaxOverwatchNodes, "the chain has its maximum of 64 overwatch nodes");
        h(
                NetworkError.InvalidOverwatchNodeId,
                "no overwatch node has this id; see 'hyperj query' overwatch nodes (network_getAllOverwatchNodesInfo)");
        h(
                NetworkError.ColdkeyNotOverwatchQualified,
                "this coldkey is not on the overwatch whitelist; the collective adds it ('hyperj tx collective overwatch-eligibility')");
        h(NetworkError.ColdkeyOverwatchQualified, "this coldkey is already on the overwatch whitelist");
        h(NetworkError.OverwatchMinAgeNotMet, "the validator is too young for overwatch; wait more epochs");
        h(NetworkError.OverwatchMinRepScoreNotMet, "overwatch needs a validator reputation score of at least 0.75");
        h(
                NetworkError.OverwatchMinDiversificationNotMet,
                "overwatch needs Validator-class nodes in at least 25% of active subnets");
        h(NetworkError.OverwatchMinAvgAttestationNotMet, "overwatch needs an average attestation of at least 72%");
        h(
                NetworkError.InvalidSubnetNodeClassification,
                "the node's class does not allow this yet; wait for it to graduate");
        h(
                NetworkError.InvalidSubnetRegistrationInitialColdkeys,
                "initial validators must exist and each allow at least 1 registration");
        for (NetworkError e : new NetworkError[] {
            NetworkError.InvalidAbsentDecreaseReputationFactor,
            NetworkError.InvalidIncludedIncreaseReputationFactor,
            NetworkError.InvalidBelowMinWeightDecreaseReputationFactor,
            NetworkError.InvalidNonAttestorDecreaseReputationFactor,
            NetworkError.InvalidNonConsensusAttestorDecreaseReputationFactor,
            NetworkError.InvalidNonValidatorAbsentDecreaseReputationFactor,
            NetworkError.InvalidValidatorNonConsensusSubnetNodeReputationFactor
        }) {
            h(e, "each reputation factor must be in [5%, 50%]");
        }
        h(NetworkError.InvalidAmount, "the amount is invalid for this call; check it against the subnet's bounds");
    }

    private ErrorHints() {}

    private static void h(NetworkError e, String s) {
        HINTS.put(e, s);
    }

    /** "ErrorName: what went wrong and what to do". */
    public static String describe(NetworkError e) {
        String hint = HINTS.get(e);
        if (hint == null)
            hint = words(e.name())
                    + "; check the call's arguments against the chain's current state ('hyperj query ...') and retry";
        return e.name() + ": " + hint;
    }

    private static String words(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
}
