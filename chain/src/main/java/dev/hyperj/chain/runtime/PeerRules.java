package dev.hyperj.chain.runtime;

import java.nio.charset.StandardCharsets;

/**
 * The chain's peer-id and multiaddr rules (CHAIN.md {@code validate_peer_id} and the multiaddr
 * whitelist). A tiny adapter so the runtime does not depend on where the rules live: until the
 * identity work lands in {@code dev.hyperj.p2p}, it carries its own implementation of the same rules.
 */
final class PeerRules {
    private PeerRules() {}

    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    /** Base58 text 32..128 chars starting with '1' or "Qm", or a CID form starting with 'f', 'b', 'z' or 'm'. */
    static boolean isValidPeerId(String text) {
        if (text == null) return false;
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length < 32 || utf8.length > 128 || utf8.length != text.length()) return false;
        char c0 = text.charAt(0);
        if (c0 == '1' || text.startsWith("Qm")) return allIn(text, BASE58);
        return switch (c0) {
            case 'b' -> allIn(text.substring(1), BASE32);
            case 'z' -> allIn(text.substring(1), BASE58);
            case 'f' -> allIn(text.substring(1), "0123456789abcdef");
            case 'm' -> allIn(text.substring(1), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
            default -> false;
        };
    }

    private static boolean allIn(String s, String alphabet) {
        for (int i = 0; i < s.length(); i++) if (alphabet.indexOf(s.charAt(i)) < 0) return false;
        return !s.isEmpty();
    }

    /** Binary multiaddr made only of ip4 ip6 tcp udp dns4 dns6 dnsaddr p2p ws wss, ending with /p2p. */
    static boolean isValidMultiaddr(byte[] b) {
        if (b == null || b.length == 0 || b.length > 1024) return false;
        int pos = 0;
        int last = -1;
        while (pos < b.length) {
            long[] v = varint(b, pos);
            if (v == null) return false;
            int code = (int) v[0];
            pos = (int) v[1];
            int size;
            switch (code) {
                case 4 -> size = 4; // ip4
                case 41 -> size = 16; // ip6
                case 6, 273 -> size = 2; // tcp, udp
                case 477, 478 -> size = 0; // ws, wss
                case 53, 54, 55, 56, 421 -> { // dns, dns4, dns6, dnsaddr, p2p: length-prefixed
                    if (code == 53) return false;
                    long[] l = varint(b, pos);
                    if (l == null || l[0] == 0 || l[0] > 255) return false;
                    size = (int) l[0];
                    pos = (int) l[1];
                }
                default -> {
                    return false;
                }
            }
            if (pos + size > b.length) return false;
            pos += size;
            last = code;
        }
        return last == 421;
    }

    private static long[] varint(byte[] b, int pos) {
        long v = 0;
        for (int shift = 0; shift < 63 && pos < b.length; shift += 7) {
            int x = b[pos++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return new long[] {v, pos};
        }
        return null;
    }
}
