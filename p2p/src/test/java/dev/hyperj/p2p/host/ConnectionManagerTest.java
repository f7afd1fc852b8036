package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import org.junit.jupiter.api.Test;

class ConnectionManagerTest {

    @Test
    void slotsAndPerPeerReservationsAreBounded() {
        ConnectionManager m = new ConnectionManager(
                ConnectionLimits.defaults().withMaxConnections(2).withMaxConnectionsPerPeer(1));
        assertThat(m.tryReserveSlot()).isTrue();
        assertThat(m.tryReserveSlot()).isTrue();
        assertThat(m.tryReserveSlot()).isFalse();
        assertThat(m.openCount()).isEqualTo(2);
        m.releaseSlot();
        assertThat(m.tryReserveSlot()).isTrue();

        PeerId p = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
        assertThat(m.tryReservePeer(p)).isTrue();
        assertThat(m.tryReservePeer(p)).isFalse();
        m.releasePeer(p);
        assertThat(m.tryReservePeer(p)).isTrue();
        assertThat(m.connections(p)).isEmpty();
        assertThat(m.isConnected(p)).isFalse();
    }
}
