package dev.hyperj.subnet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.consensus.ConsensusLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(150)
class SubnetNodeTest {
    private static final GossipConfig FAST = GossipConfig.defaults().toBuilder()
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
            .build();

    /** Records its lifecycle; run() waits until interrupted by stop. */
    static final class Recorder implements SubnetApplication {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch running = new CountDownLatch(1);

        public void setup(NodeContext ctx) {
            calls.add("setup");
            assertThat(ctx.host().listenAddresses()).isNotEmpty();
        }

        public void start(NodeContext ctx) {
            calls.add("start");
        }

        public void run(NodeContext ctx) throws InterruptedException {
            calls.add("run");
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } finally {
                calls.add("run-ended");
            }
        }

        public void stop(NodeContext ctx) {
            calls.add("stop");
        }
    }

    @Test
    void nodesStartBootstrapReachConsensusAndStopCleanlyWhileAnUnstakedOneStaysOutside(@TempDir Path dir)
            throws Exception {
        try (DevChain chain = DevChain.timed(20, 150)) {
            List<PrivateKey> keys = new ArrayList<>();
            for (int i = 0; i < 4; i++) keys.add(Keys.generate(KeyType.ED25519));
            List<Integer> vs = chain.registerValidators(3);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
            for (int i = 0; i < 3; i++)
                chain.registerNode(
                        DevChain.COLDKEYS.get(i),
                        vs.get(i),
                        sid,
                        PeerId.fromPublicKey(keys.get(i).publicKey()).toBase58());
            chain.activate(sid);

            List<SubnetNode> nodes = new ArrayList<>();
            List<Recorder> apps = new ArrayList<>();
            Map<Long, Set<ConsensusLoop.Action>> actions = new ConcurrentHashMap<>();
            Map<Long, Set<Integer>> done = new ConcurrentHashMap<>();
            try {
                List<Multiaddr> boot = List.of();
                for (int i = 0; i < 4; i++) {
                    Recorder app = new Recorder();
                    apps.add(app);
                    SubnetNodeConfig c = SubnetNodeConfig.builder(
                                    sid, keys.get(i), DevChain.hotkey(i + 1), dir.resolve("n" + i))
                            .gossip(FAST)
                            .bootstrap(boot)
                            .build();
                    SubnetNode n = SubnetNode.start(c, chain.client, app);
                    nodes.add(n);
                    assertThat(n.state()).isEqualTo(SubnetNode.State.RUNNING);
                    assertThat(app.running.await(10, TimeUnit.SECONDS)).isTrue();
                    n.consensus().onOutcome(o -> {
                        if (o.action() == ConsensusLoop.Action.PROPOSED
                                || o.action() == ConsensusLoop.Action.ATTESTED) {
                            done.computeIfAbsent(o.epoch(), e -> ConcurrentHashMap.newKeySet())
                                    .add(o.subnetNodeId());
                        }
                        actions.computeIfAbsent(o.epoch(), e -> ConcurrentHashMap.newKeySet())
                                .add(o.action());
                    });
                    if (i == 0)
                        boot = List.of(n.context().host().listenAddresses().get(0));
                }
                SubnetNode first = nodes.get(0), outsider = nodes.get(3);
                // the three staked nodes meet through the bootstrap node; the unstaked one is refused by all
                assertThat(first.context()
                                .host()
                                .connections()
                                .isConnected(nodes.get(1).peerId()))
                        .isTrue();
                assertThat(first.context().host().connections().isConnected(outsider.peerId()))
                        .isFalse();
                assertThat(outsider.context().host().connections().connectedPeers())
                        .isEmpty();
                assertThat(first.context().dht().routingTablePeers().get(10, TimeUnit.SECONDS))
                        .extracting(p -> p.id())
                        .doesNotContain(outsider.peerId());

                // an epoch where all three staked nodes proposed or attested
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (done.values().stream().noneMatch(s -> s.size() == 3)) {
                    assertThat(System.nanoTime())
                            .as("an epoch of full consensus; actions %s", actions)
                            .isLessThan(deadline);
                    Thread.sleep(200); // outcomes arrive per epoch; polling a map filled by listeners
                }
                assertThat(actions.values().stream().flatMap(Set::stream))
                        .doesNotContain(ConsensusLoop.Action.PROPOSE_FAILED, ConsensusLoop.Action.ATTEST_FAILED);

                // a graceful restart keeps its place: same key, same storage, and without any
                // bootstrap address (the chain has none) it finds its staked peers again from the
                // addresses it saved on close
                SubnetNode second = nodes.get(1);
                long lastEpoch =
                        done.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
                second.close();
                assertThat(dir.resolve("n1").resolve("peers"))
                        .content()
                        .contains(first.peerId().toBase58())
                        .as("the protocols identify learnt are saved with the addresses")
                        .contains("/meshsub/");
                Recorder again = new Recorder();
                SubnetNode restarted = SubnetNode.start(
                        SubnetNodeConfig.builder(sid, keys.get(1), DevChain.hotkey(2), dir.resolve("n1"))
                                .gossip(FAST)
                                .build(),
                        chain.client,
                        again);
                nodes.set(1, restarted);
                apps.set(1, again);
                assertThat(restarted.peerId()).isEqualTo(second.peerId());
                java.util.concurrent.CompletableFuture<Long> acted = new java.util.concurrent.CompletableFuture<>();
                restarted.consensus().onOutcome(o -> {
                    if (o.action() == ConsensusLoop.Action.PROPOSED || o.action() == ConsensusLoop.Action.ATTESTED)
                        acted.complete(o.epoch());
                });
                assertThat(acted.get(90, TimeUnit.SECONDS)).isGreaterThan(lastEpoch);
                long reconnectBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                // its bootnode specifically (the first node), from the saved address: the chain lists none
                while (!restarted.context().host().connections().isConnected(first.peerId())) {
                    assertThat(System.nanoTime())
                            .as("reconnected to its bootnode")
                            .isLessThan(reconnectBy);
                    Thread.sleep(100); // the maintainer dials on its own schedule: poll, bounded
                }
                assertThat(restarted.context().host().connections().connectedPeers())
                        .isSubsetOf(first.peerId(), nodes.get(2).peerId());
            } finally {
                for (SubnetNode n : nodes) n.close();
            }
            for (int i = 0; i < nodes.size(); i++) {
                SubnetNode n = nodes.get(i);
                assertThat(n.state()).isEqualTo(SubnetNode.State.STOPPED);
                assertThat(n.context().host().connections().connectedPeers()).isEmpty();
                assertThat(apps.get(i).calls).containsExactly("setup", "start", "run", "run-ended", "stop");
                n.close();
                assertThat(apps.get(i).calls).as("stop runs once").hasSize(5);
            }
        }
    }

    @Test
    void aFailingSetupStopsWhatWasStartedAndReportsTheCause(@TempDir Path dir) throws Exception {
        try (DevChain chain = DevChain.start(20)) {
            AtomicHolder holder = new AtomicHolder();
            SubnetApplication broken = new SubnetApplication() {
                public void setup(NodeContext ctx) {
                    holder.addr = ctx.host().listenAddresses().get(0);
                    throw new IllegalStateException("no model weights");
                }
            };
            SubnetNodeConfig c =
                    SubnetNodeConfig.of(1, Keys.generate(KeyType.ED25519), DevChain.hotkey(1), dir.resolve("x"));
            assertThatThrownBy(() -> SubnetNode.start(c, chain.client, broken))
                    .hasMessageContaining("no model weights");
            // the host is gone: its port refuses connections
            try (dev.hyperj.p2p.host.Host probe =
                    dev.hyperj.p2p.host.Host.builder().threads(1).build()) {
                assertThatThrownBy(() -> probe.connect(holder.addr).get(10, TimeUnit.SECONDS))
                        .isInstanceOf(java.util.concurrent.ExecutionException.class);
            }
        }
    }

    static final class AtomicHolder {
        volatile Multiaddr addr;
    }
}
