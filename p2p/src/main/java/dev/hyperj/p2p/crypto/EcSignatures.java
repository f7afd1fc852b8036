package dev.hyperj.p2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/** ECDSA over SHA-256 with deterministic nonces (RFC 6979) and DER signatures, for secp256k1 and P-256. */
final class EcSignatures {
    /** A DER ECDSA signature over a 256-bit curve is at most 72 bytes; anything longer is not worth parsing. */
    private static final int MAX_DER_SIGNATURE = 80;

    private EcSignatures() {}

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    static BigInteger randomScalar(ECDomainParameters domain, SecureRandom random) {
        return BigIntegers.createRandomInRange(BigInteger.ONE, domain.getN().subtract(BigInteger.ONE), random);
    }

    /** A point from its SEC1 encoding (compressed or uncompressed), checked to lie on the curve and not be infinity. */
    static ECPoint decodePoint(ECDomainParameters domain, byte[] encoded, String what) {
        int fieldBytes = (domain.getCurve().getFieldSize() + 7) / 8;
        if (encoded.length != 1 + fieldBytes && encoded.length != 1 + 2 * fieldBytes) {
            throw new KeyFormatException(what + " point must be " + (1 + fieldBytes) + " or " + (1 + 2 * fieldBytes)
                    + " bytes, got " + encoded.length);
        }
        ECPoint p;
        try {
            p = domain.getCurve().decodePoint(encoded).normalize();
        } catch (RuntimeException e) {
            throw new KeyFormatException(what + " is not a valid curve point", e);
        }
        if (p.isInfinity() || !p.isValid()) {
            throw new KeyFormatException(what + " is not a valid curve point");
        }
        return p;
    }

    static BigInteger checkScalar(ECDomainParameters domain, BigInteger d, String what) {
        if (d.signum() <= 0 || d.compareTo(domain.getN()) >= 0) {
            throw new KeyFormatException(what + " private scalar out of range");
        }
        return d;
    }

    static byte[] sign(ECDomainParameters domain, BigInteger d, byte[] data, boolean lowS) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, domain));
        BigInteger[] rs = signer.generateSignature(sha256(data));
        BigInteger s = rs[1];
        BigInteger n = domain.getN();
        if (lowS && s.compareTo(n.shiftRight(1)) > 0) {
            s = n.subtract(s);
        }
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(s)})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Verifies a strict-DER signature; if {@code allowRaw}, a fixed-width {@code r || s} signature
     * (IEEE P1363, what WebCrypto and so js-libp2p's ECDSA produce) is also tried.
     */
    static boolean verify(ECDomainParameters domain, ECPoint q, byte[] data, byte[] signature, boolean allowRaw) {
        if (signature == null) {
            return false;
        }
        byte[] digest = sha256(data);
        BigInteger[] der = parseDer(signature);
        if (der != null && verify(domain, q, digest, der[0], der[1])) {
            return true;
        }
        int half = (domain.getN().bitLength() + 7) / 8;
        if (allowRaw && signature.length == 2 * half) {
            BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, half));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, half, 2 * half));
            return verify(domain, q, digest, r, s);
        }
        return false;
    }

    private static boolean verify(ECDomainParameters domain, ECPoint q, byte[] digest, BigInteger r, BigInteger s) {
        BigInteger n = domain.getN();
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, domain));
        return verifier.verifySignature(digest, r, s);
    }

    /** {r, s} from a strict DER {@code SEQUENCE {INTEGER r, INTEGER s}}, or null. */
    private static BigInteger[] parseDer(byte[] signature) {
        if (signature.length < 8 || signature.length > MAX_DER_SIGNATURE || signature[0] != 0x30) {
            return null;
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
            if (seq.size() != 2) {
                return null;
            }
            BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            // Re-encoding proves the input was canonical DER (minimal lengths and integers, no trailing data).
            if (!Arrays.equals(seq.getEncoded(ASN1Encoding.DER), signature)) {
                return null;
            }
            return new BigInteger[] {r, s};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
