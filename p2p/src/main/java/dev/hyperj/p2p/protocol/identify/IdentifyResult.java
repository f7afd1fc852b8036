package dev.hyperj.p2p.protocol.identify;

import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.util.List;
import java.util.Optional;

/**
 * What a peer told us about itself in identify (or identify push).
 *
 * @param listenAddrs      the addresses it listens on: those of its signed peer record if it sent a
 *                         valid one, else the (unsigned) listenAddrs field; unparseable ones dropped
 * @param observedAddr     how it sees our address
 * @param signedPeerRecord its peer record, present only if the envelope verified
 * @param push             true if this came from an identify push rather than our request
 */
public record IdentifyResult(
        PeerId peer,
        String protocolVersion,
        String agentVersion,
        Optional<PublicKey> publicKey,
        List<Multiaddr> listenAddrs,
        Optional<Multiaddr> observedAddr,
        List<String> protocols,
        Optional<PeerRecord> signedPeerRecord,
        boolean push) {
    public IdentifyResult {
        listenAddrs = List.copyOf(listenAddrs);
        protocols = List.copyOf(protocols);
    }
}
