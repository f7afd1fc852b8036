package dev.hyperj.p2p.crypto;

import java.security.MessageDigest;

/** Shared value semantics; equality compares the encoded key in constant time, and toString never shows it. */
abstract class AbstractPrivateKey implements PrivateKey {
    private final KeyType type;

    AbstractPrivateKey(KeyType type) {
        this.type = type;
    }

    @Override
    public final KeyType type() {
        return type;
    }

    @Override
    public byte[] marshal() {
        return KeyProto.encode(type, raw());
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof AbstractPrivateKey k && type == k.type && MessageDigest.isEqual(raw(), k.raw());
    }

    @Override
    public final int hashCode() {
        return publicKey().hashCode();
    }

    @Override
    public final String toString() {
        return type + " private key for " + publicKey();
    }
}
