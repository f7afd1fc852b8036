package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Translation between TCP multiaddrs and socket addresses. */
final class TcpAddresses {
    private TcpAddresses() {}

    /** The host part of a TCP multiaddr: ip4, ip6 (literals), dns4, dns6, dns (names), then tcp and optional p2p. */
    record Target(String kind, String host, int port, PeerId peer) {
        boolean needsResolution() {
            return kind.startsWith("dns");
        }
    }

    static Target parse(Multiaddr addr) {
        String[] parts = addr.toString().split("/");
        // "", kind, host, "tcp", port [, "p2p", id]
        if (parts.length < 5 || !parts[0].isEmpty() || !"tcp".equals(parts[3])) {
            throw new IllegalArgumentException("not a TCP multiaddr: " + addr);
        }
        String kind = parts[1];
        if (!List.of("ip4", "ip6", "dns4", "dns6", "dns").contains(kind)) {
            throw new IllegalArgumentException("unsupported address kind " + kind + " in " + addr);
        }
        int port;
        try {
            port = Integer.parseInt(parts[4]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad TCP port in " + addr);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad TCP port in " + addr);
        }
        PeerId peer = null;
        if (parts.length > 5) {
            if (parts.length != 7 || !("p2p".equals(parts[5]) || "ipfs".equals(parts[5]))) {
                throw new IllegalArgumentException(
                        "unsupported multiaddr (only /tcp[/p2p/<id>] after the host): " + addr);
            }
            peer = addr.peerId().orElseThrow(() -> new IllegalArgumentException("bad /p2p in " + addr));
        }
        return new Target(kind, parts[2], port, peer);
    }

    /** Resolves a literal without blocking; names need {@link #resolveName}. */
    static InetSocketAddress literal(Target t) throws UnknownHostException {
        InetAddress ip = InetAddress.getByName(t.host()); // a literal: no lookup happens
        if (t.kind().equals("ip4") != (ip instanceof Inet4Address)) {
            throw new UnknownHostException("address family does not match /" + t.kind() + ": " + t.host());
        }
        return new InetSocketAddress(ip, t.port());
    }

    /** Blocking DNS lookup, filtered by family for dns4/dns6. */
    static InetSocketAddress resolveName(Target t) throws UnknownHostException {
        for (InetAddress ip : InetAddress.getAllByName(t.host())) {
            boolean v4 = ip instanceof Inet4Address;
            if (t.kind().equals("dns")
                    || (t.kind().equals("dns4") && v4)
                    || (t.kind().equals("dns6") && !v4)) {
                return new InetSocketAddress(ip, t.port());
            }
        }
        throw new UnknownHostException("no /" + t.kind() + " address for " + t.host());
    }

    static Multiaddr toMultiaddr(InetSocketAddress a) {
        return Multiaddr.tcp(a);
    }

    /**
     * A bound address as peers can dial it: a wildcard expands to the interfaces' addresses of the
     * family that was asked for ({@code requested}; the JDK reports a dual-stack "::" for 0.0.0.0).
     */
    static List<Multiaddr> dialable(InetSocketAddress requested, InetSocketAddress bound) {
        InetAddress ip = requested.getAddress();
        if (!ip.isAnyLocalAddress()) {
            return List.of(toMultiaddr(new InetSocketAddress(ip, bound.getPort())));
        }
        List<Multiaddr> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    boolean sameFamily = (ip instanceof Inet4Address) == (a instanceof Inet4Address);
                    if (sameFamily && !(a instanceof Inet6Address && a.isLinkLocalAddress())) {
                        out.add(toMultiaddr(new InetSocketAddress(a, bound.getPort())));
                    }
                }
            }
        } catch (SocketException e) {
            return List.of(toMultiaddr(new InetSocketAddress(ip, bound.getPort())));
        }
        return out.isEmpty() ? List.of(toMultiaddr(new InetSocketAddress(ip, bound.getPort()))) : out;
    }
}
