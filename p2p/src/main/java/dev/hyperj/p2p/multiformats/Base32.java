package dev.hyperj.p2p.multiformats;

/** RFC 4648 base32, lowercase, without padding (multibase "base32"). Decoding is canonical: unused trailing bits must be zero. */
public final class Base32 {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int[] INDEX = new int[128];

    static {
        java.util.Arrays.fill(INDEX, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEX[ALPHABET[i]] = i;
        }
    }

    private Base32() {}

    public static String encode(byte[] input) {
        StringBuilder sb = new StringBuilder((input.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : input) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }

    /** Decodes lowercase, unpadded base32. */
    public static byte[] decode(CharSequence input) {
        int n = input.length();
        int rem = n % 8;
        if (rem == 1 || rem == 3 || rem == 6) {
            throw new FormatException("invalid base32 length " + n);
        }
        byte[] out = new byte[(int) ((long) n * 5 / 8)];
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (int i = 0; i < n; i++) {
            char c = input.charAt(i);
            int v = c < 128 ? INDEX[c] : -1;
            if (v < 0) {
                throw new FormatException("invalid base32 character '" + Base58.printable(c) + "' at " + i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[o++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new FormatException("base32 input has non-zero trailing bits");
        }
        return out;
    }
}
