package dev.hyperj.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {
    private static final String PEER = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";

    /** Binary forms as listed in the multiaddr spec and go-multiaddr's tests. */
    @ParameterizedTest
    @CsvSource({
        "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
        "/ip4/127.0.0.1/tcp/4321, 047f0000010610e1",
        "/ip6/::1/tcp/4001, 2900000000000000000000000000000001060fa1",
        "/dns4/example.com/tcp/443/wss, 360b6578616d706c652e636f6d0601bbde03",
        "/ip4/1.2.3.4/udp/4001/quic-v1, 040102030491020fa1cd03",
        "/dnsaddr/bootstrap.libp2p.io, 3813626f6f7473747261702e6c69627032702e696f",
    })
    void textAndBinaryFormsMatch(String text, String hex) {
        byte[] bin = HexFormat.of().parseHex(hex);
        Multiaddr m = Multiaddr.parse(text);
        assertThat(HexFormat.of().formatHex(m.bytes())).isEqualTo(HexFormat.of().formatHex(bin));
        assertThat(Multiaddr.fromBytes(bin)).isEqualTo(m);
        assertThat(Multiaddr.fromBytes(bin).toString()).isEqualTo(text);
    }

    @Test
    void p2pComponentHoldsThePeerIdAndAcceptsTheIpfsAlias() {
        Multiaddr m = Multiaddr.parse("/ip4/7.7.7.7/tcp/4242/p2p/" + PEER);
        assertThat(HexFormat.of().formatHex(m.bytes()))
                .isEqualTo("0407070707" + "061092" + "a50322"
                        + "1220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b");
        assertThat(m.peerId()).contains(PeerId.parse(PEER));
        assertThat(Multiaddr.parse("/ip4/7.7.7.7/tcp/4242/ipfs/" + PEER)).isEqualTo(m);
        assertThat(m.withoutPeerId().toString()).isEqualTo("/ip4/7.7.7.7/tcp/4242");
        assertThat(m.withoutPeerId().peerId()).isEmpty();
        PeerId other = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
        assertThat(m.withPeerId(other).toString()).isEqualTo("/ip4/7.7.7.7/tcp/4242/p2p/" + other);
        assertThat(m.withoutPeerId().withPeerId(other)).isEqualTo(m.withPeerId(other));
        // the CID form of the peer id is read, the base58 form written
        assertThat(Multiaddr.parse("/p2p/" + other.toCid()).toString()).isEqualTo("/p2p/" + other);
    }

    @Test
    void ipv6TextIsCanonical() {
        assertThat(Multiaddr.parse("/ip6/2001:0db8:0000:0000:0000:ff00:0042:8329")
                        .toString())
                .isEqualTo("/ip6/2001:db8::ff00:42:8329");
        assertThat(Multiaddr.parse("/ip6/::").toString()).isEqualTo("/ip6/::");
        assertThat(Multiaddr.parse("/ip6/1::").toString()).isEqualTo("/ip6/1::");
        assertThat(Multiaddr.parse("/ip6/1:0:0:1:0:0:0:1").toString()).isEqualTo("/ip6/1:0:0:1::1");
        assertThat(Multiaddr.parse("/ip6/1:0:2:0:3:0:4:0").toString()).isEqualTo("/ip6/1:0:2:0:3:0:4:0");
        assertThat(Multiaddr.parse("/ip6/::ffff:1.2.3.4").toString()).isEqualTo("/ip6/::ffff:1.2.3.4");
        assertThat(Multiaddr.parse("/ip6/FE80::1").toString()).isEqualTo("/ip6/fe80::1");
    }

    @Test
    void zeroValueProtocolsAndEmptyAddress() {
        Multiaddr m = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/tls/noise/ws/p2p-circuit/");
        assertThat(m.toString()).isEqualTo("/ip4/1.2.3.4/tcp/1/tls/noise/ws/p2p-circuit");
        assertThat(m.components())
                .extracting(Multiaddr.Component::protocol)
                .containsExactly(
                        Protocol.IP4, Protocol.TCP, Protocol.TLS, Protocol.NOISE, Protocol.WS, Protocol.P2P_CIRCUIT);
        assertThat(Multiaddr.parse("/udp/1/quic").components()).hasSize(2);
        assertThat(Multiaddr.parse("/").isEmpty()).isTrue();
        assertThat(Multiaddr.fromBytes(new byte[0]).toString()).isEqualTo("/");
    }

    @Test
    void tcpSocketAddressesConvertBothWays() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 4001);
        assertThat(Multiaddr.tcp(v4).toString()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
        assertThat(Multiaddr.tcp(v4).tcpSocketAddress()).contains(v4);
        assertThat(Multiaddr.parse("/ip6/::1/tcp/80/p2p/" + PEER).tcpSocketAddress())
                .get()
                .extracting(InetSocketAddress::getPort)
                .isEqualTo(80);
        assertThat(Multiaddr.parse("/dns4/example.com/tcp/80").tcpSocketAddress())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "ip4/1.2.3.4",
                "/ip4",
                "/ip4/1.2.3",
                "/ip4/1.2.3.4.5",
                "/ip4/256.1.1.1",
                "/ip4/01.2.3.4",
                "/ip4/1.2.3.4/tcp/65536",
                "/ip4/1.2.3.4/tcp/-1",
                "/ip4/1.2.3.4/tcp/",
                "/tcp/080",
                "/tcp/+80",
                "/ip6/1:2:3:4:5:6:7:8:9",
                "/ip6/1::2::3",
                "/ip6/:1",
                "/ip6/1:",
                "/ip6/12345::",
                "/ip6/1.2.3.4",
                "/ip6/g::",
                "//ip4/1.2.3.4",
                "/foo/bar",
                "/p2p/Qm123",
                "/p2p/bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
                "/dns4/",
                "/udp/١٢"
            })
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Multiaddr.parse(text)).isInstanceOf(FormatException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "04",
                "047f0000",
                "06",
                "0610",
                "ff01",
                "3600",
                "36ff01aa",
                "a503220012",
                "a50322" + "1220aa",
                "3602c328",
                "36032f2f2f",
                "8080808080808080808001"
            })
    void rejectsMalformedBinary(String hex) {
        assertThatThrownBy(() -> Multiaddr.fromBytes(HexFormat.of().parseHex(hex)))
                .isInstanceOf(FormatException.class);
    }

    @Test
    void chainRuleAllowsOnlyTheListedProtocolsAndRequiresATrailingP2p() {
        String p = "/p2p/" + PEER;
        assertThat(valid("/ip4/1.2.3.4/tcp/4001" + p)).isTrue();
        assertThat(valid("/ip6/::1/udp/4001" + p)).isTrue();
        assertThat(valid("/dns4/a.example/tcp/443/wss" + p)).isTrue();
        assertThat(valid("/dns6/a.example/tcp/80/ws" + p)).isTrue();
        assertThat(valid("/dnsaddr/a.example" + p)).isTrue();
        assertThat(valid(p)).isTrue();
        assertThat(valid("/ip4/1.2.3.4/tcp/4001")).isFalse(); // no /p2p
        assertThat(valid("/ip4/1.2.3.4" + p + "/tcp/1")).isFalse(); // /p2p not last
        assertThat(valid("/dns/a.example/tcp/1" + p)).isFalse(); // dns is not on the list
        assertThat(valid("/ip4/1.2.3.4/udp/1/quic-v1" + p)).isFalse();
        assertThat(valid("/ip4/1.2.3.4/tcp/1/tls" + p)).isFalse();
        assertThat(Multiaddr.isValidChainMultiaddr(new byte[0])).isFalse();
        assertThat(Multiaddr.isValidChainMultiaddr(null)).isFalse();
        byte[] truncated = Multiaddr.parse("/ip4/1.2.3.4" + p).bytes();
        assertThat(Multiaddr.isValidChainMultiaddr(java.util.Arrays.copyOf(truncated, truncated.length - 1)))
                .isFalse();
        assertThat(Multiaddr.isValidChainMultiaddr(
                        ("/ip4/1.2.3.4" + p).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isFalse();
    }

    private static boolean valid(String text) {
        return Multiaddr.isValidChainMultiaddr(Multiaddr.parse(text).bytes());
    }
}
