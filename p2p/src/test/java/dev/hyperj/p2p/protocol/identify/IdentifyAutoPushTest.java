package dev.hyperj.p2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.host.ObservedAddresses;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic identify push between real hosts on loopback: protocol changes and newly confirmed
 * observed addresses reach connected peers without anyone calling {@link Identify#push()}.
 */
class IdentifyAutoPushTest {
    private static final Duration PUSH_DELAY = Duration.ofMillis(150);
    /** What the lying peers claim to see us at: an address no loopback test could observe. */
    private static final Multiaddr OUTSIDE = Multiaddr.parse("/ip4/203.0.113.9/tcp/4001");

    private final List<Host> hosts = new ArrayList<>();

    private Host started(Host h) throws Exception {
        hosts.add(h);
        h.start().get(10, TimeUnit.SECONDS);
        return h;
    }

    private Host host() {
        return Host.builder()
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build();
    }

    @AfterEach
    void close() {
        hosts.forEach(Host::close);
    }

    /** Every push {@code identify} receives, in order. */
    private static BlockingQueue<IdentifyResult> pushes(Identify identify) {
        BlockingQueue<IdentifyResult> q = new LinkedBlockingQueue<>();
        identify.addListener(r -> {
            if (r.push()) {
                q.add(r);
            }
        });
        return q;
    }

    private static IdentifyResult next(BlockingQueue<IdentifyResult> q, Predicate<IdentifyResult> matches)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            IdentifyResult r = q.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(r).as("a matching identify push within 20 s").isNotNull();
            if (matches.test(r)) {
                return r;
            }
        }
    }

    @Test
    void aBurstOfNewProtocolsReachesConnectedPeersInOnePush() throws Exception {
        Host a = started(host());
        Host b = started(host());
        Identify ia = Identify.install(a, Identify.DEFAULT_TIMEOUT, PUSH_DELAY);
        Identify ib = Identify.install(b, Identify.DEFAULT_TIMEOUT, PUSH_DELAY);
        a.connect(b.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
        ia.whenIdentified(b.peerId()).get(10, TimeUnit.SECONDS);
        ib.whenIdentified(a.peerId()).get(10, TimeUnit.SECONDS);
        BlockingQueue<IdentifyResult> atB = pushes(ib);

        List<String> added = List.of("/burst/1", "/burst/2", "/burst/3", "/burst/4", "/burst/5");
        for (String p : added) {
            a.addProtocol(p, (s, i) -> s.close());
        }

        IdentifyResult first = atB.poll(20, TimeUnit.SECONDS);
        assertThat(first).as("a push without anyone calling push()").isNotNull();
        assertThat(first.peer()).isEqualTo(a.peerId());
        assertThat(first.protocols()).as("the changes settled before the push").containsAll(added);
        assertThat(b.peerStore().protocols(a.peerId())).containsAll(added);

        a.removeProtocol("/burst/3");
        IdentifyResult second = next(atB, r -> !r.protocols().contains("/burst/3"));
        assertThat(second.protocols()).contains("/burst/1", "/burst/5");
        assertThat(b.peerStore().protocols(a.peerId())).doesNotContain("/burst/3");
    }

    /** A peer that answers identify honestly except that it claims to see us at {@link #OUTSIDE}. */
    private record Observer(Host host, Identify identify) {}

    private Observer observerClaimingOutside() throws Exception {
        Host h = started(host());
        Identify identify = Identify.install(h, Identify.DEFAULT_TIMEOUT, PUSH_DELAY);
        h.addProtocol(
                Identify.PROTOCOL_ID,
                (stream, info) -> stream.pipeline()
                        .addLast(new IdentifyWriter(List.of(new IdentifyMessage(
                                Identify.PROTOCOL_VERSION,
                                "observer",
                                h.identity().publicKey().marshal(),
                                List.of(),
                                OUTSIDE.bytes(),
                                List.of(Identify.PROTOCOL_ID, Identify.PUSH_PROTOCOL_ID),
                                null)))));
        return new Observer(h, identify);
    }

    @Test
    void anObservedAddressIsAdvertisedAndPushedOnceTwoPeersConfirmIt() throws Exception {
        Host a = started(host());
        Identify ia = Identify.install(a, Identify.DEFAULT_TIMEOUT, PUSH_DELAY);
        Observer ob = observerClaimingOutside();
        Host b = ob.host();
        Host c = observerClaimingOutside().host();
        BlockingQueue<IdentifyResult> atB = pushes(ob.identify());
        Multiaddr advertised = OUTSIDE.withPeerId(a.peerId());

        // an outbound connection's observation is our ephemeral port: not recorded
        Host d = observerClaimingOutside().host();
        a.connect(d.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
        ia.whenIdentified(d.peerId()).get(10, TimeUnit.SECONDS);
        assertThat(a.observedAddresses().observers(OUTSIDE)).isZero();

        b.connect(a.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
        ia.whenIdentified(b.peerId()).get(10, TimeUnit.SECONDS);
        assertThat(a.observedAddresses().observers(OUTSIDE)).isEqualTo(1);
        assertThat(a.observedAddresses().confirmed())
                .as("one peer's word is not enough")
                .isEmpty();
        assertThat(a.advertisedAddresses()).doesNotContain(advertised);

        c.connect(a.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
        ia.whenIdentified(c.peerId()).get(10, TimeUnit.SECONDS);
        assertThat(a.observedAddresses().confirmed()).containsExactly(OUTSIDE);
        assertThat(a.advertisedAddresses()).contains(advertised).containsAll(a.listenAddresses());

        IdentifyResult pushed = next(atB, r -> r.listenAddrs().contains(OUTSIDE));
        assertThat(pushed.peer()).isEqualTo(a.peerId());
        assertThat(pushed.signedPeerRecord())
                .as("the signed record carries it too")
                .isPresent();
        assertThat(pushed.signedPeerRecord().get().addresses()).contains(OUTSIDE);
        assertThat(b.peerStore().addresses(a.peerId())).contains(OUTSIDE);

        // c leaves: its confirmation goes with it, and b hears that we no longer claim the address
        c.close();
        IdentifyResult withdrawn = next(atB, r -> !r.listenAddrs().contains(OUTSIDE));
        assertThat(withdrawn.listenAddrs())
                .contains(a.listenAddresses().getFirst().withoutPeerId());
        assertThat(a.advertisedAddresses()).doesNotContain(advertised);
    }

    @Test
    void observedAddressesAreBoundedAndOnlyTcp() throws Exception {
        Host a = started(host());
        ObservedAddresses o = a.observedAddresses();
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < ObservedAddresses.MAX_OBSERVERS + 10; i++) {
            peers.add(PeerId.fromPublicKey(dev.hyperj.p2p.crypto.Keys.generate(dev.hyperj.p2p.crypto.KeyType.ED25519)
                    .publicKey()));
        }
        assertThat(o.record(peers.get(0), Multiaddr.parse("/ip4/1.2.3.4/udp/4001")))
                .isFalse();
        assertThat(o.record(peers.get(0), Multiaddr.parse("/dns4/example.org/tcp/4001")))
                .isFalse();
        assertThat(o.observers(Multiaddr.parse("/ip4/1.2.3.4/udp/4001"))).isZero();
        // one observer repeating itself is still one observer
        Multiaddr x = Multiaddr.parse("/ip4/198.51.100.1/tcp/4001");
        assertThat(o.record(peers.get(0), x)).isFalse();
        assertThat(o.record(peers.get(0), x)).isFalse();
        assertThat(o.confirmed()).isEmpty();
        assertThat(o.record(peers.get(1), x.withPeerId(peers.get(1))))
                .as("the /p2p part is dropped")
                .isTrue();
        assertThat(o.confirmed()).containsExactly(x);
        // many observers, each seeing a different address: the set stays bounded
        for (int i = 2; i < peers.size(); i++) {
            o.record(
                    peers.get(i),
                    Multiaddr.parse("/ip4/10.0." + (i / 200) + "." + (i % 200) + "/tcp/" + (1000 + i / 2)));
        }
        assertThat(o.observers(x)).as("the oldest observers were dropped").isZero();
        assertThat(o.confirmed())
                .hasSizeLessThanOrEqualTo(ObservedAddresses.MAX_CONFIRMED)
                .doesNotContain(x);
        assertThat(o.forget(peers.get(peers.size() - 1))).isFalse();
    }
}
