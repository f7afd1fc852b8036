package dev.hyperj.chain.storage;

import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.scale.ScaleWriter;

/**
 * The state root: blake2b-256 over every (key, value) pair in key order, each as SCALE
 * {@code (Vec<u8>, Vec<u8>)}. Simple and unambiguous; it costs O(state size) per block (no
 * Merkle trie, hence no inclusion proofs).
 */
public final class StateRoot {
    private StateRoot() {}

    public static byte[] compute(StateView state) {
        Hashing.Blake2b256 h = new Hashing.Blake2b256();
        state.scan(new byte[0], (k, v) -> {
            h.update(new ScaleWriter().compact(k.length).toByteArray()).update(k);
            h.update(new ScaleWriter().compact(v.length).toByteArray()).update(v);
            return true;
        });
        return h.digest();
    }
}
