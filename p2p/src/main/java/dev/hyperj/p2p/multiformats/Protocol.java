package dev.hyperj.p2p.multiformats;

import java.util.HashMap;
import java.util.Map;

/** The multiaddr protocols HyperJ understands, with their multicodec codes and value sizes. */
public enum Protocol {
    IP4(0x04, "ip4", 4),
    TCP(0x06, "tcp", 2),
    IP6(0x29, "ip6", 16),
    DNS(0x35, "dns", Protocol.VARIABLE),
    DNS4(0x36, "dns4", Protocol.VARIABLE),
    DNS6(0x37, "dns6", Protocol.VARIABLE),
    DNSADDR(0x38, "dnsaddr", Protocol.VARIABLE),
    UDP(0x0111, "udp", 2),
    P2P_CIRCUIT(0x0122, "p2p-circuit", 0),
    /** Text form also accepted as the legacy {@code /ipfs/}. */
    P2P(0x01a5, "p2p", Protocol.VARIABLE),
    TLS(0x01c0, "tls", 0),
    NOISE(0x01c6, "noise", 0),
    QUIC(0x01cc, "quic", 0),
    QUIC_V1(0x01cd, "quic-v1", 0),
    WS(0x01dd, "ws", 0),
    WSS(0x01de, "wss", 0);

    /** Marks a length-prefixed value. */
    static final int VARIABLE = -1;

    private static final Map<Long, Protocol> BY_CODE = new HashMap<>();
    private static final Map<String, Protocol> BY_NAME = new HashMap<>();

    static {
        for (Protocol p : values()) {
            BY_CODE.put((long) p.code, p);
            BY_NAME.put(p.protocolName, p);
        }
        BY_NAME.put("ipfs", P2P);
    }

    private final int code;
    private final String protocolName;
    private final int size;

    Protocol(int code, String protocolName, int size) {
        this.code = code;
        this.protocolName = protocolName;
        this.size = size;
    }

    /** The multicodec code used in binary multiaddrs. */
    public int code() {
        return code;
    }

    /** The name used in text multiaddrs, e.g. {@code "quic-v1"}. */
    public String protocolName() {
        return protocolName;
    }

    /** Whether the protocol carries a value ({@code /tcp/4001}) or stands alone ({@code /ws}). */
    public boolean hasValue() {
        return size != 0;
    }

    /** Fixed value size in bytes, 0 for none, or -1 for a varint-length-prefixed value. */
    int size() {
        return size;
    }

    static Protocol forCode(long code) {
        Protocol p = BY_CODE.get(code);
        if (p == null) {
            throw new FormatException("unsupported multiaddr protocol code 0x" + Long.toHexString(code));
        }
        return p;
    }

    static Protocol forName(String name) {
        Protocol p = BY_NAME.get(name);
        if (p == null) {
            throw new FormatException("unsupported multiaddr protocol '" + name + "'");
        }
        return p;
    }
}
