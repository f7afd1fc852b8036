package dev.hyperj.chain.substrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.client.EpochInfo;
import dev.hyperj.chain.client.JsonRpcSocket;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.NetworkReads;
import dev.hyperj.chain.runtime.NetworkReads.DelegateStake;
import dev.hyperj.chain.runtime.NetworkReads.ElectedValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.OverwatchNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorStake;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * HyperJ's {@link ChainClient} on a Hypertensor node (Substrate, JSON-RPC on WebSocket): the reads
 * go through {@link NetworkApi} ({@code NetworkRuntimeApi} by {@code state_call}) and storage, the
 * calls through {@link SubstrateNode#submit}. What the node runs is mapped by {@link
 * HypertensorRuntime}: today the Hoskinson runtime, whose nodes are owned by coldkeys. HyperJ's
 * calls become its extrinsics ({@link HoskinsonCalls}) and its events HyperJ's ({@link
 * HoskinsonEvents}); HyperJ's validator operations, which that runtime lacks, fail with a sentence
 * saying so before anything is signed.
 *
 * <p>Hoskinson values that HyperJ's records have no field for are dropped (coldkey reputation,
 * delegate accounts); HyperJ fields Hoskinson has no value for are zero or empty: a node's
 * validator id is 0, a subnet's queue length and emission weight are 0, its initial validators
 * empty.
 */
public final class HypertensorChainClient implements ChainClient {
    private static final AccountId NOBODY = AccountId.of(new byte[AccountId.LENGTH]);

    private final SubstrateNode node;
    private final NetworkApi api;
    private final HypertensorRuntime runtime;

    private HypertensorChainClient(SubstrateNode node) {
        this.node = node;
        try {
            this.runtime = HypertensorRuntime.of(node.runtime().version(), node.metadata());
            this.api = new NetworkApi(node);
        } catch (MetadataException e) {
            node.close();
            throw new ChainClientException(0, e.getMessage());
        }
    }

    /** Connects to a Hypertensor node, refusing one that runs a runtime HyperJ does not know. */
    public static HypertensorChainClient connect(URI uri) {
        return new HypertensorChainClient(SubstrateNode.connect(uri));
    }

