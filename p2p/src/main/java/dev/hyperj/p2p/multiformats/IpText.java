package dev.hyperj.p2p.multiformats;

/**
 * IP address literals to and from bytes, without ever touching DNS (which
 * {@code InetAddress.getByName} would do for anything that is not a literal).
 */
final class IpText {
    private IpText() {}

    /** Dotted decimal, four parts of 0..255 without leading zeros. */
    static byte[] parseIp4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            int start = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    throw bad4(s);
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                throw bad4(s);
            }
            out[part++] = (byte) value;
            if (part == 4) {
                if (i != n) {
                    throw bad4(s);
                }
                return out;
            }
            if (i >= n || s.charAt(i) != '.') {
                throw bad4(s);
            }
            i++;
        }
    }

    static String formatIp4(byte[] b, int off) {
        return (b[off] & 0xFF) + "." + (b[off + 1] & 0xFF) + "." + (b[off + 2] & 0xFF) + "." + (b[off + 3] & 0xFF);
    }

    /** RFC 4291 text: hex groups, one optional "::", an optional trailing dotted IPv4 part. */
    static byte[] parseIp6(String s) {
        if (s.length() < 2 || s.length() > 45) {
            throw bad6(s);
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) {
                return new byte[16];
            }
        } else if (s.charAt(0) == ':') {
            throw bad6(s);
        }
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                value = (value << 4) | Character.digit(s.charAt(i), 16);
                i++;
                if (i - start > 4) {
                    throw bad6(s);
                }
            }
            if (i < n && s.charAt(i) == '.') {
                // trailing IPv4 part takes two groups
                if (count > 6) {
                    throw bad6(s);
                }
                byte[] v4 = parseIp4(s.substring(start));
                groups[count++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                groups[count++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
                i = n;
                break;
            }
            if (i == start || count == 8) {
                throw bad6(s);
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                throw bad6(s);
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    throw bad6(s);
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                throw bad6(s); // trailing single ':'
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            throw bad6(s);
        }
        byte[] out = new byte[16];
        int tail = gap < 0 ? 0 : count - gap;
        for (int g = 0; g < count; g++) {
            int slot = (gap >= 0 && g >= gap) ? 8 - tail + (g - gap) : g;
            out[2 * slot] = (byte) (groups[g] >>> 8);
            out[2 * slot + 1] = (byte) groups[g];
        }
        return out;
    }

    /** RFC 5952 canonical text; IPv4-mapped addresses print as {@code ::ffff:a.b.c.d}. */
    static String formatIp6(byte[] b) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        mapped &= (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
        if (mapped) {
            return "::ffff:" + formatIp4(b, 12);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        // the longest run of two or more zero groups, the first if tied, becomes "::"
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static FormatException bad4(String s) {
        return new FormatException("invalid IPv4 address '" + s + "'");
    }

    private static FormatException bad6(String s) {
        return new FormatException("invalid IPv6 address '" + s + "'");
    }
}
