package dev.hyperj.chain.substrate;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.SubnetRemovalReason;
import dev.hyperj.chain.runtime.NetworkError;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Hoskinson runtime's events ({@code System.Events}, decoded by the metadata) as HyperJ's
 * {@link Event} records, and its error names as HyperJ's {@link NetworkError} names, wherever the
 * two mean the same. Differences:
 *
 * <ul>
 *   <li>Hoskinson names a node by its hotkey in {@code StakeAdded}, {@code StakeRemoved}, {@code
 *       ValidatorSubmission} and {@code Slashing}: the node id is looked up ({@link NodeIds}); an
 *       event whose hotkey no longer names a node (it was removed in the same block) is left out.
 *   <li>A node registered while its subnet is Registered starts at once as a Validator and
 *       Hoskinson emits only {@code SubnetNodeActivated}: HyperJ's {@code SubnetNodeRegistered}
 *       (class Validator) is put before it, so a registration always says which node it made.
 *   <li>Hoskinson's delegate stake events carry no shares (0 here); its subnet registration event
 *       no cost (taken from the same extrinsic's transfer to the treasury); its {@code
 *       SubnetRewards} neither the epoch nor the owner's part, so only the per-node {@code
 *       NodeReward}s are given.
 *   <li>Events with no HyperJ equivalent (node delegate stake, identities, swap queue, the
 *       collective's settings but two, ...) are left out; the raw events are in {@link ChainEvent}.
 * </ul>
 */
final class HoskinsonEvents {
    private HoskinsonEvents() {}

    /** Node ids by hotkey, as of the block the events are from. */
    interface NodeIds {
        Optional<Integer> ofHotkey(int subnetId, AccountId hotkey);
    }

    /** Hoskinson's owner-update events and the name HyperJ's {@code SubnetOwnerUpdate} gives the setting. */
    private static final Map<String, String> OWNER_UPDATES = Map.ofEntries(
            Map.entry("SubnetNameUpdate", "name"),
            Map.entry("SubnetRepoUpdate", "repo"),
            Map.entry("SubnetDescriptionUpdate", "description"),
            Map.entry("SubnetMiscUpdate", "misc"),
            Map.entry("ChurnLimitUpdate", "churn_limit"),
            Map.entry("ChurnLimitMultiplierUpdate", "churn_limit_multiplier"),
            Map.entry("RegistrationQueueEpochsUpdate", "queue_epochs"),
            Map.entry("IdleClassificationEpochsUpdate", "idle_epochs"),
            Map.entry("IncludedClassificationEpochsUpdate", "included_epochs"),
            Map.entry("SubnetMinMaxStakeBalanceUpdate", "min_max_stake"),
            Map.entry("SubnetDelegateStakeRewardsPercentageUpdate", "delegate_stake_percentage"),
            Map.entry("MaxRegisteredNodesUpdate", "max_registered_nodes"),
            Map.entry("AddSubnetBootnodeAccess", "bootnode_access"),
            Map.entry("RemoveSubnetBootnodeAccess", "bootnode_access"),
            Map.entry("TargetNodeRegistrationsPerEpochUpdate", "target_registrations"),
            Map.entry("NodeBurnRateAlphaUpdate", "node_burn_rate_alpha"),
            Map.entry("QueueImmunityEpochsUpdate", "queue_immunity_epochs"),
            Map.entry("MinSubnetNodeReputationUpdate", "min_node_reputation"),
            Map.entry(
                    "SubnetNodeMinWeightDecreaseReputationThresholdUpdate", "min_weight_decrease_reputation_threshold"),
            Map.entry("AbsentDecreaseReputationFactorUpdate", "reputation_factors"),
            Map.entry("IncludedIncreaseReputationFactorUpdate", "reputation_factors"),
            Map.entry("BelowMinWeightDecreaseReputationFactorUpdate", "reputation_factors"),
            Map.entry("NonAttestorDecreaseReputationFactorUpdate", "reputation_factors"),
            Map.entry("NonConsensusAttestorDecreaseReputationFactorUpdate", "reputation_factors"),
            Map.entry("ValidatorAbsentDecreaseReputationFactorUpdate", "reputation_factors"),
            Map.entry("ValidatorNonConsensusSubnetNodeReputationFactorUpdate", "reputation_factors"),
            Map.entry("SubnetNodeConsecutiveIncludedEpochsUpdate", "consecutive_included_epochs"),
            Map.entry("AddSubnetRegistrationInitialColdkeys", "initial_coldkeys"),
            Map.entry("RemoveSubnetRegistrationInitialColdkeys", "initial_coldkeys"),
            Map.entry("AcceptPendingSubnetOwner", "owner"));

    /** Hoskinson's node-update events and the field HyperJ's {@code SubnetNodeUpdated} names. */
    private static final Map<String, String> NODE_UPDATES = Map.of(
            "SubnetNodeUpdatePeerInfo", "peer_info",
            "SubnetNodeUpdateBootnodePeerInfo", "bootnode",
            "SubnetNodeUpdateClientPeerInfo", "client",
            "SubnetNodeUpdateUnique", "unique",
            "SubnetNodeUpdateNonUnique", "non_unique",
            "SubnetNodeUpdateDelegateRewardRate", "delegate_reward_rate",
            "SubnetNodeUpdateDelegateAccount", "delegate_account",
            "SubnetNodeUpdateBootnode", "bootnode");

    /** Hoskinson error names that HyperJ's runtime calls otherwise for the same failure. */
    private static final Map<String, NetworkError> ERROR_ALIASES = Map.of(
            "ColdkeyRegistrationWhitelist", NetworkError.NotInitialValidatorRegistrationWhitelist,
            "InvalidMinDelegateStakePercentage", NetworkError.InvalidDelegateStakePercentage,
            "MinDelegateStake", NetworkError.MinDelegateStakeDepositNotReached);

    /**
     * The HyperJ name of a runtime error: the same name where HyperJ's runtime has it (most of the
     * pallet's, and Balances' and System's), an alias where it names the same failure otherwise,
     * else Hoskinson's own name ({@code TxResult.networkError()} is then empty).
     */
    static String errorName(ModuleError e) {
        String name = e.name();
        if (e.pallet().equals("System") && name.startsWith("Arithmetic")) return NetworkError.Arithmetic.name();
        NetworkError alias = ERROR_ALIASES.get(name);
        return alias != null ? alias.name() : name;
    }

    static List<Event> translate(List<ChainEvent> events, NodeIds ids) {
        List<Event> out = new ArrayList<>();
        BigInteger lastTransfer = BigInteger.ZERO;
        for (ChainEvent e : events) {
            Map<String, Object> f = e.fields();
            if (e.pallet().equals("Balances")) {
                switch (e.name()) {
                    case "Transfer" -> {
                        out.add(new Event.Transfer(account(f, "from"), account(f, "to"), big(f, "amount")));
                        lastTransfer = big(f, "amount");
                    }
                    case "Burned" -> out.add(new Event.Burned(account(f, "who"), big(f, "amount")));
                    case "Minted" -> out.add(new Event.Minted(account(f, "who"), big(f, "amount")));
                    default -> {}
                }
                continue;
            }
            if (!e.pallet().equals("Network")) continue;
            String name = e.name();
            String ownerUpdate = OWNER_UPDATES.get(name);
            if (ownerUpdate != null) {
                out.add(new Event.SubnetOwnerUpdate(num(f, "subnet_id"), ownerUpdate));
                continue;
            }
            String nodeUpdate = NODE_UPDATES.get(name);
            if (nodeUpdate != null) {
                out.add(new Event.SubnetNodeUpdated(num(f, "subnet_id"), num(f, "subnet_node_id"), nodeUpdate));
                continue;
            }
            switch (name) {
                case "SubnetRegistered" ->
                    out.add(new Event.SubnetRegistered(
                            account(f, "owner"), utf8(f.get("name")), num(f, "subnet_id"), lastTransfer));
                case "SubnetActivated" -> out.add(new Event.SubnetActivated(num(f, "subnet_id")));
                case "SubnetDeactivated" ->
                    out.add(new Event.SubnetDeactivated(
                            num(f, "subnet_id"), SubnetRemovalReason.valueOf(((EnumValue) f.get("reason")).name())));
                case "SubnetPaused" -> out.add(new Event.SubnetPaused(num(f, "subnet_id")));
                case "SubnetUnpaused" -> out.add(new Event.SubnetUnpaused(num(f, "subnet_id")));
                case "BootnodesUpdated" -> out.add(new Event.BootnodesUpdated(num(f, "subnet_id")));
                case "TransferPendingSubnetOwner" ->
                    out.add(new Event.TransferPendingSubnetOwner(num(f, "subnet_id"), account(f, "new_owner")));
                case "SubnetForked" ->
                    out.add(new Event.EmergencyValidatorSetUpdated(
                            num(f, "subnet_id"), ((List<?>) f.get("subnet_node_ids")).size()));
                case "SubnetForkRevert" -> out.add(new Event.EmergencyValidatorSetUpdated(num(f, "subnet_id"), 0));
                case "SubnetNodeRegistered" -> {
                    Map<?, ?> data = (Map<?, ?>) f.get("data");
                    out.add(new Event.SubnetNodeRegistered(
                            num(f, "subnet_id"), num(f, "subnet_node_id"), 0, nodeClass((Map<?, ?>)
                                    data.get("classification"))));
                }
                case "SubnetNodeActivated" -> {
                    int subnet = num(f, "subnet_id"), node = num(f, "subnet_node_id");
                    boolean registeredHere = out.stream()
                            .anyMatch(x -> x instanceof Event.SubnetNodeRegistered r
                                    && r.subnetId() == subnet
                                    && r.subnetNodeId() == node);
                    // registered in a Registered subnet: started at once, as a Validator (no Registered event)
                    if (!registeredHere && e.extrinsicIndex().isPresent())
                        out.add(new Event.SubnetNodeRegistered(subnet, node, 0, NodeClass.Validator));
                    out.add(new Event.SubnetNodeActivated(subnet, node));
                }
                case "SubnetNodeRemoved" ->
                    out.add(new Event.SubnetNodeRemoved(num(f, "subnet_id"), num(f, "subnet_node_id")));
                case "QueuedNodePrioritized" ->
                    out.add(new Event.QueuedNodePrioritized(num(f, "subnet_id"), num(f, "subnet_node_id")));
                case "QueuedNodeRemoved" ->
                    out.add(new Event.QueuedNodeRemoved(num(f, "subnet_id"), num(f, "subnet_node_id")));
                case "NodeClassGraduation" ->
                    out.add(new Event.NodeClassGraduation(
                            num(f, "subnet_id"), num(f, "subnet_node_id"), nodeClass((Map<?, ?>)
                                    f.get("classification"))));
                // StakeAdded(subnet_id, coldkey, hotkey, amount)
                case "StakeAdded", "StakeRemoved" -> {
                    int subnet = num(f, "0");
                    Optional<Integer> node = ids.ofHotkey(subnet, account(f, "2"));
                    BigInteger amount = big(f, "3");
                    node.ifPresent(n -> out.add(
                            name.equals("StakeAdded")
                                    ? new Event.StakeAdded(subnet, n, amount)
                                    : new Event.StakeRemoved(subnet, n, amount)));
                }
                // SubnetDelegateStakeAdded(subnet_id, account, amount)
                case "SubnetDelegateStakeAdded" ->
                    out.add(new Event.SubnetDelegateStakeAdded(
                            num(f, "0"), account(f, "1"), big(f, "2"), BigInteger.ZERO));
                case "SubnetDelegateStakeRemoved" ->
                    out.add(new Event.SubnetDelegateStakeRemoved(
                            num(f, "0"), account(f, "1"), big(f, "2"), BigInteger.ZERO));
                case "ValidatorSubmission" -> {
                    int subnet = num(f, "subnet_id");
                    ids.ofHotkey(subnet, account(f, "account_id"))
                            .ifPresent(n -> out.add(new Event.ValidatorSubmission(subnet, n, num(f, "epoch"))));
                }
                case "Attestation" ->
                    out.add(new Event.Attestation(num(f, "subnet_id"), num(f, "subnet_node_id"), num(f, "epoch")));
                case "Slashing" -> {
                    int subnet = num(f, "subnet_id");
                    ids.ofHotkey(subnet, account(f, "account_id"))
                            .ifPresent(n -> out.add(new Event.Slashing(subnet, n, big(f, "amount"))));
                }
                case "SubnetRewards" -> {
                    int subnet = num(f, "subnet_id");
                    for (Object o : (List<?>) f.get("node_rewards")) {
                        List<?> pair = (List<?>) o;
                        out.add(new Event.NodeReward(
                                subnet, Math.toIntExact(((Number) pair.get(0)).longValue()), (BigInteger) pair.get(1)));
                    }
                }
                case "SubnetReputationUpdate" ->
                    out.add(new Event.SubnetReputationUpdate(
                            num(f, "subnet_id"), big(f, "prev_reputation"), big(f, "new_reputation")));
                case "NodeReputationUpdate" ->
                    out.add(new Event.NodeReputationUpdate(
                            num(f, "subnet_id"),
                            num(f, "subnet_node_id"),
                            big(f, "prev_reputation"),
                            big(f, "new_reputation")));
                case "SetMaxSubnets" -> out.add(new Event.SetMaxSubnets(num(f, "0")));
                case "SetSubnetPauseCooldownEpochs" -> out.add(new Event.SetSubnetPauseCooldownEpochs(num(f, "0")));
                default -> {}
            }
        }
        return out;
    }

    private static NodeClass nodeClass(Map<?, ?> classification) {
        return NodeClass.valueOf(((EnumValue) classification.get("node_class")).name());
    }

    private static AccountId account(Map<String, Object> f, String field) {
        return AccountId.of((byte[]) f.get(field));
    }

    private static BigInteger big(Map<String, Object> f, String field) {
        return (BigInteger) f.get(field);
    }

    private static int num(Map<String, Object> f, String field) {
        return Math.toIntExact(((Number) f.get(field)).longValue());
    }

    private static String utf8(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }
}
