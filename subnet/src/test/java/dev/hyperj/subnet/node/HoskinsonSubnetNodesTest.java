package dev.hyperj.subnet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.TestPeers;
import dev.hyperj.chain.substrate.Chopsticks;
import dev.hyperj.chain.substrate.HypertensorChainClient;
import dev.hyperj.chain.substrate.NetworkApi;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.consensus.ConsensusLoop;
import dev.hyperj.subnet.consensus.ConsensusLoop.Action;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A HyperJ subnet on Hypertensor's own runtime: the real Hoskinson wasm under Chopsticks, three
 * HyperJ {@link SubnetNode}s (the framework as it is, the default heartbeat scorer), each on its
 * own {@link HypertensorChainClient}. The test registers the subnet and the nodes through HyperJ's
 * calls and drives the blocks with {@code dev_newBlock}; the nodes do the rest: the elected node
 * proposes its scores, the others attest, and the runtime pays the epoch's rewards.
 *
 * <p>Blocks between the ones the runtime acts on are skipped ({@code unsafeBlockHeight}): a subnet
 * epoch needs its chain epoch's emission weights (block {@code 20e + 2}), its election (the
 * subnet's slot block {@code 20e + slot}) and the blocks of its transactions; building the ~17
 * blocks in between one by one would only make the test slower.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HoskinsonSubnetNodesTest {
    static final BigInteger TENSOR = BigInteger.TEN.pow(18);
    static final int NODES = 3;
    static final GossipConfig FAST = GossipConfig.defaults().toBuilder()
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
            .build();

    /** Runs until stopped; scores with the framework's default heartbeat scorer. */
    static final class Idle implements SubnetApplication {
        public void run(NodeContext ctx) throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }

    static BigInteger tensor(long n) {
        return TENSOR.multiply(BigInteger.valueOf(n));
    }

    static TxResult ok(HypertensorChainClient c, Secp256k1 who, Call call) throws Exception {
        TxResult r = c.submit(who, call).get(150, TimeUnit.SECONDS);
        assertThat(r.ok())
                .as(call.getClass().getSimpleName() + ": " + r.message().orElse(""))
                .isTrue();
        return r;
    }

    /** Polls a condition the framework has no event for, until a deadline; the failure says what was seen. */
    static void await(String what, BooleanSupplier done, Supplier<Object> seen) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not within 60 s: " + what + "; seen " + seen.get());
            Thread.sleep(100);
        }
    }

    /** Builds the blocks up to {@code target}, skipping straight to it when more than one is missing. */
    static void advanceTo(Chopsticks chain, HypertensorChainClient c, long target) {
        long best = c.node().bestNumber();
        assertThat(target).as("block " + target + " is ahead of #" + best).isGreaterThan(best);
        if (target > best + 1) chain.rpc("dev_newBlock", Map.of("count", 1, "unsafeBlockHeight", target));
        else chain.newBlocks(1);
        assertThat(c.node().bestNumber()).isEqualTo(target);
    }

    @Test
    void anElectedHyperJNodeProposesTheOthersAttestAndTheRuntimePaysRewards(@TempDir Path dir) throws Exception {
        List<HypertensorChainClient> clients = new ArrayList<>();
        List<SubnetNode> nodes = new ArrayList<>();
        try (Chopsticks chain = Chopsticks.start("Instant");
                HypertensorChainClient c = HypertensorChainClient.connect(chain.ws())) {
            try {
                run(dir, chain, c, clients, nodes);
            } finally {
                for (SubnetNode n : nodes) n.close();
                for (HypertensorChainClient k : clients) k.close();
            }
        }
    }

    private static void run(
            Path dir,
            Chopsticks chain,
            HypertensorChainClient c,
            List<HypertensorChainClient> clients,
            List<SubnetNode> nodes)
            throws Exception {
        Secp256k1 owner = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
        List<Secp256k1> coldkeys = List.of(
                Secp256k1.fromPrivateKey(DevAccounts.BALTATHAR.privateKey()),
                Secp256k1.fromPrivateKey(DevAccounts.CHARLETH.privateKey()),
                Secp256k1.fromPrivateKey(DevAccounts.DOROTHY.privateKey()));
        List<Secp256k1> hotkeys = new ArrayList<>();
        List<PrivateKey> identities = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            ok(c, owner, new Call.Transfer(coldkeys.get(i).account(), tensor(1000)));
            hotkeys.add(Secp256k1.generate(new SecureRandom()));
            // proposals and attestations pay no fee, but the fee is held until the call says so
            ok(c, owner, new Call.Transfer(hotkeys.get(i).account(), TENSOR));
            identities.add(Keys.generate(KeyType.ED25519));
        }

        // the subnet (its initial coldkeys are Hoskinson's), its nodes, delegate stake, activation
        Map<AccountId, Integer> initial = new LinkedHashMap<>();
        coldkeys.forEach(k -> initial.put(k.account(), 1));
        TxResult reg = c.registerSubnet(
                        owner,
                        tensor(10),
                        new Model.SubnetRegistrationData(
                                "hyperj-on-hoskinson",
                                "https://example.org/hyperj",
                                "HyperJ nodes on Hypertensor's runtime",
                                "",
                                tensor(100),
                                tensor(1000),
                                TENSOR.divide(BigInteger.TEN),
                                Map.of(),
                                Map.of(TestPeers.peerId(99), TestPeers.multiaddr(40099))),
                        initial)
                .get(150, TimeUnit.SECONDS);
        assertThat(reg.ok()).as(reg.message().orElse("")).isTrue();
        int sid = reg.events(Event.SubnetRegistered.class).get(0).subnetId();
        Map<Integer, Integer> nodeIdOf = new HashMap<>(); // node index -> subnet node id
        for (int i = 0; i < NODES; i++) {
            String peer = PeerId.fromPublicKey(identities.get(i).publicKey()).toBase58();
            TxResult r = ok(
                    c,
                    coldkeys.get(i),
                    new Call.RegisterSubnetNode(
                            0,
                            sid,
                            Optional.of(hotkeys.get(i).account()),
                            Model.PeerInfo.of(peer),
                            Optional.empty(),
                            Optional.empty(),
                            tensor(100),
                            Optional.empty(),
                            Optional.empty(),
                            tensor(100)));
            nodeIdOf.put(i, r.events(Event.SubnetNodeRegistered.class).get(0).subnetNodeId());
        }
        BigInteger minDelegate = (BigInteger) ((Map<?, ?>)
                        ((Optional<?>) new NetworkApi(c.node()).call("get_subnet_info", (long) sid)).orElseThrow())
                .get("current_min_delegate_stake");
        ok(c, owner, new Call.AddDelegateStake(sid, minDelegate.add(tensor(10))));
        ok(c, owner, new Call.ActivateSubnet(sid));
        int slot = c.subnet(sid).orElseThrow().subnet().slot();
        assertThat(slot).as("slots 0..2 are the chain's own steps").isBetween(3, 19);

        // three HyperJ subnet nodes, each with its hotkey and its own connection to the chain
        Map<Long, Map<Integer, ConsensusLoop.Outcome>> outcomes = new ConcurrentHashMap<>();
        List<Multiaddr> boot = List.of();
        for (int i = 0; i < NODES; i++) {
            HypertensorChainClient own = HypertensorChainClient.connect(chain.ws());
            clients.add(own);
            SubnetNode n = SubnetNode.start(
                    SubnetNodeConfig.builder(sid, identities.get(i), hotkeys.get(i), dir.resolve("n" + i))
                            .gossip(FAST)
                            .bootstrap(boot)
                            .build(),
                    own,
                    new Idle());
            nodes.add(n);
            n.consensus()
                    .onOutcome(o -> outcomes.computeIfAbsent(o.epoch(), e -> new ConcurrentHashMap<>())
                            .put(o.subnetNodeId(), o));
            if (i == 0) boot = List.of(n.context().host().listenAddresses().get(0));
        }
        await(
                "every node connected to every other",
                () -> nodes.stream()
                        .allMatch(a -> nodes.stream()
                                .allMatch(b -> a == b
                                        || a.context().host().connections().isConnected(b.peerId()))),
                () -> nodes.stream()
                        .map(n -> n.context().host().connections().connectedPeers())
                        .toList());

        // epoch e1: no election (its chain epoch has no emission weights: block 20*e1+2 is skipped);
        // every node heartbeats in it, meshed, so the scores of e1 are the same everywhere
        long e1 = c.subnetEpoch(sid) + 1;
        advanceTo(chain, c, 20 * e1 + slot);
        await(
                "every node heard every node's heartbeat in epoch " + e1,
                () -> nodes.stream()
                        .allMatch(n -> n.context().heartbeats().nodes(e1).size() == NODES),
                () -> nodes.stream()
                        .map(n -> n.context().heartbeats().nodes(e1))
                        .toList());

        // epoch e2: the weights, then the slot block elects a node; it proposes, the others attest
        long e2 = e1 + 1;
        List<BigInteger> stakesBefore = new ArrayList<>();
        for (int i = 0; i < NODES; i++)
            stakesBefore.add(c.subnetNode(sid, nodeIdOf.get(i)).orElseThrow().stake());
        BigInteger delegatedBefore = c.delegateStakes(owner.account()).get(0).balance();
        advanceTo(chain, c, 20 * e2 + 2);
        for (long b = 20 * e2 + 3; b <= 20 * e2 + slot; b++) advanceTo(chain, c, b);
        int elected = c.electedValidator(sid, e2).orElseThrow().node().node().id();
        await(
                "the elected node proposed and the others attested in epoch " + e2,
                () -> {
                    Map<Integer, ConsensusLoop.Outcome> o = outcomes.getOrDefault(e2, Map.of());
                    return o.size() == NODES
                            && o.entrySet().stream()
                                    .allMatch(x -> x.getValue().action()
                                            == (x.getKey() == elected ? Action.PROPOSED : Action.ATTESTED));
                },
                () -> "elected " + elected + ", outcomes " + outcomes);
        ConsensusSubmission s = c.validatorsAndAttestors(sid, e2).orElseThrow().submission();
        assertThat(s.validatorNodeId()).isEqualTo(elected);
        assertThat(s.attests().keySet()).containsExactlyInAnyOrderElementsOf(nodeIdOf.values());
        assertThat(s.validatorSet()).containsExactlyInAnyOrderElementsOf(nodeIdOf.values());
        assertThat(s.data())
                .extracting(Model.NodeScore::subnetNodeId)
                .containsExactlyInAnyOrderElementsOf(nodeIdOf.values());

        // the next slot block pays epoch e2: the runtime's rewards, as HyperJ's events and in the stakes
        long e3 = e2 + 1;
        advanceTo(chain, c, 20 * e3 + 2);
        for (long b = 20 * e3 + 3; b <= 20 * e3 + slot; b++) advanceTo(chain, c, b);
        List<Event> paid = c.events(20 * e3 + slot);
        List<Event.NodeReward> rewards = paid.stream()
                .filter(Event.NodeReward.class::isInstance)
                .map(Event.NodeReward.class::cast)
                .toList();
        assertThat(rewards)
                .extracting(Event.NodeReward::subnetNodeId)
                .containsExactlyInAnyOrderElementsOf(nodeIdOf.values());
        for (int i = 0; i < NODES; i++) {
            int id = nodeIdOf.get(i);
            BigInteger reward = rewards.stream()
                    .filter(r -> r.subnetNodeId() == id)
                    .findFirst()
                    .orElseThrow()
                    .reward();
            assertThat(reward).isPositive();
            SubnetNodeInfo after = c.subnetNode(sid, id).orElseThrow();
            if (id == elected)
                assertThat(after.stake())
                        .as("the proposer also earns the validator's reward")
                        .isGreaterThan(stakesBefore.get(i).add(reward));
            else assertThat(after.stake()).isEqualTo(stakesBefore.get(i).add(reward));
        }
        assertThat(c.delegateStakes(owner.account()).get(0).balance())
                .as("the delegators' share went into the subnet's pool")
                .isGreaterThan(delegatedBefore);
    }
}
