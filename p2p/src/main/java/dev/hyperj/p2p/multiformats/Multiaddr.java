package dev.hyperj.p2p.multiformats;

import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A multiaddr: a sequence of (protocol, value) components such as
 * {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...}, with its text and binary forms. Immutable;
 * equality is on the binary form. Parsing never resolves names.
 */
public final class Multiaddr {
    /** Longest DNS name accepted in dns/dns4/dns6/dnsaddr components. */
    public static final int MAX_DNS_NAME_BYTES = 255;

    private static final Set<Protocol> CHAIN_PROTOCOLS = EnumSet.of(
            Protocol.IP4,
            Protocol.IP6,
            Protocol.TCP,
            Protocol.UDP,
            Protocol.DNS4,
            Protocol.DNS6,
            Protocol.DNSADDR,
            Protocol.P2P,
            Protocol.WS,
            Protocol.WSS);

    /** One {@code /protocol/value} step. The value bytes are the binary form (empty for protocols without one). */
    public static final class Component {
        private final Protocol protocol;
        private final byte[] value;

        private Component(Protocol protocol, byte[] value) {
            this.protocol = protocol;
            this.value = value;
        }

        /** A component from its text value (ignored, may be null, for protocols without one). */
        public static Component of(Protocol protocol, String text) {
            return new Component(protocol, protocol.hasValue() ? valueFromText(protocol, text) : new byte[0]);
        }

        public Protocol protocol() {
            return protocol;
        }

        /** The value's binary form (a copy). */
        public byte[] value() {
            return value.clone();
        }

        /** The value's text form; empty for protocols without a value. */
        public String valueText() {
            return protocol.hasValue() ? valueToText(protocol, value) : "";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Component c && protocol == c.protocol && Arrays.equals(value, c.value);
        }

        @Override
        public int hashCode() {
            return 31 * protocol.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return protocol.hasValue()
                    ? "/" + protocol.protocolName() + "/" + valueText()
                    : "/" + protocol.protocolName();
        }
    }

    private final List<Component> components;
    private final Bytes bytes;

