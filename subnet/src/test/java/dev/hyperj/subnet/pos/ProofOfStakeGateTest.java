package dev.hyperj.subnet.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.ConnectionGater;
import dev.hyperj.p2p.host.ConnectionLimits;
import dev.hyperj.p2p.host.ConnectionListener;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.kad.HostDhtNetwork;
import dev.hyperj.p2p.kad.KadConfig;
import dev.hyperj.p2p.kad.KadDht;
import dev.hyperj.p2p.kad.PeerInfo;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.identify.Identify;
import dev.hyperj.subnet.DevChain;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ProofOfStakeGateTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final DevChain chain = DevChain.start(20);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private int subnetId;

    @BeforeEach
    void subnet() throws Exception {
        subnetId = chain.registerSubnet(DevChain.oneNodeEach(chain.registerValidators(3)), Map.of());
    }

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        chain.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private static PeerId randomPeer() {
        return PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    }

    private static boolean ask(ConnectionGater g, PeerId p) throws Exception {
        return g.allow(p, LOOPBACK, true).get(10, TimeUnit.SECONDS);
    }

    @Test
    void answersFromTheChainAndCachesYesAndNoForTheTtl() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        ProofOfStakeGate gate = closing(
                ProofOfStakeGate.builder(chain.client, subnetId).clock(now::get).build());
        PeerId staked = randomPeer(), later = randomPeer();
        chain.registerNode(DevChain.COLDKEYS.get(0), 1, subnetId, staked.toBase58());

        assertThat(ask(gate, staked)).isTrue();
        assertThat(ask(gate, later)).isFalse();
        assertThat(gate.chainCalls()).isEqualTo(2);
        // the peer gets staked: the cached "no" holds for 5 minutes, then the chain is asked again
        chain.registerNode(DevChain.COLDKEYS.get(1), 2, subnetId, later.toBase58());
        now.set(now.get().plus(Duration.ofMinutes(5)).minusMillis(1));
        assertThat(ask(gate, staked)).isTrue();
        assertThat(ask(gate, later)).isFalse();
        assertThat(gate.chainCalls()).isEqualTo(2);
        now.set(now.get().plusMillis(1));
        assertThat(ask(gate, later)).isTrue();
        assertThat(ask(gate, staked)).isTrue();
        assertThat(gate.chainCalls()).isEqualTo(4);
        // stricter requirements are passed to the chain: 100 TENSOR staked is not 101
        ProofOfStakeGate strict = closing(ProofOfStakeGate.builder(chain.client, subnetId)
                .minClass(NodeClass.Validator)
                .minStake(dev.hyperj.chain.math.U128.tensor(101))
                .build());
        assertThat(ask(strict, later)).isFalse();
    }

    @Test
    void retainOnlyDropsAYesTheChainNoLongerBacksAndANoItNowDoes() throws Exception {
        ProofOfStakeGate gate =
                closing(ProofOfStakeGate.builder(chain.client, subnetId).build());
        PeerId leaving = randomPeer(), joining = randomPeer(), staying = randomPeer();
        int leavingId = chain.registerNode(DevChain.COLDKEYS.get(0), 1, subnetId, leaving.toBase58());
        chain.registerNode(DevChain.COLDKEYS.get(1), 2, subnetId, staying.toBase58());
        assertThat(ask(gate, leaving)).isTrue();
        assertThat(ask(gate, staying)).isTrue();
        assertThat(ask(gate, joining)).isFalse();
        chain.ok(DevChain.COLDKEYS.get(0), new dev.hyperj.chain.runtime.Call.RemoveSubnetNode(subnetId, leavingId));
        chain.registerNode(DevChain.COLDKEYS.get(2), 3, subnetId, joining.toBase58());
        // the cache still answers as before: this is what maintenance must correct
        assertThat(ask(gate, leaving)).isTrue();
        assertThat(ask(gate, joining)).isFalse();
        assertThat(gate.chainCalls()).isEqualTo(3);

        assertThat(gate.retainOnly(Set.of(staying, joining))).isEqualTo(2);
        assertThat(ask(gate, leaving)).isFalse();
        assertThat(ask(gate, joining)).isTrue();
        assertThat(ask(gate, staying)).isTrue();
        assertThat(gate.chainCalls())
                .as("only the two forgotten peers were asked again")
                .isEqualTo(5);
        assertThat(gate.retainOnly(Set.of(staying, joining))).isZero();

        gate.forget(staying);
        assertThat(ask(gate, staying)).isTrue();
        assertThat(gate.chainCalls()).isEqualTo(6);
    }

    @Test
    void bootnodesAndOverwatchPeersAreAdmittedWithoutAskingTheChain() throws Exception {
        ProofOfStakeGate gate =
                closing(ProofOfStakeGate.builder(chain.client, subnetId).build());
        PeerId boot = randomPeer();
        assertThat(ask(gate, boot)).isFalse();
        gate.admit(List.of(boot.toBase58(), "not a peer id"));
        gate.clearCache();
        long calls = gate.chainCalls();
        assertThat(ask(gate, boot)).isTrue();
        assertThat(gate.chainCalls()).isEqualTo(calls);
        gate.admit(List.of());
        assertThat(ask(gate, boot)).isFalse();
    }

    /** The real client, with proofOfStake held until {@code release} opens (a chain that is slow to answer). */
    private ChainClient slowChain(CountDownLatch release, AtomicReference<Integer> calls) {
        return (ChainClient) Proxy.newProxyInstance(
                ChainClient.class.getClassLoader(), new Class<?>[] {ChainClient.class}, (p, m, args) -> {
                    if (m.getName().equals("proofOfStake")) {
                        calls.updateAndGet(c -> c + 1);
                        release.await(30, TimeUnit.SECONDS);
                    }
                    try {
                        return m.invoke(chain.client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aChainThatDoesNotAnswerInTimeMeansDenyAndIsNotRemembered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Integer> calls = new AtomicReference<>(0);
        ProofOfStakeGate gate = closing(ProofOfStakeGate.builder(slowChain(release, calls), subnetId)
                .timeout(Duration.ofMillis(300))
                .build());
        PeerId staked = randomPeer();
        chain.registerNode(DevChain.COLDKEYS.get(0), 1, subnetId, staked.toBase58());
        // concurrent checks of one peer share one chain call; both time out as deny
        CompletableFuture<Boolean> a = gate.allow(staked, LOOPBACK, true), b = gate.allow(staked, LOOPBACK, false);
        assertThat(a.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(b.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(calls.get()).isEqualTo(1);
        release.countDown();
        // the timeout was not cached: the next attempt asks again and gets in
        assertThat(ask(gate, staked)).isTrue();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void floodsOfFreshPeersAreBounded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Integer> calls = new AtomicReference<>(0);
        ProofOfStakeGate gate = closing(ProofOfStakeGate.builder(slowChain(release, calls), subnetId)
                .bounds(4, 2)
                .build());
        List<CompletableFuture<Boolean>> held =
                List.of(gate.allow(randomPeer(), LOOPBACK, true), gate.allow(randomPeer(), LOOPBACK, true));
        // a third check while two run is refused at once, without a chain call
        assertThat(gate.allow(randomPeer(), LOOPBACK, true)).isCompletedWithValue(false);
        release.countDown();
        for (CompletableFuture<Boolean> f : held)
            assertThat(f.get(10, TimeUnit.SECONDS)).isFalse();
        for (int i = 0; i < 10; i++) assertThat(ask(gate, randomPeer())).isFalse();
        assertThat(calls.get()).isEqualTo(12);
    }

    @Test
    void gaterChainStopsAtTheFirstDenyAndTakesGatersAddedLater() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        ConnectionGater yes = (p, r, i) -> {
            asked.add("yes");
            return CompletableFuture.completedFuture(true);
        };
        ConnectionGater no = (p, r, i) -> {
            asked.add("no");
            return CompletableFuture.completedFuture(false);
        };
        GaterChain c = GaterChain.of(yes);
        assertThat(ask(c, randomPeer())).isTrue();
        c.add(no).add(yes);
        asked.clear();
        assertThat(ask(c, randomPeer())).isFalse();
        assertThat(asked).containsExactly("yes", "no");
        GaterChain broken = GaterChain.of((p, r, i) -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(() -> ask(broken, randomPeer())).isInstanceOf(ExecutionException.class);
    }

    // ---------------------------------------------------------------- real hosts

    private record Node(Host host, GossipSub gossip, KadDht dht, HostDhtNetwork net) {
        PeerInfo info() {
            return new PeerInfo(host.peerId(), host.listenAddresses());
        }
    }

    private Node node(ConnectionGater gater, Function<GossipSub, Void> afterGossip) throws Exception {
        Host h = Host.builder()
                .identity(Keys.generate(KeyType.ED25519))
                .listen(LOOPBACK)
                .threads(1)
                .gater(gater)
                .limits(ConnectionLimits.defaults().withGaterTimeout(Duration.ofSeconds(5)))
                .build();
        closing(h);
        h.start().get(10, TimeUnit.SECONDS);
        Identify.install(h);
        GossipSub g = closing(GossipSub.start(
                h,
                GossipConfig.defaults().toBuilder()
                        .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
                        .build(),
                PeerScoreParams.defaults(),
                PeerScoreThresholds.defaults()));
        afterGossip.apply(g);
        HostDhtNetwork net = new HostDhtNetwork(h);
        KadDht dht = closing(KadDht.builder(h.peerId(), net)
                .config(KadConfig.builder()
                        .requestTimeout(Duration.ofSeconds(5))
                        .build())
                .build());
        dht.start().get(10, TimeUnit.SECONDS);
        return new Node(h, g, dht, net);
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.call()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20); // no event exists for "subscriptions exchanged" / "routing table updated"
        }
    }

    @Test
    void anUnstakedPeerIsRefusedAtTheDoorAndNeverReachesMeshOrRoutingTable() throws Exception {
        ProofOfStakeGate gate =
                closing(ProofOfStakeGate.builder(chain.client, subnetId).build());
        GaterChain gaters = GaterChain.of(gate);
        Node a = node(gaters, g -> {
            gaters.add(g.gater());
            return null;
        });
        Set<PeerId> usable = ConcurrentHashMap.newKeySet();
        List<String> refusals = new CopyOnWriteArrayList<>();
        a.host().connections().addListener(new ConnectionListener() {
            @Override
            public void connected(Connection c) {
                usable.add(c.remotePeer());
            }

            @Override
            public void refused(Multiaddr remote, boolean inbound, String reason) {
                refusals.add(reason);
            }
        });
        Set<PeerId> streamsFrom = ConcurrentHashMap.newKeySet();
        a.host().addProtocol("/test/hello/1.0.0", (stream, info) -> {
            streamsFrom.add(info.remotePeer());
            stream.close();
        });

        Node staked = node(ConnectionGater.ALLOW_ALL, g -> null);
        Node unstaked = node(ConnectionGater.ALLOW_ALL, g -> null);
        chain.registerNode(
                DevChain.COLDKEYS.get(0), 1, subnetId, staked.host().peerId().toBase58());
        for (Node n : List.of(a, staked, unstaked))
            n.gossip().subscribe("heartbeat", d -> {}).get(5, TimeUnit.SECONDS);

        // the staked peer gets in: streams, gossip, DHT both ways
        staked.host().connect(a.host().listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        staked.host().newStream(a.host().peerId(), "/test/hello/1.0.0").get(10, TimeUnit.SECONDS);
        assertThat(staked.dht().bootstrap(List.of(a.info())).get(30, TimeUnit.SECONDS))
                .isEqualTo(1);
        await(
                "staked peer in A's routing table",
                () -> a.dht().routingTablePeers().get(5, TimeUnit.SECONDS).stream()
                        .anyMatch(p -> p.id().equals(staked.host().peerId())));
        await(
                "staked peer in A's heartbeat topic",
                () -> a.gossip()
                        .call(r ->
                                r.topicPeers("heartbeat").contains(staked.host().peerId()))
                        .get(5, TimeUnit.SECONDS));
        assertThat(streamsFrom).containsExactly(staked.host().peerId());

        // the unstaked peer: refused inbound, with every protocol attempt failing
        assertThatThrownBy(() -> unstaked.host()
                        .connect(a.host().listenAddresses().get(0))
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> unstaked.host()
                        .newStream(a.host().peerId(), "/test/hello/1.0.0")
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(unstaked.dht().bootstrap(List.of(a.info())).get(30, TimeUnit.SECONDS))
                .isZero();
        // and A dialing it (it learned of it somehow) is refused by A's own gate too
        assertThatThrownBy(() -> a.host()
                        .connect(unstaked.host().listenAddresses().get(0))
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(a.dht().bootstrap(List.of(unstaked.info())).get(30, TimeUnit.SECONDS))
                .as("A's table: the staked peer only")
                .isEqualTo(1);

        assertThat(refusals).isNotEmpty().anySatisfy(r -> assertThat(r).containsIgnoringCase("gater"));
        assertThat(usable).containsExactly(staked.host().peerId());
        assertThat(streamsFrom).containsExactly(staked.host().peerId());
        assertThat(a.dht().routingTablePeers().get(5, TimeUnit.SECONDS))
                .extracting(PeerInfo::id)
                .containsExactly(staked.host().peerId());
        assertThat(a.gossip().call(r -> r.topicPeers("heartbeat")).get(5, TimeUnit.SECONDS))
                .containsExactly(staked.host().peerId());
        assertThat(a.gossip().call(r -> r.peers()).get(5, TimeUnit.SECONDS))
                .doesNotContain(unstaked.host().peerId());
        assertThat(a.host().connections().isConnected(unstaked.host().peerId())).isFalse();
        // one chain call per peer despite several attempts: the "no" is cached
        assertThat(gate.chainCalls()).isEqualTo(2);
    }
}
