package dev.hyperj.examples.inference;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.consensus.ConsensusLoop.Action;
import dev.hyperj.subnet.consensus.HeartbeatScorer;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example subnet end to end: four nodes on a real dev chain (one of them faulty) reach
 * consensus with the inference scorer, the faulty node is scored out, and a user asks any node
 * for an inference.
 */
@Timeout(180)
class InferenceSubnetTest {
    private static final GossipConfig FAST = GossipConfig.defaults().toBuilder()
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
            .build();
    private static final int NODES = 4;
    private static final int FAULTY = 3;
    /**
     * Above the subnet's minimum of 100: the chain slashes a little stake from a node that misses its
     * turn as validator (as a node still starting up may), and a node below the minimum loses its
     * proof of stake, and with it its peers and its users.
     */
    private static final BigInteger STAKE = tensor(500);

    @Test
    void nodesAgreeOnScoresLeaveTheFaultyNodeOutAndServeUsers(@TempDir Path dir) throws Exception {
        try (DevChain chain = DevChain.timed(20, 250)) {
            List<PrivateKey> keys = new ArrayList<>();
            for (int i = 0; i < NODES; i++) keys.add(Keys.generate(KeyType.ED25519));
            PrivateKey userKey = Keys.generate(KeyType.ED25519);
            PeerId user = PeerId.fromPublicKey(userKey.publicKey());

            List<Integer> validators = chain.registerValidators(NODES);
            int subnet = chain.registerSubnet(DevChain.oneNodeEach(validators), Map.of());
            List<Integer> nodeIds = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                // node 0's operator registers the user's key as its client peer id: the way users get past the stake
                // gate
                Optional<PeerInfo> client = i == 0 ? Optional.of(PeerInfo.of(user.toBase58())) : Optional.empty();
                var r = chain.ok(
                        DevChain.COLDKEYS.get(i),
                        new Call.RegisterSubnetNode(
                                validators.get(i),
                                subnet,
                                Optional.empty(),
                                PeerInfo.of(PeerId.fromPublicKey(keys.get(i).publicKey())
                                        .toBase58()),
                                Optional.empty(),
                                client,
                                STAKE,
                                Optional.empty(),
                                Optional.empty(),
                                tensor(1)));
                nodeIds.add(r.events(Event.SubnetNodeRegistered.class).get(0).subnetNodeId());
            }
            chain.activate(subnet);
            assertThat(chain.client.subnetNodes(subnet).get(0).node().clientPeerInfo())
                    .contains(PeerInfo.of(user.toBase58()));
            assertThat(chain.client.proofOfStake(subnet, user.toBase58(), NodeClass.Registered, Optional.empty()))
                    .as("the user's proof of stake")
                    .isTrue();

            Map<Integer, BigInteger> expected = new TreeMap<>();
            for (int i = 0; i < NODES; i++) if (i != FAULTY) expected.put(nodeIds.get(i), HeartbeatScorer.FULL_SCORE);
            Map<Long, Set<Integer>> agreed =
                    new ConcurrentHashMap<>(); // epoch -> nodes that proposed/attested exactly `expected`
            Map<Long, Set<Action>> actions = new ConcurrentHashMap<>();
            CompletableFuture<Long> twoInARow = new CompletableFuture<>();

            List<SubnetNode> nodes = new ArrayList<>();
            List<InferenceApp> apps = new ArrayList<>();
            try {
                List<Multiaddr> boot = List.of();
                for (int i = 0; i < NODES; i++) {
                    InferenceApp app = i == FAULTY ? InferenceApp.faulty() : new InferenceApp();
                    SubnetNodeConfig c = SubnetNodeConfig.builder(
                                    subnet, keys.get(i), DevChain.hotkey(i + 1), dir.resolve("n" + i))
                            .gossip(FAST)
                            .bootstrap(boot)
                            .build();
                    SubnetNode n = SubnetNode.start(c, chain.client, app);
                    nodes.add(n);
                    apps.add(app);
                    n.consensus().onOutcome(o -> {
                        actions.computeIfAbsent(o.epoch(), e -> ConcurrentHashMap.newKeySet())
                                .add(o.action());
                        boolean took = o.action() == Action.PROPOSED || o.action() == Action.ATTESTED;
                        if (!took || !ConsensusLoopView.asMap(o.scores()).equals(expected)) return;
                        Set<Integer> s = agreed.computeIfAbsent(o.epoch(), e -> ConcurrentHashMap.newKeySet());
                        s.add(o.subnetNodeId());
                        Set<Integer> before = agreed.getOrDefault(o.epoch() - 1, Set.of());
                        if (s.size() == NODES && before.size() == NODES) twoInARow.complete(o.epoch());
                    });
                    if (i == 0)
                        boot = List.of(n.context().host().listenAddresses().get(0));
                }

                // every node, the faulty one included, proposed or attested the same scores in two consecutive epochs
                long last;
                try {
                    last = twoInARow.get(150, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError(
                            "no two consecutive epochs of full consensus; agreed " + agreed + ", actions " + actions);
                }
                for (long epoch : List.of(last - 1, last)) {
                    ConsensusSubmission s = chain.client
                            .validatorsAndAttestors(subnet, epoch)
                            .orElseThrow()
                            .submission();
                    assertThat(ConsensusLoopView.asMap(s.data()))
                            .as("epoch %d's submitted scores", epoch)
                            .isEqualTo(expected)
                            .doesNotContainKey(nodeIds.get(FAULTY));
                    assertThat(s.attests().keySet())
                            .as("epoch %d's attestations", epoch)
                            .containsAll(nodeIds);
                }
                assertThat(actions.values().stream().flatMap(Set::stream))
                        .doesNotContain(Action.PROPOSE_FAILED, Action.ATTEST_FAILED);
                // every node heard the faulty node's wrong answer, and nobody equivocated
                long scored = last - 1;
                Inference right = InferenceModel.reference().infer(Challenge.input(subnet, scored - 1));
                for (InferenceApp app : apps) {
                    Map<Integer, Inference> heard = app.answers().answers(scored - 1);
                    assertThat(heard).hasSize(NODES);
                    assertThat(heard.get(nodeIds.get(FAULTY))).isNotEqualTo(right);
                    assertThat(heard.get(nodeIds.get(0))).isEqualTo(right);
                }

                askAsAUser(userKey, nodes);
            } finally {
                for (SubnetNode n : nodes) n.close();
            }
            for (SubnetNode n : nodes) assertThat(n.state()).isEqualTo(SubnetNode.State.STOPPED);
        }
    }

