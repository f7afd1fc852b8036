package dev.hyperj.cli;

import dev.hyperj.p2p.crypto.KeyType;

/** Key type names as typed on the command line. */
enum KeyTypeOption {
    ed25519(KeyType.ED25519, "Ed25519"),
    secp256k1(KeyType.SECP256K1, "secp256k1"),
    ecdsa(KeyType.ECDSA, "ECDSA"),
    rsa(KeyType.RSA, "RSA");

    final KeyType type;
    /** libp2p's name for the type, as js-libp2p and go-libp2p print it. */
    final String displayName;

    KeyTypeOption(KeyType type, String displayName) {
        this.type = type;
        this.displayName = displayName;
    }

    static KeyTypeOption of(KeyType type) {
        for (KeyTypeOption o : values()) {
            if (o.type == type) {
                return o;
            }
        }
        throw new IllegalArgumentException(type.toString());
    }
}
