package dev.hyperj.p2p.kad;

import java.util.List;

/** The peers a lookup ended with (closest to the key first) and how it went. */
public record LookupResult(List<PeerInfo> peers, LookupStats stats) {
    public LookupResult {
        peers = List.copyOf(peers);
    }
}