    /** A user with node 0's client peer id asks several nodes; the honest ones return the reference model's output. */
    private static void askAsAUser(PrivateKey userKey, List<SubnetNode> nodes) throws Exception {
        try (Host client = Host.builder().identity(userKey).threads(1).build()) {
            List<Integer> input = List.of(5, -17, 42, 1000, -1000, 0, 65536, -3);
            Inference right = InferenceModel.reference().infer(input);
            for (int i : List.of(1, 2, FAULTY)) {
                SubnetNode node = nodes.get(i);
                client.connect(node.context().host().listenAddresses().get(0)).get(30, TimeUnit.SECONDS);
                Inference got =
                        InferenceProtocol.infer(client, node.peerId(), input).get(30, TimeUnit.SECONDS);
                if (i == FAULTY) {
                    assertThat(got).as("the faulty node's answer").isNotEqualTo(right);
                } else {
                    assertThat(got).as("node %d's answer", i).isEqualTo(right);
                }
            }
            PeerId honest = nodes.get(1).peerId();
            // a question the model cannot take is answered with an error, and the node keeps serving
            assertThatThrownBy(() -> InferenceProtocol.infer(client, honest, List.of(1, 2, 3))
                            .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(InferenceRefusedException.class)
                    .hasMessageContaining("takes 8 inputs");
            byte[] garbage = RequestResponse.request(
                            client,
                            honest,
                            InferenceProtocol.ID,
                            "{\"input\": oops".getBytes(StandardCharsets.UTF_8),
                            InferenceProtocol.OPTIONS)
                    .get(30, TimeUnit.SECONDS);
            assertThat(InferenceCodec.decodeResponse(garbage).error())
                    .hasValueSatisfying(e -> assertThat(e).startsWith("not JSON"));
            assertThat(InferenceProtocol.infer(client, honest, input).get(30, TimeUnit.SECONDS))
                    .isEqualTo(right);
        }
    }

    /** Node id to score, as the consensus loop compares them. */
    static final class ConsensusLoopView {
        static Map<Integer, BigInteger> asMap(List<NodeScore> scores) {
            Map<Integer, BigInteger> m = new TreeMap<>();
            for (NodeScore s : scores) m.merge(s.subnetNodeId(), s.score(), BigInteger::min);
            return m;
        }
    }
}
