package dev.hyperj.chain.tx;

import dev.hyperj.chain.crypto.AccountId;

/** Something that signs transactions for one account (a key in memory, a key file, a hardware wallet...). */
public interface Signer {
    /** The account that signs: keccak-256 of the uncompressed secp256k1 public key, last 20 bytes. */
    AccountId account();

    /** A 65-byte recoverable secp256k1 ECDSA signature {@code r || s || v} (v in {0,1}, low s) over keccak-256 of {@code payload}. */
    byte[] sign(byte[] payload);
}
