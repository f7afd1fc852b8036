package dev.hyperj.p2p.protocol.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ping between two real hosts over TCP + Noise + Yamux on loopback. */
class PingHostTest {
    private final Host a =
            Host.builder().listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build();
    private final Host b =
            Host.builder().listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build();

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void pingsAPeerThroughTheWholeStack() throws Exception {
        Ping.install(b);
        a.start().get(10, TimeUnit.SECONDS);
        b.start().get(10, TimeUnit.SECONDS);
        a.connect(b.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
        assertThat(Ping.ping(a, b.peerId()).get(10, TimeUnit.SECONDS))
                .isPositive()
                .isLessThan(Duration.ofSeconds(5));
        List<Duration> rtts =
                Ping.ping(a, b.peerId(), 10, Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
        assertThat(rtts).hasSize(10);
    }

    @Test
    void aPeerWithoutPingFailsWithAPingException() throws Exception {
        a.start().get(10, TimeUnit.SECONDS);
        b.start().get(10, TimeUnit.SECONDS);
        a.connect(b.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> Ping.ping(a, b.peerId()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(PingException.class)
                .hasMessageContaining("no ping stream")
                .hasMessageContaining("supports none of [/ipfs/ping/1.0.0]");
        // a refused stream is no reason to drop the connection
        assertThat(a.connections().connections(b.peerId())).hasSize(1);
    }
}
