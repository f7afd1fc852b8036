package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.peer.PeerId;

/**
 * Told when a peer's send queue became non-empty. The transport then calls
 * {@link GossipRouter#pollOutbound(PeerId)} on the router's thread while the peer's stream can
 * take more (so a slow peer's queue fills and sheds gossip instead of stalling anyone).
 */
@FunctionalInterface
public interface Outbound {
    void ready(PeerId peer);
}
