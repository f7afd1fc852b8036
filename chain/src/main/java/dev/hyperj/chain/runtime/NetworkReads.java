package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeStake;
import dev.hyperj.chain.runtime.Model.OverwatchNode;
import dev.hyperj.chain.runtime.Model.Pool;
import dev.hyperj.chain.runtime.Model.Subnet;
import dev.hyperj.chain.runtime.Model.SubnetNode;
import dev.hyperj.chain.runtime.Model.SubnetParams;
import dev.hyperj.chain.runtime.Model.Validator;
import dev.hyperj.chain.runtime.Model.ValidatorReputation;
import dev.hyperj.chain.storage.StateView;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pure reads over a state, named after Hypertensor's {@code network_*} RPC. Issue 7 serves them as
 * JSON-RPC; subnets call them through {@code ChainClient}.
 */
public final class NetworkReads {
    private final StateView s;

    public NetworkReads(StateView state) {
        this.s = state;
    }

    public record SubnetInfo(
            Subnet subnet,
            SubnetParams params,
            BigInteger reputation,
            Pool delegatePool,
            BigInteger totalNodeStake,
            int totalNodes,
            int activeNodes,
            int electableNodes,
            int queueLength,
            BigInteger nodeBurnRate,
            BigInteger emissionWeight,
            Map<String, Bytes> bootnodes,
            Optional<Map<Integer, Integer>> initialValidators) {}

    public record SubnetNodeInfo(
            int subnetId, SubnetNode node, AccountId coldkey, AccountId signingKey, BigInteger stake) {}

    public record ValidatorStake(int subnetId, int subnetNodeId, BigInteger amount, boolean nodeActive) {}

    public record DelegateStake(int poolId, boolean validatorPool, BigInteger shares, BigInteger balance) {}

    public record ValidatorInfo(Validator validator, ValidatorReputation reputation, Pool delegatePool) {}

    public record ElectedValidatorInfo(int subnetId, long subnetEpoch, SubnetNodeInfo node) {}

    public record ValidatorsAndAttestors(int subnetId, long subnetEpoch, ConsensusSubmission submission) {}

    public record OverwatchNodeInfo(OverwatchNode node, AccountId coldkey, Map<Integer, String> peerIds) {}

    /** Totals every unit by where it sits, for conservation checks and dashboards. */
    public record Supply(
            BigInteger free,
            BigInteger nodeStake,
            BigInteger subnetDelegate,
            BigInteger validatorDelegate,
            BigInteger unbonding,
            BigInteger overwatchStake,
            BigInteger swapQueue,
            BigInteger burned,
            BigInteger genesis,
            BigInteger minted,
            BigInteger issuance) {
        public BigInteger accounted() {
            return free.add(nodeStake)
                    .add(subnetDelegate)
                    .add(validatorDelegate)
                    .add(unbonding)
                    .add(overwatchStake)
                    .add(swapQueue)
                    .add(burned);
        }
    }

    public long blockNumber() {
        return Store.BLOCK_NUMBER.get(s);
    }

    public NetworkParams params() {
        return Store.PARAMS.get(s);
    }

    public BigInteger freeBalance(AccountId a) {
        return Store.ACCOUNT.get(s, a);
    }

    public AccountId treasury() {
        return Ctx.TREASURY;
    }

    public Map<Long, BigInteger> unbondings(AccountId a) {
        return Store.UNBONDINGS.get(s, a);
    }

    public long epoch() {
        return blockNumber() / params().epochLength();
    }

    public long subnetEpoch(int subnetId) {
        Subnet sub = Store.SUBNETS.get(s, subnetId);
        long b = blockNumber();
        return sub == null || b < sub.slot() ? 0 : (b - sub.slot()) / params().epochLength();
    }

    public BigInteger registrationCost() {
        // same formula as registration, evaluated at the next block
        Ctx c = new Ctx(new dev.hyperj.chain.storage.Overlay(s), blockNumber() + 1, new byte[32], params());
        return Subnets.registrationCost(c);
    }

    /**
     * The registration auction's price {@code blocksSinceLast} blocks after the last registration,
     * from the auction's values as Hypertensor stores them ({@code LastRegistrationCost},
     * {@code MinRegistrationCost}, {@code RegistrationCostDecayBlocks}, {@code RegistrationCostAlpha}),
     * in the pallet's steps: the same price to the unit (tested against Hypertensor's runtime).
     */
    public static BigInteger registrationCost(
            BigInteger last, BigInteger min, long decayBlocks, BigInteger alpha, long blocksSinceLast) {
        return Subnets.auctionPrice(last, min, decayBlocks, alpha, Math.max(0, blocksSinceLast));
    }

