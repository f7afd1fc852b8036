package dev.hyperj.p2p.crypto;

import java.security.SecureRandom;

/** Entry point for libp2p keys: generation and decoding of the protobuf forms. */
public final class Keys {
    /** Size of generated RSA keys. */
    public static final int DEFAULT_RSA_BITS = 2048;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    /** A fresh key (RSA: 2048 bits; ECDSA: P-256). */
    public static PrivateKey generate(KeyType type) {
        return generate(type, RANDOM);
    }

    public static PrivateKey generate(KeyType type, SecureRandom random) {
        return switch (type) {
            case ED25519 -> Ed25519Keys.generate(random);
            case SECP256K1 -> Secp256k1Keys.generate(random);
            case ECDSA -> EcdsaKeys.generate(random);
            case RSA -> RsaKeys.generate(DEFAULT_RSA_BITS, random);
        };
    }

    /** A fresh RSA key of {@code bits} (2048..8192). */
    public static PrivateKey generateRsa(int bits, SecureRandom random) {
        return RsaKeys.generate(bits, random);
    }

    /** The Ed25519 key whose RFC 8032 seed (the 32-byte "private key") is {@code seed32}. */
    public static PrivateKey ed25519FromSeed(byte[] seed32) {
        return Ed25519Keys.fromSeed(seed32);
    }

    /**
     * Decodes libp2p's protobuf {@code PrivateKey}. Ed25519 data may be the 32-byte seed (the Python
     * template's key files), seed + public key (64 bytes, go/js) or the legacy 96-byte form.
     *
     * @throws KeyFormatException if the bytes are not a valid key
     */
    public static PrivateKey unmarshalPrivateKey(byte[] protobuf) {
        KeyProto.Decoded d = KeyProto.decode(protobuf, "PrivateKey");
        return unmarshalPrivateKey(d.type(), d.data());
    }

    /** Decodes the {@code Data} field of a {@code PrivateKey} of the given type. */
    public static PrivateKey unmarshalPrivateKey(KeyType type, byte[] data) {
        return switch (type) {
            case ED25519 -> Ed25519Keys.unmarshalPrivate(data);
            case SECP256K1 -> Secp256k1Keys.unmarshalPrivate(data);
            case ECDSA -> EcdsaKeys.unmarshalPrivate(data);
            case RSA -> RsaKeys.unmarshalPrivate(data);
        };
    }

    /**
     * Decodes libp2p's protobuf {@code PublicKey}. The key is validated (points on the curve, RSA
     * 2048..8192 bits); {@link PublicKey#marshal()} gives the canonical encoding back.
     *
     * @throws KeyFormatException if the bytes are not a valid key
     */
    public static PublicKey unmarshalPublicKey(byte[] protobuf) {
        KeyProto.Decoded d = KeyProto.decode(protobuf, "PublicKey");
        return unmarshalPublicKey(d.type(), d.data());
    }

    /** Decodes the {@code Data} field of a {@code PublicKey} of the given type. */
    public static PublicKey unmarshalPublicKey(KeyType type, byte[] data) {
        return switch (type) {
            case ED25519 -> Ed25519Keys.unmarshalPublic(data);
            case SECP256K1 -> Secp256k1Keys.unmarshalPublic(data);
            case ECDSA -> EcdsaKeys.unmarshalPublic(data);
            case RSA -> RsaKeys.unmarshalPublic(data);
        };
    }

    /**
     * The Python template's compact key-file form of an Ed25519 key: {@code PrivateKey{Ed25519, seed}},
     * 36 bytes ({@code 08 01 12 20} + seed). Other key types have only {@link PrivateKey#marshal()}.
     */
    public static byte[] marshalEd25519Seed(PrivateKey key) {
        if (!(key instanceof Ed25519Keys.Priv ed)) {
            throw new IllegalArgumentException("not an Ed25519 key: " + key.type());
        }
        return KeyProto.encode(KeyType.ED25519, ed.seed());
    }
}
