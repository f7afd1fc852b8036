package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PeerStoreTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    static PeerId newPeer() {
        return PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    }

    static Multiaddr tcp(int port) {
        return Multiaddr.parse("/ip4/10.0.0.1/tcp/" + port);
    }

    @Test
    void addressesExpireAndSweepForgetsPeersLeftWithout() {
        ManualClock clock = new ManualClock();
        PeerStore store = new PeerStore(100, 10, clock);
        PeerId p = newPeer();
        store.addAddresses(p, Duration.ofMinutes(1), tcp(1));
        store.addAddresses(p, Duration.ofMinutes(10), tcp(2).withPeerId(p));
        assertThat(store.addresses(p)).containsExactly(tcp(2), tcp(1)); // longest-lived first, /p2p stripped
        clock.advance(Duration.ofMinutes(2));
        assertThat(store.addresses(p)).containsExactly(tcp(2));
        assertThat(store.sweep()).isZero();
        clock.advance(Duration.ofMinutes(9));
        assertThat(store.addresses(p)).isEmpty();
        assertThat(store.peers()).containsExactly(p);
        assertThat(store.sweep()).isEqualTo(1);
        assertThat(store.peers()).isEmpty();
    }

    @Test
    void refreshingExtendsButNeverShortensAnExpiry() {
        ManualClock clock = new ManualClock();
        PeerStore store = new PeerStore(100, 10, clock);
        PeerId p = newPeer();
        store.addAddresses(p, Duration.ofMinutes(10), tcp(1));
        store.addAddresses(p, Duration.ofMinutes(1), tcp(1));
        clock.advance(Duration.ofMinutes(5));
        assertThat(store.addresses(p)).containsExactly(tcp(1));
    }

    @Test
    void protectedPeersAreNeitherSweptNorEvicted() {
        ManualClock clock = new ManualClock();
        PeerStore store = new PeerStore(2, 10, clock);
        PeerId connected = newPeer();
        store.protect(connected::equals);
        store.setAgentVersion(connected, "js-libp2p/3");
        PeerId other = newPeer();
        store.addAddresses(other, Duration.ofMinutes(1), tcp(1));
        PeerId third = newPeer();
        store.setAgentVersion(third, "go");
        // full: the least recently updated unprotected peer (other) made room
        assertThat(store.peers()).containsExactlyInAnyOrder(connected, third);
        assertThat(store.sweep()).isEqualTo(1); // third has no address and is not protected
        assertThat(store.peers()).containsExactly(connected);
        assertThat(store.agentVersion(connected)).contains("js-libp2p/3");
    }

    @Test
    void fullOfProtectedPeersRefusesNewOnes() {
        PeerStore store = new PeerStore(1, 10, Clock.systemUTC());
        PeerId a = newPeer();
        store.protect(a::equals);
        store.setProtocols(a, List.of("/x"));
        PeerId b = newPeer();
        store.setProtocols(b, List.of("/y"));
        assertThat(store.peers()).containsExactly(a);
        assertThat(store.protocols(b)).isEmpty();
    }

    @Test
    void boundsAddressesProtocolsAndAgent() {
        ManualClock clock = new ManualClock();
        PeerStore store = new PeerStore(10, 3, clock);
        PeerId p = newPeer();
        for (int i = 0; i < 10; i++) {
            store.addAddresses(p, Duration.ofMinutes(1 + i), tcp(i));
        }
        assertThat(store.addresses(p)).containsExactly(tcp(9), tcp(8), tcp(7)); // the soonest to expire went
        List<String> many = new ArrayList<>(
                IntStream.range(0, 1000).mapToObj(i -> "/p/" + i).toList());
        many.add("/" + "x".repeat(5000));
        store.setProtocols(p, many);
        assertThat(store.protocols(p)).hasSize(PeerStore.MAX_PROTOCOLS_PER_PEER).contains("/p/0");
        store.setAgentVersion(p, "a".repeat(10_000));
        assertThat(store.agentVersion(p).orElseThrow()).hasSize(PeerStore.MAX_AGENT_VERSION_LENGTH);
    }

    @Test
    void keysMustMatchThePeerId() {
        PeerStore store = new PeerStore();
        PrivateKey k = Keys.generate(KeyType.SECP256K1);
        PeerId p = PeerId.fromPublicKey(k.publicKey());
        store.putPublicKey(p, k.publicKey());
        assertThat(store.publicKey(p)).contains(k.publicKey());
        assertThatThrownBy(() -> store.putPublicKey(newPeer(), k.publicKey()))
                .isInstanceOf(IllegalArgumentException.class);
        // ed25519 ids embed their key
        PrivateKey ed = Keys.generate(KeyType.ED25519);
        PeerId edPeer = PeerId.fromPublicKey(ed.publicKey());
        assertThat(store.publicKey(edPeer).orElseThrow().raw())
                .isEqualTo(ed.publicKey().raw());
        assertThat(store.protocols(edPeer)).isEqualTo(Set.of());
    }
}
