package dev.hyperj.chain.client;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.runtime.GenesisConfig;
import dev.hyperj.chain.runtime.NetworkParams;
import dev.hyperj.chain.scale.Bytes;
import dev.hyperj.chain.tx.Secp256k1;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/** Test fixtures: a dev chain with short phases, dev signers, valid peer ids and multiaddrs. */
public final class TestChain {
    public static final int EPOCH = 20;
    public static final Secp256k1 ALITH = signer(DevAccounts.ALITH), BALTATHAR = signer(DevAccounts.BALTATHAR), CHARLETH = signer(DevAccounts.CHARLETH),
            DOROTHY = signer(DevAccounts.DOROTHY), ETHAN = signer(DevAccounts.ETHAN), FAITH = signer(DevAccounts.FAITH);

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
        return GenesisConfig.dev(EPOCH).withParams(NetworkParams.defaults(EPOCH, Optional.of(DevAccounts.ALITH.account())).withPhases(10, 5, 1, 2));
    }

    public static NodeConfig instantSeal() {
        return NodeConfig.dev(EPOCH).withGenesis(genesis()).withInstantSeal(true);
    }

    private static final String B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /** A syntactically valid libp2p peer id text, distinct per seed. */
    public static String peerId(int seed) {
        StringBuilder sb = new StringBuilder("12D3KooW");
        long x = seed * 2654435761L + 12345;
        while (sb.length() < 52) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            sb.append(B58.charAt((int) Long.remainderUnsigned(x >>> 17, B58.length())));
        }
        return sb.toString();
    }

    /** /ip4/127.0.0.1/tcp/{port}/p2p/{32-byte sha2-256 multihash} as binary multiaddr. */
    public static Bytes multiaddr(int port) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(4);
        b.writeBytes(new byte[] {127, 0, 0, 1});
        b.write(6);
        b.write(port >>> 8);
        b.write(port);
        b.write(0xa5);
        b.write(0x03);
        b.write(34);
        b.write(0x12);
        b.write(0x20);
        for (int i = 0; i < 32; i++) b.write(i + port);
        return Bytes.of(b.toByteArray());
    }
}
