package dev.hyperj.p2p.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * secp256k1 as libp2p uses it: public key = 33-byte compressed point, private key = 32-byte
 * scalar, signature = DER ECDSA over SHA-256. Signatures are produced with low S (js-libp2p's
 * noble verifier rejects high S); both are accepted on verify, as go-libp2p does.
 */
final class Secp256k1Keys {
    static final ECDomainParameters DOMAIN;
    static final int PRIVATE_BYTES = 32;

    static {
        X9ECParameters p = CustomNamedCurves.getByName("secp256k1");
        DOMAIN = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
    }

    private Secp256k1Keys() {}

    static Priv generate(SecureRandom random) {
        return new Priv(EcSignatures.randomScalar(DOMAIN, random));
    }

    static Priv unmarshalPrivate(byte[] data) {
        if (data.length != PRIVATE_BYTES) {
            throw new KeyFormatException("secp256k1 private key must be 32 bytes, got " + data.length);
        }
        return new Priv(EcSignatures.checkScalar(DOMAIN, new BigInteger(1, data), "secp256k1"));
    }

    /** Accepts compressed (33 bytes) and uncompressed (65) points; the key is kept compressed. */
    static Pub unmarshalPublic(byte[] data) {
        return new Pub(EcSignatures.decodePoint(DOMAIN, data, "secp256k1 public key"));
    }

    static final class Pub extends AbstractPublicKey {
        private final ECPoint q;

        Pub(ECPoint q) {
            super(KeyType.SECP256K1, q.getEncoded(true));
            this.q = q;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            return EcSignatures.verify(DOMAIN, q, data, signature, false);
        }
    }

    static final class Priv extends AbstractPrivateKey {
        private final BigInteger d;
        private final Pub pub;

        Priv(BigInteger d) {
            super(KeyType.SECP256K1);
            this.d = d;
            this.pub = new Pub(DOMAIN.getG().multiply(d).normalize());
        }

        @Override
        public Pub publicKey() {
            return pub;
        }

        @Override
        public byte[] sign(byte[] data) {
            return EcSignatures.sign(DOMAIN, d, data, true);
        }

        @Override
        public byte[] raw() {
            return BigIntegers.asUnsignedByteArray(PRIVATE_BYTES, d);
        }
    }
}
