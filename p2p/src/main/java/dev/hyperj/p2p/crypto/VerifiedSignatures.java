package dev.hyperj.p2p.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Signatures this process has verified, so that one signature is checked once per process however
 * many of its peers receive it. A devnet runs up to 256 nodes in one JVM, and each receives every
 * gossip message (signed by its author) and every DAG node (signed too): the same signature was
 * verified by each, and at 256 nodes that was a fifth of the process's CPU (JFR).
 *
 * <p>Verifying is a pure function of (public key, data, signature), so remembering a success
 * changes no outcome: an entry is the key, the signature and the SHA-256 of the data of a check
 * that passed, and only the same triple finds it. Failures are not remembered. Bounded: when it
 * holds {@value #MAX} entries it starts over.
 */
final class VerifiedSignatures {
    static final int MAX = 1 << 15;
    private static final Set<ByteBuffer> VERIFIED = ConcurrentHashMap.newKeySet();

    private VerifiedSignatures() {}

    /** {@code verify}'s answer, computed only if this triple has not passed before. */
    static boolean verify(byte[] publicKey, byte[] data, byte[] signature, BooleanSupplier verify) {
        ByteBuffer key = key(publicKey, data, signature);
        if (VERIFIED.contains(key)) return true;
        if (!verify.getAsBoolean()) return false;
        if (VERIFIED.size() >= MAX) VERIFIED.clear();
        VERIFIED.add(key);
        return true;
    }

    static int size() {
        return VERIFIED.size();
    }

    private static ByteBuffer key(byte[] publicKey, byte[] data, byte[] signature) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] k = new byte[publicKey.length + signature.length + 32];
        System.arraycopy(publicKey, 0, k, 0, publicKey.length);
        System.arraycopy(signature, 0, k, publicKey.length, signature.length);
        System.arraycopy(sha.digest(data), 0, k, publicKey.length + signature.length, 32);
        return ByteBuffer.wrap(k);
    }
}
