package dev.hyperj.subnet.dag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.dag.commit.CommitRevealSchemas;
import dev.hyperj.subnet.dag.commit.CommitWindow;
import dev.hyperj.subnet.dag.sync.DagPeers;
import dev.hyperj.subnet.dag.sync.SyncConfig;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.node.DagOptions;
import dev.hyperj.subnet.node.NodeContext;
import dev.hyperj.subnet.node.SubnetApplication;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole subnet nodes on real sockets and a dev chain: every epoch each node publishes a note and
 * commits scores; all nodes hold the same heads at each epoch's end; a node down for an epoch and a
 * node started three epochs late catch up; commit/reveal scores follow the rule; a copier and a
 * reveal without a commit get nothing.
 */
@Timeout(150)
class DagSubnetTest {
    static final int EPOCH = 20, NODES = 5, COPIER = 3, DOWN = 2, LATE = 4;

    /** Publishes a note each epoch and, unless a copier, commits score 10 * (me + 1) + them for every registered node. */
    static final class App implements SubnetApplication {
        final int me;
        final PrivateKey key;
        final List<String> peers;
        final Set<String> copierRefusals = ConcurrentHashMap.newKeySet();
        final Set<String> copierAttempts = ConcurrentHashMap.newKeySet();
        volatile NodeContext ctx;

        App(int me, PrivateKey key, List<String> peers) {
            this.me = me;
            this.key = key;
            this.peers = peers;
        }

        @Override
        public void setup(NodeContext ctx) {
            this.ctx = ctx;
            ctx.dag().register(DagPeers.NS, DagPeers.NOTE);
            ctx.dhtValidator(
                    "dagtest",
                    dev.hyperj.p2p.kad.RecordValidator.of(
                            "8 bytes",
                            (k, v) -> v.length == 8,
                            java.util.Comparator.comparingLong(
                                    v -> java.nio.ByteBuffer.wrap(v).getLong())));
        }

        /** Everyone scores: a node down for an epoch in this test must not lose its place on chain for it. */
        @Override
        public dev.hyperj.subnet.consensus.Scorer scorer(NodeContext ctx) {
            return (epoch, snap) -> snap.nodesAtLeast(dev.hyperj.chain.runtime.Model.NodeClass.Included).stream()
                    .map(n -> new dev.hyperj.chain.runtime.Model.NodeScore(
                            n.node().id(), dev.hyperj.subnet.consensus.HeartbeatScorer.FULL_SCORE))
                    .toList();
        }

        @Override
        public void start(NodeContext ctx) {
            ctx.epochs().onEpoch(ev -> {
                ctx.dag()
                        .publish(
                                DagPeers.NS,
                                DagPeers.SCHEMA,
                                ctx.dag().heads().stream().limit(8).toList(),
                                CanonicalJson.object().put("n", ev.epoch() * 100 + me),
                                CanonicalJson.object().put("epoch", ev.epoch()));
                if (me == COPIER) return;
                Map<String, BigInteger> scores = new TreeMap<>();
                for (int j = 0; j < peers.size(); j++) scores.put(peers.get(j), BigInteger.valueOf(10L * (me + 1) + j));
                try {
                    ctx.commitReveal().commitScores(ev.epoch(), scores);
                } catch (IllegalStateException e) {
                    // started mid-epoch: this epoch's window is closed
                }
            });
            if (me == COPIER) ctx.epochs().onBlock(this::copy);
        }

