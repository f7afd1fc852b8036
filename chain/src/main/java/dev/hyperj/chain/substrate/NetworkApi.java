package dev.hyperj.chain.substrate;

import dev.hyperj.chain.scale.ScaleException;
import dev.hyperj.chain.scale.ScaleReader;
import dev.hyperj.chain.scale.ScaleWriter;
import java.util.List;
import java.util.Map;

/**
 * Hypertensor's {@code NetworkRuntimeApi} through {@code state_call}. Arguments are encoded by the
 * types the V15 metadata gives each function (so a runtime whose signatures changed is refused
 * before anything is sent); each answer but {@code proof_of_stake}'s is a {@code Vec<u8>} holding a
 * struct of the pallet's {@code rpc_info} module, which the metadata does not describe: its layout
 * is written here per runtime version, from {@code pallets/network/src/lib.rs} at the commit of the
 * published Hoskinson spec (419111496a). Every answer must decode exactly, to its last byte.
 */
public final class NetworkApi {
    public static final String API = "NetworkRuntimeApi";

    /** The result type of each function, as the Hoskinson runtime (hypertensor-node spec_version 1) encodes it. */
    static final Map<String, String> RESULTS = Map.ofEntries(
            Map.entry("get_subnet_info", "Option<SubnetInfo>"),
            Map.entry("get_all_subnets_info", "Vec<SubnetInfo>"),
            Map.entry("get_subnet_node_info", "Option<SubnetNodeInfo>"),
            Map.entry("get_subnet_nodes_info", "Vec<SubnetNodeInfo>"),
            Map.entry("get_all_subnet_nodes_info", "Vec<SubnetNodeInfo>"),
            Map.entry("proof_of_stake", "bool"),
            Map.entry("get_bootnodes", "AllSubnetBootnodes"),
            Map.entry("get_coldkey_subnet_nodes_info", "Vec<SubnetNodeInfo>"),
            Map.entry("get_coldkey_stakes", "Vec<SubnetNodeStakeInfo>"),
            Map.entry("get_delegate_stakes", "Vec<DelegateStakeInfo>"),
            Map.entry("get_node_delegate_stakes", "Vec<NodeDelegateStakeInfo>"),
            Map.entry("get_overwatch_commits_for_epoch_and_node", "Vec<(u32, Hash)>"),
            Map.entry("get_overwatch_reveals_for_epoch_and_node", "Vec<(u32, u128)>"),
            Map.entry("get_elected_validator_info", "Option<SubnetNodeInfo>"),
            Map.entry("get_validators_and_attestors", "Vec<SubnetNodeInfo>"),
            Map.entry("get_all_overwatch_nodes_info", "Vec<OverwatchNodeInfo>"));

    private static final String P = "pallet_network::pallet::";

    private final SubstrateNode node;
    private final RpcInfoTypes types;

    /** Refuses a node that does not run a Hypertensor runtime HyperJ knows (see {@link HypertensorRuntime}). */
    public NetworkApi(SubstrateNode node) {
        this.node = node;
        SubstrateNode.Runtime rt = node.runtime();
        HypertensorRuntime known = HypertensorRuntime.of(rt.version(), rt.metadata());
        this.types = switch (known) {
            case HOSKINSON -> hoskinson(rt.codec());
        };
    }

