package dev.hyperj.chain.substrate;

import static org.junit.jupiter.api.Assertions.*;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.TestPeers;
import dev.hyperj.chain.tx.Secp256k1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subnet's life on Hypertensor's real runtime under Chopsticks: an owner registers a subnet,
 * three coldkeys register staked nodes, the owner activates it; then every
 * {@code NetworkRuntimeApi} function is called and its answer checked against what was done.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class HoskinsonSubnetScenarioTest {
    static final BigInteger TENSOR = BigInteger.TEN.pow(18);
    static Chopsticks chain;
    static SubstrateNode node;

    @BeforeAll
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    static void start() throws Exception {
        chain = Chopsticks.start("Instant");
        node = SubstrateNode.connect(chain.ws());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        if (chain != null) chain.close();
    }

    static ExtrinsicResult ok(Secp256k1 who, String pallet, String call, Map<String, ?> args) throws Exception {
        ExtrinsicResult r = node.submit(who, pallet, call, args).get(150, TimeUnit.SECONDS);
        assertTrue(
                r.ok(),
                () -> pallet + "." + call + " failed: "
                        + r.error().map(ModuleError::describe).orElse(""));
        return r;
    }

    static Map<String, Object> peer(int seed, boolean withAddress) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("peer_id", TestPeers.peerId(seed).getBytes(StandardCharsets.US_ASCII));
        p.put(
                "multiaddr",
                withAddress ? Optional.of(TestPeers.multiaddr(40000 + seed).value()) : Optional.empty());
        return p;
    }

    @Test
    void subnetRegisteredNodesRegisteredActivatedAndEveryRuntimeApiFunctionAnswers() throws Exception {
        NetworkApi api = new NetworkApi(node);
        Secp256k1 owner = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
        List<Secp256k1> coldkeys = List.of(
                Secp256k1.fromPrivateKey(DevAccounts.BALTATHAR.privateKey()),
                Secp256k1.fromPrivateKey(DevAccounts.CHARLETH.privateKey()),
                Secp256k1.fromPrivateKey(DevAccounts.DOROTHY.privateKey()));
        for (Secp256k1 c : coldkeys)
            ok(
                    owner,
                    "Balances",
                    "transfer_keep_alive",
                    Map.of("dest", c.account(), "value", TENSOR.multiply(BigInteger.valueOf(1000))));

        // the owner registers a subnet, the three coldkeys allowed one node each while it registers
        Map<String, Object> data = SubstrateTestSupport.subnetData(
                "hyperj-test",
                "https://example.org/hyperj",
                "a HyperJ subnet",
                coldkeys.stream().map(Secp256k1::account).toList(),
                99);
        BigInteger ownerBefore = SubstrateTestSupport.free(node, owner.account());
        BigInteger lastCost = (BigInteger) node.storageOrDefault("Network", "LastRegistrationCost");
        BigInteger minCost = (BigInteger) node.storageOrDefault("Network", "MinRegistrationCost");
        long decayBlocks = ((Number) node.storageOrDefault("Network", "RegistrationCostDecayBlocks")).longValue();
        BigInteger alpha = (BigInteger) node.storageOrDefault("Network", "RegistrationCostAlpha");
        assertEquals(0L, ((Number) node.storageOrDefault("Network", "LastSubnetRegistrationBlock")).longValue());
        BigInteger quoted;
        try (HypertensorChainClient c = HypertensorChainClient.connect(chain.ws())) {
            quoted = c.registrationCost(); // the price in the next block, where the registration lands
        }
        ExtrinsicResult reg = ok(
                owner,
                "Network",
                "register_subnet",
                Map.of("max_cost", TENSOR.multiply(BigInteger.TEN), "subnet_data", data));
        ChainEvent registered = reg.events("Network", "SubnetRegistered").get(0);
        long subnetId = ((Number) registered.fields().get("subnet_id")).longValue();
        assertEquals(128001L, subnetId, "ids start after TotalSubnetUids = 128000");
        // the registration cost: a descending auction from 1 TENSOR at genesis, never under 0.1 TENSOR (plus a small
        // fee)
        BigInteger paid = ownerBefore.subtract(SubstrateTestSupport.free(node, owner.account()));
        assertTrue(
                paid.compareTo(TENSOR.divide(BigInteger.TEN)) > 0
                        && paid.compareTo(TENSOR.add(TENSOR.divide(BigInteger.TEN))) < 0,
                "paid " + paid);

        // differential: HyperJ's runtime, given Hypertensor's genesis auction, charges the same at the same block
        long block = ((Number) node.storageOrDefault("Network", "LastSubnetRegistrationBlock")).longValue();
        BigInteger multiplier = (BigInteger) node.storageOrDefault("Network", "NewRegistrationCostMultiplier");
        BigInteger nextLast = (BigInteger) node.storageOrDefault("Network", "LastRegistrationCost");
        BigInteger hoskinsonCost = nextLast.multiply(TENSOR).divide(multiplier);
        assertEquals(nextLast, hoskinsonCost.multiply(multiplier).divide(TENSOR), "the cost is recoverable exactly");
        dev.hyperj.chain.runtime.InMemoryChain hyperj =
                new dev.hyperj.chain.runtime.InMemoryChain(dev.hyperj.chain.runtime.GenesisConfig.dev(20)
                        .withParams(dev.hyperj.chain.runtime.NetworkParams.defaults(20, Optional.empty())
                                .withRegistrationCost(lastCost, minCost, decayBlocks, alpha)));
        hyperj.advanceTo(block - 1); // registrationCost() prices the next block
        BigInteger hyperjCost = new dev.hyperj.chain.runtime.NetworkReads(hyperj.state()).registrationCost();
        // HyperJ prices in the pallet's steps (the decayed part (diff as f64 * factor) as u128): exactly the same
        assertEquals(BigInteger.ZERO, hoskinsonCost.mod(BigInteger.valueOf(128)), "the pallet's f64 result");
        assertEquals(hoskinsonCost, quoted, "HypertensorChainClient prices as the pallet does, exactly");
        assertEquals(hoskinsonCost, hyperjCost, "registration cost at block " + block + ": HyperJ's runtime");

        // each coldkey registers a node with its own hotkey and 100 TENSOR of stake
        List<Secp256k1> hotkeys = new ArrayList<>();
        for (int i = 0; i < coldkeys.size(); i++) {
            Secp256k1 hot = Secp256k1.generate(new SecureRandom());
            hotkeys.add(hot);
            Map<String, Object> args = SubstrateTestSupport.nodeArgs(subnetId, hot.account(), peer(i, true));
            ExtrinsicResult r = ok(coldkeys.get(i), "Network", "register_subnet_node", args);
            // while the subnet is Registered, a node starts at once (no queue)
            assertFalse(
                    r.events("Network", "SubnetNodeActivated").isEmpty(),
                    r.events().toString());
        }

        // delegate stake up to the subnet's minimum, then the owner activates it
        @SuppressWarnings("unchecked")
        Map<String, Object> info =
                (Map<String, Object>) ((Optional<?>) api.call("get_subnet_info", subnetId)).orElseThrow();
        BigInteger minDelegate = (BigInteger) info.get("current_min_delegate_stake");
        if (minDelegate.signum() > 0)
            ok(
                    owner,
                    "Network",
                    "add_to_delegate_stake",
                    Map.of("subnet_id", subnetId, "stake_to_be_added", minDelegate.add(TENSOR)));
        ExtrinsicResult act = ok(owner, "Network", "activate_subnet", Map.of("subnet_id", subnetId));
        assertFalse(
                act.events("Network", "SubnetActivated").isEmpty(), act.events().toString());

        // every runtime API function, its answer checked against the above
        @SuppressWarnings("unchecked")
        Map<String, Object> active =
                (Map<String, Object>) ((Optional<?>) api.call("get_subnet_info", subnetId)).orElseThrow();
        assertArrayEquals("hyperj-test".getBytes(StandardCharsets.UTF_8), (byte[]) active.get("name"));
        assertEquals("Active", ((EnumValue) active.get("state")).name());
        assertEquals(3L, active.get("total_nodes"));
        assertArrayEquals(owner.account().bytes(), (byte[]) ((Optional<?>) active.get("owner")).orElseThrow());
        assertEquals(1, ((List<?>) api.call("get_all_subnets_info")).size());
        List<?> nodes = (List<?>) api.call("get_subnet_nodes_info", subnetId);
        assertEquals(3, nodes.size());
        assertEquals(3, ((List<?>) api.call("get_all_subnet_nodes_info")).size());
        Map<?, ?> first = (Map<?, ?>) nodes.get(0);
        long nodeId = (Long) first.get("subnet_node_id");
        Map<?, ?> one = (Map<?, ?>) ((Optional<?>) api.call("get_subnet_node_info", subnetId, nodeId)).orElseThrow();
        assertArrayEquals((byte[]) first.get("hotkey"), (byte[]) one.get("hotkey"));
        assertEquals(TENSOR.multiply(BigInteger.valueOf(100)), one.get("stake_balance"));
        AccountId coldkey0 = coldkeys.get(0).account();
        List<?> mine = (List<?>) api.call("get_coldkey_subnet_nodes_info", coldkey0);
        assertEquals(1, mine.size());
        assertArrayEquals(hotkeys.get(0).account().bytes(), (byte[]) ((Map<?, ?>) mine.get(0)).get("hotkey"));
        List<?> stakes = (List<?>) api.call("get_coldkey_stakes", coldkey0);
        assertEquals(TENSOR.multiply(BigInteger.valueOf(100)), ((Map<?, ?>) stakes.get(0)).get("balance"));
        List<?> delegate = (List<?>) api.call("get_delegate_stakes", owner.account());
        assertEquals(minDelegate.signum() > 0 ? 1 : 0, delegate.size());
        assertEquals(List.of(), api.call("get_node_delegate_stakes", owner.account()));
        Map<?, ?> boot = (Map<?, ?>) api.call("get_bootnodes", subnetId);
        assertEquals(1, ((List<?>) boot.get("subnet_bootnodes")).size());
        byte[] peer0 = TestPeers.peerId(0).getBytes(StandardCharsets.US_ASCII);
        assertEquals(true, api.call("proof_of_stake", subnetId, peer0, 1L, Optional.empty()));
        assertEquals(
                false,
                api.call(
                        "proof_of_stake",
                        subnetId,
                        TestPeers.peerId(7).getBytes(StandardCharsets.US_ASCII),
                        1L,
                        Optional.empty()));
        assertEquals(
                false,
                api.call("proof_of_stake", subnetId, peer0, 1L, Optional.of(TENSOR.multiply(BigInteger.valueOf(101)))));
        assertEquals(3, ((List<?>) api.call("get_validators_and_attestors", subnetId)).size());
        assertTrue(api.call("get_elected_validator_info", subnetId, 0L) instanceof Optional<?>);
        assertEquals(List.of(), api.call("get_all_overwatch_nodes_info"));
        assertEquals(List.of(), api.call("get_overwatch_commits_for_epoch_and_node", 0L, 1L));
        assertEquals(List.of(), api.call("get_overwatch_reveals_for_epoch_and_node", 0L, 1L));

        checkChainClient((int) subnetId, owner, coldkeys, hotkeys);
    }

    /** HyperJ's ChainClient on the same chain: picked by ChainClient.connect, its reads mapped from Hoskinson's. */
    static void checkChainClient(int subnetId, Secp256k1 owner, List<Secp256k1> coldkeys, List<Secp256k1> hotkeys)
            throws Exception {
        try (ChainClient c = ChainClient.connect(chain.ws())) {
            assertInstanceOf(HypertensorChainClient.class, c, "a Substrate node gets the Hypertensor client");
            assertEquals("hypertensor-node", c.chainId());
            assertArrayEquals(node.genesisHash(), c.genesisHash());
            long best = node.bestNumber();
            BlockHeader head = c.bestHeader();
            assertTrue(head.number() >= best, head.number() + " < " + best);
            BlockHeader prev = c.header(head.number() - 1).orElseThrow();
            assertArrayEquals(node.blockHash(head.number() - 1).orElseThrow(), head.parentHash());
            assertTrue(head.timestamp() > 0 && prev.timestamp() <= head.timestamp(), "Timestamp.Now");
            assertEquals(20, c.epochInfo().epochLength());
            assertEquals(head.number() / 20, c.epochInfo().epoch());

            SubnetInfo s = c.subnet(subnetId).orElseThrow();
            assertEquals("hyperj-test", s.subnet().name());
            assertEquals(Model.SubnetState.Active, s.subnet().state());
            assertEquals(owner.account(), s.subnet().owner());
            assertEquals(3, s.totalNodes());
            assertEquals(TENSOR.multiply(BigInteger.valueOf(100)), s.params().minStake());
            assertEquals(TENSOR.multiply(BigInteger.valueOf(300)), s.totalNodeStake());
            assertEquals(Set.of(TestPeers.peerId(99)), s.bootnodes().keySet());
            assertEquals(
                    List.of(subnetId),
                    c.subnets().stream().map(i -> i.subnet().id()).toList());
            assertEquals(Optional.empty(), c.subnet(subnetId + 1));

            List<SubnetNodeInfo> nodes = c.subnetNodes(subnetId);
            assertEquals(3, nodes.size());
            for (int i = 0; i < 3; i++) {
                SubnetNodeInfo n = nodes.get(i);
                int k = coldkeys.stream().map(Secp256k1::account).toList().indexOf(n.coldkey());
                assertTrue(k >= 0, "coldkey " + n.coldkey());
                assertEquals(hotkeys.get(k).account(), n.signingKey());
                assertEquals(Optional.of(hotkeys.get(k).account()), n.node().hotkey());
                assertEquals(TestPeers.peerId(k), n.node().peerInfo().peerId());
                assertEquals(TENSOR.multiply(BigInteger.valueOf(100)), n.stake());
                assertEquals(subnetId, n.subnetId());
                assertEquals(n, c.subnetNode(subnetId, n.node().id()).orElseThrow());
            }
            assertEquals(Map.of(subnetId, nodes), c.allSubnetNodes());
            assertTrue(c.bootnodes(subnetId).containsKey(TestPeers.peerId(99)));
            assertTrue(c.proofOfStake(subnetId, TestPeers.peerId(0), Model.NodeClass.Idle, Optional.empty()));
            assertFalse(c.proofOfStake(subnetId, TestPeers.peerId(7), Model.NodeClass.Idle, Optional.empty()));
            List<?> rawDelegate = (List<?>) new NetworkApi(node).call("get_delegate_stakes", owner.account());
            assertEquals(rawDelegate.size(), c.delegateStakes(owner.account()).size());
            c.delegateStakes(owner.account()).forEach(d -> assertEquals(subnetId, d.poolId()));
            assertEquals(List.of(), c.overwatchNodes());
            assertEquals(Map.of(), c.overwatchReveals(0, 1));

            // the validator layer Hoskinson lacks: a sentence, nothing signed
            AccountId alith = owner.account();
            long nonce = c.nextNonce(alith);
            ChainClientException e = assertThrows(ChainClientException.class, () -> c.validator(1));
            assertTrue(e.getMessage().contains("has no validator layer"), e.getMessage());
            assertThrows(ChainClientException.class, () -> c.validatorIdOf(alith));
            ChainClientException refused =
                    HoskinsonCallsTest.refusal(c.submit(owner, new Call.AddValidatorDelegateStake(1, TENSOR)));
            assertTrue(refused.getMessage().contains("has no validator layer"), refused.getMessage());
            assertEquals(nonce, c.nextNonce(alith), "nothing was signed or sent");

            // a transfer through HyperJ's Call, and a new head seen by the subscription
            AccountId dest = Secp256k1.generate(new SecureRandom()).account();
            java.util.concurrent.CompletableFuture<BlockHeader> seen = new java.util.concurrent.CompletableFuture<>();
            long before = c.blockNumber();
            try (AutoCloseable sub = c.subscribeNewHeads(h -> {
                if (h.number() > before) seen.complete(h);
            })) {
                TxResult r = c.submit(owner, new Call.Transfer(dest, TENSOR)).get(150, TimeUnit.SECONDS);
                assertTrue(r.ok(), r.message().orElse(""));
                assertEquals(TENSOR, c.balance(dest));
                assertEquals(nonce + 1, c.nextNonce(alith));
                assertEquals(r.blockNumber(), seen.get(60, TimeUnit.SECONDS).number());
            }
            // a failing call: its error by name, its nonce used
            TxResult failed =
                    c.submit(coldkeys.get(0), new Call.ActivateSubnet(subnetId)).get(150, TimeUnit.SECONDS);
            assertEquals(Optional.of("NotSubnetOwner"), failed.error());
        }
    }
}
