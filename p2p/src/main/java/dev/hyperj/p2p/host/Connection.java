package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.util.concurrent.CompletableFuture;

/** An upgraded (secured and multiplexed) connection to an authenticated peer. */
public interface Connection {
    PeerId remotePeer();

    /** The remote socket address, e.g. {@code /ip4/1.2.3.4/tcp/4001} (no /p2p). */
    Multiaddr remoteAddress();

    Multiaddr localAddress();

    boolean isInitiator();

    /** {@code /noise} or {@code /pos-transport/1.0.0}. */
    String securityProtocol();

    /** {@code /yamux/1.0.0} or {@code /mplex/6.7.0}. */
    String muxerProtocol();

    /** Open streams on this connection right now. */
    int streamCount();

    boolean isOpen();

    /** Opens a stream and negotiates the first of {@code protocols} the peer supports; see
     *  {@link Host#newStream(dev.hyperj.p2p.peer.PeerId, String...)}. */
    CompletableFuture<PeerStream> newStream(String... protocols);

    /** Like {@link #newStream(String...)}, installing {@code handler} when negotiated. */
    CompletableFuture<PeerStream> newStream(ProtocolHandler handler, String... protocols);

    /** Like {@link #newStream(ProtocolHandler, String...)}, negotiating as {@code negotiation} says. */
    default CompletableFuture<PeerStream> newStream(
            ProtocolHandler handler, Negotiation negotiation, String... protocols) {
        return newStream(handler, protocols);
    }

    /** Graceful: tells the peer no new streams (go-away), then closes. Completes when closed. */
    CompletableFuture<Void> close();
}