    static RpcInfoTypes hoskinson(ScaleCodec codec) {
        return new RpcInfoTypes(codec)
                .struct(
                        "SubnetInfo",
                        "id: u32, friendly_id: Option<u32>, name: Vec<u8>, repo: Vec<u8>, description: Vec<u8>,"
                                + " misc: Vec<u8>, state: " + P + "SubnetState, start_epoch: u32, churn_limit: u32,"
                                + " churn_limit_multiplier: u32, min_stake: u128, max_stake: u128,"
                                + " queue_immunity_epochs: u32, target_node_registrations_per_epoch: u32,"
                                + " node_registrations_this_epoch: u32, subnet_node_queue_epochs: u32,"
                                + " idle_classification_epochs: u32, included_classification_epochs: u32,"
                                + " delegate_stake_percentage: u128, last_delegate_stake_rewards_update: u32,"
                                + " node_burn_rate_alpha: u128, current_node_burn_rate: u128,"
                                + " initial_coldkeys: Option<BTreeMap<AccountId, u32>>,"
                                + " initial_coldkey_data: Option<BTreeMap<AccountId, u32>>, max_registered_nodes: u32,"
                                + " owner: Option<AccountId>, pending_owner: Option<AccountId>,"
                                + " registration_epoch: Option<u32>, prev_pause_epoch: u32, slot_index: Option<u32>,"
                                + " slot_assignment: Option<u32>,"
                                + " subnet_node_min_weight_decrease_reputation_threshold: u128, reputation: u128,"
                                + " min_subnet_node_reputation: u128, absent_decrease_reputation_factor: u128,"
                                + " included_increase_reputation_factor: u128,"
                                + " below_min_weight_decrease_reputation_factor: u128,"
                                + " non_attestor_decrease_reputation_factor: u128,"
                                + " non_consensus_attestor_decrease_reputation_factor: u128,"
                                + " validator_absent_subnet_node_reputation_factor: u128,"
                                + " validator_non_consensus_subnet_node_reputation_factor: u128,"
                                + " bootnode_access: BTreeSet<AccountId>, bootnodes: BTreeMap<PeerId, Vec<u8>>,"
                                + " total_nodes: u32, total_active_nodes: u32, total_electable_nodes: u32,"
                                + " current_min_delegate_stake: u128, total_subnet_stake: u128,"
                                + " total_subnet_delegate_stake_shares: u128, total_subnet_delegate_stake_balance: u128")
                .struct(
                        "SubnetNodeInfo",
                        "subnet_id: u32, subnet_node_id: u32, coldkey: AccountId, hotkey: AccountId, peer_info: "
                                + P + "PeerInfo, bootnode_peer_info: Option<" + P
                                + "PeerInfo>, client_peer_info: Option<"
                                + P + "PeerInfo>, delegate_account: Option<" + P + "DelegateAccount>, identity: "
                                + P + "ColdkeyIdentityData, classification: " + P + "SubnetNodeClassification,"
                                + " delegate_reward_rate: u128, last_delegate_reward_rate_update: u32,"
                                + " unique: Option<Vec<u8>>, non_unique: Option<Vec<u8>>, stake_balance: u128,"
                                + " total_node_delegate_stake_shares: u128, node_delegate_stake_balance: u128,"
                                + " coldkey_reputation: " + P + "Reputation, subnet_node_reputation: u128,"
                                + " node_slot_index: Option<u32>, consecutive_idle_epochs: u32, consecutive_included_epochs: u32")
                .struct(
                        "SubnetNodeStakeInfo",
                        "subnet_id: Option<u32>, subnet_node_id: Option<u32>, hotkey: AccountId, balance: u128")
                .struct("DelegateStakeInfo", "subnet_id: u32, shares: u128, balance: u128")
                .struct("NodeDelegateStakeInfo", "subnet_id: u32, subnet_node_id: u32, shares: u128, balance: u128")
                .struct(
                        "OverwatchNodeInfo",
                        "overwatch_node_id: u32, coldkey: AccountId, hotkey: Option<AccountId>, peer_ids: BTreeMap<u32, PeerId>,"
                                + " reputation: " + P + "Reputation, account_overwatch_stake: u128")
                .struct(
                        "AllSubnetBootnodes",
                        "subnet_bootnodes: BTreeMap<PeerId, Vec<u8>>, node_bootnodes: BTreeMap<PeerId, Option<Vec<u8>>>,"
                                + " registered_bootnodes: BTreeMap<PeerId, Option<Vec<u8>>>");
    }

    public static List<String> functions() {
        return RESULTS.keySet().stream().sorted().toList();
    }

    /**
     * Calls {@code function} with its arguments in order (encoded by the metadata's input types) and
     * decodes the answer: maps for structs, {@code Optional} for options, lists, {@code byte[]} for
     * accounts and bytes.
     */
    public Object call(String function, Object... args) {
        String result = RESULTS.get(function);
        if (result == null) throw new MetadataException("HyperJ has no decoder for " + API + "_" + function);
        Metadata md = node.metadata();
        Metadata.RuntimeApi api = md.apis().get(API);
        if (api == null && md.version() >= 15)
            throw new MetadataException("the runtime offers no " + API + ": not a Hypertensor runtime");
        ScaleWriter w = new ScaleWriter();
        Metadata.ApiMethod m = api == null ? null : api.methods().get(function);
        if (api != null && m == null) throw new MetadataException("the runtime's " + API + " has no " + function);
        if (m != null) {
            if (m.inputs().size() != args.length)
                throw new MetadataException(API + "_" + function + " takes "
                        + m.inputs().size() + " argument(s) in this runtime, got " + args.length);
            for (int i = 0; i < args.length; i++)
                node.codec().encode(m.inputs().get(i).getValue(), args[i], w);
        } else {
            throw new MetadataException("V14 metadata does not describe runtime APIs; HyperJ needs V15 to call " + API);
        }
        byte[] answer = node.stateCall(API + "_" + function, w.toByteArray());
        try {
            if (result.equals("bool")) return types.decode("bool", answer);
            ScaleReader r = new ScaleReader(answer);
            byte[] inner = r.bytes(r.remaining());
            r.expectEnd();
            return types.decode(result, inner);
        } catch (ScaleException e) {
            throw new MetadataException(
                    API + "_" + function + " answered bytes that are not a " + result + " of the Hoskinson runtime ("
                            + e.getMessage() + "): an unknown runtime version?",
                    e);
        }
    }
}
