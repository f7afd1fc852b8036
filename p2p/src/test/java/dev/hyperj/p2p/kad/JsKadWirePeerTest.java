package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wire peers shaped as js-libp2p's @libp2p/kad-dht 16 sends them: ADD_PROVIDER's providerPeers carry
 * addresses ending in /p2p/&lt;provider id&gt; (seen in JsKadInteropTest), closerPeers bare ones.
 */
class JsKadWirePeerTest {
    private final PeerId peer = TestPeers.peer(1);
    private final PeerId other = TestPeers.peer(2);
    private final Multiaddr tcp = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
    private final Multiaddr tcp2 = Multiaddr.parse("/ip4/127.0.0.1/tcp/4002");

    private PeerInfo decode(Multiaddr... addrs) {
        List<byte[]> bytes = Arrays.stream(addrs).map(Multiaddr::bytes).toList();
        return KadDht.toPeerInfo(new KadMessage.WirePeer(peer.bytes(), bytes, KadMessage.Connection.CONNECTED), 8);
    }

    @Test
    void ownPeerIdSuffixIsStripped() {
        assertThat(decode(tcp.withPeerId(peer)).addrs()).containsExactly(tcp);
    }

    @Test
    void bareAddressesAreKeptAndBothFormsOfOneAddressCountOnce() {
        assertThat(decode(tcp, tcp.withPeerId(peer), tcp2).addrs()).containsExactly(tcp, tcp2);
    }

    @Test
    void anAddressNamingAnotherPeerIsDropped() {
        assertThat(decode(tcp.withPeerId(other), tcp2).addrs()).containsExactly(tcp2);
    }
}
