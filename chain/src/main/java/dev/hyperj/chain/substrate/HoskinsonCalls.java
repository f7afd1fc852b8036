package dev.hyperj.chain.substrate;

import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HyperJ's {@link Call}s as the Hoskinson runtime's extrinsics (pallet at 419111496a): the call
 * name and its arguments under the names and shapes of the pallet, ready for {@link
 * SubstrateNode#submit}. Where the two models differ:
 *
 * <ul>
 *   <li>Nodes belong to the signing coldkey, not to a validator: a {@code RegisterSubnetNode}'s and
 *       a {@code RegisterOverwatchNode}'s validator id is not sent. The node's hotkey is required
 *       (Hoskinson refuses a node without one, or whose hotkey is its coldkey); its delegate reward
 *       rate is 0 and it has no delegate account (HyperJ keeps both on the validator).
 *   <li>Calls that name a node by id where Hoskinson names it by hotkey (add/remove stake, a new
 *       hotkey, overwatch stake) look the hotkey up on chain first ({@link Keys}).
 *   <li>{@code propose_attestation} and {@code attest} take no node id: the chain finds the node
 *       by the signing hotkey, so HyperJ's node id is not sent.
 *   <li>Reputation factors are one call per factor on Hoskinson: an update that sets one factor
 *       maps; one that sets several is refused (send them one at a time).
 * </ul>
 *
 * What cannot map is refused before anything is signed, with a sentence that says why: the
 * validator layer, subnets whose initial members are validator ids (Hoskinson's are coldkeys: see
 * {@link HypertensorChainClient#registerSubnet}), and the collective's calls, which Hoskinson only
 * accepts from a council motion.
 */
final class HoskinsonCalls {
    private HoskinsonCalls() {}

    /** A call as the runtime names it. */
    record Mapped(String pallet, String call, Map<String, Object> args) {
        String name() {
            return pallet + "." + call;
        }
    }

    /** The chain reads a mapping needs: hotkeys by node id. Each fails with a sentence when there is none. */
    interface Keys {
        AccountId nodeHotkey(int subnetId, int subnetNodeId);

        AccountId overwatchHotkey(int overwatchNodeId);
    }

    static Mapped map(Call call, Keys keys) {
        return switch (call) {
            case Call.Transfer t ->
                new Mapped("Balances", "transfer_keep_alive", args("dest", t.dest(), "value", t.amount()));

            // ---- subnets and their owners
            case Call.RegisterSubnet r -> {
                if (!r.data().initialValidators().isEmpty())
                    throw lacks("validator layer: its subnets start with initial coldkeys, not validator ids"
                            + " (HypertensorChainClient.registerSubnet takes them)");
                yield registerSubnet(r.maxCost(), r.data(), Map.of());
            }
            case Call.ActivateSubnet a -> network("activate_subnet", "subnet_id", a.subnetId());
            case Call.OwnerPauseSubnet o -> network("owner_pause_subnet", "subnet_id", o.subnetId());
            case Call.OwnerUnpauseSubnet o -> network("owner_unpause_subnet", "subnet_id", o.subnetId());
            case Call.OwnerDeactivateSubnet o -> network("owner_deactivate_subnet", "subnet_id", o.subnetId());
            case Call.OwnerUpdateName o -> owner("owner_update_name", o.subnetId(), utf8(o.value()));
            case Call.OwnerUpdateRepo o -> owner("owner_update_repo", o.subnetId(), utf8(o.value()));
            case Call.OwnerUpdateDescription o -> owner("owner_update_description", o.subnetId(), utf8(o.value()));
            case Call.OwnerUpdateMisc o -> owner("owner_update_misc", o.subnetId(), utf8(o.value()));
            case Call.OwnerUpdateChurnLimit o -> owner("owner_update_churn_limit", o.subnetId(), o.value());
            case Call.OwnerUpdateRegistrationQueueEpochs o ->
                owner("owner_update_registration_queue_epochs", o.subnetId(), o.value());
            case Call.OwnerUpdateIdleClassificationEpochs o ->
                owner("owner_update_idle_classification_epochs", o.subnetId(), o.value());
            case Call.OwnerUpdateIncludedClassificationEpochs o ->
                owner("owner_update_included_classification_epochs", o.subnetId(), o.value());
            case Call.OwnerUpdateMaxRegisteredNodes o ->
                owner("owner_update_max_registered_nodes", o.subnetId(), o.value());
            case Call.OwnerUpdateMinSubnetNodeReputation o ->
                owner("owner_update_min_subnet_node_reputation", o.subnetId(), o.value());
            case Call.OwnerUpdateMinMaxStake o ->
                network(
                        "owner_update_min_max_stake",
                        "subnet_id",
                        o.subnetId(),
                        "min",
                        o.minStake(),
                        "max",
                        o.maxStake());
            case Call.OwnerUpdateDelegateStakePercentage o ->
                owner("owner_update_delegate_stake_percentage", o.subnetId(), o.value());
            case Call.OwnerUpdateTargetNodeRegistrationsPerEpoch o ->
                owner("owner_update_target_node_registrations_per_epoch", o.subnetId(), o.value());
            case Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold o ->
                owner("owner_update_subnet_node_min_weight_decrease_reputation_threshold", o.subnetId(), o.value());
            case Call.OwnerUpdateReputationFactors o -> reputationFactor(o);
            case Call.OwnerAddBootnodeAccess o ->
                network("owner_add_bootnode_access", "subnet_id", o.subnetId(), "new_account", o.account());
            case Call.OwnerRemoveBootnodeAccess o ->
                network("owner_remove_bootnode_access", "subnet_id", o.subnetId(), "remove_account", o.account());
            case Call.UpdateBootnodes u -> {
                Map<Object, Object> add = new LinkedHashMap<>();
                u.add().forEach((peer, addr) -> add.put(utf8(peer), addr.value()));
                yield network(
                        "update_bootnodes",
                        "subnet_id",
                        u.subnetId(),
                        "add",
                        add,
                        "remove",
                        u.remove().stream().map(HoskinsonCalls::utf8).toList());
            }
            case Call.TransferSubnetOwnership t ->
                network("transfer_subnet_ownership", "subnet_id", t.subnetId(), "new_owner", t.newOwner());
            case Call.AcceptSubnetOwnership a -> network("accept_subnet_ownership", "subnet_id", a.subnetId());
            case Call.OwnerSetEmergencyValidatorSet o ->
                network(
                        "owner_set_emergency_validator_set",
                        "subnet_id",
                        o.subnetId(),
                        "subnet_node_ids",
                        o.subnetNodeIds().stream().map(i -> (long) i).toList());
            case Call.OwnerRevertEmergencyValidatorSet o ->
                network("owner_revert_emergency_validator_set", "subnet_id", o.subnetId());

            // ---- nodes
            case Call.RegisterSubnetNode r -> {
                AccountId hotkey = r.hotkey()
                        .orElseThrow(() -> refused("a node without a hotkey: Hoskinson registers every node"
                                + " with a hotkey of its own (not the signing coldkey); give one"));
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("subnet_id", (long) r.subnetId());
                a.put("hotkey", hotkey);
                a.put("peer_info", peer(r.peerInfo()));
                a.put("bootnode_peer_info", r.bootnodePeerInfo().map(HoskinsonCalls::peer));
                a.put("client_peer_info", r.clientPeerInfo().map(HoskinsonCalls::peer));
                a.put("delegate_reward_rate", BigInteger.ZERO);
                a.put("stake_to_be_added", r.stakeToBeAdded());
                a.put("unique", r.unique().map(Bytes::value));
                a.put("non_unique", r.nonUnique().map(Bytes::value));
                a.put("delegate_account", Optional.empty());
                a.put("max_burn_amount", r.maxBurnAmount());
                yield new Mapped("Network", "register_subnet_node", a);
            }
            case Call.UpdateNodeHotkey u -> {
                AccountId next = u.newHotkey()
                        .orElseThrow(() -> refused("a node without a hotkey: Hoskinson nodes always have one"));
                yield network(
                        "update_hotkey",
                        "old_hotkey",
                        keys.nodeHotkey(u.subnetId(), u.subnetNodeId()),
                        "new_hotkey",
                        next);
            }
            case Call.UpdateNodePeerInfo u ->
                nodeUpdate("update_peer_info", u.subnetId(), u.subnetNodeId(), "new_peer_info", peer(u.peerInfo()));
            case Call.UpdateNodeBootnodePeerInfo u ->
                nodeUpdate(
                        "update_bootnode_peer_info",
                        u.subnetId(),
                        u.subnetNodeId(),
                        "new_peer_info",
                        u.peerInfo().map(HoskinsonCalls::peer));
            case Call.UpdateNodeClientPeerInfo u ->
                nodeUpdate(
                        "update_client_peer_info",
                        u.subnetId(),
                        u.subnetNodeId(),
                        "new_peer_info",
                        u.peerInfo().map(HoskinsonCalls::peer));
            case Call.UpdateNodeUnique u ->
                nodeUpdate(
                        "update_unique",
                        u.subnetId(),
                        u.subnetNodeId(),
                        "unique",
                        u.unique().map(Bytes::value));
            case Call.UpdateNodeNonUnique u ->
                nodeUpdate(
                        "update_non_unique",
                        u.subnetId(),
                        u.subnetNodeId(),
                        "non_unique",
                        u.nonUnique().map(Bytes::value));
            case Call.RemoveSubnetNode r ->
                network("remove_subnet_node", "subnet_id", r.subnetId(), "subnet_node_id", r.subnetNodeId());

            // ---- stake
            case Call.AddNodeStake s ->
                network(
                        "add_stake",
                        "subnet_id",
                        s.subnetId(),
                        "subnet_node_id",
                        s.subnetNodeId(),
                        "hotkey",
                        keys.nodeHotkey(s.subnetId(), s.subnetNodeId()),
                        "stake_to_be_added",
                        s.amount());
            case Call.RemoveNodeStake s ->
                network(
                        "remove_stake",
                        "subnet_id",
                        s.subnetId(),
                        "hotkey",
                        keys.nodeHotkey(s.subnetId(), s.subnetNodeId()),
                        "stake_to_be_removed",
                        s.amount());
            case Call.ClaimUnbondings c -> new Mapped("Network", "claim_unbondings", new LinkedHashMap<>());
            case Call.AddDelegateStake a ->
                network("add_to_delegate_stake", "subnet_id", a.subnetId(), "stake_to_be_added", a.amount());
            case Call.RemoveDelegateStake r ->
                network("remove_delegate_stake", "subnet_id", r.subnetId(), "shares_to_be_removed", r.shares());
            case Call.TransferDelegateStake t ->
                network(
                        "transfer_delegate_stake",
                        "subnet_id",
                        t.subnetId(),
                        "to_account_id",
                        t.to(),
                        "delegate_stake_shares_to_transfer",
                        t.shares());
            case Call.DonateDelegateStake d ->
                network("donate_delegate_stake", "subnet_id", d.subnetId(), "amount", d.amount());
            case Call.SwapFromSubnetToSubnet s ->
                network(
                        "swap_delegate_stake",
                        "from_subnet_id",
                        s.fromSubnetId(),
                        "to_subnet_id",
                        s.toSubnetId(),
                        "delegate_stake_shares_to_swap",
                        s.shares());

            // ---- consensus: the chain finds the node by the signing hotkey
            case Call.ProposeAttestation p -> {
                List<Map<String, Object>> data = new ArrayList<>();
                for (Model.NodeScore s : p.data())
                    data.add(args("subnet_node_id", (long) s.subnetNodeId(), "score", s.score()));
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("subnet_id", (long) p.subnetId());
                a.put("data", data);
                a.put("prioritize_queue_node_id", p.prioritizeQueueNodeId().map(i -> (long) i));
                a.put("remove_queue_node_id", p.removeQueueNodeId().map(i -> (long) i));
                a.put("args", p.args().map(Bytes::value));
                a.put("attest_data", p.attestData().map(Bytes::value));
                yield new Mapped("Network", "propose_attestation", a);
            }
            case Call.Attest a ->
                network(
                        "attest",
                        "subnet_id",
                        a.subnetId(),
                        "attest_data",
                        a.attestData().map(Bytes::value));

            // ---- overwatch: nodes belong to the signing coldkey
            case Call.RegisterOverwatchNode r ->
                network("register_overwatch_node", "hotkey", r.hotkey(), "stake_to_be_added", r.stakeToBeAdded());
            case Call.RemoveOverwatchNode r ->
                network("remove_overwatch_node", "overwatch_node_id", r.overwatchNodeId());
            case Call.SetOverwatchNodePeerId s ->
                network(
                        "set_overwatch_node_peer_id",
                        "subnet_id",
                        s.subnetId(),
                        "overwatch_node_id",
                        s.overwatchNodeId(),
                        "peer_id",
                        utf8(s.peerId()));
            case Call.CommitOverwatchSubnetWeights c -> {
                List<Map<String, Object>> commits = new ArrayList<>();
                for (Model.OverwatchCommit w : c.commits())
                    commits.add(args(
                            "subnet_id",
                            (long) w.subnetId(),
                            "weight",
                            w.weightHash().value()));
                yield network(
                        "commit_overwatch_subnet_weights",
                        "overwatch_node_id",
                        c.overwatchNodeId(),
                        "commit_weights",
                        commits);
            }
            case Call.RevealOverwatchSubnetWeights r -> {
                List<Map<String, Object>> reveals = new ArrayList<>();
                for (Model.OverwatchReveal w : r.reveals())
                    reveals.add(args(
                            "subnet_id",
                            (long) w.subnetId(),
                            "weight",
                            w.weight(),
                            "salt",
                            w.salt().value()));
                yield network(
                        "reveal_overwatch_subnet_weights",
                        "overwatch_node_id",
                        r.overwatchNodeId(),
                        "reveals",
                        reveals);
            }
            case Call.AddOverwatchNodeStake s ->
                network(
                        "add_to_overwatch_stake",
                        "overwatch_node_id",
                        s.overwatchNodeId(),
                        "hotkey",
                        keys.overwatchHotkey(s.overwatchNodeId()),
                        "stake_to_be_added",
                        s.amount());
            case Call.RemoveOverwatchNodeStake s ->
                network(
                        "remove_overwatch_stake",
                        "hotkey",
                        keys.overwatchHotkey(s.overwatchNodeId()),
                        "stake_to_be_removed",
                        s.amount());

            // ---- the collective: a council motion on Hoskinson, not a signed transaction
            case Call.CollectiveRemoveSubnet c -> throw collective("collective_remove_subnet");
            case Call.CollectiveRemoveSubnetNode c -> throw collective("collective_remove_subnet_node");
            case Call.CollectiveSetColdkeyOverwatchNodeEligibility c ->
                throw collective("collective_set_coldkey_overwatch_node_eligibility");
            case Call.CollectiveSetSubnetPauseCooldownEpochs c -> throw collective("set_subnet_pause_cooldown_epochs");
            case Call.CollectiveSetMaxSubnets c -> throw collective("set_max_subnets");

            // ---- the validator layer, which Hoskinson lacks
            case Call.RegisterValidator v ->
                throw lacks("validator layer: register_subnet_node takes a coldkey's node");
            case Call.UpdateValidatorColdkey v -> throw lacks("validator layer");
            case Call.UpdateValidatorHotkey v -> throw lacks("validator layer");
            case Call.UpdateValidatorDelegateRewardRate v -> throw lacks("validator layer");
            case Call.UpdateValidatorDelegateAccount v -> throw lacks("validator layer");
            case Call.UpdateValidatorIdentity v -> throw lacks("validator layer");
            case Call.AddValidatorDelegateStake v -> throw lacks("validator layer (no validator delegate pools)");
            case Call.RemoveValidatorDelegateStake v -> throw lacks("validator layer (no validator delegate pools)");
            case Call.TransferValidatorDelegateStake v -> throw lacks("validator layer (no validator delegate pools)");
            case Call.DonateValidatorDelegateStake v -> throw lacks("validator layer (no validator delegate pools)");
            case Call.SwapFromValidatorToValidator v -> throw lacks("validator layer (no validator delegate pools)");
            case Call.SwapFromValidatorToSubnet v -> throw lacks("validator layer (no validator delegate pools)");
            case Call.SwapFromSubnetToValidator v -> throw lacks("validator layer (no validator delegate pools)");
            case Call.OwnerAddOrUpdateInitialValidators v ->
                throw lacks("validator layer (its subnets start with initial coldkeys)");
            case Call.OwnerRemoveInitialValidators v ->
                throw lacks("validator layer (its subnets start with initial coldkeys)");
        };
    }

    /** {@code register_subnet} with Hoskinson's initial coldkeys (each allowed that many node registrations). */
    static Mapped registerSubnet(
            BigInteger maxCost, Model.SubnetRegistrationData d, Map<AccountId, Integer> initialColdkeys) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", utf8(d.name()));
        data.put("repo", utf8(d.repo()));
        data.put("description", utf8(d.description()));
        data.put("misc", utf8(d.misc()));
        data.put("min_stake", d.minStake());
        data.put("max_stake", d.maxStake());
        data.put("delegate_stake_percentage", d.delegateStakePercentage());
        Map<Object, Object> coldkeys = new LinkedHashMap<>();
        initialColdkeys.forEach((k, n) -> coldkeys.put(k, (long) n));
        data.put("initial_coldkeys", coldkeys);
        Map<Object, Object> bootnodes = new LinkedHashMap<>();
        d.bootnodes().forEach((peer, addr) -> bootnodes.put(utf8(peer), addr.value()));
        data.put("bootnodes", bootnodes);
        return network("register_subnet", "max_cost", maxCost, "subnet_data", data);
    }

    private static Mapped reputationFactor(Call.OwnerUpdateReputationFactors o) {
        Model.ReputationFactorUpdates u = o.updates();
        Map<String, Optional<BigInteger>> set = new LinkedHashMap<>();
        set.put("owner_update_absent_decrease_reputation_factor", u.absentDecrease());
        set.put("owner_update_included_increase_reputation_factor", u.includedIncrease());
        set.put("owner_update_below_min_weight_decrease_reputation_factor", u.belowMinWeightDecrease());
        set.put("owner_update_non_attestor_decrease_reputation_factor", u.nonAttestorDecrease());
        set.put("owner_update_non_consensus_attestor_decrease_reputation_factor", u.nonConsensusAttestorDecrease());
        set.put("owner_update_validator_absent_decrease_reputation_factor", u.validatorAbsentDecrease());
        set.put("owner_update_validator_non_consensus_decrease_reputation_factor", u.validatorNonConsensusDecrease());
        set.values().removeIf(Optional::isEmpty);
        if (set.size() != 1)
            throw refused("an update of " + set.size() + " reputation factors in one transaction: Hoskinson sets one"
                    + " factor per call; send them one at a time");
        Map.Entry<String, Optional<BigInteger>> e = set.entrySet().iterator().next();
        return owner(e.getKey(), o.subnetId(), e.getValue().orElseThrow());
    }

    private static Map<String, Object> peer(PeerInfo p) {
        return args("peer_id", utf8(p.peerId()), "multiaddr", p.multiaddr().map(Bytes::value));
    }

    private static Mapped owner(String call, int subnetId, Object value) {
        return network(call, "subnet_id", subnetId, "value", value);
    }

    private static Mapped nodeUpdate(String call, int subnetId, int nodeId, String field, Object value) {
        return network(call, "subnet_id", subnetId, "subnet_node_id", nodeId, field, value);
    }

    private static Mapped network(String call, Object... namesAndValues) {
        return new Mapped("Network", call, args(namesAndValues));
    }

    /** Names and values in order; an int is a u32 argument (sent as a long, the codec's integer). */
    private static Map<String, Object> args(Object... namesAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            out.put((String) namesAndValues[i], v instanceof Integer n ? (long) n : v);
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ChainClientException lacks(String what) {
        return new ChainClientException(0, HypertensorRuntime.HOSKINSON.lacks(what) + "; nothing was sent");
    }

    private static ChainClientException refused(String what) {
        return new ChainClientException(
                0, "Hypertensor's hoskinson runtime cannot take " + what + "; nothing was sent");
    }

    private static ChainClientException collective(String call) {
        return new ChainClientException(
                0,
                "Hypertensor's hoskinson runtime takes Network." + call + " only from a council motion (4/5 of the"
                        + " council, or 2/3 for some settings), not from a signed transaction; nothing was sent");
    }
}
