package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.EmergencyValidatorSet;
import dev.hyperj.chain.runtime.Model.EpochEmission;
import dev.hyperj.chain.runtime.Model.NetFlow;
import dev.hyperj.chain.runtime.Model.NodeStake;
import dev.hyperj.chain.runtime.Model.OverwatchCommit;
import dev.hyperj.chain.runtime.Model.OverwatchNode;
import dev.hyperj.chain.runtime.Model.OverwatchReveal;
import dev.hyperj.chain.runtime.Model.Pool;
import dev.hyperj.chain.runtime.Model.Subnet;
import dev.hyperj.chain.runtime.Model.SubnetNode;
import dev.hyperj.chain.runtime.Model.SubnetParams;
import dev.hyperj.chain.runtime.Model.SwapEntry;
import dev.hyperj.chain.runtime.Model.Validator;
import dev.hyperj.chain.runtime.Model.ValidatorReputation;
import dev.hyperj.chain.storage.StorageDoubleMap;
import dev.hyperj.chain.storage.StorageMap;
import dev.hyperj.chain.storage.StorageValue;
import dev.hyperj.p2p.bytes.Bytes;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every storage item of the network, named after the pallet's. */
final class Store {
    private Store() {}

    static final Supplier<BigInteger> ZERO = () -> BigInteger.ZERO;

    static Type listOf(Type t) {
        return param(List.class, t);
    }

    static Type mapOf(Type k, Type v) {
        return param(Map.class, k, v);
    }

    private static Type param(Class<?> raw, Type... args) {
        return new ParameterizedType() {
            public Type[] getActualTypeArguments() {
                return args.clone();
            }

            public Type getRawType() {
                return raw;
            }

            public Type getOwnerType() {
                return null;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof ParameterizedType p
                        && p.getRawType() == raw
                        && java.util.Arrays.equals(p.getActualTypeArguments(), args)
                        && p.getOwnerType() == null;
            }

            @Override
            public int hashCode() {
                return java.util.Arrays.hashCode(args) ^ raw.hashCode();
            }

            @Override
            public String getTypeName() {
                return raw.getSimpleName() + java.util.Arrays.toString(args);
            }
        };
    }

    // --- system and balances
    /** The network parameters set at genesis (and by the collective's setters). */
    static final StorageValue<NetworkParams> PARAMS = new StorageValue<>("Network.Params", NetworkParams.class, null);
    /** The number of the block being executed (0 before the first). */
    static final StorageValue<Long> BLOCK_NUMBER = new StorageValue<>("System.Number", Long.class, () -> 0L);
    /** Free balance per account; an account at zero is removed. */
    static final StorageMap<AccountId, BigInteger> ACCOUNT =
            new StorageMap<>("Balances.Account", AccountId.class, BigInteger.class, ZERO);
    /** All TENSOR in existence: genesis issuance plus minted minus burned. */
    static final StorageValue<BigInteger> TOTAL_ISSUANCE =
            new StorageValue<>("Balances.TotalIssuance", BigInteger.class, ZERO);
    /** The issuance the genesis balances created. */
    static final StorageValue<BigInteger> GENESIS_ISSUANCE =
            new StorageValue<>("Balances.GenesisIssuance", BigInteger.class, ZERO);
    /** Everything minted since genesis (rewards, emissions). */
    static final StorageValue<BigInteger> TOTAL_MINTED =
            new StorageValue<>("Balances.TotalMinted", BigInteger.class, ZERO);
    /** Everything burned since genesis (registration costs, burn rates, slashes). */
    static final StorageValue<BigInteger> TOTAL_BURNED =
            new StorageValue<>("Balances.TotalBurned", BigInteger.class, ZERO);
    /** Stake on its way back to a coldkey: claimable block -> amount. */
    static final StorageMap<AccountId, Map<Long, BigInteger>> UNBONDINGS = new StorageMap<>(
            "Network.StakeUnbondingLedger", AccountId.class, mapOf(Long.class, BigInteger.class), Map::of);

