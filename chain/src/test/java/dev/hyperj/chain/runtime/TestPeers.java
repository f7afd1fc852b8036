package dev.hyperj.chain.runtime;

import dev.hyperj.p2p.bytes.Bytes;
import java.io.ByteArrayOutputStream;

/** Peer ids and multiaddrs that pass the chain's checks, for runtime and node tests. */
public final class TestPeers {
    private static final String B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private TestPeers() {}

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
