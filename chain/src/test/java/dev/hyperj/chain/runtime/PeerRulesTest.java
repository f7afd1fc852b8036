package dev.hyperj.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.multiformats.Multiaddr;
import org.junit.jupiter.api.Test;

class PeerRulesTest {
    @Test
    void chainRulesComeFromTheSharedIdentityCode() {
        assertThat(PeerRules.isValidPeerId("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"))
                .isTrue();
        assertThat(PeerRules.isValidPeerId("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"))
                .isTrue();
        assertThat(PeerRules.isValidPeerId("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe"))
                .isTrue();
        assertThat(PeerRules.isValidPeerId("short")).isFalse();
        assertThat(PeerRules.isValidPeerId("x".repeat(52))).isFalse();
        assertThat(PeerRules.isValidPeerId(null)).isFalse();
        byte[] ok = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")
                .bytes();
        byte[] noPeer = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").bytes();
        byte[] dns = Multiaddr.parse(
                        "/dns4/node.example/tcp/443/wss/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")
                .bytes();
        assertThat(PeerRules.isValidMultiaddr(ok)).isTrue();
        assertThat(PeerRules.isValidMultiaddr(dns)).isTrue();
        assertThat(PeerRules.isValidMultiaddr(noPeer)).isFalse();
        assertThat(PeerRules.isValidMultiaddr(new byte[] {(byte) 0xff})).isFalse();
        assertThat(PeerRules.isValidMultiaddr(Scenario.multiaddr(4001).value())).isTrue();
    }
}
