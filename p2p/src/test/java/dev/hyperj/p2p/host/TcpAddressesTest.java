package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class TcpAddressesTest {

    @Test
    void parsesTheDialableForms() throws Exception {
        PeerId p = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
        TcpAddresses.Target t = TcpAddresses.parse(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + p));
        assertThat(t).isEqualTo(new TcpAddresses.Target("ip4", "127.0.0.1", 4001, p));
        assertThat(TcpAddresses.literal(t)).isEqualTo(new InetSocketAddress("127.0.0.1", 4001));
        TcpAddresses.Target v6 = TcpAddresses.parse(Multiaddr.parse("/ip6/::1/tcp/5"));
        assertThat(TcpAddresses.literal(v6).getAddress()).isEqualTo(InetAddress.getByName("::1"));
        TcpAddresses.Target dns = TcpAddresses.parse(Multiaddr.parse("/dns4/localhost/tcp/80"));
        assertThat(dns.needsResolution()).isTrue();
        assertThat(TcpAddresses.resolveName(dns).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void refusesWhatItCannotDial() {
        for (String s :
                new String[] {"/ip4/1.2.3.4/udp/5", "/ip4/1.2.3.4", "/ip4/1.2.3.4/tcp/5/ws", "/dnsaddr/x.org"}) {
            assertThatThrownBy(() -> TcpAddresses.parse(Multiaddr.parse(s)))
                    .as(s)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() ->
                        TcpAddresses.resolveName(TcpAddresses.parse(Multiaddr.parse("/dns6/127.0.0.1.invalid/tcp/1"))))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void socketAddressesRoundTrip() {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1234);
        assertThat(TcpAddresses.toMultiaddr(a).toString()).isEqualTo("/ip4/127.0.0.1/tcp/1234");
        assertThat(TcpAddresses.dialable(new InetSocketAddress("0.0.0.0", 0), new InetSocketAddress("::", 9)))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.toString()).startsWith("/ip4/").endsWith("/tcp/9"));
    }
}
