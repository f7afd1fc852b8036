package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous allow/deny after the secure handshake (the peer is authenticated) and before the
 * connection is used: no muxer is negotiated and no application byte is read until it answers.
 * A deny, an exception, or no answer within {@link ConnectionLimits#gaterTimeout()} closes the
 * connection with a logged reason. Called on an event loop: return quickly, do slow work elsewhere.
 */
@FunctionalInterface
public interface ConnectionGater {
    ConnectionGater ALLOW_ALL = (peer, remote, inbound) -> CompletableFuture.completedFuture(true);

    CompletableFuture<Boolean> allow(PeerId peer, Multiaddr remote, boolean inbound);
}
