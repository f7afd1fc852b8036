package dev.hyperj.chain.keys;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.BigIntegers;

/**
 * BIP32 private derivation on secp256k1, for paths such as {@code m/44'/60'/0'/0/0} (the Ethereum
 * path MetaMask, Moonbeam tools and Hypertensor's Python template use).
 */
public final class Bip32 {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final int HARDENED = 0x80000000;

    private Bip32() {}

    /** The Ethereum account path with index {@code n}. */
    public static String ethereumPath(int n) {
        if (n < 0) throw new IllegalArgumentException("an account index is >= 0");
        return "m/44'/60'/0'/0/" + n;
    }

    /** The 32-byte private key at {@code path} below the master key of {@code seed}. */
    public static byte[] derive(byte[] seed, String path) {
        byte[] i = hmac("Bitcoin seed".getBytes(StandardCharsets.US_ASCII), seed);
        BigInteger k = new BigInteger(1, java.util.Arrays.copyOfRange(i, 0, 32));
        byte[] chain = java.util.Arrays.copyOfRange(i, 32, 64);
        if (k.signum() == 0 || k.compareTo(CURVE.getN()) >= 0)
            throw new IllegalArgumentException("invalid master key for this seed");
        String[] parts = path.strip().split("/");
        if (parts.length == 0 || !parts[0].equals("m"))
            throw new IllegalArgumentException("a path starts with m: " + path);
        for (int p = 1; p < parts.length; p++) {
            String s = parts[p];
            boolean hardened = s.endsWith("'") || s.endsWith("h") || s.endsWith("H");
            long index;
            try {
                index = Long.parseLong(hardened ? s.substring(0, s.length() - 1) : s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a path index in " + path);
            }
            if (index < 0 || index >= 1L << 31)
                throw new IllegalArgumentException("path index out of range in " + path);
            int n = (int) index | (hardened ? HARDENED : 0);
            byte[] data = new byte[37];
            if (hardened) System.arraycopy(BigIntegers.asUnsignedByteArray(32, k), 0, data, 1, 32);
            else System.arraycopy(CURVE.getG().multiply(k).normalize().getEncoded(true), 0, data, 0, 33);
            data[33] = (byte) (n >>> 24);
            data[34] = (byte) (n >>> 16);
            data[35] = (byte) (n >>> 8);
            data[36] = (byte) n;
            byte[] out = hmac(chain, data);
            BigInteger il = new BigInteger(1, java.util.Arrays.copyOfRange(out, 0, 32));
            BigInteger child = il.add(k).mod(CURVE.getN());
            if (il.compareTo(CURVE.getN()) >= 0 || child.signum() == 0)
                throw new IllegalArgumentException(
                        "the key at " + path + " is invalid (probability 2^-127): use the next index");
            k = child;
            chain = java.util.Arrays.copyOfRange(out, 32, 64);
        }
        return BigIntegers.asUnsignedByteArray(32, k);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        HMac m = new HMac(new SHA512Digest());
        m.init(new KeyParameter(key));
        m.update(data, 0, data.length);
        byte[] out = new byte[64];
        m.doFinal(out, 0);
        return out;
    }
}
