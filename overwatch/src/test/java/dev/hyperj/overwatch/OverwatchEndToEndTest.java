package dev.hyperj.overwatch;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.NetworkReads.OverwatchNodeInfo;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.examples.inference.InferenceApp;
import dev.hyperj.examples.inference.InferenceCheck;
import dev.hyperj.examples.inference.InferenceProtocol;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.protocol.identify.Identify;
import dev.hyperj.subnet.node.SubnetApplication;
import dev.hyperj.subnet.overwatch.OverwatchChecks;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The agent against a real network with two inference subnets: "healthy" (three honest nodes) and
 * "faulty" (an honest bootnode, a node running the wrong model, a node that does not serve the
 * subnet's protocol, and a registered node that is down).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class OverwatchEndToEndTest {
    OverwatchNet net;
    OverwatchNet.Subnet healthy, faulty;
    OverwatchAgent agent;
    int owId;
    Path storage;
    final List<AgentEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void network() throws Exception {
        // 20-block epochs of 150 ms blocks (3 s); overwatch epochs of 4 subnet epochs (12 s)
        net = new OverwatchNet(20, 4, 150);
        String check = OverwatchChecks.declaration(InferenceCheck.ID);
        healthy = net.subnet("healthy", 3, check);
        faulty = net.subnet("faulty", 4, check);
        net.activate(healthy);
        net.activate(faulty);
        // the first healthy validator runs the overwatch node: qualified (lowered thresholds, Validator-class
        // node in half the active subnets) before its nodes run, so no missed proposal can lower its score
        Secp256k1 coldkey = healthy.members().get(0).coldkey;
        net.whitelist(coldkey);
        Secp256k1 owHotkey = OverwatchNet.key(0x44, 0);
        net.awaitCondition("validator old enough", Duration.ofSeconds(60), () -> {
            try {
                owId = Enrollment.ensureRegistered(net.chain, coldkey, owHotkey, tensor(100), events::add);
                return true;
            } catch (Enrollment.EnrollmentException e) {
                if (!e.getMessage().contains("MinAge")) throw new AssertionError(e.getMessage());
                return false;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        net.startAll(healthy, i -> Optional.of(new InferenceApp()));
        net.startAll(faulty, i -> switch (i) {
            case 0 -> Optional.of(new InferenceApp());
            case 1 -> Optional.of(InferenceApp.faulty());
            case 2 -> Optional.of(new SubnetApplication() {}); // the framework only: no inference protocol
            default -> Optional.empty(); // registered, never started: down
        });
        storage = Files.createTempDirectory(net.dir, "agent-");
        agent = OverwatchAgent.start(net.agentConfig(Keys.generate(KeyType.ED25519), owHotkey, owId, storage), e -> {
            System.out.println("agent: " + e); // in the surefire report, for diagnosis
            events.add(e);
        });
        net.awaitCondition(
                "probes of both subnets",
                Duration.ofSeconds(60),
                () -> agent.probe(healthy.id()).isPresent()
                        && agent.probe(faulty.id()).isPresent());
    }

    @AfterAll
    void stop() {
        if (agent != null) agent.close();
        if (net != null) net.close();
    }

    @Test
    @Order(1)
    void measuresEachNodeAsAUserMeetsIt() {
        SubnetMeasurement m = agent.probe(faulty.id()).orElseThrow().measure(0, new Random(7));
        assertThat(m.checkId()).contains(InferenceCheck.ID);
        Map<Integer, NodeMeasurement> byNode = new java.util.HashMap<>();
        m.nodes().forEach(n -> byNode.put(n.subnetNodeId().orElseThrow(), n));
        List<OverwatchNet.Member> ms = faulty.members();

        NodeMeasurement honest = byNode.get(ms.get(0).subnetNodeId);
        assertThat(honest.reachable()).isTrue();
        assertThat(honest.identified()).isTrue();
        assertThat(honest.missingProtocols()).isEmpty();
        assertThat(honest.check().orElseThrow().passed()).as(honest.problem()).isTrue();

        NodeMeasurement wrongModel = byNode.get(ms.get(1).subnetNodeId);
        assertThat(wrongModel.reachable()).isTrue();
        assertThat(wrongModel.missingProtocols()).isEmpty();
        assertThat(wrongModel.check().orElseThrow().passed()).isFalse();
        assertThat(wrongModel.problem()).contains("wrong model output");

        NodeMeasurement wrongProtocol = byNode.get(ms.get(2).subnetNodeId);
        assertThat(wrongProtocol.reachable()).isTrue();
        assertThat(wrongProtocol.identified()).isTrue();
        assertThat(wrongProtocol.missingProtocols()).containsExactly(InferenceProtocol.ID);
        assertThat(wrongProtocol.check().orElseThrow().passed()).isFalse();

        NodeMeasurement down = byNode.get(ms.get(3).subnetNodeId);
        assertThat(down.reachable()).isFalse();
        assertThat(down.check()).isEmpty();

        assertThat(Weighing.nodeHealth(honest, true)).isGreaterThan(Weighing.nodeHealth(wrongModel, true));
        assertThat(Weighing.nodeHealth(wrongModel, true)).isGreaterThan(Weighing.nodeHealth(wrongProtocol, true));
        assertThat(Weighing.nodeHealth(wrongProtocol, true)).isGreaterThan(Weighing.nodeHealth(down, true));
    }

    @Test
    @Order(2)
    void theGateAdmitsTheRegisteredOverwatchPeerAndRefusesAPretender() throws Exception {
        OverwatchNet.Member boot = healthy.members().get(0);
        Multiaddr bootAddr = boot.listen.withPeerId(boot.peerId());
        // the agent's probe got in: the bootnode holds a connection from the overwatch peer id
        assertThat(boot.node.context().host().connections().isConnected(agent.peerId()))
                .isTrue();
        // a peer that says it is an overwatch agent, with a key the chain does not list, is refused
        PrivateKey pretender = Keys.generate(KeyType.ED25519);
        try (Host h = Host.builder()
                .identity(pretender)
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .agentVersion("hyperj-overwatch/0.1.0")
                .build()) {
            h.start().get(10, TimeUnit.SECONDS);
            Identify.install(h);
            assertThatThrownBy(() -> {
                        h.connect(bootAddr).get(15, TimeUnit.SECONDS);
                        h.newStream(boot.peerId(), InferenceProtocol.ID).get(15, TimeUnit.SECONDS);
                    })
                    .isInstanceOf(ExecutionException.class);
            assertThat(boot.node.context().host().connections().isConnected(h.peerId()))
                    .isFalse();
        }
        // and the agent's own identity, registered for the healthy subnet, is admitted by the chain's proof of stake
        assertThat(net.chain.proofOfStake(
                        healthy.id(),
                        agent.peerId().toBase58(),
                        dev.hyperj.chain.runtime.Model.NodeClass.Validator,
                        Optional.empty()))
                .isTrue();
        assertThat(net.chain.proofOfStake(
                        healthy.id(),
                        dev.hyperj.p2p.peer.PeerId.fromPublicKey(pretender.publicKey())
                                .toBase58(),
                        dev.hyperj.chain.runtime.Model.NodeClass.Registered,
                        Optional.empty()))
                .isFalse();
    }

    @Test
    @Order(3)
    void weighsCommitsRevealsAndIsPaidAndTheRuntimeFollows() throws Exception {
        // the first overwatch epoch the agent reveals in, measured once the healthy subnet had settled epochs
        AgentEvent.Revealed revealed = await(
                AgentEvent.Revealed.class,
                Duration.ofSeconds(100),
                r -> events.stream()
                        .anyMatch(x -> x instanceof AgentEvent.Measured m
                                && m.overwatchEpoch() == r.overwatchEpoch()
                                && m.subnetId() == healthy.id()
                                && m.attestation() != null));
        long e = revealed.overwatchEpoch();
        long nextStart = (e + 1) * net.overwatchEpochLength();
        BigInteger beforeH = emission(healthy), beforeF = emission(faulty);
        assertThat(net.chain.blockNumber())
                .as("read before the next overwatch epoch")
                .isLessThan(nextStart + 2);

        AgentEvent.Committed committed = events.stream()
                .filter(x -> x instanceof AgentEvent.Committed c && c.overwatchEpoch() == e)
                .map(x -> (AgentEvent.Committed) x)
                .findFirst()
                .orElseThrow();
        Map<Integer, BigInteger> weights = committed.weights();
        assertThat(weights).containsOnlyKeys(healthy.id(), faulty.id());
        // the healthy subnet weighs more; its nodes serve users (service near 1), the faulty one's do not
        // (honest 1, wrong model 0.6, wrong protocol 0.4, down 0: about 0.5)
        assertThat(weights.get(healthy.id())).isGreaterThan(weights.get(faulty.id()));
        assertThat(measured(e, healthy.id()).service()).isGreaterThan(0.9);
        assertThat(measured(e, faulty.id()).service()).isBetween(0.3, 0.65);
        assertThat(U128.toRatio(weights.get(healthy.id())))
                .isCloseTo(measured(e, healthy.id()).weight(), Offset.offset(1e-9));
        // what the chain holds is what the agent committed and revealed
        assertThat(revealed.weights()).isEqualTo(weights);
        assertThat(net.chain.overwatchReveals(e, owId)).isEqualTo(weights);
        Journal.Entry entry = agent.journal().read(e).orElseThrow();
        assertThat(net.chain.overwatchCommits(e, owId))
                .allSatisfy((s, hash) -> assertThat(hash)
                        .isEqualTo(OverwatchAgent.commitment(entry.subnets().get(s))));

        // scored one block after the epoch: paid into the overwatch stake
        AgentEvent.Earned earned = await(AgentEvent.Earned.class, Duration.ofSeconds(60), x -> x.overwatchEpoch() == e);
        assertThat(earned.reward()).isPositive();
        OverwatchNodeInfo me = net.chain.overwatchNodes().stream()
                .filter(o -> o.node().id() == owId)
                .findFirst()
                .orElseThrow();
        assertThat(me.node().stake()).isGreaterThanOrEqualTo(tensor(100).add(earned.reward()));

        // the next emission weights (block (e + 1) * L + 2) multiply each subnet by its overwatch weight:
        // with one overwatch node, the subnet's overwatch weight is its reveal; before, the previous
        // epoch's (0.5 when none)
        net.awaitBlock(nextStart + 2);
        BigInteger afterH = emission(healthy), afterF = emission(faulty);
        double owBeforeH = previousReveal(e - 1, healthy.id()), owBeforeF = previousReveal(e - 1, faulty.id());
        double wH = U128.toRatio(weights.get(healthy.id())), wF = U128.toRatio(weights.get(faulty.id()));
        double ratioBefore = ratio(beforeH, beforeF), ratioAfter = ratio(afterH, afterF);
        double expectedChange = StrictMath.pow((wH / owBeforeH) / (wF / owBeforeF), 0.75);
        assertThat(ratioAfter / ratioBefore)
                .as("emission weight ratio healthy/faulty: before %s, after %s", ratioBefore, ratioAfter)
                .isCloseTo(expectedChange, Offset.offset(expectedChange * 0.15));
        assertThat(ratioAfter).isGreaterThan(ratioBefore * (expectedChange > 1.05 ? 1.0 : 0.0));
    }

    private AgentEvent.Measured measured(long epoch, int subnet) {
        return events.stream()
                .filter(x ->
                        x instanceof AgentEvent.Measured m && m.overwatchEpoch() == epoch && m.subnetId() == subnet)
                .map(x -> (AgentEvent.Measured) x)
                .findFirst()
                .orElseThrow();
    }

    private double previousReveal(long epoch, int subnet) {
        return events.stream()
                .filter(x -> x instanceof AgentEvent.Revealed r && r.overwatchEpoch() == epoch)
                .map(x -> U128.toRatio(((AgentEvent.Revealed) x).weights().get(subnet)))
                .findFirst()
                .orElse(0.5);
    }

    private static double ratio(BigInteger a, BigInteger b) {
        return U128.toRatio(a) / U128.toRatio(b);
    }

    private BigInteger emission(OverwatchNet.Subnet s) {
        return net.chain.subnet(s.id()).orElseThrow().emissionWeight();
    }

    private <E extends AgentEvent> E await(Class<E> type, Duration timeout) throws Exception {
        return await(type, timeout, x -> true);
    }

    private <E extends AgentEvent> E await(Class<E> type, Duration timeout, java.util.function.Predicate<E> p)
            throws Exception {
        Object[] box = new Object[1];
        net.awaitCondition(type.getSimpleName() + " event (events so far: " + events.size() + ")", timeout, () -> {
            for (AgentEvent x : events) {
                if (type.isInstance(x) && p.test(type.cast(x))) {
                    box[0] = x;
                    return true;
                }
            }
            return false;
        });
        return type.cast(box[0]);
    }
}
