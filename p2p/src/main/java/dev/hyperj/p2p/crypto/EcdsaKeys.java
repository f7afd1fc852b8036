package dev.hyperj.p2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA on NIST P-256 as the libp2p spec and go-libp2p encode it: public key = DER
 * SubjectPublicKeyInfo, private key = DER SEC1 {@code ECPrivateKey} (RFC 5915) with the curve OID
 * and public key, signature = DER ECDSA over SHA-256. Only P-256 is supported.
 */
final class EcdsaKeys {
    static final ECDomainParameters DOMAIN;
    private static final AlgorithmIdentifier ALGORITHM =
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);

    static {
        X9ECParameters p = CustomNamedCurves.getByName("secp256r1");
        DOMAIN = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
    }

    private EcdsaKeys() {}

    static Priv generate(SecureRandom random) {
        return new Priv(EcSignatures.randomScalar(DOMAIN, random));
    }

    static Priv unmarshalPrivate(byte[] data) {
        BigInteger d;
        ASN1Object params;
        byte[] statedPublic;
        try {
            ECPrivateKey sec1 = ECPrivateKey.getInstance(der(data, "ECDSA private key"));
            // BouncyCastle decodes the optional fields lazily, so read them all inside the try.
            d = sec1.getKey();
            params = sec1.getParametersObject();
            statedPublic =
                    sec1.getPublicKey() == null ? null : sec1.getPublicKey().getOctets();
        } catch (RuntimeException e) {
            if (e instanceof KeyFormatException kfe) {
                throw kfe;
            }
            throw new KeyFormatException("ECDSA private key is not DER SEC1 ECPrivateKey: " + e.getMessage(), e);
        }
        if (params != null && !SECObjectIdentifiers.secp256r1.equals(params)) {
            throw new KeyFormatException("ECDSA private key is not on P-256 (only P-256 is supported)");
        }
        Priv key = new Priv(EcSignatures.checkScalar(DOMAIN, d, "ECDSA"));
        if (statedPublic != null) {
            ECPoint stated = EcSignatures.decodePoint(DOMAIN, statedPublic, "ECDSA private key's public key");
            if (!stated.equals(key.pub.q)) {
                throw new KeyFormatException("ECDSA private key's public key does not match its scalar");
            }
        }
        return key;
    }

    static Pub unmarshalPublic(byte[] data) {
        byte[] point;
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(der(data, "ECDSA public key"));
            AlgorithmIdentifier alg = spki.getAlgorithm();
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) {
                throw new KeyFormatException(
                        "ECDSA public key has algorithm " + alg.getAlgorithm() + ", not id-ecPublicKey");
            }
            if (!SECObjectIdentifiers.secp256r1.equals(alg.getParameters())) {
                throw new KeyFormatException("ECDSA public key is not on P-256 (only P-256 is supported)");
            }
            if (spki.getPublicKeyData().getPadBits() != 0) {
                throw new KeyFormatException("ECDSA public key bit string has padding bits");
            }
            point = spki.getPublicKeyData().getOctets();
        } catch (RuntimeException e) {
            if (e instanceof KeyFormatException kfe) {
                throw kfe;
            }
            throw new KeyFormatException("ECDSA public key is not DER SubjectPublicKeyInfo: " + e.getMessage(), e);
        }
        return new Pub(EcSignatures.decodePoint(DOMAIN, point, "ECDSA public key"));
    }

    /** One DER object spanning exactly {@code data}. */
    static ASN1Primitive der(byte[] data, String what) {
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(data);
            if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), data)) {
                throw new KeyFormatException(what + " is not canonical DER");
            }
            return p;
        } catch (IOException | RuntimeException e) {
            if (e instanceof KeyFormatException kfe) {
                throw kfe;
            }
            throw new KeyFormatException(what + " is not valid DER", e);
        }
    }

    static final class Pub extends AbstractPublicKey {
        private final ECPoint q;

        Pub(ECPoint q) {
            super(KeyType.ECDSA, encode(q));
            this.q = q;
        }

        private static byte[] encode(ECPoint q) {
            try {
                return new SubjectPublicKeyInfo(ALGORITHM, q.getEncoded(false)).getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Accepts DER signatures, and the raw 64-byte {@code r || s} that js-libp2p 5 produces through WebCrypto. */
        @Override
        public boolean verify(byte[] data, byte[] signature) {
            return EcSignatures.verify(DOMAIN, q, data, signature, true);
        }
    }

    static final class Priv extends AbstractPrivateKey {
        private final BigInteger d;
        private final Pub pub;

        Priv(BigInteger d) {
            super(KeyType.ECDSA);
            this.d = d;
            this.pub = new Pub(DOMAIN.getG().multiply(d).normalize());
        }

        @Override
        public Pub publicKey() {
            return pub;
        }

        @Override
        public byte[] sign(byte[] data) {
            return EcSignatures.sign(DOMAIN, d, data, false);
        }

        @Override
        public byte[] raw() {
            try {
                return new ECPrivateKey(
                                DOMAIN.getN().bitLength(),
                                d,
                                new DERBitString(pub.q.getEncoded(false)),
                                SECObjectIdentifiers.secp256r1)
                        .getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
