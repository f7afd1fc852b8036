package dev.hyperj.chain.runtime;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;

/**
 * The chain's peer-id and multiaddr rules (CHAIN.md {@code validate_peer_id} and the multiaddr
 * whitelist), as implemented once in {@code dev.hyperj.p2p} and shared with the networking side.
 */
final class PeerRules {
    private PeerRules() {}

    static boolean isValidPeerId(String text) {
        return text != null && PeerId.isValidChainPeerId(text.getBytes(StandardCharsets.UTF_8));
    }

    static boolean isValidMultiaddr(byte[] bytes) {
        return Multiaddr.isValidChainMultiaddr(bytes);
    }
}
