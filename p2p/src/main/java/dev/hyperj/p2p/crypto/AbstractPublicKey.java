package dev.hyperj.p2p.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/** Shared value semantics: identity is the type plus the canonical encoded key. */
abstract class AbstractPublicKey implements PublicKey {
    private final KeyType type;
    private final byte[] raw;
    private final byte[] marshalled;

    AbstractPublicKey(KeyType type, byte[] raw) {
        this.type = type;
        this.raw = raw;
        this.marshalled = KeyProto.encode(type, raw);
    }

    @Override
    public final KeyType type() {
        return type;
    }

    @Override
    public final byte[] raw() {
        return raw.clone();
    }

    @Override
    public final byte[] marshal() {
        return marshalled.clone();
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof AbstractPublicKey k && type == k.type && Arrays.equals(raw, k.raw);
    }

    @Override
    public final int hashCode() {
        return Arrays.hashCode(marshalled);
    }

    @Override
    public final String toString() {
        return type + " public key " + HexFormat.of().formatHex(raw);
    }
}
