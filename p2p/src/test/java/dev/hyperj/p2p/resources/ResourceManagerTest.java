package dev.hyperj.p2p.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.resources.ResourceManager.ConnectionScope;
import dev.hyperj.p2p.resources.ResourceManager.StreamScope;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResourceManagerTest {
    static final Runnable NOTHING = () -> {};

    static InetAddress ip(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static PeerId peer() {
        return PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    }

    static Refusal refusalOf(ThrowingRunnable r) {
        try {
            r.run();
        } catch (ResourceLimitException e) {
            return e.refusal();
        }
        throw new AssertionError("expected a refusal");
    }

    interface ThrowingRunnable {
        void run() throws ResourceLimitException;
    }

    @Test
    void aFullTransientScopeEvictsItsOldestNotTheNewcomer() throws Exception {
        ResourceManager rm = new ResourceManager(ResourceLimits.defaults().withTransient(3, 3));
        AtomicInteger evicted = new AtomicInteger(-1);
        List<ConnectionScope> scopes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            scopes.add(rm.openInbound(ip(1 + i), () -> evicted.set(n)));
        }
        ConnectionScope newcomer = rm.openInbound(ip(9), NOTHING);
        assertThat(evicted.get()).isZero();
        assertThat(scopes.get(0).isClosed()).isTrue();
        assertThat(newcomer.isTransient()).isTrue();
        ResourceUsage u = rm.usage();
        assertThat(u.transientConnections()).isEqualTo(3);
        assertThat(u.refusals(Refusal.TRANSIENT_EVICTED)).isEqualTo(1);
        // closing the evicted scope again must not give back a slot twice
        scopes.get(0).close();
        assertThat(rm.usage().transientConnections()).isEqualTo(3);
        assertThat(rm.transientIps()).containsExactlyInAnyOrder(ip(2), ip(3), ip(9));
    }

    @Test
    void oneIpCannotHoldMoreThanItsShareOfHandshakes() throws Exception {
        ResourceManager rm = new ResourceManager(ResourceLimits.defaults().withTransient(100, 2));
        List<String> told = new ArrayList<>();
        rm.addListener((r, detail) -> told.add(r + ": " + detail));
        rm.openInbound(ip(1), NOTHING);
        ConnectionScope second = rm.openInbound(ip(1), NOTHING);
        assertThat(refusalOf(() -> rm.openInbound(ip(1), NOTHING))).isEqualTo(Refusal.IP_TRANSIENT_CONNECTIONS);
        assertThat(told)
                .containsExactly("IP_TRANSIENT_CONNECTIONS: 2 connections from 10.0.0.1 still handshaking (limit 2)");
        rm.openInbound(ip(2), NOTHING); // others are not affected
        second.authenticate(peer()); // authenticated connections leave the IP's transient count
        rm.openInbound(ip(1), NOTHING);
        assertThat(rm.usage().refusals(Refusal.IP_TRANSIENT_CONNECTIONS)).isEqualTo(1);
    }

    @Test
    void transientConnectionsNeverTakeSystemSlots() throws Exception {
        ResourceManager rm = new ResourceManager(
                ResourceLimits.defaults().withSystemConnections(2).withTransient(4, 4));
        for (int i = 0; i < 50; i++) {
            rm.openInbound(ip(1 + i % 8), NOTHING);
        }
        ConnectionScope honest = rm.openInbound(ip(100), NOTHING);
        honest.authenticate(peer());
        rm.openOutbound();
        assertThat(rm.usage().connections()).isEqualTo(2);
        ConnectionScope third = rm.openInbound(ip(101), NOTHING);
        assertThat(refusalOf(() -> third.authenticate(peer()))).isEqualTo(Refusal.SYSTEM_CONNECTIONS);
        assertThat(refusalOf(rm::openOutbound)).isEqualTo(Refusal.SYSTEM_CONNECTIONS);
        honest.close();
        third.authenticate(peer());
        assertThat(rm.usage().connections()).isEqualTo(2);
    }

    @Test
    void perPeerConnectionLimit() throws Exception {
        ResourceManager rm = new ResourceManager(ResourceLimits.defaults().withConnectionsPerPeer(1));
        PeerId p = peer();
        ConnectionScope first = rm.openOutbound();
        first.authenticate(p);
        ConnectionScope second = rm.openInbound(ip(1), NOTHING);
        assertThat(refusalOf(() -> second.authenticate(p))).isEqualTo(Refusal.PEER_CONNECTIONS);
        assertThat(second.isTransient()).isTrue();
        second.close();
        first.close();
        ResourceUsage u = rm.usage();
        assertThat(u.connections()).isZero();
        assertThat(u.transientConnections()).isZero();
        assertThat(u.peers()).isZero();
    }

    @Test
    void streamsAreBoundedBySystemPeerAndMemory() throws Exception {
        ResourceManager rm = new ResourceManager(
                ResourceLimits.defaults().withStreams(3, 2, 100).withMemory(1000, 500));
        ConnectionScope a = rm.openOutbound();
        a.authenticate(peer());
        ConnectionScope b = rm.openOutbound();
        b.authenticate(peer());
        StreamScope a1 = a.openStream(true, 200);
        a.openStream(false, 200);
        assertThat(refusalOf(() -> a.openStream(true, 0))).isEqualTo(Refusal.PEER_STREAMS);
        assertThat(refusalOf(() -> b.openStream(true, 700))).isEqualTo(Refusal.SYSTEM_MEMORY);
        assertThat(refusalOf(() -> b.openStream(true, 501))).isEqualTo(Refusal.PEER_MEMORY);
        b.openStream(true, 500);
        assertThat(refusalOf(() -> b.openStream(true, 0))).isEqualTo(Refusal.SYSTEM_STREAMS);
        a1.close();
        a1.close();
        assertThat(rm.usage().streams()).isEqualTo(2);
        assertThat(rm.usage().memory()).isEqualTo(700);
        assertThatThrownBy(() -> rm.openInbound(ip(1), NOTHING).openStream(true, 1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inboundStreamsPerProtocol() throws Exception {
        ResourceManager rm = new ResourceManager(
                ResourceLimits.defaults().withStreams(100, 100, 2).withProtocolStreams("/kad/1.0.0", 1));
        ConnectionScope c = rm.openOutbound();
        c.authenticate(peer());
        c.openStream(true, 0).setProtocol("/kad/1.0.0");
        assertThat(refusalOf(() -> c.openStream(true, 0).setProtocol("/kad/1.0.0")))
                .isEqualTo(Refusal.PROTOCOL_STREAMS);
        StreamScope ping = c.openStream(true, 0);
        ping.setProtocol("/ipfs/ping/1.0.0");
        c.openStream(true, 0).setProtocol("/ipfs/ping/1.0.0");
        assertThat(refusalOf(() -> c.openStream(true, 0).setProtocol("/ipfs/ping/1.0.0")))
                .isEqualTo(Refusal.PROTOCOL_STREAMS);
        c.openStream(false, 0).setProtocol("/ipfs/ping/1.0.0"); // our own streams are not limited by protocol
        ping.close();
        c.openStream(true, 0).setProtocol("/ipfs/ping/1.0.0");
        assertThat(rm.inboundStreamsByProtocol())
                .containsEntry("/ipfs/ping/1.0.0", 2)
                .containsEntry("/kad/1.0.0", 1);
    }

    @Test
    void everythingGivenBackLeavesNothingBehind() throws Exception {
        ResourceManager rm = new ResourceManager(ResourceLimits.defaults());
        List<AutoCloseable> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ConnectionScope c = i % 2 == 0 ? rm.openOutbound() : rm.openInbound(ip(i), NOTHING);
            c.authenticate(peer());
            StreamScope s = c.openStream(i % 3 == 0, 100);
            s.setProtocol("/p/" + (i % 4));
            all.add(c); // connections close before their streams, as a reset socket does
            all.add(s);
        }
        for (AutoCloseable c : all) {
            c.close();
        }
        ResourceUsage u = rm.usage();
        assertThat(List.of(u.transientConnections(), u.connections(), u.peers(), u.streams()))
                .containsOnly(0);
        assertThat(u.memory()).isZero();
        assertThat(rm.inboundStreamsByProtocol()).isEmpty();
        assertThat(u.refusals().values()).containsOnly(0L);
    }
}
