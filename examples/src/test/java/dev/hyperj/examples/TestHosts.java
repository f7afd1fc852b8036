package dev.hyperj.examples;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import java.util.concurrent.TimeUnit;

/** Real libp2p hosts for the examples' tests: a fresh key, TCP on a free loopback port, one thread. */
public final class TestHosts {
    private TestHosts() {}

    public static Host loopback() throws Exception {
        Host h = Host.builder()
                .identity(Keys.generate(KeyType.ED25519))
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build();
        h.start().get(10, TimeUnit.SECONDS);
        return h;
    }
}
