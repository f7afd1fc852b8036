package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;

/** The negotiated protocol of a stream and who is on the other end. */
public record StreamInfo(PeerId remotePeer, String protocol, boolean initiator, Multiaddr remoteAddress) {}
