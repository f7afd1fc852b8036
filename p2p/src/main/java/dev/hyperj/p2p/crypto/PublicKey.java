package dev.hyperj.p2p.crypto;

/**
 * A libp2p public key. Implementations are immutable and thread-safe; two keys are equal when
 * their type and {@link #raw()} bytes are.
 */
public interface PublicKey {
    KeyType type();

    /** Checks a signature made by the matching private key over {@code data}; false for any malformed signature. */
    boolean verify(byte[] data, byte[] signature);

    /** The {@code Data} field of libp2p's {@code PublicKey} protobuf: the key in its type's encoding (a copy). */
    byte[] raw();

    /** libp2p's protobuf {@code PublicKey{Type, Data}}, deterministically encoded (a copy). */
    byte[] marshal();
}
