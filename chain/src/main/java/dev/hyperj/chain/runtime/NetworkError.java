package dev.hyperj.chain.runtime;

/** Why a call failed, named as Hypertensor's pallet (and frame/pallet_balances) name it. */
public enum NetworkError {
    // frame / pallet_balances
    /** This account may not make this call. */
    BadOrigin,
    /** An amount overflowed or underflowed. */
    Arithmetic,
    /** A required field is missing or invalid. */
    InvalidValues,
    /** The account's free balance is too low. */
    InsufficientBalance,
    /** The transfer would leave less than the existential deposit (500). */
    ExistentialDeposit,
    /** The account must keep the existential deposit. */
    Expendability,
    // pallet_network
    /** The churn limit must be in [1, 64]. */
    InvalidChurnLimit,
    /** The queue epochs are out of range. */
    InvalidRegistrationQueueEpochs,
    /** The idle classification epochs are out of range. */
    InvalidIdleClassificationEpochs,
    /** The included classification epochs are out of range. */
    InvalidIncludedClassificationEpochs,
    /** The subnet must be Registered or Active for this. */
    SubnetMustBeRegisteringOrActivated,
    /** This works only while the subnet is Registered (before activation). */
    SubnetMustBeRegistering,
    /** The chain holds its maximum of subnets. */
    MaxSubnets,
    /** No node has this id in the subnet. */
    InvalidSubnetNodeId,
    /** No validator has this id. */
    InvalidValidatorId,
    /** This node is not the elected validator of the epoch. */
    InvalidElectedSubnetNode,
    /** The node's class does not allow this yet. */
    InvalidSubnetNodeClassification,
    /** Give 1..64 node ids of this subnet. */
    InvalidEmergencySubnetNodeId,
    /** Only the subnet's owner may do this. */
    NotSubnetOwner,
    /** Only the account the subnet was offered to may accept it. */
    NotPendingSubnetOwner,
    /** The subnet was not offered to anyone. */
    NoPendingSubnetOwner,
    /** The target registrations per epoch is out of range. */
    InvalidTargetNodeRegistrationsPerEpoch,
    /** This peer id is already used in the subnet. */
    PeerIdExist,
    /** The subnet has its maximum of nodes. */
    MaxSubnetNodes,
    /** This bootnode peer id is already used in the subnet. */
    BootnodePeerIdExist,
    /** This client peer id is already used in the subnet. */
    ClientPeerIdExist,
    /** The client peer id is not a valid libp2p peer id text. */
    InvalidClientPeerId,
    /** This multiaddr is already used in the subnet. */
    MultiaddrExist,
    /** This hotkey does not belong to the node. */
    InvalidHotkeySubnetNodeId,
    /** Another subnet uses this name. */
    SubnetNameExist,
    /** Another subnet uses this repository. */
    SubnetRepoExist,
    /** No subnet has this id. */
    InvalidSubnetId,
    /** The subnet must be active for this. */
    SubnetMustBeActive,
    /** Emergency validators can only be set while the subnet is paused. */
    SubnetMustBePaused,
    /** The subnet is paused. */
    SubnetIsPaused,
    /** The peer id is not a valid libp2p peer id text. */
    InvalidPeerId,
    /** A bootnode peer id is not a valid libp2p peer id text. */
    InvalidBootnodePeerId,
    /** The multiaddr is not a valid binary multiaddr ending in /p2p. */
    InvalidMultiaddr,
    /** While the subnet registers, only its initial validators may add nodes (with registrations left). */
    NotInitialValidatorRegistrationWhitelist,
    /** The subnet's registration queue is full. */
    MaxRegisteredNodes,
    /** The account cannot pay the subnet registration cost. */
    NotEnoughBalanceToRegisterSubnet,
    /** Another node of the subnet uses this unique parameter. */
    UniqueParameterTaken,
    /** Activation needs enough nodes, reputation and delegate stake. */
    SubnetActivationConditionsNotMetYet,
    /** The registration cost is above --max-cost. */
    CostGreaterThanMaxCost,
    /** The subnet is too young to activate. */
    MinSubnetRegistrationEpochsNotMet,
    /** The maximum of registered nodes is out of range. */
    InvalidMaxRegisteredNodes,
    /** Initial validators must exist and each allow at least 1 registration. */
    InvalidSubnetRegistrationInitialColdkeys,
    /** Give at least one --bootnode peerId=multiaddr. */
    BootnodesEmpty,
    /** The minimum stake must be in [100, 250] TENSOR. */
    InvalidSubnetMinStake,
    /** The maximum stake must be at most 1000 TENSOR and at least the minimum. */
    InvalidSubnetMaxStake,
    /** The minimum stake must not exceed the maximum. */
    InvalidSubnetStakeParameters,
    /** The delegate stake percentage must be in [5%, 95%]. */
    InvalidDelegateStakePercentage,
    /** The delegate percentage changes at most once per 14,400 blocks (from registration). */
    DelegateStakePercentageUpdateTooSoon,
    /** The delegate percentage moves at most 2 points per change. */
    DelegateStakePercentageAbsDiffTooLarge,
    /** Every subnet slot of this chain is taken. */
    NoAvailableSlots,
    /** Penalty factors cannot change while emergency validators are set. */
    EmergencyValidatorsSet,
    /** The minimum node reputation must be in [5%, 50%]. */
    MinSubnetNodeReputation,
    /** The amount is invalid for this call. */
    InvalidAmount,
    /** The account cannot cover the stake and keep the existential deposit. */
    NotEnoughBalanceToStake,
    /** The account's free balance is too low. */
    NotEnoughBalance,
    /** The node, pool or account holds less than that. */
    NotEnoughStakeToWithdraw,
    /** The destination must differ from the sender. */
    TransferToSelfNotAllowed,
    /** The stake would exceed the subnet's maximum. */
    MaxStakeReached,
    /** Delegate deposits must be at least 1000 units. */
    MinDelegateStakeDepositNotReached,
    /** The stake is below the subnet's minimum. */
    MinStakeNotReached,
    /** 32 unbondings are pending. */
    MaxUnlockingsReached,
    /** The stake swap queue is full (1000). */
    SwapQueueFull,
    /** Nothing to claim yet. */
    NoStakeUnbondingsOrCooldownNotMet,
    /** The node is this epoch's elected validator. */
    ElectedValidatorCannotUnstake,
    /** The node is this epoch's elected validator. */
    ElectedValidatorCannotRemove,
    /** The shares must be positive. */
    SharesZero,
    /** The amount must be positive. */
    AmountZero,
    /** There is no proposal for this epoch yet. */
    InvalidSubnetConsensusSubmission,
    /** The subnet is already active. */
    SubnetActivatedAlready,
    /** This epoch already has a proposal. */
    SubnetRewardsAlreadySubmitted,
    /** There is no proposal for this subnet epoch yet. */
    SubnetEpochDataIsNone,
    /** Only Validator-class nodes in the proposal's snapshot may attest. */
    InvalidValidator,
    /** No validator was elected for this epoch. */
    NoElectedValidator,
    /** This node already attested this epoch. */
    AlreadyAttested,
    /** This key does not own the node or validator. */
    NotKeyOwner,
    /** Another node of the subnet uses this unique parameter. */
    SubnetNodeUniqueParamTaken,
    /** This coldkey already has a validator. */
    HotkeyAlreadyRegisteredToColdkey,
    /** The registration burn is above --max-burn. */
    MaxBurnAmountExceeded,
    /** Another validator uses this identity name. */
    IdentityTaken,
    /** The identity needs a name (--name). */
    IdentityFieldEmpty,
    /** The validator already has this reward rate. */
    NoDelegateRewardRateChange,
    /** The reward rate is above the network's maximum delegate stake percentage. */
    InvalidDelegateRewardRate,
    /** The delegate account's rate must be in (0%, 100%]. */
    InvalidDelegateAccountRate,
    /** The delegate account must differ from the validator's hotkey. */
    DelegateAccountCannotBeHotkey,
    /** The delegate account must differ from the validator's coldkey. */
    DelegateAccountCannotBeColdkey,
    /** The reward rate may drop by at most 1 point per change. */
    SurpassesMaxRewardRateDecrease,
    /** The reward rate changes at most once per 14,400 blocks (from registration). */
    MaxRewardRateUpdates,
    /** This hotkey is already used. */
    HotkeyHasOwner,
    /** The hotkey must differ from the coldkey. */
    ColdkeyMatchesHotkey,
    /** The node's main, bootnode and client peer ids must differ. */
    PeerIdsMustBeUnique,
    /** Nothing was committed for this subnet this overwatch epoch. */
    NoCommitFound,
    /** The weight and salt do not hash to the commit. */
    RevealMismatch,
    /** Give at least one --weight subnet=weight. */
    CommitsEmpty,
    /** This overwatch node already committed for this subnet this epoch. */
    AlreadyCommitted,
    /** An overwatch weight must be in [0, 1]. */
    InvalidWeight,
    /** The chain has its maximum of 64 overwatch nodes. */
    MaxOverwatchNodes,
    /** The bootnode access list is full (21). */
    MaxSubnetBootnodeAccess,
    /** This account is already on the bootnode access list. */
    InBootnodeAccessList,
    /** This account is not on the bootnode access list. */
    NotInAccessList,
    /** A subnet has at most 32 official bootnodes. */
    TooManyBootnodes,
    /** Only the owner or an account on the bootnode access list may update the bootnodes. */
    InvalidAccess,
    /** Commits are taken in the first 80% of the overwatch epoch. */
    NotCommitPeriod,
    /** Reveals are taken in the last 20% of the overwatch epoch. */
    NotRevealPeriod,
    /** This coldkey is not on the overwatch whitelist. */
    ColdkeyNotOverwatchQualified,
    /** This coldkey is already on the overwatch whitelist. */
    ColdkeyOverwatchQualified,
    /** No overwatch node has this id. */
    InvalidOverwatchNodeId,
    /** The reputation factor given for this case is out of range (it must be at most 1e18). */
    InvalidAbsentDecreaseReputationFactor,
    /** The reputation factor given for this case is out of range (it must be at most 1e18). */
    InvalidIncludedIncreaseReputationFactor,
    /** The reputation factor given for this case is out of range (it must be at most 1e18). */
    InvalidBelowMinWeightDecreaseReputationFactor,
    /** The reputation factor given for this case is out of range (it must be at most 1e18). */
    InvalidNonAttestorDecreaseReputationFactor,
    /** The reputation factor given for this case is out of range (it must be at most 1e18). */
    InvalidNonConsensusAttestorDecreaseReputationFactor,
    /** The reputation factor given for this case is out of range (it must be at most 1e18). */
    InvalidNonValidatorAbsentDecreaseReputationFactor,
    /** The reputation factor given for this case is out of range (it must be at most 1e18). */
    InvalidValidatorNonConsensusSubnetNodeReputationFactor,
    // overwatch qualification detail (the pallet folds these into ColdkeyNotOverwatchQualified; we say which)
    /** The validator is too young for overwatch. */
    OverwatchMinAgeNotMet,
    /** Overwatch needs a validator reputation score of at least 0.75. */
    OverwatchMinRepScoreNotMet,
    /** Overwatch needs Validator-class nodes in at least 25% of active subnets. */
    OverwatchMinDiversificationNotMet,
    /** Overwatch needs an average attestation of at least 72%. */
    OverwatchMinAvgAttestationNotMet,
    // appended: owner/collective calls added later (ordinals above stay stable)
    /** The percentage is out of range for this setting (see 'hyperj tx --help'). */
    InvalidPercent,
    /** The subnet was unpaused or activated too recently to pause again. */
    SubnetPauseCooldownActive,
    /** MaxSubnets must be at most EpochLength - 3 (the slots a chain has). */
    InvalidMaxSubnets
}
