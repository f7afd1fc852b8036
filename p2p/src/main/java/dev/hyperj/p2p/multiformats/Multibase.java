package dev.hyperj.p2p.multiformats;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** Multibase: a one-character prefix naming the base, then the data in that base. */
public final class Multibase {
    /** The bases HyperJ reads and writes. */
    public enum Base {
        BASE58BTC('z'),
        BASE32('b'),
        BASE32_UPPER('B'),
        BASE16('f'),
        BASE16_UPPER('F'),
        BASE64('m'),
        BASE64URL('u');

        private final char prefix;

        Base(char prefix) {
            this.prefix = prefix;
        }

        public char prefix() {
            return prefix;
        }

        static Base fromPrefix(char c) {
            for (Base b : values()) {
                if (b.prefix == c) {
                    return b;
                }
            }
            throw new FormatException("unsupported multibase prefix '" + Base58.printable(c) + "'");
        }
    }

    /** Upper bound on encoded text accepted by {@link #decode}. */
    public static final int MAX_DECODE_CHARS = 1 << 20;

    private Multibase() {}

    public static String encode(Base base, byte[] data) {
        String body = switch (base) {
            case BASE58BTC -> Base58.encode(data);
            case BASE32 -> Base32.encode(data);
            case BASE32_UPPER -> Base32.encode(data).toUpperCase(Locale.ROOT);
            case BASE16 -> HexFormat.of().formatHex(data);
            case BASE16_UPPER -> HexFormat.of().withUpperCase().formatHex(data);
            case BASE64 -> Base64.getEncoder().withoutPadding().encodeToString(data);
            case BASE64URL -> Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        };
        return base.prefix + body;
    }

    /** The base named by {@code text}'s prefix. */
    public static Base baseOf(String text) {
        if (text.isEmpty()) {
            throw new FormatException("empty multibase string");
        }
        return Base.fromPrefix(text.charAt(0));
    }

    public static byte[] decode(String text) {
        Base base = baseOf(text);
        if (text.length() > MAX_DECODE_CHARS) {
            throw new FormatException("multibase input longer than " + MAX_DECODE_CHARS + " characters");
        }
        String body = text.substring(1);
        return switch (base) {
            case BASE58BTC -> Base58.decode(body);
            case BASE32 -> Base32.decode(body);
            case BASE32_UPPER -> Base32.decode(asciiLower(body));
            case BASE16, BASE16_UPPER -> hex(body, base == Base.BASE16_UPPER);
            case BASE64 -> base64(Base64.getDecoder(), body, '+', '/');
            case BASE64URL -> base64(Base64.getUrlDecoder(), body, '-', '_');
        };
    }

    private static String asciiLower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                throw new FormatException("lowercase character in uppercase base32 at " + i);
            }
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static byte[] hex(String body, boolean upper) {
        if (body.length() % 2 != 0) {
            throw new FormatException("odd-length base16");
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean letter = upper ? c >= 'A' && c <= 'F' : c >= 'a' && c <= 'f';
            if (!digit && !letter) {
                throw new FormatException("invalid base16 character '" + Base58.printable(c) + "' at " + i);
            }
        }
        return HexFormat.of().parseHex(body);
    }

    private static byte[] base64(Base64.Decoder decoder, String body, char c62, char c63) {
        // The multibase spec's base64 variants are unpadded, and the JDK decoder would skip nothing else.
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == c62 || c == c63;
            if (!ok) {
                throw new FormatException("invalid base64 character '" + Base58.printable(c) + "' at " + i);
            }
        }
        if (body.length() % 4 == 1) {
            throw new FormatException("invalid base64 length " + body.length());
        }
        try {
            byte[] out = decoder.decode(body);
            // Reject non-canonical trailing bits so that every byte string has one text form.
            if (!Base64.getEncoder()
                    .withoutPadding()
                    .encodeToString(out)
                    .equals(c62 == '+' ? body : body.replace('-', '+').replace('_', '/'))) {
                throw new FormatException("base64 input has non-zero trailing bits");
            }
            return out;
        } catch (IllegalArgumentException e) {
            if (e instanceof FormatException fe) {
                throw fe;
            }
            throw new FormatException("invalid base64: " + e.getMessage(), e);
        }
    }
}
