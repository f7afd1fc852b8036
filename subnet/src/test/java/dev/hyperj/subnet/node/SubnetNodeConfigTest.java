package dev.hyperj.subnet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.api.NodeApiConfig;
import dev.hyperj.subnet.peers.MaintenanceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubnetNodeConfigTest {
    private static final PrivateKey KEY = Keys.generate(KeyType.ED25519);
    private static final Signer SIGNER = DevChain.hotkey(1);
    private static final Path STORAGE = Path.of("/tmp/not-used");

    private static SubnetNodeConfig.Builder builder() {
        return SubnetNodeConfig.builder(3, KEY, SIGNER, STORAGE);
    }

    @Test
    void theDefaultsAreLoopbackNoPeersNoApiAndThreeSecondStakeChecks() {
        SubnetNodeConfig c = SubnetNodeConfig.of(3, KEY, SIGNER, STORAGE);
        assertThat(c.listen()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        assertThat(c.bootstrap()).isEmpty();
        assertThat(c.stakeCheckTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.gossip()).isEqualTo(GossipConfig.defaults());
        assertThat(c.maintenance()).isEqualTo(MaintenanceConfig.defaults());
        assertThat(c.api()).isEqualTo(NodeApiConfig.disabled());
        assertThat(c).isEqualTo(builder().build());
    }

    @Test
    void toBuilderKeepsEveryValueAndChangesOnlyWhatItIsTold() {
        Multiaddr peer = Multiaddr.parse("/ip4/10.0.0.1/tcp/4001")
                .withPeerId(PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()));
        SubnetNodeConfig c = builder()
                .listen(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/38960")))
                .bootstrap(List.of(peer))
                .stakeCheckTimeout(Duration.ofSeconds(10))
                .api(NodeApiConfig.loopback(0))
                .build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        SubnetNodeConfig changed =
                c.toBuilder().stakeCheckTimeout(Duration.ofSeconds(4)).build();
        assertThat(changed.stakeCheckTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(changed.toBuilder().stakeCheckTimeout(Duration.ofSeconds(10)).build())
                .isEqualTo(c);
    }

    @Test
    void buildRefusesWhatWouldFailAtStart() {
        assertThatThrownBy(() -> builder()
                        .bootstrap(List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001")))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/p2p/");
        assertThatThrownBy(() -> builder().listen(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listen");
        assertThatThrownBy(() -> builder().stakeCheckTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stake check timeout");
        assertThatThrownBy(() -> builder().gossip(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SubnetNodeConfig.of(0, KEY, SIGNER, STORAGE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubnetNodeConfig.of(3, KEY, null, STORAGE)).isInstanceOf(NullPointerException.class);
    }
}
