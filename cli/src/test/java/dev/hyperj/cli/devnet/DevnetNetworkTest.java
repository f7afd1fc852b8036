package dev.hyperj.cli.devnet;

import static dev.hyperj.cli.devnet.DevnetEndToEnd.consecutiveConsensus;
import static dev.hyperj.cli.devnet.DevnetEndToEnd.events;
import static dev.hyperj.cli.devnet.DevnetEndToEnd.inData;
import static dev.hyperj.cli.devnet.DevnetEndToEnd.report;
import static dev.hyperj.cli.devnet.DevnetEndToEnd.settlementBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model.Attestation;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.ConnectionListener;
import dev.hyperj.p2p.kad.PeerInfo;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.consensus.Heartbeat;
import dev.hyperj.subnet.node.SubnetApplication;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's "must show" on one live devnet of 4 nodes over the real RPC (each node with its own
 * remote chain client, real sockets, RocksDB): consensus with stakes growing by exactly what the
 * runtime paid; an unstaked peer kept out of every node; a node registered later climbing every
 * class. The tests run in order on the same network, as one run of it (a devnet takes half a
 * minute to come up on this machine).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevnetNetworkTest {
    @TempDir
    static Path dir;

    private Devnet devnet;
    private DevnetEndToEnd.Submissions submissions;

    @BeforeAll
    @Timeout(300)
    void start() throws Exception {
        devnet = Devnet.start(DevnetConfig.defaults(4).withBasePath(dir.resolve("devnet")));
        submissions = new DevnetEndToEnd.Submissions(devnet);
    }

    @AfterAll
    @Timeout(120)
    void stop() {
        if (devnet != null) devnet.close();
    }

    @Test
    @Order(1)
    @Timeout(300)
    void fourNodesReachConsensusThreeEpochsRunningAndEachStakeGrowsByExactlyWhatTheRuntimePaid() throws Exception {
        // from the second report on, so that every epoch of the run has the report before it to compare stakes with
        List<EpochReport> run = consecutiveConsensus(devnet, devnet.firstReportEpoch() + 1, 3, 12);
        BigInteger baseValidatorReward =
                devnet.chainNode().config().genesis().params().baseValidatorReward();
        for (EpochReport r : run) {
            assertThat(r.attestationRatio()).isGreaterThanOrEqualTo(0.66);
            assertThat(r.nodes()).hasSize(4).allMatch(n -> n.running() && n.nodeClass() == NodeClass.Validator);
            EpochReport before = report(devnet, r.subnetEpoch() - 1);
            assertThat(before.subnetEpoch()).isEqualTo(r.subnetEpoch() - 1);
            ConsensusSubmission sub = submissions.of(r.subnetEpoch()).orElseThrow();
            long block = settlementBlock(devnet, r.subnetEpoch());
            Event.SubnetRewards paid = events(devnet, block, Event.SubnetRewards.class)
                    .filter(e -> e.subnetId() == devnet.subnetId())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no SubnetRewards event in settlement block #" + block));
            assertThat(paid.epoch()).isEqualTo(r.subnetEpoch());
            Map<Integer, BigInteger> nodeRewards = new HashMap<>();
            events(devnet, block, Event.NodeReward.class)
                    .filter(e -> e.subnetId() == devnet.subnetId())
                    .forEach(e -> nodeRewards.merge(e.subnetNodeId(), e.reward(), BigInteger::add));
            assertThat(nodeRewards.values().stream().reduce(BigInteger.ZERO, BigInteger::add))
                    .isEqualTo(paid.nodeRewards());
            assertThat(events(devnet, block, Event.Slashing.class).filter(e -> e.subnetId() == devnet.subnetId()))
                    .isEmpty();

            // each reward as the runtime's rule computes it from the proposal: the node pool shared by score
            // (the weight score / sum rounded to 1e-18 first, as the pallet), times the attest factor
            BigInteger pool = paid.overall().subtract(paid.ownerReward()).subtract(paid.delegateReward());
            BigInteger sum = sub.data().stream().map(NodeScore::score).reduce(BigInteger.ZERO, BigInteger::add);
            assertThat(sum).isPositive();
            for (NodeScore s : sub.data()) {
                Attestation a = sub.attests().get(s.subnetNodeId());
                BigInteger factor = a == null ? U128.ONE_E18 : a.rewardFactor();
                assertThat(nodeRewards.get(s.subnetNodeId()))
                        .as("reward of node %d in epoch %d", s.subnetNodeId(), r.subnetEpoch())
                        .isEqualTo(U128.percentMul(U128.percentMul(U128.percentDiv(s.score(), sum), pool), factor))
                        .isPositive();
            }

            // and each stake moved by exactly that (plus the proposer's base reward times its timing factor), nothing
            // else
            for (EpochReport.NodeReport n : r.nodes()) {
                EpochReport.NodeReport then = before.node(n.subnetNodeId()).orElseThrow();
                BigInteger expected = nodeRewards.getOrDefault(n.subnetNodeId(), BigInteger.ZERO);
                if (n.subnetNodeId() == sub.validatorNodeId())
                    expected = expected.add(U128.percentMul(baseValidatorReward, sub.rewardFactor()));
                assertThat(n.stake().subtract(then.stake()))
                        .as("stake growth of node %d in epoch %d", n.subnetNodeId(), r.subnetEpoch())
                        .isEqualTo(expected)
                        .isPositive();
                // the rewards column moved by exactly what the events say the chain paid, not by a re-run subtraction
                assertThat(n.rewards().subtract(then.rewards()))
                        .as("rewards column of node %d in epoch %d", n.subnetNodeId(), r.subnetEpoch())
                        .isEqualTo(DevnetEndToEnd.paidTo(devnet, submissions, r.subnetEpoch(), n.subnetNodeId()))
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    @Order(2)
    @Timeout(300)
    void aPeerWithNoStakeIsRefusedAtTheDoorAndNeverEntersRoutingTablesOrMeshes() throws Exception {
        PrivateKey key = Keys.generate(KeyType.ED25519);
        PeerId outsider = PeerId.fromPublicKey(key.publicKey());
        List<DevnetNode> nodes =
                devnet.nodes().stream().filter(DevnetNode::running).toList();
        assertThat(nodes).hasSizeGreaterThanOrEqualTo(4);
        List<String> admitted = new CopyOnWriteArrayList<>();
        Map<Integer, CountDownLatch> refused = new HashMap<>();
        List<Runnable> unhook = new ArrayList<>();
        for (DevnetNode n : nodes) {
            CountDownLatch denied = new CountDownLatch(1);
            refused.put(n.index(), denied);
            ConnectionListener l = new ConnectionListener() {
                @Override
                public void connected(Connection c) {
                    if (c.remotePeer().equals(outsider)) admitted.add("n" + n.index());
                }

                @Override
                public void refused(Multiaddr remote, boolean inbound, String reason) {
                    if (inbound && reason.contains("denied by the gater")) denied.countDown();
                }
            };
            var cm = n.subnetNode().orElseThrow().context().host().connections();
            cm.addListener(l);
            unhook.add(() -> cm.removeListener(l));
        }
        Secp256k1 unusedHotkey = Secp256k1.fromPrivateKey(new byte[] {
            0x44, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
            29, 30, 31
        });
        // a complete subnet node with its own chain client, bootstrapping from the subnet's bootnode as any node would
        try (ChainClient chain = ChainClient.connect(devnet.rpcUri());
                SubnetNode o = SubnetNode.start(
                        SubnetNodeConfig.builder(devnet.subnetId(), key, unusedHotkey, dir.resolve("outsider"))
                                .gossip(devnet.config().gossip())
                                .bootstrap(List.of(devnet.node(0).address().orElseThrow()))
                                .build(),
                        chain,
                        new SubnetApplication() {})) {
            // it dials every node directly too: each refuses it once its stake check says no
            for (DevnetNode n : nodes) {
                Multiaddr addr = n.address().orElseThrow();
                assertThatThrownBy(() -> o.context().host().connect(addr).get(60, TimeUnit.SECONDS))
                        .as("dial to n%d", n.index())
                        .isInstanceOf(ExecutionException.class);
            }
            for (DevnetNode n : nodes) {
                assertThat(refused.get(n.index()).await(60, TimeUnit.SECONDS))
                        .as("n%d refused the unstaked peer at its gater", n.index())
                        .isTrue();
            }
            // let a whole epoch of heartbeats, gossip heartbeats and DHT traffic pass with the outsider still trying
            EpochReport after = devnet.nextReport().get(DevnetEndToEnd.REPORT_TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(after.nodes()).noneMatch(r -> r.peerId().equals(outsider.toBase58()));
            for (DevnetNode n : nodes) {
                var ctx = n.subnetNode().orElseThrow().context();
                assertThat(ctx.host().connections().isConnected(outsider))
                        .as("n%d connected", n.index())
                        .isFalse();
                assertThat(ctx.dht().routingTablePeers().get(30, TimeUnit.SECONDS))
                        .extracting(PeerInfo::id)
                        .as("n%d routing table", n.index())
                        .doesNotContain(outsider);
                Set<PeerId> gossipPeers =
                        ctx.gossip().call(r -> Set.copyOf(r.peers())).get(30, TimeUnit.SECONDS);
                Set<PeerId> mesh = ctx.gossip()
                        .call(r -> Set.copyOf(r.meshPeers(Heartbeat.TOPIC)))
                        .get(30, TimeUnit.SECONDS);
                assertThat(gossipPeers).as("n%d gossip peers", n.index()).doesNotContain(outsider);
                assertThat(mesh)
                        .as("n%d heartbeat mesh", n.index())
                        .doesNotContain(outsider)
                        .isNotEmpty();
            }
            assertThat(admitted).as("nodes that let the outsider in").isEmpty();
            assertThat(o.context().host().connections().connectedPeers()).isEmpty();
            assertThat(o.context().heartbeats().nodes(after.subnetEpoch()))
                    .as("heartbeats the outsider heard")
                    .isEmpty();
        } finally {
            unhook.forEach(Runnable::run);
        }
    }

    @Test
    @Order(3)
    @Timeout(600)
    void aNodeRegisteredLaterClimbsRegisteredIdleIncludedValidator() throws Exception {
        // the owner shortens the climb: no extra queue wait, one consensus epoch as Idle, one in the data as Included
        Secp256k1 owner = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
        int sid = devnet.subnetId();
        for (Call c : List.of(
                new Call.OwnerUpdateRegistrationQueueEpochs(sid, 0),
                new Call.OwnerUpdateIdleClassificationEpochs(sid, 1),
                new Call.OwnerUpdateIncludedClassificationEpochs(sid, 1))) {
            TxResult r = devnet.chain().submit(owner, c).get(120, TimeUnit.SECONDS);
            assertThat(r.ok()).as("%s: %s", c, r.message()).isTrue();
        }
        DevnetNode late = devnet.addNode();
        int id = late.subnetNodeId();
        long registeredIn = devnet.currentSubnetEpoch();
        assertThat(devnet.chain().subnetNode(sid, id).orElseThrow().node().nodeClass())
                .isEqualTo(NodeClass.Registered);
        assertThat(late.running()).isTrue();

        List<NodeClass> climb = new ArrayList<>(List.of(NodeClass.Registered));
        Map<NodeClass, Long> reachedIn = new HashMap<>();
        long next = registeredIn;
        for (int epochs = 0; climb.get(climb.size() - 1) != NodeClass.Validator; epochs++) {
            assertThat(epochs)
                    .as("the climb within 14 epochs; classes so far %s; reports %s", climb, devnet.reports())
                    .isLessThan(14);
            EpochReport r = report(devnet, next);
            next = r.subnetEpoch() + 1;
            NodeClass now = r.node(id)
                    .orElseThrow(() -> new AssertionError("node " + id + " left the subnet: " + r))
                    .nodeClass();
            NodeClass last = climb.get(climb.size() - 1);
            if (now != last) {
                assertThat(now.ordinal())
                        .as("one class at a time, never down: %s after %s", now, climb)
                        .isEqualTo(last.ordinal() + 1);
                climb.add(now);
                reachedIn.put(now, r.subnetEpoch());
                if (now == NodeClass.Included || now == NodeClass.Validator) {
                    // graduation happens only in an epoch that reached consensus
                    assertThat(r.consensus())
                            .as("epoch %d graduated node %d to %s", r.subnetEpoch(), id, now)
                            .isTrue();
                }
                if (now == NodeClass.Validator) {
                    // the condition: in the consensus data of that epoch, with full reputation
                    assertThat(inData(submissions.of(r.subnetEpoch()).orElseThrow(), id))
                            .as("node %d in epoch %d's data", id, r.subnetEpoch())
                            .isTrue();
                    assertThat(r.node(id).orElseThrow().reputationRatio()).isEqualTo(1.0);
                }
            }
        }
        assertThat(climb)
                .containsExactly(NodeClass.Registered, NodeClass.Idle, NodeClass.Included, NodeClass.Validator);
        // as a Validator it is in the validator set of a later proposal (it may attest and be elected)
        long from = reachedIn.get(NodeClass.Validator) + 1;
        boolean inSet = false;
        for (long e = from; e < from + 6 && !inSet; e++) {
            EpochReport r = report(devnet, e);
            inSet = submissions
                    .of(r.subnetEpoch())
                    .map(s -> s.validatorSet().contains(id))
                    .orElse(false);
        }
        assertThat(inSet).as("node %d in a validator set after graduating", id).isTrue();
    }
}