    // --- validators
    /** The last validator id handed out (ids start at 1). */
    static final StorageValue<Integer> TOTAL_VALIDATORS =
            new StorageValue<>("Network.TotalValidators", Integer.class, () -> 0);
    /** Validator id -> its coldkey, hotkey, delegate reward rate and identity. */
    static final StorageMap<Integer, Validator> VALIDATORS =
            new StorageMap<>("Network.Validators", Integer.class, Validator.class, null);
    /** Validator id -> its track record (score, attestation average, node counts). */
    static final StorageMap<Integer, ValidatorReputation> VALIDATOR_REPUTATION =
            new StorageMap<>("Network.ValidatorReputation", Integer.class, ValidatorReputation.class, null);
    /** Coldkey -> the validator it registered (one each). */
    static final StorageMap<AccountId, Integer> COLDKEY_VALIDATOR =
            new StorageMap<>("Network.ColdkeyValidatorId", AccountId.class, Integer.class, null);
    /** Every hotkey in use (validator or node) -> the validator owning it. */
    static final StorageMap<AccountId, Integer> HOTKEY_OWNER =
            new StorageMap<>("Network.HotkeyOwner", AccountId.class, Integer.class, null);

    /** Validator identity name -> validator id, so names stay unique. */
    static final StorageMap<String, Integer> VALIDATOR_NAMES =
            new StorageMap<>("Network.ValidatorIdentityNames", String.class, Integer.class, null);

    // --- subnets
    /** The last subnet id handed out. */
    static final StorageValue<Integer> TOTAL_SUBNET_UIDS =
            new StorageValue<>("Network.TotalSubnetUids", Integer.class, () -> 128_000);
    /** Subnet id -> its name, owner, state, slot and registration data. */
    static final StorageMap<Integer, Subnet> SUBNETS =
            new StorageMap<>("Network.SubnetsData", Integer.class, Subnet.class, null);
    /** Subnet id -> the parameters its owner may change (churn, epochs, stakes, limits). */
    static final StorageMap<Integer, SubnetParams> SUBNET_PARAMS =
            new StorageMap<>("Network.SubnetParams", Integer.class, SubnetParams.class, null);
    /** Subnet name -> subnet id, so names stay unique. */
    static final StorageMap<String, Integer> SUBNET_NAME =
            new StorageMap<>("Network.SubnetName", String.class, Integer.class, null);
    /** Subnet repository -> subnet id, so repositories stay unique. */
    static final StorageMap<String, Integer> SUBNET_REPO =
            new StorageMap<>("Network.SubnetRepo", String.class, Integer.class, null);
    /** Block slot within an epoch -> the subnet whose emission step runs in it. */
    static final StorageMap<Integer, Integer> SLOT_SUBNET =
            new StorageMap<>("Network.SlotAssignment", Integer.class, Integer.class, null);
    /** Subnet id -> how its consensus raises and lowers node reputations. */
    static final StorageMap<Integer, Model.ReputationFactorSchedule> REPUTATION_FACTORS = new StorageMap<>(
            "Network.SubnetReputationFactorSchedule",
            Integer.class,
            Model.ReputationFactorSchedule.class,
            () -> new Model.ReputationFactorSchedule(
                    Model.ReputationFactors.defaults(), java.util.Optional.empty(), 0));
    /** A Validator-class node whose weight in the consensus data is under this loses reputation (0 = off). */
    static final StorageMap<Integer, BigInteger> MIN_WEIGHT_THRESHOLD = new StorageMap<>(
            "Network.SubnetNodeMinWeightDecreaseReputationThreshold", Integer.class, BigInteger.class, ZERO);
    /** The epoch of a subnet's last unpause (or its activation): the pause cooldown counts from it. */
    static final StorageMap<Integer, Long> PREVIOUS_PAUSE_EPOCH =
            new StorageMap<>("Network.PreviousSubnetPauseEpoch", Integer.class, Long.class, () -> 0L);

    /** Epochs a subnet must wait after an unpause before pausing again. */
    static final StorageValue<Integer> PAUSE_COOLDOWN_EPOCHS =
            new StorageValue<>("Network.SubnetPauseCooldownEpochs", Integer.class, () -> 0);
    /** The general epoch of the latest subnet activation: excess-subnet removal waits MinSubnetRemovalInterval after it. */
    static final StorageValue<Long> PREV_ACTIVATION_EPOCH =
            new StorageValue<>("Network.PrevSubnetActivationEpoch", Long.class, () -> 0L);

