package dev.hyperj.chain.storage;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The state root: blake2b-256 over every (key, value) pair in key order, each as SCALE
 * {@code (Vec<u8>, Vec<u8>)}. Simple and unambiguous; it costs a full scan and hash of the state per
 * block (no Merkle trie, hence no inclusion proofs).
 */
public final class StateRoot {
    private StateRoot() {}

    public static byte[] compute(StateView state) {
        Blake2bDigest d = new Blake2bDigest(256);
        byte[] len = new byte[5];
        state.scan(new byte[0], (k, v) -> {
            d.update(len, 0, compactLength(k.length, len));
            d.update(k, 0, k.length);
            d.update(len, 0, compactLength(v.length, len));
            d.update(v, 0, v.length);
            return true;
        });
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    /** SCALE compact encoding of a length into {@code out}; returns the bytes used. */
    static int compactLength(int n, byte[] out) {
        if (n < (1 << 6)) {
            out[0] = (byte) (n << 2);
            return 1;
        }
        if (n < (1 << 14)) {
            int v = (n << 2) | 0b01;
            out[0] = (byte) v;
            out[1] = (byte) (v >>> 8);
            return 2;
        }
        if (n < (1 << 30)) {
            int v = (n << 2) | 0b10;
            for (int i = 0; i < 4; i++) out[i] = (byte) (v >>> (8 * i));
            return 4;
        }
        out[0] = 0b11; // (4 - 4) << 2 | 0b11: four little-endian bytes follow
        for (int i = 0; i < 4; i++) out[1 + i] = (byte) (n >>> (8 * i));
        return 5;
    }
}
