package dev.hyperj.subnet.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.ConnectionListener;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.identify.Identify;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.node.SubnetApplication;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection maintenance between real nodes on loopback, against a real dev chain (instant seal:
 * blocks only come with the test's transactions): what the plan cannot show by itself, the
 * mechanism around it (the chain read and the gate, the floor trigger, gossipsub's real scores).
 * The decisions (whom to drop and dial, and why) are {@link ConnectionPlanTest}'s. Synchronisation
 * is on maintainer ticks, dial events and connection events, each awaited with a timeout.
 */
@Timeout(120)
class ConnectionMaintainerTest {
    private static final GossipConfig FAST_GOSSIP = GossipConfig.defaults().toBuilder()
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
            .build();
    /** Ticks every 300 ms; aims for 8 peers, dials below 4, reacts at once below 1. */
    private static final MaintenanceConfig FAST = MaintenanceConfig.defaults()
            .withInterval(Duration.ofMillis(300))
            .withTarget(8, 4)
            .withFloor(1)
            .withDialTimeout(Duration.ofSeconds(3))
            .withBackoff(Duration.ofMillis(200), Duration.ofMillis(3200), 0.2)
            .withMinTickGap(Duration.ofMillis(50));

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final DevChain chain = DevChain.start(20);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private int subnetId;
    private List<Integer> validators;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        chain.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private void subnetWithValidators() throws Exception {
        validators = chain.registerValidators(3);
        subnetId = chain.registerSubnet(DevChain.oneNodeEach(validators), Map.of());
    }

    /** Registers {@code key}'s peer id as the node of validator {@code i}; returns the subnet node id. */
    private int stake(int i, PrivateKey key) throws Exception {
        return chain.registerNode(
                DevChain.COLDKEYS.get(i), validators.get(i), subnetId, peer(key).toBase58());
    }

    private static PeerId peer(PrivateKey key) {
        return PeerId.fromPublicKey(key.publicKey());
    }

    private SubnetNode node(
            String name, PrivateKey key, MaintenanceConfig m, List<Multiaddr> bootstrap, List<Multiaddr> listen)
            throws Exception {
        SubnetNodeConfig.Builder b = SubnetNodeConfig.builder(
                        subnetId, key, DevChain.hotkey(name.hashCode() & 0xff), dir.resolve(name))
                .gossip(FAST_GOSSIP)
                .bootstrap(bootstrap)
                .maintenance(m);
        if (!listen.isEmpty()) b.listen(listen);
        SubnetNodeConfig c = b.build();
        return closing(SubnetNode.start(c, chain.client, new SubnetApplication() {}));
    }

    private static Host host(SubnetNode n) {
        return n.context().host();
    }

    private static boolean connected(SubnetNode a, SubnetNode b) {
        return host(a).connections().isConnected(b.peerId());
    }

    /** Waits until {@code condition} holds, checking it now and after every tick of {@code m}. */
    private static void awaitTick(String what, ConnectionMaintainer m, BooleanSupplier condition) throws Exception {
        CompletableFuture<Void> met = new CompletableFuture<>();
        try (AutoCloseable h = m.onTick(s -> {
            if (condition.getAsBoolean()) met.complete(null);
        })) {
            if (condition.getAsBoolean()) return;
            met.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what + "; stats " + m.stats());
        }
    }

    /** Waits until {@code condition} holds, checking it now and at every connection event of {@code h}. */
    private static void awaitConnections(String what, Host h, BooleanSupplier condition) throws Exception {
        CompletableFuture<Void> met = new CompletableFuture<>();
        ConnectionListener l = new ConnectionListener() {
            public void connected(Connection c) {
                if (condition.getAsBoolean()) met.complete(null);
            }

            public void disconnected(Connection c) {
                if (condition.getAsBoolean()) met.complete(null);
            }
        };
        h.connections().addListener(l);
        try {
            if (condition.getAsBoolean()) return;
            met.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what + "; connected "
                    + h.connections().connectedPeers());
        } finally {
            h.connections().removeListener(l);
        }
    }

    @Test
    void aNodeRemovedOnChainIsDisconnectedAtTheNextTickAndRefusedDespiteItsCachedYes() throws Exception {
        subnetWithValidators();
        PrivateKey ka = Keys.generate(KeyType.ED25519),
                kb = Keys.generate(KeyType.ED25519),
                kr = Keys.generate(KeyType.ED25519);
        stake(0, ka);
        stake(1, kb);
        int removedId = stake(2, kr);
        SubnetNode a = node("a", ka, FAST, List.of(), List.of());
        List<Multiaddr> viaA = List.of(host(a).listenAddresses().get(0));
        SubnetNode b = node("b", kb, FAST, viaA, List.of());
        SubnetNode r = node("r", kr, FAST, viaA, List.of());
        // both gates said yes to r (and cache it for 5 minutes)
        awaitTick("a connected to b and r", a.maintainer(), () -> connected(a, b) && connected(a, r));
        awaitTick("b connected to r", b.maintainer(), () -> connected(b, r));

        CompletableFuture<ConnectionMaintainer.DialAttempt> refusedByA = new CompletableFuture<>();
        closing(r.maintainer().onDial(d -> {
            if (d.peer().equals(a.peerId()) && !d.connected()) refusedByA.complete(d);
        }));
        long prunedBefore = a.maintainer().stats().pruned();
        chain.ok(DevChain.COLDKEYS.get(2), new Call.RemoveSubnetNode(subnetId, removedId));

        awaitTick("a drops r", a.maintainer(), () -> !connected(a, r));
        awaitTick("b drops r", b.maintainer(), () -> !connected(b, r));
        assertThat(a.maintainer().stats().pruned()).isGreaterThan(prunedBefore);
        // r, left alone, redials: a's gate no longer answers from its cached yes but asks the chain
        ConnectionMaintainer.DialAttempt refused = refusedByA.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(refused.failures()).isPositive();
        assertThatThrownBy(
                        () -> host(r).connect(host(a).listenAddresses().get(0)).get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(connected(a, r)).isFalse();
        assertThat(connected(b, r)).isFalse();
        // the staked pair stays together
        assertThat(connected(a, b)).isTrue();
    }

    @Test
    void aNodeThatLostAllItsConnectionsReconnectsWithoutWaitingForTheInterval() throws Exception {
        subnetWithValidators();
        PrivateKey ka = Keys.generate(KeyType.ED25519),
                kb = Keys.generate(KeyType.ED25519),
                kx = Keys.generate(KeyType.ED25519);
        stake(0, ka);
        stake(1, kb);
        stake(2, kx);
        // ticks an hour apart: only the floor trigger can act within this test
        MaintenanceConfig slow = FAST.withInterval(Duration.ofHours(1));
        MaintenanceConfig passive = slow.withFloor(0);
        SubnetNode a = node("a", ka, passive, List.of(), List.of());
        List<Multiaddr> viaA = List.of(host(a).listenAddresses().get(0));
        SubnetNode b = node("b", kb, passive, viaA, List.of());
        SubnetNode x = node("x", kx, slow.withTarget(8, 4).withFloor(2), viaA, List.of());
        awaitConnections("x connected to a", host(x), () -> connected(x, a));
        long ticksBefore = x.maintainer().stats().ticks();
        long dialledBefore = x.maintainer().stats().dialled();

        CompletableFuture<ConnectionMaintainer.DialAttempt> redialledA = new CompletableFuture<>();
        closing(x.maintainer().onDial(d -> {
            if (d.peer().equals(a.peerId()) && d.connected()) redialledA.complete(d);
        }));
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (Connection c : host(x).connections().connections()) closes.add(c.close());
        CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        redialledA.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitConnections("x reconnected to a and b", host(x), () -> connected(x, a) && connected(x, b));
        ConnectionMaintainer.Stats s = x.maintainer().stats();
        assertThat(s.ticks())
                .as("ticks triggered by the floor, not the hourly interval")
                .isGreaterThan(ticksBefore);
        assertThat(s.dialled()).isGreaterThan(dialledBefore);
        assertThat(a.maintainer().stats().ticks())
                .as("a never ticked after its first (floor 0, hourly)")
                .isEqualTo(1);
    }

    @Test
    void peersOffChainAndGraylistedPeersArePrunedButConfiguredBootstrapPeersAreKept() throws Exception {
        subnetWithValidators();
        PrivateKey kStaked = Keys.generate(KeyType.ED25519), kLow = Keys.generate(KeyType.ED25519);
        stake(0, kStaked);
        stake(1, kLow);
        PeerId lowPeer = peer(kLow);
        // a plain host without a stake gate, so that unstaked peers get in and maintenance must find them
        Host m = closing(Host.builder()
                .identity(Keys.generate(KeyType.ED25519))
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .build());
        m.start().get(10, TimeUnit.SECONDS);
        Identify.install(m);
        // the application scores lowPeer -90: below the graylist threshold (-80), above gossipsub's own disconnect line
        // (-100)
        GossipSub mg = closing(GossipSub.start(
                m,
                FAST_GOSSIP,
                PeerScoreParams.defaults().withAppSpecificScore(p -> p.equals(lowPeer) ? -90 : 0, 1.0),
                PeerScoreThresholds.defaults()));
        Host staked = plainHost(kStaked),
                low = plainHost(kLow),
                stranger = plainHost(Keys.generate(KeyType.ED25519)),
                friend = plainHost(Keys.generate(KeyType.ED25519));
        closing(GossipSub.start(low, FAST_GOSSIP, PeerScoreParams.defaults(), PeerScoreThresholds.defaults()));
        Multiaddr friendAddress = friend.listenAddresses().get(0);
        for (Host h : List.of(staked, low, stranger, friend))
            h.connect(m.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        awaitConnections(
                "all four connected", m, () -> m.connections().connectedPeers().size() == 4);

        ConnectionMaintainer maint = closing(ConnectionMaintainer.builder(m, chain.client, subnetId)
                .config(FAST)
                .gossip(mg)
                .bootstrap(List.of(friendAddress))
                .start());
        awaitTick(
                "stranger and low-score peer pruned",
                maint,
                () -> !m.connections().isConnected(stranger.peerId())
                        && !m.connections().isConnected(lowPeer));
        // one more full tick: the kept peers are still there
        maint.tickNow().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(m.connections().isConnected(staked.peerId())).isTrue();
        assertThat(m.connections().isConnected(friend.peerId()))
                .as("configured bootstrap peer, off chain but kept")
                .isTrue();
        assertThat(m.connections().isConnected(stranger.peerId())).isFalse();
        ConnectionMaintainer.Stats s = maint.stats();
        assertThat(s.pruned()).isGreaterThanOrEqualTo(1);
        assertThat(s.lowScore()).isGreaterThanOrEqualTo(1);
        assertThat(s.onChain())
                .as("two staked nodes and the chain's placeholder bootnode")
                .isEqualTo(3);
    }

    private Host plainHost(PrivateKey key) throws Exception {
        Host h = closing(Host.builder()
                .identity(key)
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build());
        h.start().get(10, TimeUnit.SECONDS);
        Identify.install(h);
        return h;
    }
}