    /** Subnet id -> its reputation (1e18 = full); too low and the subnet is removed. */
    static final StorageMap<Integer, BigInteger> SUBNET_REPUTATION =
            new StorageMap<>("Network.SubnetReputation", Integer.class, BigInteger.class, null);
    /** Subnet id -> whitelisted validators and how many initial nodes each may register. */
    static final StorageMap<Integer, Map<Integer, Integer>> INITIAL_VALIDATORS = new StorageMap<>(
            "Network.SubnetRegistrationInitialValidators", Integer.class, mapOf(Integer.class, Integer.class), null);
    /** Subnet id -> official bootnodes: peer id -> multiaddr. */
    static final StorageMap<Integer, Map<String, Bytes>> BOOTNODES =
            new StorageMap<>("Network.SubnetBootnodes", Integer.class, mapOf(String.class, Bytes.class), Map::of);
    /** The cost of the latest subnet registration, from which the current cost decays. */
    static final StorageValue<BigInteger> LAST_REGISTRATION_COST =
            new StorageValue<>("Network.LastRegistrationCost", BigInteger.class, null);
    /** The block of the latest subnet registration. */
    static final StorageValue<Long> LAST_REGISTRATION_BLOCK =
            new StorageValue<>("Network.LastSubnetRegistrationBlock", Long.class, () -> 0L);
    /** Subnet id -> a validator set the collective imposed, until its expiry epoch. */
    static final StorageMap<Integer, EmergencyValidatorSet> EMERGENCY_VALIDATORS = new StorageMap<>(
            "Network.EmergencySubnetNodeElectionData", Integer.class, EmergencyValidatorSet.class, null);

    // --- subnet nodes
    /** The last subnet node id handed out (ids are unique across subnets). */
    static final StorageValue<Integer> TOTAL_NODE_UIDS =
            new StorageValue<>("Network.TotalSubnetNodeUids", Integer.class, () -> 0);
    /** (subnet, node id) -> the node: validator, hotkey, peer infos, class, reputation. */
    static final StorageDoubleMap<Integer, Integer, SubnetNode> NODES =
            new StorageDoubleMap<>("Network.SubnetNodesData", Integer.class, Integer.class, SubnetNode.class, null);
    /** One namespace per subnet for main, bootnode, client and overwatch peer ids: peer id -> node id (negative: overwatch node). */
    static final StorageDoubleMap<Integer, String, Integer> PEER_ID_OWNER =
            new StorageDoubleMap<>("Network.PeerIdSubnetNodeId", Integer.class, String.class, Integer.class, null);

    /** (subnet, multiaddr) -> the node that registered it, so addresses stay unique per subnet. */
    static final StorageDoubleMap<Integer, Bytes, Integer> MULTIADDR_OWNER =
            new StorageDoubleMap<>("Network.MultiaddrSubnetNodeId", Integer.class, Bytes.class, Integer.class, null);
    /** (subnet, unique parameter) -> the node that set it. */
    static final StorageDoubleMap<Integer, Bytes, Integer> UNIQUE_OWNER =
            new StorageDoubleMap<>("Network.SubnetNodeUniqueParam", Integer.class, Bytes.class, Integer.class, null);
    /** Subnet id -> registered nodes waiting for activation, in order. */
    static final StorageMap<Integer, List<Integer>> QUEUE =
            new StorageMap<>("Network.SubnetNodeQueue", Integer.class, listOf(Integer.class), List::of);
    /** Subnet id -> the factor (1e18 = 1) on the base burn a node pays to register; registrations raise it. */
    static final StorageMap<Integer, BigInteger> BURN_RATE = new StorageMap<>(
            "Network.CurrentNodeBurnRate", Integer.class, BigInteger.class, () -> dev.hyperj.chain.math.U128.ONE_E18);
    /** Subnet id -> node registrations in the current epoch (for the burn rate). */
    static final StorageMap<Integer, Integer> REGISTRATIONS_THIS_EPOCH =
            new StorageMap<>("Network.NodeRegistrationsThisEpoch", Integer.class, Integer.class, () -> 0);
    /** Validator-class initial-registration counts while a whitelist exists: (subnet, validator) -> registrations used. */
    static final StorageDoubleMap<Integer, Integer, Integer> INITIAL_REGISTRATIONS = new StorageDoubleMap<>(
            "Network.InitialValidatorRegistrations", Integer.class, Integer.class, Integer.class, () -> 0);

