package dev.hyperj.subnet.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.consensus.ConsensusLoop.Action;
import dev.hyperj.subnet.consensus.ConsensusLoop.Outcome;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Subnet nodes' consensus loops against a timed dev chain in one JVM: three real nodes on loopback
 * reaching consensus, and loops driven to the outcomes of disagreement.
 */
@Timeout(150)
class ConsensusLoopTest {
    private static final int EPOCH = 20;
    private static final int NODES = 3;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DevChain chain;

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        if (chain != null) chain.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    @Test
    void threeNodesHeartbeatProposeAndAttestForThreeConsecutiveEpochsAndEarnRewards() throws Exception {
        chain = DevChain.timed(EPOCH, 150);
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Host h = closing(Host.builder()
                    .identity(Keys.generate(KeyType.ED25519))
                    .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                    .threads(1)
                    .build());
            h.start().get(10, TimeUnit.SECONDS);
            hosts.add(h);
        }
        List<Integer> validators = chain.registerValidators(NODES);
        int sid = chain.registerSubnet(DevChain.oneNodeEach(validators), Map.of());
        List<Integer> nodeIds = new ArrayList<>();
        for (int i = 0; i < NODES; i++)
            nodeIds.add(chain.registerNode(
                    DevChain.COLDKEYS.get(i),
                    validators.get(i),
                    sid,
                    hosts.get(i).peerId().toBase58()));
        chain.activate(sid);

