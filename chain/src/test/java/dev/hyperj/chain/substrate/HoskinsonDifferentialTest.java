package dev.hyperj.chain.substrate;

import static org.junit.jupiter.api.Assertions.*;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.DifferentialChain;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.NetworkReads;
import dev.hyperj.chain.runtime.SignedCall;
import dev.hyperj.chain.runtime.TestPeers;
import dev.hyperj.chain.tx.Secp256k1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Differential tests: the same subnet, the same nodes and the same inputs through Hypertensor's
 * runtime (Hoskinson, under Chopsticks) and HyperJ's ({@link DifferentialChain}), block for block
 * at the same heights; then the rules both versions share compared value for value: registration
 * cost, node classes and graduation, rewards for a score vector, reputation after penalties.
 * Where the versions differ, the test asserts the difference exactly as docs/hypertensor.md
 * ("Differences") explains it.
 *
 * <p>Chopsticks builds blocks on demand ({@code Manual}), jumping over the blocks where neither
 * runtime does anything for a subnet ({@code unsafeBlockHeight}): per subnet epoch the epoch's
 * first block (preliminaries), its weights block, the subnet's slot (settlement, election, queue),
 * the proposal and the attestations. The inputs the versions do not share are taken from
 * Hoskinson and given to HyperJ: the epoch's emission budget and subnet weight (other formulas),
 * and the elected node (other randomness).
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class HoskinsonDifferentialTest {
    static final BigInteger TENSOR = BigInteger.TEN.pow(18);
    static final int EPOCH = 20;
    /** Scores proposed for nodes 1..5 (odd values, so that rounding shows). */
    static final Map<Integer, BigInteger> SCORES = Map.of(
            1, new BigInteger("523000000000000000"),
            2, new BigInteger("311000000000000000"),
            3, new BigInteger("127000000000000007"),
            4, new BigInteger("39000000000000000"),
            5, new BigInteger("71000000000000000"));
    /** Node 4, left out of the data in the epoch {@link Plan#ABSENT_4}. */
    static final int ABSENT = 4;

    enum Plan {
        /** Every node scored, every validator attests. */
        ALL,
        /** Node 4 left out of the scores; every validator attests. */
        ABSENT_4,
        /** The elected node does not propose. */
        NO_PROPOSAL,
        /** A proposal only its proposer attests (ratio 1/4, under the 66% minimum). */
        NON_CONSENSUS
    }

    /** What each subnet epoch sees; node 5 (queued in epoch 0) graduates along the way. */
    static final List<Plan> PLAN =
            List.of(Plan.ALL, Plan.ABSENT_4, Plan.NO_PROPOSAL, Plan.NON_CONSENSUS, Plan.ALL, Plan.ALL, Plan.ALL);

    static final Secp256k1 OWNER = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
    static final List<Secp256k1> COLDKEYS = List.of(
            Secp256k1.fromPrivateKey(DevAccounts.BALTATHAR.privateKey()),
            Secp256k1.fromPrivateKey(DevAccounts.CHARLETH.privateKey()),
            Secp256k1.fromPrivateKey(DevAccounts.DOROTHY.privateKey()),
            Secp256k1.fromPrivateKey(DevAccounts.ETHAN.privateKey()),
            Secp256k1.fromPrivateKey(DevAccounts.FAITH.privateKey()));
    static final List<Secp256k1> HOTKEYS = new ArrayList<>();

    static Chopsticks chain;
    static SubstrateNode node;
    static DifferentialChain hyperj;
    static int subnetId;
    static int slot;
    /** The head once Chopsticks builds blocks; the setup's blocks follow it, all in subnet epoch 0. */
    static long h0;

    /** A node as each runtime holds it after a settlement. */
    record NodeState(String nodeClass, long startEpoch, BigInteger reputation, BigInteger stake) {}

    /** One runtime's view of a slot block: nodes after it, what it paid and to whom. */
    record Side(
            Map<Integer, NodeState> nodes,
            BigInteger subnetReputation,
            Map<Integer, BigInteger> stakeChange,
            Map<Integer, BigInteger> nodeRewards,
            BigInteger ownerReward,
            BigInteger delegateReward,
            Optional<Integer> elected) {}

    /** The slot block of subnet epoch {@code epoch}: the settlement of {@code epoch - 1} on both sides. */
    record Slot(long epoch, Plan settled, Side hoskinson, Side hyperj) {}

    /** The factors each runtime stored for a proposal: the proposer's, then each attestor's by node id. */
    record Factors(
            long epoch,
            BigInteger hoskinsonProposer,
            BigInteger hyperjProposer,
            Map<Integer, BigInteger> hoskinsonAttest,
            Map<Integer, BigInteger> hyperjAttest) {}

    /**
     * A registration priced by both runtimes: Hoskinson's charge, HyperJ's runtime's quote for the
     * same block, and {@link NetworkReads#registrationCost(BigInteger, BigInteger, long, BigInteger,
     * long)} from Hoskinson's stored auction (what a client of Hypertensor's chain can call).
     */
    record Cost(long block, long blocksSinceLast, BigInteger hoskinson, BigInteger hyperj, BigInteger fromStorage) {}

    static final List<Slot> SLOTS = new ArrayList<>();
    static final List<Factors> FACTORS = new ArrayList<>();
    static final List<Cost> COSTS = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    static void runBothRuntimes() throws Exception {
        chain = Chopsticks.start("Manual");
        node = SubstrateNode.connect(chain.ws());
        // Chopsticks' first block may fail Aura's check (its timestamp one slot behind CurrentSlot): time travel to a
        // slot boundary sets both Timestamp.Now and Aura's CurrentSlot from one instant, then blocks build. Its own
        // first block may also still be under way: the setup starts after whichever block is the head then.
        if (node.bestNumber() < 1) {
            node.call("dev_timeTravel", System.currentTimeMillis() / 6000 * 6000);
            node.call("dev_newBlock", Map.of("count", 1));
        }
        h0 = node.bestNumber();
        assertTrue(h0 == 1 || h0 == 2, () -> "Chopsticks did not build its first block: " + log(chain));
        for (int i = 0; i < COLDKEYS.size(); i++)
            HOTKEYS.add(Secp256k1.fromPrivateKey(
                    Hashing.blake2b256(("hyperj differential hotkey " + i).getBytes(StandardCharsets.UTF_8))));
        BigInteger lastCost = (BigInteger) node.storageOrDefault("Network", "LastRegistrationCost");
        BigInteger minCost = (BigInteger) node.storageOrDefault("Network", "MinRegistrationCost");
        long decayBlocks = ((Number) node.storageOrDefault("Network", "RegistrationCostDecayBlocks")).longValue();
        BigInteger alpha = (BigInteger) node.storageOrDefault("Network", "RegistrationCostAlpha");
        hyperj = new DifferentialChain(
                p -> p.withPhases(10, 5, 0, 2).withRegistrationCost(lastCost, minCost, decayBlocks, alpha));
        fund();
        setUpSubnet();
        for (int e = 1; e <= PLAN.size() + 1; e++) subnetEpoch(e);
        registrationCosts(decayBlocks);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        if (chain != null) chain.close();
    }

    // ---- the two chains, step by step

    /** Hoskinson's first block of ours: Alith funds the coldkeys and hotkeys (HyperJ's dev genesis funds its own). */
    static void fund() throws Exception {
        List<Tx> transfers = new ArrayList<>();
        for (Secp256k1 k : COLDKEYS) transfers.add(transfer(k, TENSOR.multiply(BigInteger.valueOf(10_000))));
        for (Secp256k1 k : HOTKEYS) transfers.add(transfer(k, TENSOR.multiply(BigInteger.valueOf(10))));
        hoskinson(h0 + 1, transfers);
    }

    static Tx transfer(Secp256k1 to, BigInteger amount) {
        return new Tx(OWNER, "Balances", "transfer_keep_alive", Map.of("dest", to.account(), "value", amount));
    }

    record Tx(Secp256k1 signer, String pallet, String call, Map<String, ?> args) {
        Tx(Secp256k1 signer, String call, Map<String, ?> args) {
            this(signer, "Network", call, args);
        }
    }

    /** Builds Hoskinson's block {@code height} holding these transactions (in order); each must succeed. */
    static List<ExtrinsicResult> hoskinson(long height, List<Tx> txs) throws Exception {
        assertTrue(height > node.bestNumber(), "block " + height + " is past");
        List<CompletableFuture<ExtrinsicResult>> pending = new ArrayList<>();
        for (Tx t : txs) {
            pending.add(node.submit(t.signer(), t.pallet(), t.call(), t.args()));
            awaitPool(pending.size());
        }
        // over the WebSocket: Chopsticks' HTTP side refuses a second request on a kept-alive connection
        Object built = node.call("dev_newBlock", Map.of("count", 1, "unsafeBlockHeight", height));
        if (node.bestNumber() != height)
            fail("Chopsticks did not build block " + height + " (" + built + "): " + log(chain));
        List<ExtrinsicResult> out = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            ExtrinsicResult r = pending.get(i).get(60, TimeUnit.SECONDS);
            Tx t = txs.get(i);
            assertTrue(
                    r.ok(),
                    () -> t.call() + " failed: "
                            + r.error().map(ModuleError::describe).orElse(""));
            assertEquals(height, r.blockNumber());
            out.add(r);
        }
        return out;
    }

    static String log(Chopsticks c) {
        try {
            String log = c.log();
            return log.substring(Math.max(0, log.length() - 4000));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Waits (polling, there is no event) until Chopsticks' pool holds {@code count} transactions. */
    static void awaitPool(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.call("author_pendingExtrinsics").size() < count) {
            if (System.nanoTime() > deadline) fail("the transaction did not reach Chopsticks' pool");
            Thread.sleep(20);
        }
    }

    static void hyperjBlock(long height, List<SignedCall> calls) {
        var r = hyperj.blockAt(height, calls);
        for (var cr : r.callResults())
            assertEquals(
                    Optional.empty(),
                    cr.error(),
                    () -> "HyperJ " + calls.get(cr.index()).call());
    }

    static Map<String, Object> peer(int i) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("peer_id", TestPeers.peerId(i).getBytes(StandardCharsets.US_ASCII));
        p.put("multiaddr", Optional.of(TestPeers.multiaddr(41000 + i).value()));
        return p;
    }

    static Map<String, Object> subnetData(String name, int initialNodes) {
        return SubstrateTestSupport.subnetData(
                name,
                "https://example.org/" + name,
                "differential",
                COLDKEYS.subList(0, initialNodes).stream()
                        .map(Secp256k1::account)
                        .toList(),
                900 + name.length());
    }

    static Tx registerNode(int i) {
        return new Tx(
                COLDKEYS.get(i),
                "register_subnet_node",
                SubstrateTestSupport.nodeArgs(subnetId, HOTKEYS.get(i).account(), peer(i)));
    }

    static SignedCall hyperjRegisterNode(int i) {
        return new SignedCall(
                COLDKEYS.get(i).account(),
                new Call.RegisterSubnetNode(
                        i + 1,
                        subnetId,
                        Optional.empty(),
                        new PeerInfo(TestPeers.peerId(i), Optional.of(TestPeers.multiaddr(41000 + i))),
                        Optional.empty(),
                        Optional.empty(),
                        TENSOR.multiply(BigInteger.valueOf(100)),
                        Optional.empty(),
                        Optional.empty(),
                        TENSOR.multiply(BigInteger.valueOf(100))));
    }

    /**
     * Subnet epoch 0 on both: a subnet whose four initial coldkeys (validators 1..4 on HyperJ)
     * register a node each (Validator class at once), 1000 TENSOR of delegate stake, idle and
     * included classification shortened to 1 epoch (the queue keeps Hoskinson's minimum, 3),
     * activation, then a fifth node registers into the queue.
     */
    static void setUpSubnet() throws Exception {
        // HyperJ first needs its validators (Hoskinson owns nodes by coldkey), in the block where Hoskinson funds
        List<SignedCall> validators = new ArrayList<>();
        for (int i = 0; i < COLDKEYS.size(); i++)
            validators.add(new SignedCall(
                    COLDKEYS.get(i).account(),
                    new Call.RegisterValidator(
                            HOTKEYS.get(i).account(),
                            BigInteger.ZERO,
                            Optional.empty(),
                            Model.ValidatorIdentity.named("validator-" + i))));
        hyperjBlock(h0 + 1, validators);

        BigInteger quoted = hyperjQuote(h0 + 2);
        BigInteger fromStorage = priceFromStorage(h0 + 2);
        BigInteger ownerBefore = SubstrateTestSupport.free(node, OWNER.account());
        ExtrinsicResult reg = hoskinson(
                        h0 + 2,
                        List.of(new Tx(
                                OWNER,
                                "register_subnet",
                                Map.of(
                                        "max_cost",
                                        TENSOR.multiply(BigInteger.TEN),
                                        "subnet_data",
                                        subnetData("hyperj-diff", 4)))))
                .get(0);
        subnetId = ((Number) reg.events("Network", "SubnetRegistered")
                        .get(0)
                        .fields()
                        .get("subnet_id"))
                .intValue();
        COSTS.add(new Cost(h0 + 2, h0 + 2, hoskinsonCharged(), quoted, fromStorage));
        Map<Integer, Integer> initial = new LinkedHashMap<>();
        for (int v = 1; v <= 4; v++) initial.put(v, 1);
        hyperjBlock(
                h0 + 2,
                List.of(new SignedCall(
                        OWNER.account(),
                        new Call.RegisterSubnet(
                                TENSOR.multiply(BigInteger.TEN),
                                new Model.SubnetRegistrationData(
                                        "hyperj-diff",
                                        "https://example.org/hyperj-diff",
                                        "differential",
                                        "",
                                        TENSOR.multiply(BigInteger.valueOf(100)),
                                        TENSOR.multiply(BigInteger.valueOf(1000)),
                                        TENSOR.divide(BigInteger.TEN),
                                        initial,
                                        Map.of(
                                                TestPeers.peerId(900 + "hyperj-diff".length()),
                                                TestPeers.multiaddr(40000 + 900 + "hyperj-diff".length())))))));
        assertEquals(
                subnetId, hyperj.reads().getAllSubnetsInfo().get(0).subnet().id(), "the same subnet id");
        slot = ((Number) node.storageOrDefault("Network", "SubnetSlot", (long) subnetId)).intValue();
        assertEquals(
                slot,
                hyperj.reads().getSubnetInfo(subnetId).orElseThrow().subnet().slot(),
                "the same slot");
        assertTrue(ownerBefore.compareTo(SubstrateTestSupport.free(node, OWNER.account())) > 0);

        hoskinson(h0 + 3, List.of(registerNode(0), registerNode(1), registerNode(2), registerNode(3)));
        hyperjBlock(
                h0 + 3,
                List.of(hyperjRegisterNode(0), hyperjRegisterNode(1), hyperjRegisterNode(2), hyperjRegisterNode(3)));
        BigInteger delegate = TENSOR.multiply(BigInteger.valueOf(1000));
        hoskinson(
                h0 + 4,
                List.of(new Tx(
                        OWNER,
                        "add_to_delegate_stake",
                        Map.of("subnet_id", (long) subnetId, "stake_to_be_added", delegate))));
        hyperjBlock(h0 + 4, List.of(new SignedCall(OWNER.account(), new Call.AddDelegateStake(subnetId, delegate))));
        hoskinson(
                h0 + 5,
                List.of(new Tx(
                        OWNER,
                        "owner_update_idle_classification_epochs",
                        Map.of("subnet_id", (long) subnetId, "value", 1L))));
        hyperjBlock(
                h0 + 5,
                List.of(new SignedCall(OWNER.account(), new Call.OwnerUpdateIdleClassificationEpochs(subnetId, 1))));
        hoskinson(
                h0 + 6,
                List.of(new Tx(
                        OWNER,
                        "owner_update_included_classification_epochs",
                        Map.of("subnet_id", (long) subnetId, "value", 1L))));
        hyperjBlock(
                h0 + 6,
                List.of(new SignedCall(
                        OWNER.account(), new Call.OwnerUpdateIncludedClassificationEpochs(subnetId, 1))));
        hoskinson(h0 + 7, List.of(new Tx(OWNER, "activate_subnet", Map.of("subnet_id", (long) subnetId))));
        hyperjBlock(h0 + 7, List.of(new SignedCall(OWNER.account(), new Call.ActivateSubnet(subnetId))));
        hoskinson(h0 + 8, List.of(registerNode(4)));
        hyperjBlock(h0 + 8, List.of(hyperjRegisterNode(4)));
        for (int id = 1; id <= 5; id++)
            assertEquals(
                    hoskinsonNode(id).nodeClass(), hyperjNode(id).nodeClass(), "node " + id + " after registration");
    }

    /** Subnet epoch {@code e}: its first blocks on both, the slot block compared, then the plan's proposal and attestations. */
    static void subnetEpoch(int e) throws Exception {
        long base = (long) e * EPOCH;
        hoskinson(base, List.of()); // epoch preliminaries
        hoskinson(base + 2, List.of()); // subnet emission weights
        @SuppressWarnings("unchecked")
        Map<String, Object> weights =
                (Map<String, Object>) node.storageOrDefault("Network", "FinalSubnetEmissionWeights", (long) e);
        BigInteger emissions = (BigInteger) weights.get("validator_emissions");
        BigInteger weight = BigInteger.ZERO;
        for (Map.Entry<?, ?> w : entries(weights.get("weights")))
            if (((Number) w.getKey()).intValue() == subnetId) weight = (BigInteger) w.getValue();
        hyperj.advanceTo(base + slot - 1);
        hyperj.setEmission(e, emissions, subnetId, weight);

        // the slot block: settles e - 1, elects for e
        Map<Integer, BigInteger> hosStake = hoskinsonStakes();
        Map<Integer, BigInteger> hjStake = hyperjStakes();
        BigInteger hosOwner = SubstrateTestSupport.free(node, OWNER.account());
        BigInteger hjOwner = hyperj.reads().freeBalance(OWNER.account());
        hoskinson(base + slot, List.of());
        hyperjBlock(base + slot, List.of());
        Optional<Integer> elected = node.storage("Network", "SubnetElectedValidator", (long) subnetId, (long) e)
                .map(v -> ((Number) v).intValue());
        Optional<Integer> hjElected = hyperj.reads()
                .getElectedValidatorInfo(subnetId, e)
                .map(i -> i.node().node().id());
        assertEquals(
                elected.isPresent(), hjElected.isPresent(), "an election in subnet epoch " + e + " on both or neither");
        elected.ifPresent(id -> hyperj.setElected(subnetId, e, id));
        Side hos = hoskinsonSide(base + slot, hosStake, hosOwner, elected);
        Side hj = hyperjSide(hjStake, hjOwner, elected);
        SLOTS.add(new Slot(e, e >= 2 ? PLAN.get(e - 2) : null, hos, hj));
        if (e > PLAN.size()) return;

        Plan plan = PLAN.get(e - 1);
        if (plan == Plan.NO_PROPOSAL) return;
        int proposer = elected.orElseThrow(() -> new AssertionError("nobody elected in subnet epoch " + e));
        List<Map<String, Object>> data = new ArrayList<>();
        List<NodeScore> hjData = new ArrayList<>();
        for (int id = 1; id <= 5; id++) {
            if (plan == Plan.ABSENT_4 && id == ABSENT) continue;
            data.add(Map.of("subnet_node_id", (long) id, "score", SCORES.get(id)));
            hjData.add(new NodeScore(id, SCORES.get(id)));
        }
        Map<String, Object> propose = new LinkedHashMap<>();
        propose.put("subnet_id", (long) subnetId);
        propose.put("data", data);
        propose.put("prioritize_queue_node_id", Optional.empty());
        propose.put("remove_queue_node_id", Optional.empty());
        propose.put("args", Optional.empty());
        propose.put("attest_data", Optional.empty());
        hoskinson(base + slot + 1, List.of(new Tx(HOTKEYS.get(proposer - 1), "propose_attestation", propose)));
        hyperjBlock(
                base + slot + 1,
                List.of(new SignedCall(
                        HOTKEYS.get(proposer - 1).account(),
                        new Call.ProposeAttestation(
                                subnetId,
                                proposer,
                                hjData,
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()))));

        List<Tx> attests = new ArrayList<>();
        List<SignedCall> hjAttests = new ArrayList<>();
        if (plan != Plan.NON_CONSENSUS) {
            for (int id = 1; id <= 5; id++) {
                NodeState n = hoskinsonNode(id);
                if (id == proposer || !n.nodeClass().equals("Validator") || n.startEpoch() > e) continue;
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("subnet_id", (long) subnetId);
                a.put("attest_data", Optional.empty());
                attests.add(new Tx(HOTKEYS.get(id - 1), "attest", a));
                hjAttests.add(
                        new SignedCall(HOTKEYS.get(id - 1).account(), new Call.Attest(subnetId, id, Optional.empty())));
            }
            hoskinson(base + slot + 2, attests);
            hyperjBlock(base + slot + 2, hjAttests);
        }
        FACTORS.add(factors(e));
    }

    static Factors factors(long e) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sub =
                (Map<String, Object>) node.storage("Network", "SubnetConsensusSubmission", (long) subnetId, e)
                        .orElseThrow();
        Map<Integer, BigInteger> hosAttest = new TreeMap<>();
        for (Map.Entry<?, ?> a : entries(sub.get("attests")))
            hosAttest.put(
                    ((Number) a.getKey()).intValue(), (BigInteger) ((Map<?, ?>) a.getValue()).get("reward_factor"));
        Model.ConsensusSubmission hj = hyperj.reads()
                .getValidatorsAndAttestors(subnetId, e)
                .orElseThrow()
                .submission();
        Map<Integer, BigInteger> hjAttest = new TreeMap<>();
        hj.attests().forEach((k, v) -> hjAttest.put(k, v.rewardFactor()));
        return new Factors(e, (BigInteger) sub.get("validator_reward_factor"), hj.rewardFactor(), hosAttest, hjAttest);
    }

    // ---- reading each side

    /** A decoded BTreeMap: a sequence of (key, value) tuples. */
    static List<Map.Entry<?, ?>> entries(Object btreeMap) {
        List<Map.Entry<?, ?>> out = new ArrayList<>();
        if (btreeMap instanceof Map<?, ?> m) out.addAll(m.entrySet());
        else for (Object t : (List<?>) btreeMap) out.add(Map.entry(((List<?>) t).get(0), ((List<?>) t).get(1)));
        return out;
    }

    static NodeState hoskinsonNode(int id) {
        Optional<Object> n = node.storage("Network", "SubnetNodesData", (long) subnetId, (long) id);
        if (n.isEmpty()) n = node.storage("Network", "RegisteredSubnetNodesData", (long) subnetId, (long) id);
        Map<?, ?> m = (Map<?, ?>) n.orElseThrow(() -> new AssertionError("no node " + id + " on Hoskinson"));
        Map<?, ?> c = (Map<?, ?>) m.get("classification");
        return new NodeState(
                ((EnumValue) c.get("node_class")).name(),
                ((Number) c.get("start_epoch")).longValue(),
                (BigInteger) node.storageOrDefault("Network", "SubnetNodeReputation", (long) subnetId, (long) id),
                (BigInteger) node.storageOrDefault(
                        "Network", "AccountSubnetStake", HOTKEYS.get(id - 1).account(), (long) subnetId));
    }

    static NodeState hyperjNode(int id) {
        Model.SubnetNode n =
                hyperj.node(subnetId, id).orElseThrow(() -> new AssertionError("no node " + id + " on HyperJ"));
        return new NodeState(n.nodeClass().name(), n.classStartEpoch(), n.reputation(), hyperj.stake(subnetId, id));
    }

    static Map<Integer, BigInteger> hoskinsonStakes() {
        Map<Integer, BigInteger> m = new TreeMap<>();
        for (int id = 1; id <= 5; id++) m.put(id, hoskinsonNode(id).stake());
        return m;
    }

    static Map<Integer, BigInteger> hyperjStakes() {
        Map<Integer, BigInteger> m = new TreeMap<>();
        for (int id = 1; id <= 5; id++) m.put(id, hyperjNode(id).stake());
        return m;
    }

    static Map<Integer, BigInteger> change(Map<Integer, BigInteger> before, Map<Integer, BigInteger> after) {
        Map<Integer, BigInteger> m = new TreeMap<>();
        before.forEach((k, v) -> m.put(k, after.get(k).subtract(v)));
        return m;
    }

    static Side hoskinsonSide(
            long height, Map<Integer, BigInteger> stakeBefore, BigInteger ownerBefore, Optional<Integer> elected) {
        Map<Integer, NodeState> nodes = new TreeMap<>();
        for (int id = 1; id <= 5; id++) nodes.put(id, hoskinsonNode(id));
        Map<Integer, BigInteger> rewards = new TreeMap<>();
        BigInteger delegate = BigInteger.ZERO;
        for (ChainEvent ev : node.events(node.blockHash(height).orElseThrow())) {
            if (!ev.is("Network", "SubnetRewards")) continue;
            for (Object pair : (List<?>) ev.fields().get("node_rewards")) {
                List<?> p = (List<?>) pair;
                rewards.put(((Number) p.get(0)).intValue(), (BigInteger) p.get(1));
            }
            delegate = (BigInteger) ev.fields().get("delegate_stake_reward");
        }
        return new Side(
                nodes,
                (BigInteger) node.storageOrDefault("Network", "SubnetReputation", (long) subnetId),
                change(stakeBefore, hoskinsonStakes()),
                rewards,
                SubstrateTestSupport.free(node, OWNER.account()).subtract(ownerBefore),
                delegate,
                elected);
    }

    static Side hyperjSide(Map<Integer, BigInteger> stakeBefore, BigInteger ownerBefore, Optional<Integer> elected) {
        Map<Integer, NodeState> nodes = new TreeMap<>();
        for (int id = 1; id <= 5; id++) nodes.put(id, hyperjNode(id));
        Map<Integer, BigInteger> rewards = new TreeMap<>();
        for (Event.NodeReward r : hyperj.events(Event.NodeReward.class)) rewards.put(r.subnetNodeId(), r.reward());
        BigInteger delegate = hyperj.events(Event.SubnetRewards.class).stream()
                .map(Event.SubnetRewards::delegateReward)
                .reduce(BigInteger.ZERO, BigInteger::add);
        return new Side(
                nodes,
                hyperj.reads().getSubnetInfo(subnetId).orElseThrow().reputation(),
                change(stakeBefore, hyperjStakes()),
                rewards,
                hyperj.reads().freeBalance(OWNER.account()).subtract(ownerBefore),
                delegate,
                elected);
    }

    // ---- registration cost at several blocks

    /** What the last registration charged on Hoskinson: LastRegistrationCost is the price times the multiplier. */
    static BigInteger hoskinsonCharged() {
        BigInteger multiplier = (BigInteger) node.storageOrDefault("Network", "NewRegistrationCostMultiplier");
        BigInteger last = (BigInteger) node.storageOrDefault("Network", "LastRegistrationCost");
        BigInteger cost = last.multiply(TENSOR).divide(multiplier);
        assertEquals(last, U128.percentMul(cost, multiplier), "the price is recoverable exactly");
        return cost;
    }

    /** The price at {@code height} from Hoskinson's stored auction, by HyperJ's public rule. */
    static BigInteger priceFromStorage(long height) {
        return NetworkReads.registrationCost(
                (BigInteger) node.storageOrDefault("Network", "LastRegistrationCost"),
                (BigInteger) node.storageOrDefault("Network", "MinRegistrationCost"),
                ((Number) node.storageOrDefault("Network", "RegistrationCostDecayBlocks")).longValue(),
                (BigInteger) node.storageOrDefault("Network", "RegistrationCostAlpha"),
                height - ((Number) node.storageOrDefault("Network", "LastSubnetRegistrationBlock")).longValue());
    }

    /** HyperJ's price for a registration in block {@code height}, its chain one block before. */
    static BigInteger hyperjQuote(long height) {
        hyperj.advanceTo(height - 1);
        return hyperj.reads().registrationCost();
    }

    /**
     * More registrations on Hoskinson after the consensus epochs, at chosen distances from the last
     * one: a few blocks, far into the decay, its last block, and past it (the floor). HyperJ prices
     * the same auction state at the same distance (its chain is not advanced 438,000 blocks: its
     * last-registration block is set that far back instead, the price depends on the distance only).
     */
    static void registrationCosts(long decayBlocks) throws Exception {
        long[] distances = {7, decayBlocks / 3 + 11, decayBlocks - 1, decayBlocks + 5};
        for (int i = 0; i < distances.length; i++) {
            long lastBlock = ((Number) node.storageOrDefault("Network", "LastSubnetRegistrationBlock")).longValue();
            BigInteger last = (BigInteger) node.storageOrDefault("Network", "LastRegistrationCost");
            long height = Math.max(lastBlock + distances[i], node.bestNumber() + 1);
            long hjNext = hyperj.blockNumber() + 1;
            hyperj.setRegistrationAuction(last, hjNext - (height - lastBlock));
            BigInteger quoted = hyperj.reads().registrationCost();
            BigInteger fromStorage = priceFromStorage(height);
            hoskinson(
                    height,
                    List.of(new Tx(
                            OWNER,
                            "register_subnet",
                            Map.of(
                                    "max_cost",
                                    TENSOR.multiply(BigInteger.valueOf(1000)),
                                    "subnet_data",
                                    subnetData("diff-cost-" + i, 3)))));
            COSTS.add(new Cost(height, height - lastBlock, hoskinsonCharged(), quoted, fromStorage));
        }
    }

    // ---- the comparisons

    @Test
    void registrationCostAgreesExactlyAtEveryDistance() {
        assertEquals(5, COSTS.size(), COSTS::toString);
        for (Cost c : COSTS) {
            assertEquals(c.hoskinson(), c.hyperj(), c::toString);
            assertEquals(c.hoskinson(), c.fromStorage(), c::toString);
        }
        // the points span the auction: near its top, far into the decay, its last block, and the floor past it
        BigInteger min = (BigInteger) node.storageOrDefault("Network", "MinRegistrationCost");
        assertEquals(min, COSTS.get(4).hoskinson(), "past the decay: the floor");
        assertTrue(COSTS.get(3).hoskinson().compareTo(min) > 0, "one block before the end: above the floor");
        assertNotEquals(
                BigInteger.ZERO, COSTS.get(0).hoskinson().mod(BigInteger.TEN.pow(6)), "a price with f64 bits in it");
    }

    @Test
    void proposerAndAttestorRewardFactorsAgree() {
        assertEquals(PLAN.size() - 1, FACTORS.size(), "every proposal compared");
        for (Factors f : FACTORS) {
            assertEquals(f.hoskinsonProposer(), f.hyperjProposer(), () -> "proposer's factor, " + f);
            assertEquals(f.hoskinsonAttest(), f.hyperjAttest(), () -> "attestors' factors, " + f);
        }
        // proposed one block into the epoch, attested one block later: factors below 1 on both
        Factors first = FACTORS.get(0);
        assertTrue(first.hoskinsonProposer().compareTo(TENSOR) < 0, first::toString);
        assertTrue(first.hoskinsonAttest().values().stream().anyMatch(v -> v.compareTo(TENSOR) < 0), first::toString);
    }

    @Test
    void nodeClassesAndGraduationAgree() {
        for (Slot s : SLOTS)
            for (int id = 1; id <= 5; id++) {
                NodeState h = s.hoskinson().nodes().get(id);
                NodeState j = s.hyperj().nodes().get(id);
                String at = "node " + id + " after the slot block of subnet epoch " + s.epoch();
                assertEquals(h.nodeClass(), j.nodeClass(), at);
                assertEquals(h.startEpoch(), j.startEpoch(), at);
            }
        // node 5, queued in epoch 0, went through every class on both: the comparison covered graduation
        List<String> path = SLOTS.stream()
                .map(s -> s.hyperj().nodes().get(5).nodeClass() + "@"
                        + s.hyperj().nodes().get(5).startEpoch())
                .distinct()
                .toList();
        assertEquals(List.of("Registered@1", "Idle@5", "Included@6", "Validator@7"), path);
    }

    @Test
    void rewardsForAScoreVectorAgree() {
        int paidSlots = 0;
        for (Slot s : SLOTS) {
            String at = "the slot block of subnet epoch " + s.epoch() + " (settling " + s.settled() + ")";
            assertEquals(s.hoskinson().nodeRewards(), s.hyperj().nodeRewards(), "node rewards at " + at);
            assertEquals(s.hoskinson().stakeChange(), s.hyperj().stakeChange(), "stake changes at " + at);
            assertEquals(s.hoskinson().ownerReward(), s.hyperj().ownerReward(), "owner's reward at " + at);
            assertEquals(s.hoskinson().delegateReward(), s.hyperj().delegateReward(), "delegators' reward at " + at);
            if (!s.hoskinson().nodeRewards().isEmpty()) paidSlots++;
        }
        // rewards were paid in every epoch that reached consensus (ALL and ABSENT_4): 5 of them
        assertEquals(5, paidSlots);
        Slot first = SLOTS.get(1);
        assertEquals(Plan.ALL, first.settled());
        assertEquals(4, first.hoskinson().nodeRewards().size(), first::toString);
        assertTrue(first.hoskinson().ownerReward().signum() > 0
                && first.hoskinson().delegateReward().signum() > 0);
        // the non-consensus proposer was slashed, the same on both
        Slot slashed = SLOTS.get(PLAN.indexOf(Plan.NON_CONSENSUS) + 1);
        assertTrue(
                slashed.hoskinson().stakeChange().values().stream().anyMatch(v -> v.signum() < 0), slashed::toString);
    }

    /**
     * Reputation: the decreases are the same rule on both (absent from the data, an elected node
     * that did not propose, a proposal out of consensus). The increases are not: Hoskinson raises
     * a reputation linearly, {@code r + (1 - r) f} ({@code get_increase_reputation}), the pallet's
     * main line (and HyperJ) by {@code r + r^(1+f) f} ({@code increase_rep}, in f64). Each side's
     * values are checked against its own rule from its own previous values, so the difference is
     * asserted exactly.
     */
    @Test
    void reputationAfterPenaltiesAgreeAndIncreasesDifferByVersion() {
        boolean drifted = false;
        int penaltiesCompared = 0;
        for (int i = 1; i < SLOTS.size(); i++) {
            Slot before = SLOTS.get(i - 1);
            Slot s = SLOTS.get(i);
            for (int id = 1; id <= 5; id++) {
                List<BigInteger> ops = nodeOps(s, id);
                String at =
                        "node " + id + " at subnet epoch " + s.epoch() + " (settling " + s.settled() + "), ops " + ops;
                BigInteger h = before.hoskinson().nodes().get(id).reputation();
                BigInteger j = before.hyperj().nodes().get(id).reputation();
                assertEquals(
                        apply(h, ops, r -> linearIncrease(r, factor("IncludedIncreaseReputationFactor"))),
                        s.hoskinson().nodes().get(id).reputation(),
                        "Hoskinson, " + at);
                assertEquals(
                        apply(j, ops, r -> powIncrease(r, factor("IncludedIncreaseReputationFactor"))),
                        s.hyperj().nodes().get(id).reputation(),
                        "HyperJ, " + at);
                if (h.equals(j) && !ops.isEmpty() && !ops.contains(INCREASE)) penaltiesCompared++;
                if (h.equals(j) && !ops.contains(INCREASE))
                    assertEquals(
                            s.hoskinson().nodes().get(id).reputation(),
                            s.hyperj().nodes().get(id).reputation(),
                            at);
                drifted |= !s.hoskinson()
                        .nodes()
                        .get(id)
                        .reputation()
                        .equals(s.hyperj().nodes().get(id).reputation());
            }
        }
        assertTrue(drifted, "the scenario raised a lowered reputation (else the increase rule went untested)");
        // node 4 absent from the scores, the elected node that did not propose, the non-consensus proposer
        assertEquals(3, penaltiesCompared, "penalties compared from equal reputations");
        // the penalised: node 4 absent (10%), the absent elected node (5%), the non-consensus proposer
        Slot absent = SLOTS.get(PLAN.indexOf(Plan.ABSENT_4) + 1);
        assertEquals(
                new BigInteger("900000000000000000"),
                absent.hoskinson().nodes().get(ABSENT).reputation());
        assertEquals(
                absent.hoskinson().nodes().get(ABSENT).reputation(),
                absent.hyperj().nodes().get(ABSENT).reputation());
    }

    /**
     * The subnet's reputation: the absent elected validator costs the same on both (5%). Out of
     * consensus Hoskinson takes a flat {@code NotInConsensusSubnetReputationFactor} (12.5%,
     * {@code handle_non_consensus}); main (and HyperJ) scale it by {@code 1 - ratio / 0.66}. In
     * consensus Hoskinson raises it linearly by {@code InConsensusSubnetReputationFactor}; main (and
     * HyperJ) by {@code increase_rep} with that factor times the attestation ratio.
     */
    @Test
    void subnetReputationAfterPenaltiesAgreesAndDiffersByVersion() {
        BigInteger absentFactor = factor("ValidatorAbsentSubnetReputationFactor");
        BigInteger outFactor = factor("NotInConsensusSubnetReputationFactor");
        BigInteger inFactor = factor("InConsensusSubnetReputationFactor");
        BigInteger delta = TENSOR.subtract(U128.percentDiv(
                U128.percentDiv(BigInteger.ONE, BigInteger.valueOf(4)), factor("MinAttestationPercentage")));
        for (int i = 1; i < SLOTS.size(); i++) {
            Slot s = SLOTS.get(i);
            BigInteger h = SLOTS.get(i - 1).hoskinson().subnetReputation();
            BigInteger j = SLOTS.get(i - 1).hyperj().subnetReputation();
            BigInteger hosExpected = h;
            BigInteger hjExpected = j;
            if (s.settled() == Plan.NO_PROPOSAL) {
                hosExpected = decrease(h, absentFactor);
                hjExpected = decrease(j, absentFactor);
                assertEquals(h, j, "equal before the absent validator's penalty");
            } else if (s.settled() == Plan.NON_CONSENSUS) {
                hosExpected = decrease(h, outFactor);
                hjExpected = decrease(j, U128.percentMul(outFactor, delta));
            } else if (s.settled() != null && h.compareTo(TENSOR) < 0) {
                // every validator attested: ratio 1
                hosExpected = linearIncrease(h, inFactor);
                hjExpected = powIncrease(j, inFactor);
            }
            String at = "subnet reputation at subnet epoch " + s.epoch() + " (settling " + s.settled() + ")";
            assertEquals(hosExpected, s.hoskinson().subnetReputation(), "Hoskinson, " + at);
            assertEquals(hjExpected, s.hyperj().subnetReputation(), "HyperJ, " + at);
        }
        Slot absent = SLOTS.get(PLAN.indexOf(Plan.NO_PROPOSAL) + 1);
        assertEquals(new BigInteger("950000000000000000"), absent.hoskinson().subnetReputation());
        assertEquals(absent.hoskinson().subnetReputation(), absent.hyperj().subnetReputation());
        Slot out = SLOTS.get(PLAN.indexOf(Plan.NON_CONSENSUS) + 1);
        assertNotEquals(out.hoskinson().subnetReputation(), out.hyperj().subnetReputation(), "the drift shows");
    }

    /** A marker among the factors: raise by the included factor. */
    static final BigInteger INCREASE = BigInteger.valueOf(-1);

    /** The reputation changes a settlement makes to a node, by the plan it settles: decrease factors, or INCREASE. */
    static List<BigInteger> nodeOps(Slot s, int id) {
        if (s.settled() == null) return List.of();
        Slot proposalSlot = SLOTS.get(SLOTS.indexOf(s) - 1);
        NodeState at = proposalSlot.hoskinson().nodes().get(id);
        long e = proposalSlot.epoch();
        int elected = proposalSlot.hoskinson().elected().orElseThrow();
        BigInteger absentFactor = factor("AbsentDecreaseReputationFactor");
        return switch (s.settled()) {
            case NO_PROPOSAL -> id == elected ? List.of(factor("ValidatorAbsentDecreaseReputationFactor")) : List.of();
            case NON_CONSENSUS -> {
                if (id != elected) yield List.of();
                BigInteger ratio = U128.percentDiv(BigInteger.ONE, BigInteger.valueOf(4));
                BigInteger delta = TENSOR.subtract(U128.percentDiv(ratio, factor("MinAttestationPercentage")));
                yield List.of(
                        U128.percentMul(factor("ValidatorNonConsensusSubnetNodeReputationFactor"), delta),
                        U128.percentMul(factor("NonConsensusAttestorDecreaseReputationFactor"), delta));
            }
            case ALL, ABSENT_4 -> {
                boolean scored =
                        at.nodeClass().equals("Included") || at.nodeClass().equals("Validator");
                if (!scored || at.startEpoch() > e) yield List.of();
                if (s.settled() == Plan.ABSENT_4 && id == ABSENT) yield List.of(absentFactor);
                yield List.of(INCREASE);
            }
        };
    }

    static BigInteger apply(BigInteger r, List<BigInteger> ops, java.util.function.UnaryOperator<BigInteger> increase) {
        for (BigInteger f : ops)
            r = f.equals(INCREASE) ? (r.compareTo(TENSOR) < 0 ? increase.apply(r) : r) : decrease(r, f);
        return r;
    }

    /** Hoskinson's {@code get_increase_reputation}: {@code r + (1 - r) * f} in fixed point. */
    static BigInteger linearIncrease(BigInteger r, BigInteger f) {
        return r.add(U128.percentMul(TENSOR.subtract(r), f)).min(TENSOR);
    }

    /** The pallet's main line ({@code increase_rep}), which HyperJ follows: {@code r + r^(1+f) * f} in f64. */
    static BigInteger powIncrease(BigInteger r, BigInteger f) {
        double rd = r.doubleValue() / 1e18;
        double fd = f.doubleValue() / 1e18;
        return U128.fromDouble((rd + StrictMath.pow(rd, 1.0 + fd) * fd) * 1e18).min(TENSOR);
    }

    static BigInteger decrease(BigInteger r, BigInteger f) {
        return r.subtract(U128.percentMul(r, f));
    }

    /** A Hoskinson parameter (per subnet where the pallet keeps it per subnet). */
    static BigInteger factor(String item) {
        Metadata.StorageEntry e = node.metadata().storage("Network", item);
        Object v = e.hashers().isEmpty()
                ? node.storageOrDefault("Network", item)
                : node.storageOrDefault("Network", item, (long) subnetId);
        return (BigInteger) v;
    }
}
