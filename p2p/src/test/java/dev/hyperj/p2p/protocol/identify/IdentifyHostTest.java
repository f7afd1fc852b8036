package dev.hyperj.p2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.ping.Ping;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Identify between two real hosts on loopback, with honest and lying peers. */
class IdentifyHostTest {
    private final List<Host> hosts = new ArrayList<>();

    private Host host(String agent) throws Exception {
        return host(agent, Keys.generate(KeyType.ED25519));
    }

    private Host host(String agent, PrivateKey key) throws Exception {
        Host h = Host.builder()
                .identity(key)
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .agentVersion(agent)
                .build();
        hosts.add(h);
        return h;
    }

    @AfterEach
    void close() {
        hosts.forEach(Host::close);
    }

    @Test
    void eachSideIdentifiesTheOtherOnConnect() throws Exception {
        Host a = host("agent-a/1");
        Host b = host("agent-b/2");
        Identify ia = Identify.install(a);
        Identify ib = Identify.install(b);
        Ping.install(b);
        b.addProtocol("/extra/1.0.0", (s, i) -> s.close());
        a.start().get(10, TimeUnit.SECONDS);
        b.start().get(10, TimeUnit.SECONDS);
        CompletableFuture<IdentifyResult> heard = new CompletableFuture<>();
        ia.addListener(heard::complete);

        a.connect(b.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);

        IdentifyResult ofB = ia.whenIdentified(b.peerId()).get(10, TimeUnit.SECONDS);
        assertThat(heard.get(1, TimeUnit.SECONDS)).isSameAs(ofB);
        assertThat(ofB.agentVersion()).isEqualTo("agent-b/2");
        assertThat(ofB.protocolVersion()).isEqualTo(Identify.PROTOCOL_VERSION);
        assertThat(ofB.protocols())
                .contains(Identify.PROTOCOL_ID, Identify.PUSH_PROTOCOL_ID, Ping.PROTOCOL_ID, "/extra/1.0.0");
        assertThat(ofB.signedPeerRecord()).isPresent();
        assertThat(ofB.signedPeerRecord().get().peerId()).isEqualTo(b.peerId());
        assertThat(ofB.listenAddrs())
                .containsExactly(b.listenAddresses().getFirst().withoutPeerId());
        assertThat(ofB.observedAddr()).isPresent();
        assertThat(ofB.publicKey()).contains(b.identity().publicKey());
        assertThat(a.peerStore().protocols(b.peerId())).contains("/extra/1.0.0");
        assertThat(a.peerStore().agentVersion(b.peerId())).contains("agent-b/2");
        assertThat(a.peerStore().addresses(b.peerId()))
                .contains(b.listenAddresses().getFirst().withoutPeerId());

        IdentifyResult ofA = ib.whenIdentified(a.peerId()).get(10, TimeUnit.SECONDS);
        assertThat(ofA.agentVersion()).isEqualTo("agent-a/1");
        assertThat(ofA.protocols()).doesNotContain(Ping.PROTOCOL_ID);
    }

    @Test
    void pushUpdatesTheOtherSidesProtocols() throws Exception {
        Host a = host("a");
        Host b = host("b");
        Identify ia = Identify.install(a);
        Identify ib = Identify.install(b);
        a.start().get(10, TimeUnit.SECONDS);
        b.start().get(10, TimeUnit.SECONDS);
        a.connect(b.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
        ia.whenIdentified(b.peerId()).get(10, TimeUnit.SECONDS);

        CompletableFuture<IdentifyResult> pushed = new CompletableFuture<>();
        ia.addListener(r -> {
            if (r.push()) {
                pushed.complete(r);
            }
        });
        b.addProtocol("/new/1.0.0", (s, i) -> s.close());
        ib.push().get(10, TimeUnit.SECONDS);
        assertThat(pushed.get(10, TimeUnit.SECONDS).protocols()).contains("/new/1.0.0");
        assertThat(a.peerStore().protocols(b.peerId())).contains("/new/1.0.0");
    }

    @Test
    void anAnswerCarryingAnotherPeersKeyFailsIdentify() throws Exception {
        Host a = host("a");
        Host liar = host("liar");
        Identify ia = Identify.install(a);
        PrivateKey someoneElse = Keys.generate(KeyType.ED25519);
        liar.addProtocol(
                Identify.PROTOCOL_ID,
                (stream, info) -> stream.pipeline()
                        .addLast(new IdentifyWriter(List.of(new IdentifyMessage(
                                Identify.PROTOCOL_VERSION,
                                "liar",
                                someoneElse.publicKey().marshal(),
                                List.of(),
                                null,
                                List.of("/x/1"),
                                null)))));
        a.start().get(10, TimeUnit.SECONDS);
        liar.start().get(10, TimeUnit.SECONDS);
        a.connect(liar.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> ia.whenIdentified(liar.peerId()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IdentifyException.class)
                .hasMessageContaining("carries the key of " + PeerId.fromPublicKey(someoneElse.publicKey()));
        assertThat(a.peerStore().protocols(liar.peerId())).doesNotContain("/x/1");
    }

    @Test
    void aPeerRecordSignedBySomeoneElseIsIgnoredAndItsAddressesNotStored() throws Exception {
        Host a = host("a");
        Host liar = host("liar");
        Identify ia = Identify.install(a);
        PrivateKey mallory = Keys.generate(KeyType.ED25519);
        Multiaddr bogus = Multiaddr.parse("/ip4/6.6.6.6/tcp/666");
        byte[] forged = new PeerRecord(PeerId.fromPublicKey(mallory.publicKey()), 1, List.of(bogus))
                .seal(mallory)
                .marshal();
        liar.addProtocol(
                Identify.PROTOCOL_ID,
                (stream, info) -> stream.pipeline()
                        .addLast(new IdentifyWriter(List.of(new IdentifyMessage(
                                Identify.PROTOCOL_VERSION,
                                "liar",
                                liar.identity().publicKey().marshal(),
                                List.of(),
                                null,
                                List.of("/x/1"),
                                forged)))));
        a.start().get(10, TimeUnit.SECONDS);
        liar.start().get(10, TimeUnit.SECONDS);
        a.connect(liar.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
        IdentifyResult r = ia.whenIdentified(liar.peerId()).get(10, TimeUnit.SECONDS);
        assertThat(r.signedPeerRecord()).isEmpty();
        assertThat(r.protocols()).containsExactly("/x/1");
        assertThat(a.peerStore().addresses(liar.peerId())).doesNotContain(bogus);
    }
}
