package dev.hyperj.chain.runtime;

/** Why a call failed, named as Hypertensor's pallet (and frame/pallet_balances) name it. */
public enum NetworkError {
    // frame / pallet_balances
    BadOrigin, Arithmetic, InvalidValues, InsufficientBalance, ExistentialDeposit, Expendability,
    // pallet_network
    InvalidChurnLimit, InvalidRegistrationQueueEpochs, InvalidIdleClassificationEpochs, InvalidIncludedClassificationEpochs,
    SubnetMustBeRegisteringOrActivated, SubnetMustBeRegistering, MaxSubnets, InvalidSubnetNodeId, InvalidValidatorId,
    InvalidElectedSubnetNode, InvalidSubnetNodeClassification, InvalidEmergencySubnetNodeId, NotSubnetOwner,
    NotPendingSubnetOwner, NoPendingSubnetOwner, InvalidTargetNodeRegistrationsPerEpoch, PeerIdExist, MaxSubnetNodes,
    BootnodePeerIdExist, ClientPeerIdExist, InvalidClientPeerId, MultiaddrExist, InvalidHotkeySubnetNodeId, SubnetNameExist,
    SubnetRepoExist, InvalidSubnetId, SubnetMustBeActive, SubnetMustBePaused, SubnetIsPaused, InvalidPeerId,
    InvalidBootnodePeerId, InvalidMultiaddr, NotInitialValidatorRegistrationWhitelist, MaxRegisteredNodes,
    NotEnoughBalanceToRegisterSubnet, UniqueParameterTaken, SubnetActivationConditionsNotMetYet, CostGreaterThanMaxCost,
    MinSubnetRegistrationEpochsNotMet, InvalidMaxRegisteredNodes, InvalidSubnetRegistrationInitialColdkeys, BootnodesEmpty,
    InvalidSubnetMinStake, InvalidSubnetMaxStake, InvalidSubnetStakeParameters, InvalidDelegateStakePercentage,
    DelegateStakePercentageUpdateTooSoon, DelegateStakePercentageAbsDiffTooLarge, NoAvailableSlots, EmergencyValidatorsSet,
    MinSubnetNodeReputation, InvalidAmount, NotEnoughBalanceToStake, NotEnoughBalance, NotEnoughStakeToWithdraw,
    TransferToSelfNotAllowed, MaxStakeReached, MinDelegateStakeDepositNotReached, MinStakeNotReached, MaxUnlockingsReached,
    SwapQueueFull, NoStakeUnbondingsOrCooldownNotMet, ElectedValidatorCannotUnstake, ElectedValidatorCannotRemove, SharesZero,
    AmountZero, InvalidSubnetConsensusSubmission, SubnetActivatedAlready, SubnetRewardsAlreadySubmitted, SubnetEpochDataIsNone,
    InvalidValidator, NoElectedValidator, AlreadyAttested, NotKeyOwner, SubnetNodeUniqueParamTaken,
    HotkeyAlreadyRegisteredToColdkey, MaxBurnAmountExceeded, IdentityTaken, IdentityFieldEmpty, NoDelegateRewardRateChange,
    InvalidDelegateRewardRate, InvalidDelegateAccountRate, DelegateAccountCannotBeHotkey, DelegateAccountCannotBeColdkey,
    SurpassesMaxRewardRateDecrease, MaxRewardRateUpdates, HotkeyHasOwner, ColdkeyMatchesHotkey, PeerIdsMustBeUnique,
    NoCommitFound, RevealMismatch, CommitsEmpty, AlreadyCommitted, InvalidWeight, MaxOverwatchNodes, MaxSubnetBootnodeAccess,
    InBootnodeAccessList, NotInAccessList, TooManyBootnodes, InvalidAccess, NotCommitPeriod, NotRevealPeriod,
    ColdkeyNotOverwatchQualified, ColdkeyOverwatchQualified, InvalidOverwatchNodeId, InvalidAbsentDecreaseReputationFactor,
    InvalidIncludedIncreaseReputationFactor, InvalidBelowMinWeightDecreaseReputationFactor, InvalidNonAttestorDecreaseReputationFactor,
    InvalidNonConsensusAttestorDecreaseReputationFactor, InvalidNonValidatorAbsentDecreaseReputationFactor,
    InvalidValidatorNonConsensusSubnetNodeReputationFactor,
    // overwatch qualification detail (the pallet folds these into ColdkeyNotOverwatchQualified; we say which)
    OverwatchMinAgeNotMet, OverwatchMinRepScoreNotMet, OverwatchMinDiversificationNotMet, OverwatchMinAvgAttestationNotMet,
    // appended: owner/collective calls added later (ordinals above stay stable)
    InvalidPercent, SubnetPauseCooldownActive, InvalidMaxSubnets
}
