package dev.hyperj.p2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * RSA as libp2p encodes it: public key = DER PKIX SubjectPublicKeyInfo, private key = DER PKCS#1
 * RSAPrivateKey, signature = RSASSA-PKCS1-v1_5 with SHA-256 (the JDK's, which is fast here).
 * Moduli of 2048 to 8192 bits and public exponents up to 2^31 - 1 are accepted (go-libp2p's bounds).
 */
final class RsaKeys {
    static final int MIN_BITS = 2048;
    static final int MAX_BITS = 8192;
    private static final BigInteger MAX_EXPONENT = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final AlgorithmIdentifier RSA_ENCRYPTION =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);

    private RsaKeys() {}

    static Priv generate(int bits, SecureRandom random) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("RSA key size must be " + MIN_BITS + ".." + MAX_BITS + " bits");
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
            return new Priv((RSAPrivateCrtKey) g.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot generate RSA keys", e);
        }
    }

    static Priv unmarshalPrivate(byte[] data) {
        RSAPrivateKey k;
        try {
            k = RSAPrivateKey.getInstance(EcdsaKeys.der(data, "RSA private key"));
        } catch (RuntimeException e) {
            if (e instanceof KeyFormatException kfe) {
                throw kfe;
            }
            throw new KeyFormatException("RSA private key is not DER PKCS#1 RSAPrivateKey: " + e.getMessage(), e);
        }
        if (k.getVersion().signum() != 0) {
            throw new KeyFormatException("multi-prime RSA private keys are not supported");
        }
        checkPublic(k.getModulus(), k.getPublicExponent());
        checkPrivate(k);
        try {
            RSAPrivateCrtKeySpec spec = new RSAPrivateCrtKeySpec(
                    k.getModulus(),
                    k.getPublicExponent(),
                    k.getPrivateExponent(),
                    k.getPrime1(),
                    k.getPrime2(),
                    k.getExponent1(),
                    k.getExponent2(),
                    k.getCoefficient());
            return new Priv((RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(spec));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyFormatException("invalid RSA private key: " + e.getMessage(), e);
        }
    }

    static Pub unmarshalPublic(byte[] data) {
        SubjectPublicKeyInfo spki;
        org.bouncycastle.asn1.pkcs.RSAPublicKey key;
        try {
            spki = SubjectPublicKeyInfo.getInstance(EcdsaKeys.der(data, "RSA public key"));
            if (!PKCSObjectIdentifiers.rsaEncryption.equals(spki.getAlgorithm().getAlgorithm())) {
                throw new KeyFormatException(
                        "RSA public key has algorithm " + spki.getAlgorithm().getAlgorithm() + ", not rsaEncryption");
            }
            if (spki.getPublicKeyData().getPadBits() != 0) {
                throw new KeyFormatException("RSA public key bit string has padding bits");
            }
            key = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(
                    EcdsaKeys.der(spki.getPublicKeyData().getOctets(), "RSA public key"));
        } catch (RuntimeException e) {
            if (e instanceof KeyFormatException kfe) {
                throw kfe;
            }
            throw new KeyFormatException("RSA public key is not DER SubjectPublicKeyInfo: " + e.getMessage(), e);
        }
        checkPublic(key.getModulus(), key.getPublicExponent());
        try {
            return new Pub((RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyFormatException("invalid RSA public key: " + e.getMessage(), e);
        }
    }

    /** Inconsistent CRT parameters would make the JDK sign garbage, so they are checked against each other. */
    private static void checkPrivate(RSAPrivateKey k) {
        BigInteger p = k.getPrime1();
        BigInteger q = k.getPrime2();
        BigInteger d = k.getPrivateExponent();
        BigInteger e = k.getPublicExponent();
        if (p.compareTo(BigInteger.ONE) <= 0
                || q.compareTo(BigInteger.ONE) <= 0
                || !p.multiply(q).equals(k.getModulus())) {
            throw new KeyFormatException("RSA private key's primes do not multiply to its modulus");
        }
        if (d.signum() <= 0 || d.compareTo(k.getModulus()) >= 0) {
            throw new KeyFormatException("RSA private exponent out of range");
        }
        BigInteger p1 = p.subtract(BigInteger.ONE);
        BigInteger q1 = q.subtract(BigInteger.ONE);
        boolean consistent = e.multiply(d).mod(p1).equals(BigInteger.ONE)
                && e.multiply(d).mod(q1).equals(BigInteger.ONE)
                && k.getExponent1().equals(d.mod(p1))
                && k.getExponent2().equals(d.mod(q1))
                && k.getCoefficient().multiply(q).mod(p).equals(BigInteger.ONE)
                && k.getCoefficient().signum() > 0
                && k.getCoefficient().compareTo(p) < 0;
        if (!consistent) {
            throw new KeyFormatException("RSA private key's CRT parameters are inconsistent");
        }
    }

    private static void checkPublic(BigInteger n, BigInteger e) {
        int bits = n.bitLength();
        if (n.signum() <= 0 || bits < MIN_BITS) {
            throw new KeyFormatException("RSA key of " + bits + " bits is too small (minimum " + MIN_BITS + ")");
        }
        if (bits > MAX_BITS) {
            throw new KeyFormatException("RSA key of " + bits + " bits is too large (maximum " + MAX_BITS + ")");
        }
        if (!n.testBit(0)) {
            throw new KeyFormatException("RSA modulus is even");
        }
        if (e.compareTo(BigInteger.TWO) < 0 || e.compareTo(MAX_EXPONENT) > 0 || !e.testBit(0)) {
            throw new KeyFormatException("RSA public exponent out of range");
        }
    }

    static final class Pub extends AbstractPublicKey {
        private final RSAPublicKey key;

        Pub(RSAPublicKey key) {
            super(KeyType.RSA, encode(key));
            this.key = key;
        }

        private static byte[] encode(RSAPublicKey key) {
            try {
                return new SubjectPublicKeyInfo(
                                RSA_ENCRYPTION,
                                new org.bouncycastle.asn1.pkcs.RSAPublicKey(key.getModulus(), key.getPublicExponent()))
                        .getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            if (signature == null || signature.length != (key.getModulus().bitLength() + 7) / 8) {
                return false;
            }
            try {
                Signature v = Signature.getInstance("SHA256withRSA");
                v.initVerify(key);
                v.update(data);
                return v.verify(signature);
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }
    }

    static final class Priv extends AbstractPrivateKey {
        private final RSAPrivateCrtKey key;
        private final Pub pub;

        Priv(RSAPrivateCrtKey key) {
            super(KeyType.RSA);
            this.key = key;
            try {
                this.pub = new Pub((RSAPublicKey) KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Pub publicKey() {
            return pub;
        }

        @Override
        public byte[] sign(byte[] data) {
            try {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(key);
                s.update(data);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("RSA signing failed", e);
            }
        }

        @Override
        public byte[] raw() {
            try {
                return new RSAPrivateKey(
                                key.getModulus(),
                                key.getPublicExponent(),
                                key.getPrivateExponent(),
                                key.getPrimeP(),
                                key.getPrimeQ(),
                                key.getPrimeExponentP(),
                                key.getPrimeExponentQ(),
                                key.getCrtCoefficient())
                        .getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
