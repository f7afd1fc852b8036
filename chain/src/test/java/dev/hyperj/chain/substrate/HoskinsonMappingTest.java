package dev.hyperj.chain.substrate;

import static org.junit.jupiter.api.Assertions.*;

import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.NetworkError;
import dev.hyperj.chain.runtime.TestPeers;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Hoskinson mapping tables without a chain: calls to extrinsics, events to HyperJ's, error names. */
class HoskinsonMappingTest {
    static final AccountId HOT = AccountId.of(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
    static final AccountId OVERWATCH_HOT =
            AccountId.of(new byte[] {8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8});

    /** Hotkeys as a chain would answer: node 7 of subnet 7 and overwatch node 7 exist. */
    static final HoskinsonCalls.Keys KEYS = new HoskinsonCalls.Keys() {
        @Override
        public AccountId nodeHotkey(int subnetId, int subnetNodeId) {
            if (subnetId == 7 && subnetNodeId == 7) return HOT;
            throw new ChainClientException(0, "subnet " + subnetId + " has no node " + subnetNodeId);
        }

        @Override
        public AccountId overwatchHotkey(int overwatchNodeId) {
            if (overwatchNodeId == 7) return OVERWATCH_HOT;
            throw new ChainClientException(0, "no overwatch node " + overwatchNodeId);
        }
    };

    @Test
    void everyCallMapsOrIsRefusedWithASentence() {
        Set<String> refused = new TreeSet<>();
        int mapped = 0;
        for (Call c : CallSamples.all()) {
            try {
                HoskinsonCalls.Mapped m = HoskinsonCalls.map(c, KEYS);
                assertTrue(Set.of("Network", "Balances").contains(m.pallet()), m.name());
                assertFalse(m.args().containsValue(null), m.name());
                mapped++;
            } catch (ChainClientException e) {
                assertTrue(e.getMessage().endsWith("nothing was sent"), e.getMessage());
                refused.add(c.getClass().getSimpleName());
            }
        }
        assertEquals(
                new TreeSet<>(Set.of(
                        // the validator layer
                        "RegisterValidator",
                        "UpdateValidatorColdkey",
                        "UpdateValidatorHotkey",
                        "UpdateValidatorDelegateRewardRate",
                        "UpdateValidatorDelegateAccount",
                        "UpdateValidatorIdentity",
                        "AddValidatorDelegateStake",
                        "RemoveValidatorDelegateStake",
                        "TransferValidatorDelegateStake",
                        "DonateValidatorDelegateStake",
                        "SwapFromValidatorToValidator",
                        "SwapFromValidatorToSubnet",
                        "SwapFromSubnetToValidator",
                        "OwnerAddOrUpdateInitialValidators",
                        "OwnerRemoveInitialValidators",
                        "RegisterSubnet", // the sample names initial validators
                        "OwnerUpdateReputationFactors", // the sample sets all seven factors
                        // council motions
                        "CollectiveRemoveSubnet",
                        "CollectiveRemoveSubnetNode",
                        "CollectiveSetColdkeyOverwatchNodeEligibility",
                        "CollectiveSetSubnetPauseCooldownEpochs",
                        "CollectiveSetMaxSubnets")),
                refused);
        assertEquals(Call.class.getPermittedSubclasses().length - refused.size(), mapped);
    }

    /** A node registration for validator 42 (which Hoskinson has no use for) in subnet 128001. */
    static Call.RegisterSubnetNode registerNode(Optional<AccountId> hotkey, Model.PeerInfo peer) {
        return new Call.RegisterSubnetNode(
                42,
                128001,
                hotkey,
                peer,
                Optional.empty(),
                Optional.empty(),
                BigInteger.TEN,
                Optional.empty(),
                Optional.empty(),
                BigInteger.TWO);
    }

    @Test
    void aNodeRegistersUnderTheSigningColdkeyWithItsHotkey() {
        Model.PeerInfo peer = new Model.PeerInfo(TestPeers.peerId(1), Optional.of(TestPeers.multiaddr(4001)));
        HoskinsonCalls.Mapped m = HoskinsonCalls.map(registerNode(Optional.of(HOT), peer), KEYS);
        assertEquals("Network.register_subnet_node", m.name());
        assertEquals(
                List.of(
                        "subnet_id",
                        "hotkey",
                        "peer_info",
                        "bootnode_peer_info",
                        "client_peer_info",
                        "delegate_reward_rate",
                        "stake_to_be_added",
                        "unique",
                        "non_unique",
                        "delegate_account",
                        "max_burn_amount"),
                new ArrayList<>(m.args().keySet()),
                "the pallet's argument order; no validator id");
        assertEquals(128001L, m.args().get("subnet_id"));
        assertEquals(HOT, m.args().get("hotkey"));
        assertEquals(BigInteger.ZERO, m.args().get("delegate_reward_rate"));
        assertEquals(Optional.empty(), m.args().get("delegate_account"));
        Map<?, ?> p = (Map<?, ?>) m.args().get("peer_info");
        assertArrayEquals(TestPeers.peerId(1).getBytes(), (byte[]) p.get("peer_id"));

        ChainClientException e = assertThrows(
                ChainClientException.class, () -> HoskinsonCalls.map(registerNode(Optional.empty(), peer), KEYS));
        assertTrue(e.getMessage().contains("hotkey of its own"), e.getMessage());
    }

    @Test
    void callsThatNameANodeByIdSendItsHotkeyAndConsensusCallsNoNodeId() {
        HoskinsonCalls.Mapped add = HoskinsonCalls.map(new Call.AddNodeStake(7, 7, BigInteger.ONE), KEYS);
        assertEquals("add_stake", add.call());
        assertEquals(HOT, add.args().get("hotkey"));
        assertEquals(7L, add.args().get("subnet_node_id"));
        HoskinsonCalls.Mapped remove = HoskinsonCalls.map(new Call.RemoveNodeStake(7, 7, BigInteger.ONE), KEYS);
        assertEquals(
                List.of("subnet_id", "hotkey", "stake_to_be_removed"),
                new ArrayList<>(remove.args().keySet()));
        ChainClientException missing = assertThrows(
                ChainClientException.class,
                () -> HoskinsonCalls.map(new Call.AddNodeStake(7, 8, BigInteger.ONE), KEYS));
        assertTrue(missing.getMessage().contains("has no node 8"));
        HoskinsonCalls.Mapped ow = HoskinsonCalls.map(new Call.RemoveOverwatchNodeStake(7, BigInteger.ONE), KEYS);
        assertEquals(OVERWATCH_HOT, ow.args().get("hotkey"));

        HoskinsonCalls.Mapped propose = HoskinsonCalls.map(
                new Call.ProposeAttestation(
                        7,
                        3,
                        List.of(new Model.NodeScore(2, BigInteger.TEN), new Model.NodeScore(3, BigInteger.ONE)),
                        Optional.empty(),
                        Optional.of(5),
                        Optional.empty(),
                        Optional.empty()),
                KEYS);
        assertEquals(
                List.of("subnet_id", "data", "prioritize_queue_node_id", "remove_queue_node_id", "args", "attest_data"),
                new ArrayList<>(propose.args().keySet()));
        assertEquals(
                List.of(
                        Map.of("subnet_node_id", 2L, "score", BigInteger.TEN),
                        Map.of("subnet_node_id", 3L, "score", BigInteger.ONE)),
                propose.args().get("data"));
        assertEquals(Optional.of(5L), propose.args().get("remove_queue_node_id"));
        assertEquals(
                Map.of("subnet_id", 7L, "attest_data", Optional.empty()),
                HoskinsonCalls.map(new Call.Attest(7, 3, Optional.empty()), KEYS)
                        .args());
    }

    @Test
    void oneReputationFactorMapsToItsOwnCall() {
        Model.ReputationFactorUpdates one = new Model.ReputationFactorUpdates(
                Optional.empty(),
                Optional.of(BigInteger.TEN),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        HoskinsonCalls.Mapped m = HoskinsonCalls.map(new Call.OwnerUpdateReputationFactors(7, one), KEYS);
        assertEquals("owner_update_included_increase_reputation_factor", m.call());
        assertEquals(Map.of("subnet_id", 7L, "value", BigInteger.TEN), m.args());
    }

    @Test
    void aSubnetRegistersWithInitialColdkeys() {
        Model.SubnetRegistrationData d = new Model.SubnetRegistrationData(
                "n", "r", "d", "", BigInteger.ONE, BigInteger.TEN, BigInteger.TWO, Map.of(), Map.of());
        HoskinsonCalls.Mapped m = HoskinsonCalls.registerSubnet(BigInteger.TEN, d, Map.of(HOT, 2));
        Map<?, ?> data = (Map<?, ?>) m.args().get("subnet_data");
        assertEquals(Map.of(HOT, 2L), data.get("initial_coldkeys"));
        // HyperJ's call with no initial validators goes through (the chain decides whether that is enough)
        assertEquals(
                "register_subnet",
                HoskinsonCalls.map(new Call.RegisterSubnet(BigInteger.TEN, d), KEYS)
                        .call());
    }

    static ChainEvent network(String name, Object... kv) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) f.put((String) kv[i], kv[i + 1]);
        return new ChainEvent("Network", name, f, Optional.of(1));
    }

