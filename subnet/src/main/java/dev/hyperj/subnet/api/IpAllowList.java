package dev.hyperj.subnet.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which client addresses the network API answers: a list of CIDR ranges ({@code 10.0.0.0/8},
 * {@code ::1/128}) or single addresses. Matching is by bytes, so an IPv4 range never matches an
 * IPv6 client unless the client's address is IPv4-mapped.
 */
public final class IpAllowList {
    private record Range(byte[] network, int prefix, String text) {}

    private final List<Range> ranges;

    private IpAllowList(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Loopback only: {@code 127.0.0.0/8} and {@code ::1}. */
    public static IpAllowList loopback() {
        return parse(List.of("127.0.0.0/8", "::1/128"));
    }

    /** Any address ({@code 0.0.0.0/0} and {@code ::/0}). */
    public static IpAllowList any() {
        return parse(List.of("0.0.0.0/0", "::/0"));
    }

    /**
     * Parses entries like {@code 192.168.1.0/24}, {@code 10.1.2.3}, {@code fd00::/8}.
     *
     * @throws IllegalArgumentException naming the entry that does not parse (host names are refused:
     *     an allow-list must not depend on DNS)
     */
    public static IpAllowList parse(List<String> entries) {
        List<Range> out = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.strip();
            int slash = e.indexOf('/');
            String addr = slash < 0 ? e : e.substring(0, slash);
            if (addr.isEmpty() || !addr.matches("[0-9a-fA-F:.]+"))
                throw new IllegalArgumentException("not an IP address or CIDR range: " + raw);
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException ex) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + raw);
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("bad prefix length in " + raw);
                }
                if (prefix < 0 || prefix > bytes.length * 8)
                    throw new IllegalArgumentException("prefix length out of range in " + raw);
            }
            out.add(new Range(bytes, prefix, e));
        }
        return new IpAllowList(out);
    }

    public boolean allows(InetAddress client) {
        byte[] a = client.getAddress();
        if (a.length == 16 && isV4Mapped(a)) a = java.util.Arrays.copyOfRange(a, 12, 16);
        for (Range r : ranges) if (matches(r, a)) return true;
        return false;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static boolean matches(Range r, byte[] a) {
        if (a.length != r.network.length) return false;
        int bits = r.prefix;
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (r.network[i] & mask)) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return ranges.stream().map(Range::text).toList().toString();
    }
}
