package dev.hyperj.p2p.noise;

import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.peer.PeerId;
import java.util.Objects;

/**
 * Fired down the pipeline ({@code fireUserEventTriggered}) when a Noise handshake succeeded and the
 * transport codec is in place, so handlers added from here on can read and write plaintext.
 *
 * @param remotePeer the authenticated remote peer (its key signed our session's static key)
 * @param remoteKey  the remote identity key
 * @param localPeer  this side's peer id
 * @param initiator  whether this side dialed (ran the Noise initiator role)
 */
public record SecureSession(PeerId remotePeer, PublicKey remoteKey, PeerId localPeer, boolean initiator) {
    public SecureSession {
        Objects.requireNonNull(remotePeer, "remotePeer");
        Objects.requireNonNull(remoteKey, "remoteKey");
        Objects.requireNonNull(localPeer, "localPeer");
    }
}
