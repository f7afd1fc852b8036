package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.bytes.Bytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;

/**
 * A point in the 256-bit Kademlia keyspace: {@code sha256} of a key's bytes (for peers, of the
 * peer id's multihash bytes). Distances are XOR of two points, compared as unsigned big-endian.
 */
final class KadKey implements Comparable<KadKey> {
    static final int BITS = 256;
    static final int BYTES = BITS / 8;

    private final Bytes hash;

    private KadKey(byte[] hash) {
        this.hash = Bytes.of(hash);
    }

    /** The keyspace point of arbitrary key bytes (a record key, a CID, a peer id's bytes). */
    static KadKey of(byte[] keyBytes) {
        return new KadKey(sha256(keyBytes));
    }

    /** Wraps a 32-byte hash as is (tests and targeted refresh use it). */
    static KadKey ofHash(byte[] hash) {
        if (hash.length != BYTES) {
            throw new IllegalArgumentException("a Kademlia key is " + BYTES + " bytes, not " + hash.length);
        }
        return new KadKey(hash);
    }

    static byte[] sha256(byte[] data) {
        return sha256Digest().digest(data);
    }

    /** XOR distance to {@code other}, itself a key (distance 0 = same point). */
    KadKey distance(KadKey other) {
        byte[] d = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            d[i] = (byte) (hash.byteAt(i) ^ other.hash.byteAt(i));
        }
        return new KadKey(d);
    }

    /** Number of leading bits {@code this} and {@code other} share (256 for equal keys). */
    int commonPrefixLength(KadKey other) {
        for (int i = 0; i < BYTES; i++) {
            int x = (hash.byteAt(i) ^ other.hash.byteAt(i)) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Negative if {@code a} is closer to {@code this} than {@code b}, by XOR distance. */
    int compareDistance(KadKey a, KadKey b) {
        for (int i = 0; i < BYTES; i++) {
            int da = (hash.byteAt(i) ^ a.hash.byteAt(i)) & 0xff;
            int db = (hash.byteAt(i) ^ b.hash.byteAt(i)) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /**
     * Random key bytes whose keyspace point shares exactly {@code cpl} leading bits with {@code this},
     * so a lookup for them explores one bucket's range. Remote peers hash whatever key we send, so
     * the only way to aim is to search for a preimage: about 2^(cpl+1) hashes, hence the cap.
     */
    byte[] randomPreimageWithPrefix(int cpl, RandomGenerator random) {
        if (cpl < 0 || cpl > MAX_AIMED_CPL) {
            throw new IllegalArgumentException("common prefix length out of range [0, " + MAX_AIMED_CPL + "]: " + cpl);
        }
        byte[] candidate = new byte[BYTES];
        MessageDigest sha = sha256Digest();
        while (true) {
            random.nextBytes(candidate);
            KadKey k = new KadKey(sha.digest(candidate));
            if (commonPrefixLength(k) == cpl) {
                return candidate;
            }
        }
    }

    /** Beyond this prefix length, aiming a lookup costs too many hashes (and buckets are sparse). */
    static final int MAX_AIMED_CPL = 15;

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    byte[] bytes() {
        return hash.value();
    }

    @Override
    public int compareTo(KadKey o) {
        return hash.compareTo(o.hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadKey k && hash.equals(k.hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 6; i++) {
            sb.append(String.format("%02x", hash.byteAt(i) & 0xff));
        }
        return sb.append('…').toString();
    }
}
