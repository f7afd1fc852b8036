package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic Ed25519 identities for tests. */
final class TestPeers {
    private TestPeers() {}

    static PrivateKey key(long seed) {
        byte[] s = new byte[32];
        new SplittableRandom(seed).nextBytes(s);
        return Keys.ed25519FromSeed(s);
    }

    static PeerId peer(long seed) {
        return PeerId.fromPublicKey(key(seed).publicKey());
    }

    static List<PeerId> peers(long firstSeed, int n) {
        List<PeerId> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(peer(firstSeed + i));
        }
        return out;
    }
}
