package dev.hyperj.chain.substrate;

import static org.junit.jupiter.api.Assertions.*;

import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.NetworkError;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.TestPeers;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HyperJ's calls through {@link HypertensorChainClient#submit} on Hypertensor's real runtime under
 * Chopsticks: every mapped call encodes against the runtime's metadata, and an owner's, operators'
 * and delegator's calls land with their effects read back and their events in HyperJ's records.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HoskinsonCallsTest {
    static final BigInteger TENSOR = BigInteger.TEN.pow(18);
    static Chopsticks chain;
    static HypertensorChainClient client;

    @BeforeAll
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    static void start() throws Exception {
        chain = Chopsticks.start("Instant");
        client = HypertensorChainClient.connect(chain.ws());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) client.close();
        if (chain != null) chain.close();
    }

    static BigInteger tensor(long n) {
        return TENSOR.multiply(BigInteger.valueOf(n));
    }

    static TxResult ok(Signer who, Call call) throws Exception {
        TxResult r = client.submit(who, call).get(150, TimeUnit.SECONDS);
        assertTrue(
                r.ok(),
                () -> call.getClass().getSimpleName() + " failed: "
                        + r.message().orElse(""));
        return r;
    }

    /** The sentence a refused call fails its future with (nothing signed). */
    static ChainClientException refusal(java.util.concurrent.CompletableFuture<TxResult> f) {
        java.util.concurrent.ExecutionException e =
                assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(ChainClientException.class, e.getCause());
    }

    static TxResult failed(Signer who, Call call) throws Exception {
        TxResult r = client.submit(who, call).get(150, TimeUnit.SECONDS);
        assertFalse(r.ok(), call.getClass().getSimpleName() + " should fail");
        return r;
    }

    @Test
    void everyMappedCallEncodesAgainstTheRuntimesMetadata() {
        SubstrateNode n = client.node();
        int encoded = 0;
        for (Call c : CallSamples.all()) {
            HoskinsonCalls.Mapped m;
            try {
                m = HoskinsonCalls.map(c, HoskinsonMappingTest.KEYS);
            } catch (ChainClientException refused) {
                continue; // the refusals are listed in HoskinsonMappingTest
            }
            byte[] call = Extrinsics.call(n.metadata(), n.codec(), m.pallet(), m.call(), m.args());
            assertTrue(call.length >= 2, m.name()); // pallet and call index, then the arguments
            encoded++;
        }
        assertTrue(encoded >= 50, "mapped calls: " + encoded);
        HoskinsonCalls.Mapped reg = HoskinsonCalls.registerSubnet(
                TENSOR,
                new Model.SubnetRegistrationData(
                        "n",
                        "r",
                        "d",
                        "m",
                        TENSOR,
                        TENSOR,
                        TENSOR,
                        Map.of(),
                        Map.of(TestPeers.peerId(1), TestPeers.multiaddr(1))),
                Map.of(CallSamples.ACCOUNT, 1));
        Extrinsics.call(n.metadata(), n.codec(), reg.pallet(), reg.call(), reg.args());
    }

    @Test
    void anOwnerOperatorsAndADelegatorRunASubnetThroughHyperJsCalls() throws Exception {
        Secp256k1 owner = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
        List<Secp256k1> coldkeys = List.of(
                Secp256k1.fromPrivateKey(DevAccounts.BALTATHAR.privateKey()),
                Secp256k1.fromPrivateKey(DevAccounts.CHARLETH.privateKey()),
                Secp256k1.fromPrivateKey(DevAccounts.DOROTHY.privateKey()));
        for (Secp256k1 c : coldkeys) {
            TxResult t = ok(owner, new Call.Transfer(c.account(), tensor(1000)));
            assertTrue(
                    t.events(Event.Transfer.class)
                            .contains(new Event.Transfer(owner.account(), c.account(), tensor(1000))),
                    t.events().toString());
        }

        // the subnet, with Hoskinson's initial coldkeys; HyperJ's initial validator ids are refused unsent
        Map<String, Bytes> bootnodes = Map.of(TestPeers.peerId(99), TestPeers.multiaddr(40099));
        Model.SubnetRegistrationData data = new Model.SubnetRegistrationData(
                "hyperj-calls",
                "https://example.org/hyperj-calls",
                "HyperJ calls on Hoskinson",
                "",
                tensor(100),
                tensor(1000),
                TENSOR.divide(BigInteger.TEN),
                Map.of(),
                bootnodes);
        long nonce = client.nextNonce(owner.account());
        ChainClientException refused = refusal(client.submit(
                owner,
                new Call.RegisterSubnet(
                        tensor(10),
                        new Model.SubnetRegistrationData(
                                "x", "y", "z", "", tensor(100), tensor(1000), TENSOR, Map.of(1, 1), bootnodes))));
        assertTrue(refused.getMessage().contains("initial coldkeys"), refused.getMessage());
        assertEquals(nonce, client.nextNonce(owner.account()), "nothing signed");
        BigInteger quoted = client.registrationCost();
        Map<AccountId, Integer> initial = new LinkedHashMap<>();
        coldkeys.forEach(c -> initial.put(c.account(), 1));
        TxResult reg = client.registerSubnet(owner, tensor(10), data, initial).get(150, TimeUnit.SECONDS);
        assertTrue(reg.ok(), reg.message().orElse(""));
        Event.SubnetRegistered registered =
                reg.events(Event.SubnetRegistered.class).get(0);
        int sid = registered.subnetId();
        assertEquals(owner.account(), registered.owner());
        assertEquals("hyperj-calls", registered.name());
        assertEquals(quoted, registered.cost(), "the cost the client quoted, paid to the treasury");

        // nodes: each coldkey registers one with its own hotkey
        List<Secp256k1> hotkeys = new ArrayList<>();
        List<Integer> nodeIds = new ArrayList<>();
        for (int i = 0; i < coldkeys.size(); i++) {
            Secp256k1 hot = Secp256k1.generate(new SecureRandom());
            hotkeys.add(hot);
            TxResult r = ok(
                    coldkeys.get(i),
                    new Call.RegisterSubnetNode(
                            0,
                            sid,
                            Optional.of(hot.account()),
                            new Model.PeerInfo(TestPeers.peerId(i), Optional.of(TestPeers.multiaddr(41000 + i))),
                            Optional.empty(),
                            Optional.empty(),
                            tensor(100),
                            Optional.empty(),
                            Optional.empty(),
                            tensor(100)));
            Event.SubnetNodeRegistered nr =
                    r.events(Event.SubnetNodeRegistered.class).get(0);
            assertEquals(Model.NodeClass.Validator, nr.nodeClass(), "a Registered subnet's node starts at once");
            nodeIds.add(nr.subnetNodeId());
            assertTrue(r.events().contains(new Event.SubnetNodeActivated(sid, nr.subnetNodeId())));
            assertTrue(
                    r.events().contains(new Event.StakeAdded(sid, nr.subnetNodeId(), tensor(100))),
                    r.events().toString());
            SubnetNodeInfo info = client.subnetNode(sid, nr.subnetNodeId()).orElseThrow();
            assertEquals(coldkeys.get(i).account(), info.coldkey());
            assertEquals(hot.account(), info.signingKey());
        }

        // delegate stake up to the minimum, then the owner activates
        BigInteger minDelegate = (BigInteger) ((Map<?, ?>)
                        ((Optional<?>) new NetworkApi(client.node()).call("get_subnet_info", (long) sid)).orElseThrow())
                .get("current_min_delegate_stake");
        BigInteger delegated = minDelegate.add(tensor(10));
        TxResult del = ok(owner, new Call.AddDelegateStake(sid, delegated));
        assertEquals(
                List.of(new Event.SubnetDelegateStakeAdded(sid, owner.account(), delegated, BigInteger.ZERO)),
                del.events(Event.SubnetDelegateStakeAdded.class));
        TxResult act = ok(owner, new Call.ActivateSubnet(sid));
        assertTrue(act.events().contains(new Event.SubnetActivated(sid)));
        assertEquals(
                Model.SubnetState.Active,
                client.subnet(sid).orElseThrow().subnet().state());

        // stake: added by node id (the client sends its hotkey); an active node cannot take it out yet
        int node0 = nodeIds.get(0);
        Secp256k1 cold0 = coldkeys.get(0);
        TxResult added = ok(cold0, new Call.AddNodeStake(sid, node0, tensor(10)));
        assertEquals(List.of(new Event.StakeAdded(sid, node0, tensor(10))), added.events(Event.StakeAdded.class));
        assertEquals(tensor(110), client.subnetNode(sid, node0).orElseThrow().stake());
        TxResult early = failed(cold0, new Call.RemoveNodeStake(sid, node0, tensor(5)));
        assertEquals(Optional.of("MinActiveNodeStakeEpochs"), early.error());
        assertEquals(Optional.empty(), early.networkError(), "a rule HyperJ's runtime does not have");
        TxResult noClaims = failed(cold0, new Call.ClaimUnbondings());
        assertEquals(Optional.of(NetworkError.NoStakeUnbondingsOrCooldownNotMet), noClaims.networkError());

        // node updates by its coldkey
        TxResult peer = ok(
                cold0,
                new Call.UpdateNodePeerInfo(sid, node0, new Model.PeerInfo(TestPeers.peerId(10), Optional.empty())));
        assertEquals(
                List.of(new Event.SubnetNodeUpdated(sid, node0, "peer_info")),
                peer.events(Event.SubnetNodeUpdated.class));
        assertEquals(
                TestPeers.peerId(10),
                client.subnetNode(sid, node0).orElseThrow().node().peerInfo().peerId());
        Bytes unique = Bytes.of(new byte[] {1, 2, 3});
        TxResult u = ok(cold0, new Call.UpdateNodeUnique(sid, node0, Optional.of(unique)));
        assertEquals(
                List.of(new Event.SubnetNodeUpdated(sid, node0, "unique")), u.events(Event.SubnetNodeUpdated.class));
        assertEquals(
                Optional.of(unique),
                client.subnetNode(sid, node0).orElseThrow().node().unique());

        // the owner's settings
        TxResult name = ok(owner, new Call.OwnerUpdateName(sid, "hyperj-renamed"));
        assertEquals(List.of(new Event.SubnetOwnerUpdate(sid, "name")), name.events(Event.SubnetOwnerUpdate.class));
        assertEquals("hyperj-renamed", client.subnet(sid).orElseThrow().subnet().name());
        BigInteger factor = TENSOR.divide(BigInteger.valueOf(20)); // 5%
        TxResult rep = ok(
                owner,
                new Call.OwnerUpdateReputationFactors(
                        sid,
                        new Model.ReputationFactorUpdates(
                                Optional.of(factor),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty())));
        assertEquals(
                List.of(new Event.SubnetOwnerUpdate(sid, "reputation_factors")),
                rep.events(Event.SubnetOwnerUpdate.class));
        assertEquals(factor, client.node().storageOrDefault("Network", "AbsentDecreaseReputationFactor", (long) sid));
        TxResult boot = ok(
                owner,
                new Call.UpdateBootnodes(
                        sid, Map.of(TestPeers.peerId(98), TestPeers.multiaddr(40098)), List.of(TestPeers.peerId(99))));
        assertTrue(boot.events().contains(new Event.BootnodesUpdated(sid)));
        assertTrue(client.bootnodes(sid).containsKey(TestPeers.peerId(98)));
        assertFalse(client.subnet(sid).orElseThrow().bootnodes().containsKey(TestPeers.peerId(99)));
        TxResult access =
                ok(owner, new Call.OwnerAddBootnodeAccess(sid, coldkeys.get(1).account()));
        assertTrue(access.events().contains(new Event.SubnetOwnerUpdate(sid, "bootnode_access")));
        assertTrue(client.subnet(sid)
                .orElseThrow()
                .params()
                .bootnodeAccess()
                .contains(coldkeys.get(1).account()));

        // delegate stake moves and leaves (into unbonding)
        BigInteger shares = client.delegateStakes(owner.account()).get(0).shares();
        Secp256k1 dorothy = coldkeys.get(2);
        ok(owner, new Call.TransferDelegateStake(sid, dorothy.account(), shares.divide(BigInteger.valueOf(4))));
        assertEquals(
                shares.divide(BigInteger.valueOf(4)),
                client.delegateStakes(dorothy.account()).get(0).shares());
        TxResult out = ok(owner, new Call.RemoveDelegateStake(sid, shares.divide(BigInteger.valueOf(4))));
        assertEquals(
                1,
                out.events(Event.SubnetDelegateStakeRemoved.class).size(),
                out.events().toString());
        BigInteger removed =
                out.events(Event.SubnetDelegateStakeRemoved.class).get(0).amount();
        assertEquals(
                removed,
                client.unbondings(owner.account()).values().stream().reduce(BigInteger.ZERO, BigInteger::add),
                "removed delegate stake unbonds");

        // a node leaves (not the elected one: an elected validator cannot)
        long epoch = client.subnetEpoch(sid);
        Optional<Integer> elected =
                client.electedValidator(sid, epoch).map(e -> e.node().node().id());
        int leaving = nodeIds.stream()
                .filter(id -> !elected.equals(Optional.of(id)))
                .reduce((a, b) -> b)
                .orElseThrow();
        Secp256k1 leavingColdkey = coldkeys.get(nodeIds.indexOf(leaving));
        TxResult gone = ok(leavingColdkey, new Call.RemoveSubnetNode(sid, leaving));
        assertTrue(
                gone.events().contains(new Event.SubnetNodeRemoved(sid, leaving)),
                gone.events().toString());
        assertEquals(2, client.subnetNodes(sid).size());

        // ownership moves in two steps
        Secp256k1 next = coldkeys.get(1);
        TxResult offer = ok(owner, new Call.TransferSubnetOwnership(sid, next.account()));
        assertTrue(offer.events().contains(new Event.TransferPendingSubnetOwner(sid, next.account())));
        TxResult accepted = ok(next, new Call.AcceptSubnetOwnership(sid));
        assertTrue(accepted.events().contains(new Event.SubnetOwnerUpdate(sid, "owner")));
        assertEquals(next.account(), client.subnet(sid).orElseThrow().subnet().owner());
        TxResult notOwner = failed(owner, new Call.OwnerUpdateName(sid, "again"));
        assertEquals(Optional.of(NetworkError.NotSubnetOwner), notOwner.networkError());

        // the collective's calls need a council motion: refused unsent
        long before = client.nextNonce(owner.account());
        ChainClientException motion = refusal(client.submit(owner, new Call.CollectiveRemoveSubnet(sid)));
        assertTrue(motion.getMessage().contains("council motion"), motion.getMessage());
        assertEquals(before, client.nextNonce(owner.account()));
    }
}
