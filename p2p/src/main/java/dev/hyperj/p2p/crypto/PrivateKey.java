package dev.hyperj.p2p.crypto;

/** A libp2p private key. Implementations are immutable and thread-safe. */
public interface PrivateKey {
    KeyType type();

    PublicKey publicKey();

    /** Signs {@code data} as libp2p specifies for this key type. */
    byte[] sign(byte[] data);

    /** The {@code Data} field of libp2p's {@code PrivateKey} protobuf (a copy). */
    byte[] raw();

    /** libp2p's protobuf {@code PrivateKey{Type, Data}} (for Ed25519 the 64-byte seed + public key form go and js write). */
    byte[] marshal();
}
