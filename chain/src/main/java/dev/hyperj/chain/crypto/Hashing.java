package dev.hyperj.chain.crypto;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.KeccakDigest;

/** The chain's hash functions (BouncyCastle): blake2b-256 for state and seeds, keccak-256 for accounts. */
public final class Hashing {
    private Hashing() {}

    public static byte[] blake2b256(byte[]... parts) {
        Blake2bDigest d = new Blake2bDigest(256);
        for (byte[] p : parts) d.update(p, 0, p.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    public static byte[] blake2b128(byte[] data) {
        Blake2bDigest d = new Blake2bDigest(128);
        d.update(data, 0, data.length);
        byte[] out = new byte[16];
        d.doFinal(out, 0);
        return out;
    }

    public static byte[] keccak256(byte[] data) {
        KeccakDigest d = new KeccakDigest(256);
        d.update(data, 0, data.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    /** A streaming blake2b-256, for digests over many pieces (the state root). */
    public static final class Blake2b256 {
        private final Blake2bDigest d = new Blake2bDigest(256);

        public Blake2b256 update(byte[] b) {
            d.update(b, 0, b.length);
            return this;
        }

        public byte[] digest() {
            byte[] out = new byte[32];
            d.doFinal(out, 0);
            return out;
        }
    }
}
