package dev.hyperj.chain.tx;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.Hashing;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * Recoverable secp256k1 ECDSA over keccak-256, Ethereum style: deterministic nonces (RFC 6979),
 * low-s signatures, {@code r || s || v}. A {@link Signer} over a private key held in memory.
 */
public final class Secp256k1 implements Signer {
    static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
    private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);
    public static final int SIGNATURE_LENGTH = 65;

    private final BigInteger d;
    private final AccountId account;

    private Secp256k1(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(CURVE.getN()) >= 0)
            throw new IllegalArgumentException("a secp256k1 private key is in [1, n-1]");
        this.d = d;
        this.account =
                AccountId.fromPublicKey(CURVE.getG().multiply(d).normalize().getEncoded(false));
    }

    /** A signer over a 32-byte big-endian private key. */
    public static Secp256k1 fromPrivateKey(byte[] privateKey32) {
        if (privateKey32 == null || privateKey32.length != 32)
            throw new IllegalArgumentException("a secp256k1 private key is 32 bytes");
        return new Secp256k1(new BigInteger(1, privateKey32));
    }

    public static Secp256k1 generate(SecureRandom random) {
        byte[] k = new byte[32];
        while (true) {
            random.nextBytes(k);
            BigInteger d = new BigInteger(1, k);
            if (d.signum() > 0 && d.compareTo(CURVE.getN()) < 0) return new Secp256k1(d);
        }
    }

    public byte[] privateKey() {
        return BigIntegers.asUnsignedByteArray(32, d);
    }

    @Override
    public AccountId account() {
        return account;
    }

    @Override
    public byte[] sign(byte[] payload) {
        byte[] hash = Hashing.keccak256(payload);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
        BigInteger[] rs = signer.generateSignature(hash);
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (s.compareTo(HALF_N) > 0) s = CURVE.getN().subtract(s);
        for (int v = 0; v < 2; v++) {
            Optional<AccountId> who = recover(hash, r, s, v);
            if (who.isPresent() && who.get().equals(account)) {
                byte[] out = new byte[SIGNATURE_LENGTH];
                System.arraycopy(BigIntegers.asUnsignedByteArray(32, r), 0, out, 0, 32);
                System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, out, 32, 32);
                out[64] = (byte) v;
                return out;
            }
        }
        throw new IllegalStateException("no recovery id reproduces the signing key"); // cannot happen for r < p
    }

    /** The account whose key made {@code signature} over keccak-256 of {@code payload}, or empty for an invalid signature. */
    public static Optional<AccountId> recover(byte[] payload, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH) return Optional.empty();
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        int v = signature[64] & 0xff;
        if (v > 1 || r.signum() == 0 || s.signum() == 0 || r.compareTo(CURVE.getN()) >= 0 || s.compareTo(HALF_N) > 0)
            return Optional.empty();
        return recover(Hashing.keccak256(payload), r, s, v);
    }

    private static Optional<AccountId> recover(byte[] hash, BigInteger r, BigInteger s, int v) {
        try {
            // SEC 1 v2, 4.1.6 with j = 0: R = (r, y with parity v); Q = r^-1 (sR - eG)
            byte[] compressed = new byte[33];
            compressed[0] = (byte) (0x02 | v);
            System.arraycopy(BigIntegers.asUnsignedByteArray(32, r), 0, compressed, 1, 32);
            ECPoint rPoint = CURVE.getCurve().decodePoint(compressed);
            BigInteger n = CURVE.getN();
            BigInteger e = new BigInteger(1, hash);
            BigInteger rInv = r.modInverse(n);
            ECPoint q = ECAlgorithms.sumOfTwoMultiplies(
                            CURVE.getG(),
                            e.negate().mod(n).multiply(rInv).mod(n),
                            rPoint,
                            s.multiply(rInv).mod(n))
                    .normalize();
            if (q.isInfinity()) return Optional.empty();
            return Optional.of(AccountId.fromPublicKey(q.getEncoded(false)));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