    // --- staking
    /** (subnet, node id) -> the validator owning the stake and its amount. */
    static final StorageDoubleMap<Integer, Integer, NodeStake> NODE_STAKE =
            new StorageDoubleMap<>("Network.SubnetNodeStake", Integer.class, Integer.class, NodeStake.class, null);
    /** Subnet id -> the sum of its nodes' stakes. */
    static final StorageMap<Integer, BigInteger> TOTAL_SUBNET_STAKE =
            new StorageMap<>("Network.TotalSubnetStake", Integer.class, BigInteger.class, ZERO);
    /** Subnet id -> its delegate-stake pool (balance and shares). */
    static final StorageMap<Integer, Pool> SUBNET_POOL =
            new StorageMap<>("Network.SubnetDelegateStakePool", Integer.class, Pool.class, () -> Pool.EMPTY);
    /** (subnet, account) -> the account's shares of the subnet's delegate pool. */
    static final StorageDoubleMap<Integer, AccountId, BigInteger> SUBNET_SHARES = new StorageDoubleMap<>(
            "Network.AccountSubnetDelegateStakeShares", Integer.class, AccountId.class, BigInteger.class, ZERO);
    /** Validator id -> its delegate-stake pool. */
    static final StorageMap<Integer, Pool> VALIDATOR_POOL =
            new StorageMap<>("Network.ValidatorDelegateStakePool", Integer.class, Pool.class, () -> Pool.EMPTY);
    /** (validator, account) -> the account's shares of the validator's delegate pool. */
    static final StorageDoubleMap<Integer, AccountId, BigInteger> VALIDATOR_SHARES = new StorageDoubleMap<>(
            "Network.AccountValidatorDelegateStakeShares", Integer.class, AccountId.class, BigInteger.class, ZERO);
    /** Subnet id -> delegate stake in and out since it was last counted into the emission weights. */
    static final StorageMap<Integer, NetFlow> NET_FLOW =
            new StorageMap<>("Network.SubnetDelegateStakeNetFlow", Integer.class, NetFlow.class, () -> NetFlow.ZERO);
    /** Queued stake swaps by id, executed a few per block. */
    static final StorageMap<Long, SwapEntry> SWAP_QUEUE =
            new StorageMap<>("Network.SwapCallQueue", Long.class, SwapEntry.class, null);
    /** The id the next queued swap gets. */
    static final StorageValue<Long> NEXT_SWAP_ID = new StorageValue<>("Network.NextSwapQueueId", Long.class, () -> 0L);
    /** The id of the oldest swap not yet executed. */
    static final StorageValue<Long> SWAP_HEAD = new StorageValue<>("Network.SwapQueueHead", Long.class, () -> 0L);

    // --- consensus
    /** (subnet, subnet epoch) -> the node elected to propose. */
    static final StorageDoubleMap<Integer, Long, Integer> ELECTED =
            new StorageDoubleMap<>("Network.SubnetElectedValidator", Integer.class, Long.class, Integer.class, null);
    /** The proposal; its {@code attests} holds the proposer only: attestations live in {@link #ATTESTATIONS}. */
    static final StorageDoubleMap<Integer, Long, ConsensusSubmission> SUBMISSIONS = new StorageDoubleMap<>(
            "Network.SubnetConsensusSubmission", Integer.class, Long.class, ConsensusSubmission.class, null);
    /** One entry per attestation, so an attest writes O(1) bytes instead of rewriting the whole submission. */
    static final StorageDoubleMap<Model.SubnetEpoch, Integer, Model.Attestation> ATTESTATIONS = new StorageDoubleMap<>(
            "Network.SubnetConsensusAttestations",
            Model.SubnetEpoch.class,
            Integer.class,
            Model.Attestation.class,
            null);
    /** The validator set snapshot of a submission, for O(1) membership checks by attestors. */
    static final StorageDoubleMap<Model.SubnetEpoch, Integer, Boolean> SUBMISSION_VALIDATORS = new StorageDoubleMap<>(
            "Network.SubnetConsensusValidatorSet", Model.SubnetEpoch.class, Integer.class, Boolean.class, null);

