package dev.hyperj.p2p.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** A Curve25519 Diffie-Hellman key pair (Noise's DH functions for "25519"). */
record X25519KeyPair(byte[] privateKey, byte[] publicKey) {
    static final int KEY_LENGTH = 32;

    X25519KeyPair {
        if (privateKey.length != KEY_LENGTH || publicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 keys are 32 bytes");
        }
        privateKey = privateKey.clone();
        publicKey = publicKey.clone();
    }

    static X25519KeyPair generate(SecureRandom random) {
        byte[] priv = new byte[KEY_LENGTH];
        X25519.generatePrivateKey(random, priv);
        return fromPrivateKey(priv);
    }

    /** Any 32 bytes are a valid private key: X25519 clamps the scalar itself (RFC 7748 section 5). */
    static X25519KeyPair fromPrivateKey(byte[] privateKey) {
        byte[] pub = new byte[KEY_LENGTH];
        X25519.scalarMultBase(privateKey, 0, pub, 0);
        return new X25519KeyPair(privateKey, pub);
    }

    /**
     * DH(key_pair, public_key). An all-zero result means the remote sent a low-order point, which
     * would make the "secret" public; Noise allows and libp2p peers expect rejecting it.
     */
    byte[] agree(byte[] remotePublicKey) throws NoiseException {
        byte[] shared = new byte[KEY_LENGTH];
        if (!X25519.calculateAgreement(privateKey, 0, remotePublicKey, 0, shared, 0)) {
            throw new NoiseException("X25519 agreement with a low-order public key");
        }
        return shared;
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key without a defensive copy, for hashing and writing inside this package. */
    byte[] publicKeyRef() {
        return publicKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof X25519KeyPair k
                && Arrays.equals(publicKey, k.publicKey)
                && Arrays.equals(privateKey, k.privateKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "X25519KeyPair[public=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
    }
}