        /** After honest reveals appear: copy one as is, under its own name, and reveal without any commit. */
        private void copy(EpochPosition at) {
            if (at.blocksIntoEpoch() != CommitWindow.revealFrom(EPOCH) + 2) return;
            DagReader r = ctx.dag().dag().reader();
            for (String id : r.ids(CommitRevealSchemas.NAMESPACE, at.epoch())) {
                DagNode n = r.get(id).orElseThrow();
                if (!n.header().schemaId().equals(CommitRevealSchemas.REVEAL)) continue;
                JsonNode stolen = n.payload().deepCopy();
                List<DagNode> attempts = List.of(
                        DagNodes.create(
                                key,
                                CommitRevealSchemas.NAMESPACE,
                                CommitRevealSchemas.REVEAL,
                                n.header().parentIds(),
                                stolen,
                                n.header().metadata(),
                                1),
                        DagNodes.create(
                                key,
                                CommitRevealSchemas.NAMESPACE,
                                CommitRevealSchemas.REVEAL,
                                List.of(),
                                ((com.fasterxml.jackson.databind.node.ObjectNode) stolen.deepCopy())
                                        .put(
                                                "peer_id",
                                                PeerId.fromPublicKey(key.publicKey())
                                                        .toBase58()),
                                n.header().metadata(),
                                2));
                for (DagNode a : attempts) {
                    copierAttempts.add(a.id());
                    Ingested got = ctx.dag().dag().ingest(a);
                    if (got.status() == Ingested.Status.REJECTED)
                        copierRefusals.add(got.rejection().detail());
                    ctx.dag().offer(a); // and let the others judge it too
                }
                return;
            }
        }
    }