    @Test
    void eventsTranslateWithNodeIdsLookedUpByHotkey() {
        byte[] owner = new byte[20];
        owner[0] = 1;
        byte[] treasury = new byte[20];
        treasury[0] = 2;
        HoskinsonEvents.NodeIds ids = (subnet, hotkey) -> hotkey.equals(HOT) ? Optional.of(3) : Optional.empty();
        Map<String, Object> transfer = new LinkedHashMap<>();
        transfer.put("from", owner);
        transfer.put("to", treasury);
        transfer.put("amount", BigInteger.valueOf(500));
        List<ChainEvent> raw = List.of(
                new ChainEvent("Balances", "Transfer", transfer, Optional.of(1)),
                network("SubnetRegistered", "owner", owner, "name", "s".getBytes(), "subnet_id", 128001L),
                network("SubnetNodeActivated", "subnet_id", 128001L, "subnet_node_id", 3L),
                network("StakeAdded", "0", 128001L, "1", owner, "2", HOT.bytes(), "3", BigInteger.TEN),
                network(
                        "StakeRemoved",
                        "0",
                        128001L,
                        "1",
                        owner,
                        "2",
                        owner, // a hotkey no node has: left out
                        "3",
                        BigInteger.TEN),
                network("ValidatorSubmission", "subnet_id", 128001L, "account_id", HOT.bytes(), "epoch", 4L),
                network("Attestation", "subnet_id", 128001L, "subnet_node_id", 2L, "epoch", 4L),
                network(
                        "SubnetRewards",
                        "subnet_id",
                        128001L,
                        "node_rewards",
                        List.of(List.of(2L, BigInteger.ONE), List.of(3L, BigInteger.TWO)),
                        "delegate_stake_reward",
                        BigInteger.TEN,
                        "node_delegate_stake_rewards",
                        List.of(),
                        "node_delegate_account_allocations",
                        List.of()),
                network("ChurnLimitUpdate", "subnet_id", 128001L, "owner", owner, "value", 4L),
                network("SubnetNodeUpdatePeerInfo", "subnet_id", 128001L, "subnet_node_id", 3L, "peer_info", Map.of()),
                network("SubnetDeactivated", "subnet_id", 128001L, "reason", new EnumValue("Owner", 6, null)),
                network("IdentityRemoved", "coldkey", owner, "identity", Map.of()));
        AccountId ownerId = AccountId.of(owner);
        assertEquals(
                List.of(
                        new Event.Transfer(ownerId, AccountId.of(treasury), BigInteger.valueOf(500)),
                        new Event.SubnetRegistered(ownerId, "s", 128001, BigInteger.valueOf(500)),
                        new Event.SubnetNodeRegistered(128001, 3, 0, Model.NodeClass.Validator),
                        new Event.SubnetNodeActivated(128001, 3),
                        new Event.StakeAdded(128001, 3, BigInteger.TEN),
                        new Event.ValidatorSubmission(128001, 3, 4),
                        new Event.Attestation(128001, 2, 4),
                        new Event.NodeReward(128001, 2, BigInteger.ONE),
                        new Event.NodeReward(128001, 3, BigInteger.TWO),
                        new Event.SubnetOwnerUpdate(128001, "churn_limit"),
                        new Event.SubnetNodeUpdated(128001, 3, "peer_info"),
                        new Event.SubnetDeactivated(128001, Model.SubnetRemovalReason.Owner)),
                HoskinsonEvents.translate(raw, ids));
    }