    /**
     * What the node at {@code uri} is: its {@code state_getRuntimeVersion} spec name, or empty when it
     * does not answer that call (it is not a Substrate node, e.g. HyperJ's dev chain).
     */
    public static Optional<String> specName(URI uri) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(10))
                .build();
        try (JsonRpcSocket s = JsonRpcSocket.open(uri, http, java.time.Duration.ofSeconds(30), why -> {})) {
            JsonNode v = s.call("state_getRuntimeVersion");
            return v != null && v.hasNonNull("specName")
                    ? Optional.of(v.get("specName").asText())
                    : Optional.empty();
        } catch (ChainClientException e) {
            if (e.code() == -32601) return Optional.empty();
            throw e;
        } finally {
            http.close();
        }
    }

    public SubstrateNode node() {
        return node;
    }

    public HypertensorRuntime runtime() {
        return runtime;
    }

    private ChainClientException lacks(String what) {
        return new ChainClientException(0, runtime.lacks(what));
    }

    private Object call(String function, Object... args) {
        try {
            return api.call(function, args);
        } catch (MetadataException e) {
            throw new ChainClientException(0, e.getMessage());
        }
    }

    // ---- chain

    @Override
    public String chainId() {
        return node.runtime().version().specName();
    }

    @Override
    public byte[] genesisHash() {
        return node.genesisHash();
    }

    @Override
    public BlockHeader bestHeader() {
        return header(node.header(Optional.empty()));
    }

    @Override
    public Optional<BlockHeader> header(long number) {
        return node.blockHash(number).map(h -> header(node.header(Optional.of(h))));
    }

    /**
     * A Substrate header in HyperJ's shape: the author is not in a Substrate header (Aura names a
     * slot), so it is the zero account; the timestamp is {@code Timestamp.Now} at that block.
     */
    private BlockHeader header(JsonNode h) {
        if (h == null || h.isNull()) throw new ChainClientException(0, "the node has no such header");
        long number = Long.decode(h.get("number").asText());
        byte[] hash =
                node.blockHash(number).orElseThrow(() -> new ChainClientException(0, "no hash of block " + number));
        long timestamp =
                ((Number) node.storageAt(Optional.of(hash), "Timestamp", "Now").orElse(0L)).longValue();
        return new BlockHeader(
                ChainJson.unhex(h.get("parentHash").asText()),
                number,
                ChainJson.unhex(h.get("stateRoot").asText()),
                ChainJson.unhex(h.get("extrinsicsRoot").asText()),
                NOBODY,
                timestamp);
    }

    /**
     * Heads arrive on the connection's thread, which must not wait for the reads that complete a
     * header (its timestamp): they are completed in order on a thread of the subscription's own.
     */
    @Override
    public AutoCloseable subscribeNewHeads(Consumer<BlockHeader> listener) {
        java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("hyperj-hypertensor-heads").factory());
        AutoCloseable sub = node.subscribe("chain_subscribeNewHeads", "chain_unsubscribeNewHeads", h -> {
            if (!worker.isShutdown()) worker.execute(() -> listener.accept(header(h)));
        });
        return () -> {
            try {
                sub.close();
            } finally {
                worker.shutdownNow();
            }
        };
    }

    private int epochLength() {
        return ((Number) node.constant("Network", "EpochLength")).intValue();
    }

    @Override
    public EpochInfo epochInfo() {
        long block = node.bestNumber();
        int length = epochLength();
        int multiplier = node.metadata().pallet("Network").storage().containsKey("OverwatchEpochLengthMultiplier")
                ? ((Number) node.storageOrDefault("Network", "OverwatchEpochLengthMultiplier")).intValue()
                : 1;
        return new EpochInfo(block, block / length, length, multiplier);
    }

    /** The pallet's subnet epoch: blocks counted from the subnet's slot in the epoch. */
    @Override
    public long subnetEpoch(int subnetId) {
        Map<?, ?> info = (Map<?, ?>) ((Optional<?>) call("get_subnet_info", (long) subnetId))
                .orElseThrow(() -> new ChainClientException(0, "no subnet " + subnetId));
        long slot = ((Optional<?>) info.get("slot_index"))
                .map(s -> ((Number) s).longValue())
                .orElse(0L);
        long block = node.bestNumber();
        return Math.max(0, block - slot) / epochLength();
    }

    // ---- accounts

    @Override
    public BigInteger balance(AccountId account) {
        Map<?, ?> info = (Map<?, ?>) node.storageOrDefault("System", "Account", account);
        return (BigInteger) ((Map<?, ?>) info.get("data")).get("free");
    }

    @Override
    public Map<Long, BigInteger> unbondings(AccountId account) {
        Map<Long, BigInteger> out = new LinkedHashMap<>();
        if (!node.metadata().pallet("Network").storage().containsKey("StakeUnbondingLedger")) return out;
        pairs(node.storageOrDefault("Network", "StakeUnbondingLedger", account))
                .forEach((k, v) -> out.put(((Number) k).longValue(), (BigInteger) v));
        return out;
    }

    @Override
    public long nextNonce(AccountId account) {
        return node.nextNonce(account);
    }

    /**
     * The price of a subnet registered in the next block, as the pallet computes it: the decayed
     * part in f64, truncated ({@code (diff as f64 * factor) as u128}).
     */
    @Override
    public BigInteger registrationCost() {
        BigInteger last = (BigInteger) node.storageOrDefault("Network", "LastRegistrationCost");
        BigInteger min = (BigInteger) node.storageOrDefault("Network", "MinRegistrationCost");
        long decayBlocks = ((Number) node.storageOrDefault("Network", "RegistrationCostDecayBlocks")).longValue();
        BigInteger alpha = (BigInteger) node.storageOrDefault("Network", "RegistrationCostAlpha");
        long lastBlock = ((Number) node.storageOrDefault("Network", "LastSubnetRegistrationBlock")).longValue();
        // the pallet's own steps (f64 where it uses f64), shared with HyperJ's runtime and checked
        // against what register_subnet charges in HoskinsonDifferentialTest
        return NetworkReads.registrationCost(last, min, decayBlocks, alpha, node.bestNumber() + 1 - lastBlock);
    }

    // ---- subnets and nodes

    @Override
    public Optional<SubnetInfo> subnet(int subnetId) {
        return ((Optional<?>) call("get_subnet_info", (long) subnetId)).map(m -> subnetInfo((Map<?, ?>) m));
    }

    @Override
    public List<SubnetInfo> subnets() {
        return ((List<?>) call("get_all_subnets_info"))
                .stream().map(m -> subnetInfo((Map<?, ?>) m)).toList();
    }

    @Override
    public Optional<SubnetNodeInfo> subnetNode(int subnetId, int subnetNodeId) {
        return ((Optional<?>) call("get_subnet_node_info", (long) subnetId, (long) subnetNodeId))
                .map(m -> nodeInfo((Map<?, ?>) m));
    }

    @Override
    public List<SubnetNodeInfo> subnetNodes(int subnetId) {
        return nodes(call("get_subnet_nodes_info", (long) subnetId));
    }

    @Override
    public Map<Integer, List<SubnetNodeInfo>> allSubnetNodes() {
        Map<Integer, List<SubnetNodeInfo>> out = new LinkedHashMap<>();
        for (SubnetNodeInfo n : nodes(call("get_all_subnet_nodes_info")))
            out.computeIfAbsent(n.subnetId(), k -> new ArrayList<>()).add(n);
        return out;
    }

    /** The subnet's own bootnodes (with their address) and its nodes' (address when they gave one). */
    @Override
    public Map<String, Optional<Bytes>> bootnodes(int subnetId) {
        Map<?, ?> all = (Map<?, ?>) call("get_bootnodes", (long) subnetId);
        Map<String, Optional<Bytes>> out = new LinkedHashMap<>();
        for (Object o : (List<?>) all.get("subnet_bootnodes")) {
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            out.put(utf8(e.getKey()), Optional.of(Bytes.of((byte[]) e.getValue())));
        }
        for (String section : List.of("node_bootnodes", "registered_bootnodes"))
            for (Object o : (List<?>) all.get(section)) {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
                out.putIfAbsent(utf8(e.getKey()), ((Optional<?>) e.getValue()).map(v -> Bytes.of((byte[]) v)));
            }
        return out;
    }

    @Override
    public List<DelegateStake> delegateStakes(AccountId account) {
        List<DelegateStake> out = new ArrayList<>();
        for (Object o : (List<?>) call("get_delegate_stakes", account)) {
            Map<?, ?> m = (Map<?, ?>) o;
            out.add(new DelegateStake(
                    num(m.get("subnet_id")), false, (BigInteger) m.get("shares"), (BigInteger) m.get("balance")));
        }
        return out;
    }

    @Override
    public Optional<ElectedValidatorInfo> electedValidator(int subnetId, long subnetEpoch) {
        return ((Optional<?>) call("get_elected_validator_info", (long) subnetId, subnetEpoch))
                .map(m -> new ElectedValidatorInfo(subnetId, subnetEpoch, nodeInfo((Map<?, ?>) m)));
    }

    /**
     * The epoch's proposal and its attestations, from the pallet's {@code SubnetConsensusSubmission}
     * (Hoskinson's {@code get_validators_and_attestors} lists the election slots instead). The
     * snapshot is the nodes the proposal recorded (Idle and up); the validator set those of them
     * that may attest: Validator class from an epoch not after this one, and in the emergency
     * validator set when the subnet has one.
     */
    @Override
    public Optional<ValidatorsAndAttestors> validatorsAndAttestors(int subnetId, long subnetEpoch) {
        Optional<Object> stored = node.storage("Network", "SubnetConsensusSubmission", (long) subnetId, subnetEpoch);
        if (stored.isEmpty()) return Optional.empty();
        Optional<java.util.Set<Integer>> emergency = node.storage(
                        "Network", "EmergencySubnetNodeElectionData", (long) subnetId)
                .map(d -> new java.util.HashSet<>(((List<?>) ((Map<?, ?>) d).get("subnet_node_ids"))
                        .stream().map(HypertensorChainClient::num).toList()));
        return Optional.of(new ValidatorsAndAttestors(
                subnetId, subnetEpoch, submission((Map<?, ?>) stored.get(), subnetEpoch, emergency)));
    }

    static Model.ConsensusSubmission submission(
            Map<?, ?> m, long subnetEpoch, Optional<java.util.Set<Integer>> emergency) {
        List<Model.NodeScore> data = new ArrayList<>();
        for (Object o : (List<?>) m.get("data")) {
            Map<?, ?> d = (Map<?, ?>) o;
            data.add(new Model.NodeScore(num(d.get("subnet_node_id")), (BigInteger) d.get("score")));
        }
        Map<Integer, Model.Attestation> attests = new java.util.TreeMap<>();
        pairs(m.get("attests")).forEach((id, a) -> {
            Map<?, ?> e = (Map<?, ?>) a;
            attests.put(
                    num(id),
                    new Model.Attestation(
                            ((Number) e.get("block")).longValue(),
                            (BigInteger) e.get("reward_factor"),
                            ((Optional<?>) e.get("data")).map(b -> Bytes.of((byte[]) b))));
        });
        List<Integer> snapshot = new ArrayList<>();
        List<Integer> validators = new ArrayList<>();
        for (Object o : (List<?>) m.get("subnet_nodes")) {
            Map<?, ?> n = (Map<?, ?>) o;
            int id = num(n.get("id"));
            snapshot.add(id);
            Map<?, ?> c = (Map<?, ?>) n.get("classification");
            boolean validator = ((EnumValue) c.get("node_class")).name().equals(NodeClass.Validator.name())
                    && ((Number) c.get("start_epoch")).longValue() <= subnetEpoch
                    && emergency.map(set -> set.contains(id)).orElse(true);
            if (validator) validators.add(id);
        }
        snapshot.sort(null);
        validators.sort(null);
        return new Model.ConsensusSubmission(
                num(m.get("validator_id")),
                data,
                attests,
                snapshot,
                validators,
                ((Optional<?>) m.get("prioritize_queue_node_id")).map(HypertensorChainClient::num),
                ((Optional<?>) m.get("remove_queue_node_id")).map(HypertensorChainClient::num),
                ((Optional<?>) m.get("args")).map(b -> Bytes.of((byte[]) b)),
                ((Number) m.get("block")).longValue(),
                (BigInteger) m.get("validator_reward_factor"));
    }

    @Override
    public List<OverwatchNodeInfo> overwatchNodes() {
        List<OverwatchNodeInfo> out = new ArrayList<>();
        for (Object o : (List<?>) call("get_all_overwatch_nodes_info")) {
            Map<?, ?> m = (Map<?, ?>) o;
            AccountId hotkey = ((Optional<?>) m.get("hotkey"))
                    .map(h -> AccountId.of((byte[]) h))
                    .orElse(NOBODY);
            Map<Integer, String> peers = new LinkedHashMap<>();
            for (Object p : (List<?>) m.get("peer_ids")) {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) p;
                peers.put(num(e.getKey()), utf8(e.getValue()));
            }
            out.add(new OverwatchNodeInfo(
                    new Model.OverwatchNode(
                            num(m.get("overwatch_node_id")), 0, hotkey, (BigInteger) m.get("account_overwatch_stake")),
                    AccountId.of((byte[]) m.get("coldkey")),
                    peers));
        }
        return out;
    }

    @Override
    public Map<Integer, Bytes> overwatchCommits(long overwatchEpoch, int overwatchNodeId) {
        Map<Integer, Bytes> out = new LinkedHashMap<>();
        for (Object o :
                (List<?>) call("get_overwatch_commits_for_epoch_and_node", overwatchEpoch, (long) overwatchNodeId)) {
            List<?> pair = (List<?>) o;
            out.put(num(pair.get(0)), Bytes.of((byte[]) pair.get(1)));
        }
        return out;
    }

    @Override
    public Map<Integer, BigInteger> overwatchReveals(long overwatchEpoch, int overwatchNodeId) {
        Map<Integer, BigInteger> out = new LinkedHashMap<>();
        for (Object o :
                (List<?>) call("get_overwatch_reveals_for_epoch_and_node", overwatchEpoch, (long) overwatchNodeId)) {
            List<?> pair = (List<?>) o;
            out.put(num(pair.get(0)), (BigInteger) pair.get(1));
        }
        return out;
    }

    @Override
    public boolean proofOfStake(int subnetId, String peerId, NodeClass minClass, Optional<BigInteger> minStake) {
        return (Boolean) call(
                "proof_of_stake",
                (long) subnetId,
                peerId.getBytes(StandardCharsets.US_ASCII),
                (long) minClass.ordinal(),
                minStake);
    }

    // ---- the validator layer, which Hoskinson lacks

    @Override
    public List<SubnetNodeInfo> validatorSubnetNodes(int validatorId) {
        throw lacks("validator layer: nodes belong to coldkeys (see subnetNodes)");
    }

    @Override
    public Optional<ValidatorInfo> validator(int validatorId) {
        throw lacks("validator layer: nodes belong to coldkeys");
    }

    @Override
    public Optional<Integer> validatorIdOf(AccountId coldkey) {
        throw lacks("validator layer: nodes belong to coldkeys");
    }

    @Override
    public List<ValidatorStake> validatorStakes(int validatorId) {
        throw lacks("validator layer: stakes are per coldkey and node");
    }

    // ---- calls

    /**
     * Submits a HyperJ call as the runtime's own extrinsic ({@link HoskinsonCalls} says how each
     * maps); what cannot map (the validator layer, the collective's motions) fails the future with a
     * sentence before a nonce is taken or anything signed. The result carries the extrinsic's
     * events as HyperJ's records and the error under HyperJ's name where the two share it.
     */
    @Override
    public CompletableFuture<TxResult> submit(Signer signer, Call call) {
        HoskinsonCalls.Mapped m;
        try {
            m = runtime.extrinsic(call, keys());
        } catch (ChainClientException refused) {
            return CompletableFuture.failedFuture(refused); // as the dev chain's client fails: in the future
        }
        return submit(signer, m);
    }

    /**
     * Registers a subnet the way Hoskinson does: its initial members are coldkeys (each allowed
     * {@code n} node registrations while the subnet is Registered), which HyperJ's {@link
     * Call.RegisterSubnet} names by validator id instead; {@code data.initialValidators()} is not
     * used.
     */
    public CompletableFuture<TxResult> registerSubnet(
            Signer signer,
            BigInteger maxCost,
            Model.SubnetRegistrationData data,
            Map<AccountId, Integer> initialColdkeys) {
        return submit(signer, HoskinsonCalls.registerSubnet(maxCost, data, initialColdkeys));
    }

    private CompletableFuture<TxResult> submit(Signer signer, HoskinsonCalls.Mapped m) {
        CompletableFuture<ExtrinsicResult> sent;
        try {
            sent = node.submit(signer, m.pallet(), m.call(), m.args());
        } catch (MetadataException e) {
            return CompletableFuture.failedFuture(
                    new ChainClientException(0, m.name() + ": " + e.getMessage() + "; nothing was signed"));
        } catch (ChainClientException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sent.thenApply(r -> new TxResult(
                r.blockNumber(),
                r.blockHash(),
                r.extrinsicHash(),
                r.error().map(runtime::errorName),
                r.error().map(ModuleError::describe),
                runtime.events(r.events(), nodeIdsAt(r.blockHash()))));
    }

    /** The events of block {@code number} (its extrinsics' and its hooks': rewards, elections) as HyperJ's records. */
    public List<dev.hyperj.chain.runtime.Event> events(long number) {
        byte[] hash = node.blockHash(number).orElseThrow(() -> new ChainClientException(0, "no block " + number));
        return runtime.events(node.events(hash), nodeIdsAt(hash));
    }

    private HoskinsonEvents.NodeIds nodeIdsAt(byte[] blockHash) {
        return (subnetId, hotkey) -> node.storageAt(
                        Optional.of(blockHash), "Network", "HotkeySubnetNodeId", (long) subnetId, hotkey)
                .map(HypertensorChainClient::num);
    }

    private HoskinsonCalls.Keys keys() {
        return new HoskinsonCalls.Keys() {
            @Override
            public AccountId nodeHotkey(int subnetId, int subnetNodeId) {
                return node.storage("Network", "SubnetNodeIdHotkey", (long) subnetId, (long) subnetNodeId)
                        .map(h -> AccountId.of((byte[]) h))
                        .orElseThrow(() -> new ChainClientException(
                                0, "subnet " + subnetId + " has no node " + subnetNodeId + "; nothing was sent"));
            }

            @Override
            public AccountId overwatchHotkey(int overwatchNodeId) {
                return node.storage("Network", "OverwatchNodeIdHotkey", (long) overwatchNodeId)
                        .map(h -> AccountId.of((byte[]) h))
                        .orElseThrow(() -> new ChainClientException(
                                0, "there is no overwatch node " + overwatchNodeId + "; nothing was sent"));
            }
        };
    }

    @Override
    public void close() {
        node.close();
    }

    // ---- Hoskinson's rpc_info structs in HyperJ's records

    private static List<SubnetNodeInfo> nodes(Object list) {
        return ((List<?>) list).stream().map(m -> nodeInfo((Map<?, ?>) m)).toList();
    }

    static SubnetInfo subnetInfo(Map<?, ?> m) {
        AccountId owner = ((Optional<?>) m.get("owner"))
                .map(o -> AccountId.of((byte[]) o))
                .orElse(NOBODY);
        String state = ((EnumValue) m.get("state")).name();
        Model.SubnetState subnetState;
        try {
            subnetState = Model.SubnetState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new ChainClientException(
                    0, "subnet " + m.get("id") + " is in a state HyperJ does not know: " + state);
        }
        int id = num(m.get("id"));
        Model.Subnet subnet = new Model.Subnet(
                id,
                ((Optional<?>) m.get("friendly_id"))
                        .map(HypertensorChainClient::num)
                        .orElse(id),
                utf8(m.get("name")),
                utf8(m.get("repo")),
                utf8(m.get("description")),
                utf8(m.get("misc")),
                owner,
                subnetState,
                ((Optional<?>) m.get("registration_epoch"))
                        .map(HypertensorChainClient::u32)
                        .orElse(0L),
                notStarted(u32(m.get("start_epoch"))),
                ((Optional<?>) m.get("slot_index"))
                        .map(HypertensorChainClient::num)
                        .orElse(0),
                u32(m.get("prev_pause_epoch")));
        List<AccountId> access = ((List<?>) m.get("bootnode_access"))
                .stream().map(a -> AccountId.of((byte[]) a)).toList();
        Model.SubnetParams params = new Model.SubnetParams(
                num(m.get("churn_limit")),
                num(m.get("churn_limit_multiplier")),
                num(m.get("subnet_node_queue_epochs")),
                num(m.get("idle_classification_epochs")),
                num(m.get("included_classification_epochs")),
                num(m.get("max_registered_nodes")),
                (BigInteger) m.get("min_subnet_node_reputation"),
                (BigInteger) m.get("min_stake"),
                (BigInteger) m.get("max_stake"),
                (BigInteger) m.get("delegate_stake_percentage"),
                u32(m.get("last_delegate_stake_rewards_update")),
                num(m.get("target_node_registrations_per_epoch")),
                access,
                ((Optional<?>) m.get("pending_owner")).map(o -> AccountId.of((byte[]) o)));
        Map<String, Bytes> bootnodes = new LinkedHashMap<>();
        for (Object o : (List<?>) m.get("bootnodes")) {
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            bootnodes.put(utf8(e.getKey()), Bytes.of((byte[]) e.getValue()));
        }
        return new SubnetInfo(
                subnet,
                params,
                (BigInteger) m.get("reputation"),
                new Model.Pool((BigInteger) m.get("total_subnet_delegate_stake_balance"), (BigInteger)
                        m.get("total_subnet_delegate_stake_shares")),
                (BigInteger) m.get("total_subnet_stake"),
                num(m.get("total_nodes")),
                num(m.get("total_active_nodes")),
                num(m.get("total_electable_nodes")),
                0,
                (BigInteger) m.get("current_node_burn_rate"),
                BigInteger.ZERO,
                bootnodes,
                Optional.empty());
    }

    static SubnetNodeInfo nodeInfo(Map<?, ?> m) {
        Map<?, ?> classification = (Map<?, ?>) m.get("classification");
        String cls = ((EnumValue) classification.get("node_class")).name();
        NodeClass nodeClass;
        try {
            nodeClass = NodeClass.valueOf(cls);
        } catch (IllegalArgumentException e) {
            throw new ChainClientException(0, "a node has a class HyperJ does not know: " + cls);
        }
        AccountId hotkey = AccountId.of((byte[]) m.get("hotkey"));
        Model.SubnetNode node = new Model.SubnetNode(
                num(m.get("subnet_node_id")),
                0,
                Optional.of(hotkey),
                peerInfo((Map<?, ?>) m.get("peer_info")),
                ((Optional<?>) m.get("bootnode_peer_info")).map(p -> peerInfo((Map<?, ?>) p)),
                ((Optional<?>) m.get("client_peer_info")).map(p -> peerInfo((Map<?, ?>) p)),
                nodeClass,
                u32(classification.get("start_epoch")),
                ((Optional<?>) m.get("unique")).map(b -> Bytes.of((byte[]) b)),
                ((Optional<?>) m.get("non_unique")).map(b -> Bytes.of((byte[]) b)),
                (BigInteger) m.get("subnet_node_reputation"),
                num(m.get("consecutive_included_epochs")));
        return new SubnetNodeInfo(
                num(m.get("subnet_id")), node, AccountId.of((byte[]) m.get("coldkey")), hotkey, (BigInteger)
                        m.get("stake_balance"));
    }

    /** A decoded {@code BTreeMap}: the codec gives its entries as [key, value] lists, in key order. */
    static Map<Object, Object> pairs(Object btreeMap) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Object e : (List<?>) btreeMap) {
            List<?> kv = (List<?>) e;
            out.put(kv.get(0), kv.get(1));
        }
        return out;
    }

    private static Model.PeerInfo peerInfo(Map<?, ?> p) {
        Optional<Bytes> addr = ((Optional<?>) p.get("multiaddr")).map(a -> Bytes.of((byte[]) a));
        return new Model.PeerInfo(utf8(p.get("peer_id")), addr);
    }

    private static String utf8(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }

    /** A u32 whose every value HyperJ's {@code long} holds. */
    private static long u32(Object n) {
        return ((Number) n).longValue();
    }

    /** Hoskinson marks a subnet not activated yet with start epoch {@code u32::MAX}; HyperJ with 0. */
    private static long notStarted(long startEpoch) {
        return startEpoch == 0xFFFF_FFFFL ? 0 : startEpoch;
    }

    /** An id or count HyperJ holds in an {@code int}; a larger one is an answer HyperJ cannot represent, said so. */
    private static int num(Object n) {
        long v = ((Number) n).longValue();
        if (v != (int) v)
            throw new ChainClientException(
                    0,
                    "the chain answered " + Long.toUnsignedString(v)
                            + " where HyperJ expects an id or count under 2^31");
        return (int) v;
    }
}
