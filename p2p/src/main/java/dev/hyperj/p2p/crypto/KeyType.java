package dev.hyperj.p2p.crypto;

/** libp2p key types, with their protobuf enum codes. */
public enum KeyType {
    RSA(0),
    ED25519(1),
    SECP256K1(2),
    ECDSA(3);

    private final int code;

    KeyType(int code) {
        this.code = code;
    }

    /** The code in libp2p's {@code KeyType} protobuf enum. */
    public int code() {
        return code;
    }

    /** @throws KeyFormatException for a code libp2p does not define */
    public static KeyType fromCode(int code) {
        for (KeyType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new KeyFormatException("unknown key type code " + code);
    }
}