    public Optional<SubnetInfo> getSubnetInfo(int subnetId) {
        Subnet sub = Store.SUBNETS.get(s, subnetId);
        if (sub == null) return Optional.empty();
        int[] counts = new int[3];
        long epoch = subnetEpoch(subnetId);
        Store.NODES.forEachIn(s, subnetId, (k, n) -> {
            counts[0]++;
            if (n.nodeClass().compareTo(NodeClass.Idle) >= 0) counts[1]++;
            if (n.hasClass(NodeClass.Validator, epoch)) counts[2]++;
        });
        return Optional.of(new SubnetInfo(
                sub,
                Store.SUBNET_PARAMS.get(s, subnetId),
                Store.SUBNET_REPUTATION.get(s, subnetId),
                Store.SUBNET_POOL.get(s, subnetId),
                Store.TOTAL_SUBNET_STAKE.get(s, subnetId),
                counts[0],
                counts[1],
                counts[2],
                Store.QUEUE.get(s, subnetId).size(),
                Store.BURN_RATE.get(s, subnetId),
                Store.SUBNET_WEIGHT.get(s, subnetId),
                Store.BOOTNODES.get(s, subnetId),
                Optional.ofNullable(Store.INITIAL_VALIDATORS.get(s, subnetId))));
    }

    public List<SubnetInfo> getAllSubnetsInfo() {
        List<SubnetInfo> out = new ArrayList<>();
        for (int id : Store.SUBNETS.keys(s)) getSubnetInfo(id).ifPresent(out::add);
        out.sort((a, b) -> Integer.compare(a.subnet().id(), b.subnet().id()));
        return out;
    }

    private SubnetNodeInfo info(int subnetId, SubnetNode n) {
        Validator v = Store.VALIDATORS.get(s, n.validatorId());
        NodeStake st = Store.NODE_STAKE.get(s, subnetId, n.id());
        return new SubnetNodeInfo(
                subnetId,
                n,
                v == null ? null : v.coldkey(),
                n.hotkey().orElse(v == null ? null : v.hotkey()),
                st == null ? BigInteger.ZERO : st.amount());
    }

    public Optional<SubnetNodeInfo> getSubnetNodeInfo(int subnetId, int subnetNodeId) {
        return Store.NODES.find(s, subnetId, subnetNodeId).map(n -> info(subnetId, n));
    }

    public List<SubnetNodeInfo> getSubnetNodesInfo(int subnetId) {
        List<SubnetNodeInfo> out = new ArrayList<>();
        Store.NODES.forEachIn(s, subnetId, (k, n) -> out.add(info(subnetId, n)));
        out.sort((a, b) -> Integer.compare(a.node().id(), b.node().id()));
        return out;
    }

    public Map<Integer, List<SubnetNodeInfo>> getAllSubnetNodesInfo() {
        Map<Integer, List<SubnetNodeInfo>> out = new TreeMap<>();
        for (int id : Store.SUBNETS.keys(s)) out.put(id, getSubnetNodesInfo(id));
        return out;
    }

    public List<SubnetNodeInfo> getValidatorSubnetNodesInfo(int validatorId) {
        List<SubnetNodeInfo> out = new ArrayList<>();
        getAllSubnetNodesInfo()
                .values()
                .forEach(l -> l.stream()
                        .filter(i -> i.node().validatorId() == validatorId)
                        .forEach(out::add));
        return out;
    }

    /** The subnet's official bootnodes plus every node's bootnode peer info. */
    public Map<String, Optional<Bytes>> getBootnodes(int subnetId) {
        Map<String, Optional<Bytes>> out = new TreeMap<>();
        Store.BOOTNODES.get(s, subnetId).forEach((k, v) -> out.put(k, Optional.of(v)));
        Store.NODES.forEachIn(
                s, subnetId, (k, n) -> n.bootnodePeerInfo().ifPresent(b -> out.put(b.peerId(), b.multiaddr())));
        return out;
    }

    public Optional<ValidatorInfo> getValidatorInfo(int validatorId) {
        return Store.VALIDATORS
                .find(s, validatorId)
                .map(v -> new ValidatorInfo(
                        v, Store.VALIDATOR_REPUTATION.get(s, validatorId), Store.VALIDATOR_POOL.get(s, validatorId)));
    }

    public Optional<Integer> validatorIdOf(AccountId coldkey) {
        return Store.COLDKEY_VALIDATOR.find(s, coldkey);
    }

    /** Every node stake a validator holds, including stakes of removed nodes still to be withdrawn. */
    public List<ValidatorStake> getValidatorStakes(int validatorId) {
        List<ValidatorStake> out = new ArrayList<>();
        Store.NODE_STAKE.forEach(s, (subnet, node, st) -> {
            if (st.validatorId() == validatorId)
                out.add(new ValidatorStake(subnet, node, st.amount(), Store.NODES.contains(s, subnet, node)));
        });
        return out;
    }

    public List<DelegateStake> getDelegateStakes(AccountId account) {
        List<DelegateStake> out = new ArrayList<>();
        Store.SUBNET_SHARES.forEach(s, (pool, who, shares) -> {
            if (who.equals(account))
                out.add(new DelegateStake(
                        pool, false, shares, Staking.balanceOf(Store.SUBNET_POOL.get(s, pool), shares)));
        });
        Store.VALIDATOR_SHARES.forEach(s, (pool, who, shares) -> {
            if (who.equals(account))
                out.add(new DelegateStake(
                        pool, true, shares, Staking.balanceOf(Store.VALIDATOR_POOL.get(s, pool), shares)));
        });
        return out;
    }