    /** (subnet, subnet epoch) -> the block the proposal landed in (for the timing factor). */
    static final StorageDoubleMap<Integer, Long, Long> PROPOSAL_BLOCK =
            new StorageDoubleMap<>("Network.SubnetConsensusProposalBlock", Integer.class, Long.class, Long.class, null);

    // --- emissions
    /** Subnet id -> its share of the epoch's emissions, computed each epoch. */
    static final StorageMap<Integer, BigInteger> SUBNET_WEIGHT =
            new StorageMap<>("Network.FinalSubnetEmissionWeights", Integer.class, BigInteger.class, ZERO);
    /** The current epoch's emission to subnets and what the capacitor added to it. */
    static final StorageValue<EpochEmission> EPOCH_EMISSION =
            new StorageValue<>("Network.EpochEmission", EpochEmission.class, null);
    /** Emissions a subnet did not pay out (all scores zero), released into a later epoch's emission. */
    static final StorageValue<BigInteger> CAPACITOR =
            new StorageValue<>("Network.EmissionsCapacitor", BigInteger.class, ZERO);

    // --- overwatch
    /** The last overwatch node id handed out. */
    static final StorageValue<Integer> TOTAL_OVERWATCH_UIDS =
            new StorageValue<>("Network.TotalOverwatchNodeUids", Integer.class, () -> 0);
    /** Overwatch node id -> its validator, hotkey and stake. */
    static final StorageMap<Integer, OverwatchNode> OVERWATCH_NODES =
            new StorageMap<>("Network.OverwatchNodes", Integer.class, OverwatchNode.class, null);
    /** The qualification thresholds for overwatch nodes (reputation score, diversification, average attestation), from genesis. */
    static final StorageValue<GenesisConfig.OverwatchQualification> OVERWATCH_QUALIFICATION = new StorageValue<>(
            "Network.OverwatchQualification",
            GenesisConfig.OverwatchQualification.class,
            () -> GenesisConfig.OverwatchQualification.DEFAULTS);
    /** Coldkeys the collective made eligible to register an overwatch node. */
    static final StorageMap<AccountId, Boolean> OVERWATCH_WHITELIST =
            new StorageMap<>("Network.OverwatchNodeWhitelist", AccountId.class, Boolean.class, () -> false);
    /** (subnet, overwatch node id) -> the peer id it watches that subnet with. */
    static final StorageDoubleMap<Integer, Integer, String> OVERWATCH_PEER_IDS =
            new StorageDoubleMap<>("Network.PeerIdOverwatchNode", Integer.class, Integer.class, String.class, null);
    /** (overwatch epoch, node id) -> subnet -> commit hash. */
    static final StorageDoubleMap<Long, Integer, Map<Integer, Bytes>> OW_COMMITS = new StorageDoubleMap<>(
            "Network.OverwatchCommits", Long.class, Integer.class, mapOf(Integer.class, Bytes.class), Map::of);

    /** (overwatch epoch, node id) -> subnet -> the revealed weight. */
    static final StorageDoubleMap<Long, Integer, Map<Integer, BigInteger>> OW_REVEALS = new StorageDoubleMap<>(
            "Network.OverwatchReveals", Long.class, Integer.class, mapOf(Integer.class, BigInteger.class), Map::of);
    /** (overwatch epoch, subnet) -> the subnet's weight from the overwatch reveals. */
    static final StorageDoubleMap<Long, Integer, BigInteger> OW_SUBNET_WEIGHTS =
            new StorageDoubleMap<>("Network.OverwatchSubnetWeights", Long.class, Integer.class, BigInteger.class, null);
    /** (overwatch epoch, node id) -> the overwatch node's score. */
    static final StorageDoubleMap<Long, Integer, BigInteger> OW_NODE_SCORES =
            new StorageDoubleMap<>("Network.OverwatchNodeScores", Long.class, Integer.class, BigInteger.class, null);

    // unused type anchors keep imports honest
    static final Class<?>[] TYPES = {OverwatchCommit.class, OverwatchReveal.class};
}
