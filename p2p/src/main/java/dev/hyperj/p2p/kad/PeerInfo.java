package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.util.List;
import java.util.Objects;

/** A peer and the addresses it can be dialled on (possibly none: the transport may know others). */
public record PeerInfo(PeerId id, List<Multiaddr> addrs) {
    public PeerInfo {
        Objects.requireNonNull(id, "id");
        addrs = List.copyOf(addrs);
    }

    public static PeerInfo of(PeerId id) {
        return new PeerInfo(id, List.of());
    }
}