    public Optional<ElectedValidatorInfo> getElectedValidatorInfo(int subnetId, long subnetEpoch) {
        return Store.ELECTED
                .find(s, subnetId, subnetEpoch)
                .flatMap(id -> getSubnetNodeInfo(subnetId, id))
                .map(n -> new ElectedValidatorInfo(subnetId, subnetEpoch, n));
    }

    public Optional<ValidatorsAndAttestors> getValidatorsAndAttestors(int subnetId, long subnetEpoch) {
        return Consensus.submission(s, subnetId, subnetEpoch)
                .map(sub -> new ValidatorsAndAttestors(subnetId, subnetEpoch, sub));
    }

    public List<OverwatchNodeInfo> getAllOverwatchNodesInfo() {
        List<OverwatchNodeInfo> out = new ArrayList<>();
        Store.OVERWATCH_NODES.forEach(s, (id, n) -> {
            Map<Integer, String> peers = new TreeMap<>();
            Store.OVERWATCH_PEER_IDS.forEach(s, (subnet, ow, peer) -> {
                if (ow.equals(id)) peers.put(subnet, peer);
            });
            Validator v = Store.VALIDATORS.get(s, n.validatorId());
            out.add(new OverwatchNodeInfo(n, v == null ? null : v.coldkey(), peers));
        });
        return out;
    }

    public Map<Integer, Bytes> getOverwatchCommitsForEpochAndNode(long overwatchEpoch, int overwatchNodeId) {
        return Store.OW_COMMITS.get(s, overwatchEpoch, overwatchNodeId);
    }

    public Map<Integer, BigInteger> getOverwatchRevealsForEpochAndNode(long overwatchEpoch, int overwatchNodeId) {
        return Store.OW_REVEALS.get(s, overwatchEpoch, overwatchNodeId);
    }

    public Optional<BigInteger> getOverwatchSubnetWeight(long overwatchEpoch, int subnetId) {
        return Store.OW_SUBNET_WEIGHTS.find(s, overwatchEpoch, subnetId);
    }

    /**
     * True if {@code peerId} is a node's main/bootnode/client id with class >= {@code minClass} and stake
     * >= {@code minStake} (default the subnet minimum), an overwatch node's id for the subnet, or an official bootnode.
     */
    public boolean proofOfStake(int subnetId, String peerId, NodeClass minClass, Optional<BigInteger> minStake) {
        Subnet sub = Store.SUBNETS.get(s, subnetId);
        if (sub == null) return false;
        if (Store.BOOTNODES.get(s, subnetId).containsKey(peerId)) return true;
        Optional<Integer> owner = Store.PEER_ID_OWNER.find(s, subnetId, peerId);
        if (owner.isEmpty()) return false;
        if (owner.get() < 0) return Store.OVERWATCH_NODES.contains(s, -owner.get());
        SubnetNode n = Store.NODES.get(s, subnetId, owner.get());
        // hasClass: the class must also have started (a node queued this epoch is Registered from the next one)
        if (n == null || !n.hasClass(minClass, subnetEpoch(subnetId))) return false;
        BigInteger min = minStake.orElse(Store.SUBNET_PARAMS.get(s, subnetId).minStake());
        NodeStake st = Store.NODE_STAKE.get(s, subnetId, n.id());
        return st != null && st.amount().compareTo(min) >= 0;
    }

    public BigInteger subnetDelegateShares(int subnetId, AccountId a) {
        return Store.SUBNET_SHARES.get(s, subnetId, a);
    }

    public Pool subnetDelegatePool(int subnetId) {
        return Store.SUBNET_POOL.get(s, subnetId);
    }

    public Pool validatorDelegatePool(int validatorId) {
        return Store.VALIDATOR_POOL.get(s, validatorId);
    }

    public BigInteger emissionsCapacitor() {
        return Store.CAPACITOR.get(s);
    }

    public Supply supply() {
        BigInteger[] t = new BigInteger[7];
        java.util.Arrays.fill(t, BigInteger.ZERO);
        Store.ACCOUNT.forEach(s, (a, v) -> t[0] = t[0].add(v));
        Store.NODE_STAKE.forEach(s, (a, b, v) -> t[1] = t[1].add(v.amount()));
        Store.SUBNET_POOL.forEach(s, (a, p) -> t[2] = t[2].add(p.balance()));
        Store.VALIDATOR_POOL.forEach(s, (a, p) -> t[3] = t[3].add(p.balance()));
        Store.UNBONDINGS.forEach(s, (a, m) -> m.values().forEach(v -> t[4] = t[4].add(v)));
        Store.OVERWATCH_NODES.forEach(s, (a, n) -> t[5] = t[5].add(n.stake()));
        Store.SWAP_QUEUE.forEach(s, (a, e) -> t[6] = t[6].add(e.amount()));
        return new Supply(
                t[0],
                t[1],
                t[2],
                t[3],
                t[4],
                t[5],
                t[6],
                Store.TOTAL_BURNED.get(s),
                Store.GENESIS_ISSUANCE.get(s),
                Store.TOTAL_MINTED.get(s),
                Store.TOTAL_ISSUANCE.get(s));
    }
}
