package dev.hyperj.chain.substrate;

/** xxHash64 (the "twox" of Substrate's storage hashers), over a whole byte array. */
final class Xxh64 {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private Xxh64() {}

    static long hash(byte[] in, long seed) {
        int len = in.length;
        int i = 0;
        long h;
        if (len >= 32) {
            long v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
            for (; i <= len - 32; i += 32) {
                v1 = round(v1, le64(in, i));
                v2 = round(v2, le64(in, i + 8));
                v3 = round(v3, le64(in, i + 16));
                v4 = round(v4, le64(in, i + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = seed + P5;
        }
        h += len;
        for (; i <= len - 8; i += 8) h = Long.rotateLeft(h ^ round(0, le64(in, i)), 27) * P1 + P4;
        if (i <= len - 4) {
            h = Long.rotateLeft(
                                    h
                                            ^ ((in[i] & 0xffL
                                                            | (in[i + 1] & 0xffL) << 8
                                                            | (in[i + 2] & 0xffL) << 16
                                                            | (in[i + 3] & 0xffL) << 24)
                                                    * P1),
                                    23)
                            * P2
                    + P3;
            i += 4;
        }
        for (; i < len; i++) h = Long.rotateLeft(h ^ ((in[i] & 0xffL) * P5), 11) * P1;
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        return Long.rotateLeft(acc + input * P2, 31) * P1;
    }

    private static long merge(long h, long v) {
        return (h ^ round(0, v)) * P1 + P4;
    }

    private static long le64(byte[] b, int i) {
        long v = 0;
        for (int k = 7; k >= 0; k--) v = v << 8 | (b[i + k] & 0xffL);
        return v;
    }

    /** Substrate's twox hash of {@code bytes} output bytes: xxh64 with seeds 0, 1, ..., each little-endian. */
    static byte[] twox(byte[] data, int bytes) {
        byte[] out = new byte[bytes];
        for (int s = 0; s < bytes / 8; s++) {
            long h = hash(data, s);
            for (int k = 0; k < 8; k++) out[s * 8 + k] = (byte) (h >>> (8 * k));
        }
        return out;
    }
}