    @Test
    void errorNamesAreHyperJsWhereTheyMeanTheSame() {
        assertEquals(
                "NotSubnetOwner", HoskinsonEvents.errorName(new ModuleError("Network", "NotSubnetOwner", List.of())));
        assertEquals(
                "NotInitialValidatorRegistrationWhitelist",
                HoskinsonEvents.errorName(new ModuleError("Network", "ColdkeyRegistrationWhitelist", List.of())));
        assertEquals(
                "Arithmetic", HoskinsonEvents.errorName(new ModuleError("System", "Arithmetic.Overflow", List.of())));
        assertEquals(
                "MinActiveNodeStakeEpochs",
                HoskinsonEvents.errorName(new ModuleError("Network", "MinActiveNodeStakeEpochs", List.of())));
        TxResult shared =
                new TxResult(1, new byte[32], new byte[32], Optional.of("NotSubnetOwner"), Optional.empty(), List.of());
        assertEquals(Optional.of(NetworkError.NotSubnetOwner), shared.networkError());
        TxResult own = new TxResult(
                1, new byte[32], new byte[32], Optional.of("MinActiveNodeStakeEpochs"), Optional.empty(), List.of());
        assertEquals(Optional.empty(), own.networkError(), "a Hoskinson-only error has no HyperJ name");
    }
}
