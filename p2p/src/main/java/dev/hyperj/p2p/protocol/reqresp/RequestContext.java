package dev.hyperj.p2p.protocol.reqresp;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;

/** Who sent a request, on which protocol. */
public record RequestContext(PeerId peer, String protocol, Multiaddr remoteAddress) {}
