package dev.hyperj.chain.crypto;

import dev.hyperj.p2p.bytes.Bytes;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * A 20-byte Ethereum-style account: the last 20 bytes of keccak-256 over the uncompressed
 * secp256k1 public key (without its 0x04 prefix). Ordered by unsigned bytes.
 */
public final class AccountId implements Comparable<AccountId> {
    public static final int LENGTH = 20;
    private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");
    private final Bytes bytes;

    private AccountId(byte[] bytes) {
        this.bytes = Bytes.of(bytes);
    }

    public static AccountId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException(
                    "an account id is 20 bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        return new AccountId(bytes);
    }

    /** Parses "0x" + 40 hex digits (any case). */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static AccountId fromHex(String hex) {
        String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (h.length() != 40) throw new IllegalArgumentException("an account id is 40 hex digits: " + hex);
        return new AccountId(HexFormat.of().parseHex(h));
    }

    /** The account of a secp256k1 public key given uncompressed (65 bytes, 0x04 prefix) or compressed (33 bytes). */
    public static AccountId fromPublicKey(byte[] secp256k1PublicKey) {
        byte[] uncompressed =
                SECP256K1.getCurve().decodePoint(secp256k1PublicKey).getEncoded(false);
        byte[] hash = Hashing.keccak256(Arrays.copyOfRange(uncompressed, 1, 65));
        return new AccountId(Arrays.copyOfRange(hash, 12, 32));
    }

    /** The account of a secp256k1 private key (32 bytes, big-endian). */
    public static AccountId fromPrivateKey(byte[] privateKey32) {
        java.math.BigInteger d = new java.math.BigInteger(1, privateKey32);
        return fromPublicKey(SECP256K1.getG().multiply(d).normalize().getEncoded(false));
    }

    /** A deterministic account for a named module (treasury and the like), no private key known. */
    public static AccountId forModule(String name) {
        byte[] h = Hashing.blake2b256(("modl" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new AccountId(Arrays.copyOf(h, LENGTH));
    }

    public byte[] bytes() {
        return bytes.value();
    }

    /** "0x" + lowercase hex (also the JSON form). */
    @com.fasterxml.jackson.annotation.JsonValue
    public String toHex() {
        return bytes.toString(); // "0x" + lowercase hex
    }

    @Override
    public String toString() {
        return toHex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountId a && bytes.equals(a.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    @Override
    public int compareTo(AccountId o) {
        return bytes.compareTo(o.bytes);
    }
}
