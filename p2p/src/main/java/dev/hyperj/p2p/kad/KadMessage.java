package dev.hyperj.p2p.kad;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One libp2p Kademlia RPC message (libp2p/specs kad-dht "RPC messages"), as on the wire: peer ids
 * and addresses are raw bytes here, validated into {@link PeerInfo} by the DHT. Requests and
 * responses share the type.
 *
 * @param type         the RPC; a response carries its request's type
 * @param key          the key (record key, CID or peer id bytes); empty for PING
 * @param record       the value record (PUT_VALUE request/response, GET_VALUE response), or null
 * @param closerPeers  peers closer to the key (responses)
 * @param providerPeers providers of the key (ADD_PROVIDER request, GET_PROVIDERS response)
 * @param clusterLevel unused by libp2p; kept for round trips
 */
public record KadMessage(
        Type type,
        byte[] key,
        DhtRecord record,
        List<WirePeer> closerPeers,
        List<WirePeer> providerPeers,
        int clusterLevel) {

    /** Message types with their protobuf enum numbers. */
    public enum Type {
        PUT_VALUE(0),
        GET_VALUE(1),
        ADD_PROVIDER(2),
        GET_PROVIDERS(3),
        FIND_NODE(4),
        PING(5);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Type fromCode(long code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new KadProtocolException("unknown DHT message type " + code);
        }
    }

    /** The sender's connection to a listed peer (informational; libp2p mostly ignores it). */
    public enum Connection {
        NOT_CONNECTED,
        CONNECTED,
        CAN_CONNECT,
        CANNOT_CONNECT;

        /** Open enum: unknown numbers read as NOT_CONNECTED, as proto3 readers do. */
        static Connection fromCode(long code) {
            return code >= 0 && code < values().length ? values()[(int) code] : NOT_CONNECTED;
        }
    }

    /** A peer entry as on the wire: peer id multihash bytes and binary multiaddrs, unvalidated. */
    public record WirePeer(byte[] id, List<byte[]> addrs, Connection connection) {
        public WirePeer {
            id = id.clone();
            List<byte[]> copy = new ArrayList<>(addrs.size());
            for (byte[] a : addrs) {
                copy.add(a.clone());
            }
            addrs = List.copyOf(copy);
            Objects.requireNonNull(connection, "connection");
        }

        @Override
        public byte[] id() {
            return id.clone();
        }

        @Override
        public List<byte[]> addrs() {
            List<byte[]> copy = new ArrayList<>(addrs.size());
            for (byte[] a : addrs) {
                copy.add(a.clone());
            }
            return copy;
        }

        byte[] idUnsafe() {
            return id;
        }

        List<byte[]> addrsUnsafe() {
            return addrs;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof WirePeer p)
                    || !Arrays.equals(id, p.id)
                    || connection != p.connection
                    || addrs.size() != p.addrs.size()) {
                return false;
            }
            for (int i = 0; i < addrs.size(); i++) {
                if (!Arrays.equals(addrs.get(i), p.addrs.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = Arrays.hashCode(id) * 31 + connection.hashCode();
            for (byte[] a : addrs) {
                h = h * 31 + Arrays.hashCode(a);
            }
            return h;
        }

        @Override
        public String toString() {
            return "WirePeer[" + HexFormat.of().formatHex(id) + ", " + addrs.size() + " addrs, " + connection + "]";
        }
    }

    public KadMessage {
        Objects.requireNonNull(type, "type");
        key = key.clone();
        closerPeers = List.copyOf(closerPeers);
        providerPeers = List.copyOf(providerPeers);
    }

    /** A request of {@code type} for {@code key}, with nothing else set. */
    public static KadMessage request(Type type, byte[] key) {
        return new KadMessage(type, key, null, List.of(), List.of(), 0);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    byte[] keyUnsafe() {
        return key;
    }

    KadMessage withCloserPeers(List<WirePeer> peers) {
        return new KadMessage(type, key, record, peers, providerPeers, clusterLevel);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadMessage m
                && type == m.type
                && Arrays.equals(key, m.key)
                && Objects.equals(record, m.record)
                && closerPeers.equals(m.closerPeers)
                && providerPeers.equals(m.providerPeers)
                && clusterLevel == m.clusterLevel;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(key), record, closerPeers, providerPeers, clusterLevel);
    }

    @Override
    public String toString() {
        return "KadMessage[" + type + " key=" + printable(key)
                + (record != null ? " " + record : "")
                + (closerPeers.isEmpty() ? "" : " closer=" + closerPeers.size())
                + (providerPeers.isEmpty() ? "" : " providers=" + providerPeers.size()) + "]";
    }

    /** Keys are often "/ns/..." text followed by binary: show text as text, the rest as hex. */
    static String printable(byte[] key) {
        int n = Math.min(key.length, 48);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = key[i] & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        if (key.length > n) {
            sb.append("…(").append(key.length).append(" bytes)");
        }
        return sb.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
