package dev.hyperj.chain.client;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.runtime.GenesisConfig;
import dev.hyperj.chain.runtime.NetworkParams;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.bytes.Bytes;
import java.util.Optional;

/** Test fixtures: a dev chain with short phases, dev signers, valid peer ids and multiaddrs. */
public final class TestChain {
    public static final int EPOCH = 20;
    public static final Secp256k1 ALITH = signer(DevAccounts.ALITH),
            BALTATHAR = signer(DevAccounts.BALTATHAR),
            CHARLETH = signer(DevAccounts.CHARLETH),
            DOROTHY = signer(DevAccounts.DOROTHY),
            ETHAN = signer(DevAccounts.ETHAN),
            FAITH = signer(DevAccounts.FAITH);

    private TestChain() {}

    public static Secp256k1 signer(DevAccounts a) {
        return Secp256k1.fromPrivateKey(a.privateKey());
    }

    /** A deterministic extra key (hotkeys). */
    public static Secp256k1 key(int seed) {
        byte[] k = new byte[32];
        k[31] = (byte) seed;
        k[30] = (byte) (seed >> 8);
        k[0] = 0x11;
        return Secp256k1.fromPrivateKey(k);
    }

    /** Dev genesis with phases short enough for tests: registration 10 epochs, enactment 5, activation after 1. */
    public static GenesisConfig genesis() {
        return GenesisConfig.dev(EPOCH)
                .withParams(NetworkParams.defaults(EPOCH, Optional.of(DevAccounts.ALITH.account()))
                        .withPhases(10, 5, 1, 2));
    }

    public static NodeConfig instantSeal() {
        return NodeConfig.dev(EPOCH).withGenesis(genesis()).withInstantSeal(true);
    }

    /** A syntactically valid libp2p peer id text, distinct per seed. */
    public static String peerId(int seed) {
        return dev.hyperj.chain.runtime.TestPeers.peerId(seed);
    }

    /** /ip4/127.0.0.1/tcp/{port}/p2p/{32-byte sha2-256 multihash} as binary multiaddr. */
    public static Bytes multiaddr(int port) {
        return dev.hyperj.chain.runtime.TestPeers.multiaddr(port);
    }
}