        // outcomes by epoch, by node
        Map<Long, Map<Integer, ConsensusLoop.Outcome>> outcomes = new ConcurrentHashMap<>();
        List<HeartbeatLog> logs = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Host h = hosts.get(i);
            GossipSub g = closing(GossipSub.start(
                    h,
                    GossipConfig.defaults().toBuilder()
                            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
                            .build(),
                    PeerScoreParams.defaults(),
                    PeerScoreThresholds.defaults()));
            EpochTracker t = closing(EpochTracker.start(chain.client, sid));
            HeartbeatLog log = new HeartbeatLog();
            logs.add(log);
            closing(HeartbeatTopic.join(g, t, h.peerId(), log).get(10, TimeUnit.SECONDS));
            ConsensusLoop loop = closing(ConsensusLoop.start(
                    chain.client, t, DevChain.hotkey(i + 1), h.peerId().toBase58(), new HeartbeatScorer(log)));
            loop.onOutcome(o -> outcomes.computeIfAbsent(o.epoch(), e -> new ConcurrentHashMap<>())
                    .put(o.subnetNodeId(), o));
        }
        for (int i = 1; i < NODES; i++) {
            for (int j = 0; j < i; j++)
                hosts.get(i).connect(hosts.get(j).listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        }

        // wait for three consecutive epochs in which every node scored all three and the chain saw 3 of 3 attestations
        Set<Integer> all = Set.copyOf(nodeIds);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(110);
        List<Long> good = new ArrayList<>();
        long checked = -1;
        while (good.size() < 3) {
            assertThat(System.nanoTime())
                    .as("3 consecutive epochs of full consensus; outcomes %s", outcomes)
                    .isLessThan(deadline);
            long now = chain.client.subnetEpoch(sid);
            // look at epochs whose attest window is over
            for (long e = checked + 1; e < now; e++) {
                checked = e;
                Map<Integer, ConsensusLoop.Outcome> byNode = outcomes.getOrDefault(e, Map.of());
                Optional<ConsensusSubmission> s =
                        chain.client.validatorsAndAttestors(sid, e).map(v -> v.submission());
                boolean full = byNode.keySet().equals(all)
                        && byNode.values().stream()
                                .allMatch(o -> o.action() == ConsensusLoop.Action.PROPOSED
                                        || o.action() == ConsensusLoop.Action.ATTESTED)
                        && byNode.values().stream()
                                .allMatch(o -> o.scores().stream()
                                        .map(NodeScore::subnetNodeId)
                                        .collect(Collectors.toSet())
                                        .equals(all))
                        && s.isPresent()
                        && s.get().attests().keySet().equals(all)
                        && s.get().data().stream().allMatch(ns -> ns.score().equals(HeartbeatScorer.FULL_SCORE))
                        && s.get().data().size() == NODES;
                if (full) {
                    if (!good.isEmpty() && good.get(good.size() - 1) != e - 1) good.clear();
                    good.add(e);
                } else {
                    good.clear();
                }
            }
            awaitBlocks(2);
        }
        // exactly one proposer per epoch, the chain's elected validator
        for (long e : good) {
            long proposers = outcomes.get(e).values().stream()
                    .filter(o -> o.action() == ConsensusLoop.Action.PROPOSED)
                    .count();
            assertThat(proposers).isEqualTo(1);
        }
        // every node heard every node's heartbeat in those epochs (the scored ones are the epochs before)
        for (HeartbeatLog l : logs) assertThat(l.nodes(good.get(1))).isEqualTo(all);

        // the runtime settles the last good epoch at the start of the next one: stakes grow
        BigInteger[] before = nodeIds.stream()
                .map(n -> chain.client.subnetNode(sid, n).orElseThrow().stake())
                .toArray(BigInteger[]::new);
        long settle =
                chain.client.subnet(sid).orElseThrow().subnet().slot() + (chain.client.subnetEpoch(sid) + 1) * EPOCH;
        while (chain.client.blockNumber() <= settle) awaitBlocks(1);
        for (int i = 0; i < NODES; i++) {
            assertThat(chain.client
                            .subnetNode(sid, nodeIds.get(i))
                            .orElseThrow()
                            .stake())
                    .as("node %s earned rewards", nodeIds.get(i))
                    .isGreaterThan(before[i]);
        }
    }

    /**
     * The loop against nodes that never agree: each scores itself higher than the others, so
     * whoever proposes, the others report MISMATCH; node 0 signs with a key the chain does not know,
     * so in an epoch it is elected for its proposal fails and the others, waiting block by block,
     * report NO_SUBMISSION_IN_WINDOW. (Every outcome of the duty itself: {@link EpochDutyTest}.)
     */
    @Test
    void nodesThatDisagreeAndAnElectedNodeThatCannotProposeReachTheirOutcomes() throws Exception {
        chain = DevChain.timed(EPOCH, 100);
        List<Integer> validators = chain.registerValidators(3);
        int sid = chain.registerSubnet(DevChain.oneNodeEach(validators), Map.of());
        List<String> peers = new ArrayList<>();
        List<Integer> nodeIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            peers.add(PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey())
                    .toBase58());
            nodeIds.add(chain.registerNode(DevChain.COLDKEYS.get(i), validators.get(i), sid, peers.get(i)));
        }
        EpochTracker tracker = closing(EpochTracker.start(chain.client, sid));
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        List<ConsensusLoop> loops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Signer signer = i == 0 ? DevChain.hotkey(99) : DevChain.hotkey(i + 1);
            int me = nodeIds.get(i);
            ConsensusLoop l = closing(ConsensusLoop.start(
                    chain.client,
                    tracker,
                    signer,
                    peers.get(i),
                    (e, s) -> nodeIds.stream()
                            .map(n -> new NodeScore(n, n == me ? U128.ONE_E18 : U128.ONE_E18.shiftRight(1)))
                            .toList()));
            l.onOutcome(outcomes::add);
            loops.add(l);
        }

        // before activation: nothing to do
        loops.get(1).runEpoch(eventNow(sid));
        Outcome o = next(outcomes, nodeIds.get(1));
        assertThat(o.action()).isEqualTo(Action.NOT_ELIGIBLE);
        assertThat(o.detail()).contains("subnet not active");

        chain.activate(sid);
        outcomes.clear();
        boolean mismatch = false, noSubmission = false, proposeFailed = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(mismatch && noSubmission && proposeFailed)) {
            assertThat(System.nanoTime())
                    .as(
                            "MISMATCH, NO_SUBMISSION_IN_WINDOW and PROPOSE_FAILED within 90 s; saw mismatch=%s,"
                                    + " no submission=%s, propose failed=%s",
                            mismatch, noSubmission, proposeFailed)
                    .isLessThan(deadline);
            Outcome seen = outcomes.poll(1, TimeUnit.SECONDS);
            if (seen == null) continue;
            switch (seen.action()) {
                case MISMATCH -> mismatch = true;
                case NO_SUBMISSION_IN_WINDOW -> noSubmission = true;
                case PROPOSE_FAILED -> {
                    assertThat(seen.subnetNodeId())
                            .as("only node 0 cannot sign")
                            .isEqualTo(nodeIds.get(0));
                    proposeFailed = true;
                }
                case ATTESTED -> throw new AssertionError("nodes that never agree attested: " + seen);
                default -> {}
            }
        }
    }

    private static Outcome next(BlockingQueue<Outcome> outcomes, int nodeId) throws InterruptedException {
        while (true) {
            Outcome o = outcomes.poll(10, TimeUnit.SECONDS);
            assertThat(o).as("an outcome of node %s", nodeId).isNotNull();
            if (o.subnetNodeId() == nodeId) return o;
        }
    }

    private EpochEvent eventNow(int sid) {
        long block = chain.client.blockNumber();
        int slot = chain.client.subnet(sid).orElseThrow().subnet().slot();
        return new EpochEvent(EpochPosition.at(block, slot, EPOCH), SubnetSnapshot.read(chain.client, sid, block), 0);
    }

    private void awaitBlocks(int n) throws Exception {
        CountDownLatch l = new CountDownLatch(n);
        try (AutoCloseable s = chain.client.subscribeNewHeads(h -> l.countDown())) {
            assertThat(l.await(10, TimeUnit.SECONDS)).as("blocks keep coming").isTrue();
        }
    }
}
