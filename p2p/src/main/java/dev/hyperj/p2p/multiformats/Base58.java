package dev.hyperj.p2p.multiformats;

import java.util.Arrays;

/** Base58 with the Bitcoin alphabet (multibase "base58btc"); leading zero bytes become '1's. */
public final class Base58 {
    /** Decoding is quadratic, so inputs are capped; peer ids are ~50 characters. */
    public static final int MAX_DECODE_CHARS = 4096;

    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] INDEX = new int[128];

    static {
        Arrays.fill(INDEX, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEX[ALPHABET[i]] = i;
        }
    }

    private Base58() {}

    public static String encode(byte[] input) {
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) {
            zeros++;
        }
        // Little-endian base-58 digits of the number; log(256)/log(58) < 1.37.
        int[] digits = new int[(input.length - zeros) * 137 / 100 + 1];
        int len = 0;
        for (int i = zeros; i < input.length; i++) {
            int carry = input[i] & 0xFF;
            for (int j = 0; j < len; j++) {
                carry += digits[j] << 8;
                digits[j] = carry % 58;
                carry /= 58;
            }
            while (carry > 0) {
                digits[len++] = carry % 58;
                carry /= 58;
            }
        }
        StringBuilder sb = new StringBuilder(zeros + len);
        for (int i = 0; i < zeros; i++) {
            sb.append('1');
        }
        for (int i = len - 1; i >= 0; i--) {
            sb.append(ALPHABET[digits[i]]);
        }
        return sb.toString();
    }

    public static byte[] decode(CharSequence input) {
        if (input.length() > MAX_DECODE_CHARS) {
            throw new FormatException("base58 input longer than " + MAX_DECODE_CHARS + " characters");
        }
        int ones = 0;
        while (ones < input.length() && input.charAt(ones) == '1') {
            ones++;
        }
        // Little-endian base-256 bytes of the number; log(58)/log(256) < 0.74.
        int[] bytes = new int[(input.length() - ones) * 74 / 100 + 1];
        int len = 0;
        for (int i = ones; i < input.length(); i++) {
            char c = input.charAt(i);
            int digit = c < 128 ? INDEX[c] : -1;
            if (digit < 0) {
                throw new FormatException("invalid base58 character '" + printable(c) + "' at " + i);
            }
            int carry = digit;
            for (int j = 0; j < len; j++) {
                carry += bytes[j] * 58;
                bytes[j] = carry & 0xFF;
                carry >>>= 8;
            }
            while (carry > 0) {
                bytes[len++] = carry & 0xFF;
                carry >>>= 8;
            }
        }
        byte[] out = new byte[ones + len];
        for (int i = 0; i < len; i++) {
            out[ones + i] = (byte) bytes[len - 1 - i];
        }
        return out;
    }

    static String printable(char c) {
        return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