    private Multiaddr(List<Component> components) {
        this.components = List.copyOf(components);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Component c : this.components) {
            out.writeBytes(Varint.encode(c.protocol.code()));
            if (c.protocol.size() == Protocol.VARIABLE) {
                out.writeBytes(Varint.encode(c.value.length));
            }
            out.writeBytes(c.value);
        }
        this.bytes = Bytes.of(out.toByteArray());
    }

    public static Multiaddr of(List<Component> components) {
        return new Multiaddr(components);
    }

    /** {@code /ip4/a.b.c.d/tcp/port} or {@code /ip6/.../tcp/port} for a resolved socket address. */
    public static Multiaddr tcp(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        Protocol family = ip instanceof Inet4Address ? Protocol.IP4 : Protocol.IP6;
        byte[] port = {(byte) (address.getPort() >>> 8), (byte) address.getPort()};
        return new Multiaddr(List.of(new Component(family, ip.getAddress()), new Component(Protocol.TCP, port)));
    }

    /**
     * Parses the text form. {@code /ipfs/} is read as {@code /p2p/}; a trailing '/' is allowed;
     * {@code "/"} is the empty multiaddr.
     *
     * @throws FormatException if the text is malformed or names an unsupported protocol
     */
    public static Multiaddr parse(String text) {
        if (text.isEmpty() || text.charAt(0) != '/') {
            throw new FormatException("multiaddr must start with '/': '" + abbreviate(text) + "'");
        }
        String[] parts = text.substring(1).split("/", -1);
        int n = parts.length;
        if (n > 0 && parts[n - 1].isEmpty()) {
            n--; // trailing slash
        }
        List<Component> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (parts[i].isEmpty()) {
                throw new FormatException("empty protocol name in multiaddr '" + abbreviate(text) + "'");
            }
            Protocol p = Protocol.forName(parts[i]);
            if (!p.hasValue()) {
                out.add(new Component(p, new byte[0]));
                continue;
            }
            if (i + 1 >= n) {
                throw new FormatException("multiaddr protocol /" + parts[i] + " lacks its value");
            }
            out.add(new Component(p, valueFromText(p, parts[++i])));
        }
        return new Multiaddr(out);
    }

    /**
     * Decodes the binary form; the empty array is the empty multiaddr.
     *
     * @throws FormatException if the bytes are malformed or name an unsupported protocol
     */
    public static Multiaddr fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Component> out = new ArrayList<>();
        while (in.hasRemaining()) {
            Protocol p = Protocol.forCode(Varint.decode(in));
            int len = p.size() == Protocol.VARIABLE ? Varint.decodeInt(in, in.remaining()) : p.size();
            if (len > in.remaining()) {
                throw new FormatException("multiaddr /" + p.protocolName() + " value needs " + len + " bytes, "
                        + in.remaining() + " left");
            }
            byte[] value = new byte[len];
            in.get(value);
            checkBinaryValue(p, value);
            out.add(new Component(p, value));
        }
        return new Multiaddr(out);
    }

    /**
     * The chain's multiaddr rule (CHAIN.md "Subnet nodes"): a well-formed binary multiaddr made only of
     * ip4, ip6, tcp, udp, dns4, dns6, dnsaddr, p2p, ws and wss, whose last component is /p2p.
     */
    public static boolean isValidChainMultiaddr(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return false;
        }
        Multiaddr m;
        try {
            m = fromBytes(bytes);
        } catch (FormatException e) {
            return false;
        }
        for (Component c : m.components) {
            if (!CHAIN_PROTOCOLS.contains(c.protocol)) {
                return false;
            }
        }
        return m.components.get(m.components.size() - 1).protocol == Protocol.P2P;
    }

    /** The binary form (a copy). */
    public byte[] bytes() {
        return bytes.value();
    }

    public List<Component> components() {
        return components;
    }

    public boolean isEmpty() {
        return components.isEmpty();
    }

    /** The peer id of the last /p2p component, if any. */
    public Optional<PeerId> peerId() {
        for (int i = components.size() - 1; i >= 0; i--) {
            Component c = components.get(i);
            if (c.protocol == Protocol.P2P) {
                return Optional.of(PeerId.fromBytes(c.value));
            }
        }
        return Optional.empty();
    }

    /** This address ending with {@code /p2p/<id>}, replacing a trailing /p2p component if there is one. */
    public Multiaddr withPeerId(PeerId id) {
        List<Component> out = new ArrayList<>(withoutPeerId().components);
        out.add(new Component(Protocol.P2P, id.bytes()));
        return new Multiaddr(out);
    }

    /** This address without its trailing /p2p component (unchanged if it has none). */
    public Multiaddr withoutPeerId() {
        int n = components.size();
        if (n > 0 && components.get(n - 1).protocol == Protocol.P2P) {
            return new Multiaddr(components.subList(0, n - 1));
        }
        return this;
    }

    /** This address followed by {@code other}'s components. */
    public Multiaddr encapsulate(Multiaddr other) {
        List<Component> out = new ArrayList<>(components);
        out.addAll(other.components);
        return new Multiaddr(out);
    }

    /**
     * The socket address of an {@code /ip4|ip6/<addr>/tcp/<port>} prefix, if the address starts
     * with one; never resolves names.
     */
    public Optional<InetSocketAddress> tcpSocketAddress() {
        if (components.size() < 2 || components.get(1).protocol != Protocol.TCP) {
            return Optional.empty();
        }
        Component ip = components.get(0);
        if (ip.protocol != Protocol.IP4 && ip.protocol != Protocol.IP6) {
            return Optional.empty();
        }
        try {
            InetAddress address = ip.protocol == Protocol.IP4
                    ? InetAddress.getByAddress(ip.value)
                    : Inet6Address.getByAddress(null, ip.value, null);
            return Optional.of(new InetSocketAddress(address, port(components.get(1).value)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("validated IP address rejected", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr m && bytes.equals(m.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    /** The canonical text form; {@code "/"} for the empty multiaddr. */
    @Override
    public String toString() {
        if (components.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (Component c : components) {
            sb.append(c);
        }
        return sb.toString();
    }

    private static byte[] valueFromText(Protocol p, String text) {
        if (text == null) {
            throw new FormatException("multiaddr /" + p.protocolName() + " needs a value");
        }
        return switch (p) {
            case IP4 -> IpText.parseIp4(text);
            case IP6 -> IpText.parseIp6(text);
            case TCP, UDP -> {
                int port = parsePort(text);
                yield new byte[] {(byte) (port >>> 8), (byte) port};
            }
            case DNS, DNS4, DNS6, DNSADDR -> {
                byte[] name = text.getBytes(StandardCharsets.UTF_8);
                checkBinaryValue(p, name);
                yield name;
            }
            case P2P -> PeerId.parse(text).bytes();
            default -> throw new IllegalStateException("no value for /" + p.protocolName());
        };
    }

    private static String valueToText(Protocol p, byte[] v) {
        return switch (p) {
            case IP4 -> IpText.formatIp4(v, 0);
            case IP6 -> IpText.formatIp6(v);
            case TCP, UDP -> Integer.toString(port(v));
            case DNS, DNS4, DNS6, DNSADDR -> new String(v, StandardCharsets.UTF_8);
            case P2P -> Base58.encode(v);
            default -> "";
        };
    }

    private static void checkBinaryValue(Protocol p, byte[] v) {
        switch (p) {
            case DNS, DNS4, DNS6, DNSADDR -> {
                if (v.length == 0 || v.length > MAX_DNS_NAME_BYTES) {
                    throw new FormatException(
                            "multiaddr /" + p.protocolName() + " name must be 1.." + MAX_DNS_NAME_BYTES + " bytes");
                }
                String name;
                try {
                    name = StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(v))
                            .toString();
                } catch (CharacterCodingException e) {
                    throw new FormatException("multiaddr /" + p.protocolName() + " name is not UTF-8");
                }
                for (int i = 0; i < name.length(); i++) {
                    char c = name.charAt(i);
                    if (c == '/' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                        throw new FormatException("multiaddr /" + p.protocolName() + " name has a forbidden character");
                    }
                }
            }
            case P2P -> PeerId.fromBytes(v);
            default -> {
                // fixed-size values need no check beyond their size
            }
        }
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            throw new FormatException("invalid port '" + abbreviate(text) + "'");
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new FormatException("invalid port '" + abbreviate(text) + "'");
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535 || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new FormatException("invalid port '" + abbreviate(text) + "'");
        }
        return port;
    }

    private static int port(byte[] v) {
        return ((v[0] & 0xFF) << 8) | (v[1] & 0xFF);
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