    static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20); // gossip, sync and blocks run on their own threads
        }
    }

    @Test
    void nodesConvergeEveryEpochLateAndReturningNodesCatchUpAndCommitRevealScoresFollowTheRule(@TempDir Path dir)
            throws Exception {
        try (DevChain chain = DevChain.timed(EPOCH, 100)) {
            List<PrivateKey> keys = new ArrayList<>();
            List<String> peers = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                keys.add(Keys.generate(KeyType.ED25519));
                peers.add(PeerId.fromPublicKey(keys.get(i).publicKey()).toBase58());
            }
            List<Integer> vs = chain.registerValidators(NODES);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
            for (int i = 0; i < NODES; i++) chain.registerNode(DevChain.COLDKEYS.get(i), vs.get(i), sid, peers.get(i));
            chain.activate(sid);
            DagOptions dag =
                    DagOptions.defaults().withSync(SyncConfig.defaults().withAnnounceEvery(Duration.ofMillis(300)));
            SubnetNode[] nodes = new SubnetNode[NODES];
            App[] apps = new App[NODES];
            List<Multiaddr> boot = new ArrayList<>();
            java.util.function.IntFunction<SubnetNode> start = i -> {
                apps[i] = new App(i, keys.get(i), peers);
                SubnetNodeConfig c = SubnetNodeConfig.builder(
                                sid, keys.get(i), DevChain.hotkey(i + 1), dir.resolve("n" + i))
                        .gossip(DagPeers.FAST_GOSSIP)
                        .bootstrap(List.copyOf(boot))
                        .build();
                try {
                    return SubnetNode.start(c, chain.client, apps[i], dag);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            try {
                for (int i = 0; i < NODES; i++) {
                    if (i == LATE) continue;
                    nodes[i] = start.apply(i);
                    if (i == 0)
                        boot.add(nodes[0].context().host().listenAddresses().get(0));
                }
                var tracker = nodes[0].context().epochs();
                long first = tracker.current().orElseThrow().epoch() + 1;
                // four nodes: same heads at the end of each epoch
                for (long e = first; e < first + 2; e++) converge(tracker, e, nodes, List.of(0, 1, 2, 3));
                // the application's DHT namespace, registered in setup after the DHT was built
                byte[] dhtKey = "/dagtest/heads".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                byte[] eight = java.nio.ByteBuffer.allocate(8).putLong(42).array();
                nodes[0].context().dht().putValue(dhtKey, eight).get(30, TimeUnit.SECONDS);
                assertThat(nodes[1].context()
                                .dht()
                                .getValue(dhtKey)
                                .get(30, TimeUnit.SECONDS)
                                .value())
                        .isEqualTo(eight);
                assertThat(nodes[1].context().dht().putValue(dhtKey, new byte[3]))
                        .failsWithin(30, TimeUnit.SECONDS)
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .withCauseInstanceOf(dev.hyperj.p2p.kad.InvalidRecordException.class);
                // scores of the epoch all four lived through, on every node, by the rule
                long scored = first;
                tracker.awaitEpoch(scored + 1).get(30, TimeUnit.SECONDS);
                Map<String, BigInteger> expected = new TreeMap<>();
                List<Integer> revealers = List.of(0, 1, 2);
                for (int j = 0; j < NODES; j++) {
                    if (!revealers.contains(j)) {
                        expected.put(peers.get(j), BigInteger.ZERO);
                        continue;
                    }
                    long sum = 0;
                    for (int i : revealers) if (i != j) sum += 10L * (i + 1) + j;
                    expected.put(peers.get(j), BigInteger.valueOf(sum / (revealers.size() - 1)));
                }
                for (int i : List.of(0, 1, 2, 3)) {
                    assertThat(nodes[i].context().commitReveal().reveals(scored).keySet())
                            .as("node %d's counted reveals", i)
                            .containsExactlyInAnyOrder(peers.get(0), peers.get(1), peers.get(2));
                    assertThat(nodes[i].context().commitReveal().scores(scored))
                            .as("node %d's scores", i)
                            .isEqualTo(expected);
                }
                assertThat(apps[COPIER].copierRefusals)
                        .anyMatch(d -> d.contains("copied"))
                        .anyMatch(d -> d.contains("exactly one parent"));
                long refused = 0;
                for (int i : List.of(0, 1, 2)) {
                    refused += nodes[i].context().dag().dag().stats().rejected(RejectReason.INVALID_PAYLOAD);
                    for (String id : apps[COPIER].copierAttempts)
                        assertThat(nodes[i].context().dag().dag().get(id))
                                .as("node %d holds a copied reveal", i)
                                .isEmpty();
                }
                assertThat(apps[COPIER].copierAttempts).isNotEmpty();
                assertThat(refused)
                        .as("honest nodes that judged the copier's gossip refused it")
                        .isPositive();

                // node 2 goes down for an epoch; then it comes back and a fifth node starts, three epochs late
                long downAt = tracker.current().orElseThrow().epoch();
                nodes[DOWN].close();
                tracker.awaitEpoch(downAt + 2).get(30, TimeUnit.SECONDS);
                nodes[DOWN] = start.apply(DOWN);
                nodes[LATE] = start.apply(LATE);
                long back = tracker.current().orElseThrow().epoch();
                assertThat(back - first).isGreaterThanOrEqualTo(3);
                for (long e = back + 1; e < back + 3; e++) converge(tracker, e, nodes, List.of(0, 1, 2, 3, 4));
                assertThat(nodes[LATE].context().dag().count())
                        .isEqualTo(nodes[0].context().dag().count());
                assertThat(nodes[LATE].context().dag().dag().stateText(DagPeers.NS))
                        .isEqualTo(nodes[0].context().dag().dag().stateText(DagPeers.NS));
            } finally {
                for (SubnetNode n : nodes) if (n != null) n.close();
            }
        }
    }

    /** Waits for the end of {@code epoch} and for the given nodes to hold the same heads, then checks it. */
    static void converge(
            dev.hyperj.subnet.epoch.EpochTracker tracker, long epoch, SubnetNode[] nodes, List<Integer> which)
            throws Exception {
        tracker.awaitEpoch(epoch).get(30, TimeUnit.SECONDS);
        await(
                "epoch " + epoch + "'s end",
                30,
                () -> tracker.position().orElseThrow().epoch() > epoch
                        || tracker.position().orElseThrow().blocksIntoEpoch() >= EPOCH - 3);
        await("identical heads in epoch " + epoch, 10, () -> {
            SortedSet<String> h = nodes[which.getFirst()].context().dag().heads();
            for (int i : which) if (!nodes[i].context().dag().heads().equals(h)) return false;
            return true;
        });
        SortedSet<String> heads = nodes[which.getFirst()].context().dag().heads();
        long count = nodes[which.getFirst()].context().dag().count();
        for (int i : which) {
            assertThat(nodes[i].context().dag().heads())
                    .as("node %d's heads, epoch %d", i, epoch)
                    .isEqualTo(heads);
            assertThat(nodes[i].context().dag().count())
                    .as("node %d's node count, epoch %d", i, epoch)
                    .isEqualTo(count);
        }
        // every node's note of the epoch is in
        assertThat(nodes[which.getFirst()].context().dag().dag().reader().ids(DagPeers.NS, epoch))
                .hasSize(which.size());
    }
}
