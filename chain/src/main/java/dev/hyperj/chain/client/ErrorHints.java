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
        h(NetworkError.NotEnoughBalanceToStake, "the account cannot cover the stake and keep the existential deposit; fund it or stake less");
        h(NetworkError.NotEnoughBalanceToRegisterSubnet, "the account cannot pay the subnet registration cost; fund it first");
        h(NetworkError.ExistentialDeposit, "the transfer would leave less than the existential deposit (500); send less or everything");
        h(NetworkError.Expendability, "the account must keep the existential deposit; lower the amount");
        h(NetworkError.InvalidSubnetId, "no subnet has this id; list subnets with 'hyperj query subnets'");
        h(NetworkError.InvalidSubnetNodeId, "no node has this id in the subnet; list them with 'hyperj query nodes'");
        h(NetworkError.InvalidValidatorId, "no validator has this id; register one with 'hyperj tx register-validator'");
        h(NetworkError.NotSubnetOwner, "only the subnet's owner may do this; sign with the owner's key");
        h(NetworkError.NotKeyOwner, "this key does not own the node or validator; sign with its coldkey (or hotkey for consensus)");
        h(NetworkError.CostGreaterThanMaxCost, "the registration cost is above --max-cost; raise it (see the current cost with 'hyperj query subnets')");
        h(NetworkError.SubnetNameExist, "another subnet uses this name; choose another");
        h(NetworkError.SubnetRepoExist, "another subnet uses this repository; choose another");
        h(NetworkError.NoAvailableSlots, "every subnet slot of this chain is taken; wait for a subnet to be removed");
        h(NetworkError.MinSubnetRegistrationEpochsNotMet, "the subnet is too young to activate; wait a few more epochs");
        h(NetworkError.SubnetActivationConditionsNotMetYet, "activation needs enough nodes, reputation and delegate stake; register nodes and stake first");
        h(NetworkError.MinStakeNotReached, "the stake is below the subnet's minimum; stake more");
        h(NetworkError.MaxStakeReached, "the stake would exceed the subnet's maximum; stake less");
        h(NetworkError.NotInitialValidatorRegistrationWhitelist, "while the subnet registers, only its initial validators may add nodes (with registrations left)");
        h(NetworkError.PeerIdExist, "this peer id is already used in the subnet; use another key");
        h(NetworkError.InvalidPeerId, "the peer id is not a valid libp2p peer id text");
        h(NetworkError.InvalidMultiaddr, "the multiaddr is not a valid binary multiaddr ending in /p2p");
        h(NetworkError.MaxBurnAmountExceeded, "the registration burn is above --max-burn; raise it");
        h(NetworkError.NoStakeUnbondingsOrCooldownNotMet, "nothing to claim yet; unbondings mature after the cooldown epochs");
        h(NetworkError.InvalidElectedSubnetNode, "this node is not the elected validator of the epoch; only it may propose");
        h(NetworkError.SubnetRewardsAlreadySubmitted, "this epoch already has a proposal; attest to it instead");
        h(NetworkError.AlreadyAttested, "this node already attested this epoch");
        h(NetworkError.InvalidValidator, "only Validator-class nodes in the proposal's snapshot may attest");
        h(NetworkError.InvalidSubnetConsensusSubmission, "there is no proposal for this epoch yet; wait for the elected validator");
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
    }

    private ErrorHints() {}

    private static void h(NetworkError e, String s) {
        HINTS.put(e, s);
    }

    /** "ErrorName: what went wrong and what to do". */
    public static String describe(NetworkError e) {
        String hint = HINTS.get(e);
        if (hint == null) hint = words(e.name()) + "; check the call's arguments against the chain's current state ('hyperj query ...') and retry";
        return e.name() + ": " + hint;
    }

    private static String words(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
}
