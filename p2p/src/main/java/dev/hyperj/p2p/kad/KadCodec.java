package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.proto.ProtoException;
import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@link KadMessage}s: protobuf bodies, each framed on the stream by an
 * unsigned-varint length prefix (libp2p/specs kad-dht). Every bound is checked while reading, so
 * hostile input costs at most the frame it came in, and every malformation raises
 * {@link KadProtocolException}, never anything else.
 */
public final class KadCodec {
    /**
     * Bounds on what a peer may send us.
     *
     * @param maxMessageBytes largest protobuf body (js-libp2p's kad-dht also uses 4 MiB)
     * @param maxKeyBytes     largest key (message key and record key)
     * @param maxPeersPerList largest closerPeers / providerPeers list
     * @param maxAddrsPerPeer most multiaddrs for one peer
     * @param maxAddrBytes    largest single binary multiaddr
     * @param maxPeerIdBytes  largest peer id multihash
     */
    public record Limits(
            int maxMessageBytes,
            int maxKeyBytes,
            int maxPeersPerList,
            int maxAddrsPerPeer,
            int maxAddrBytes,
            int maxPeerIdBytes) {
        public Limits {
            if (maxMessageBytes < 1
                    || maxKeyBytes < 1
                    || maxPeersPerList < 0
                    || maxAddrsPerPeer < 0
                    || maxAddrBytes < 1
                    || maxPeerIdBytes < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        public static Limits defaults() {
            return new Limits(4 << 20, 1024, 256, 64, 512, 128);
        }
    }

    /** Longest RFC 3339 timestamp worth reading ("2026-11-23T09:03:37.123456789+00:00" is 35). */
    static final int MAX_TIME_RECEIVED = 64;

    private static final int MAX_VARINT_PREFIX = 5; // enough for any length we accept

    private final Limits limits;

    public KadCodec(Limits limits) {
        this.limits = limits;
    }

    public KadCodec() {
        this(Limits.defaults());
    }

    public Limits limits() {
        return limits;
    }

    /** The protobuf body of {@code m} (no length prefix). */
    public byte[] encode(KadMessage m) {
        ProtoWriter w = new ProtoWriter();
        // proto3: default values are not written (type PUT_VALUE = 0, empty key, level 0)
        if (m.type().code() != 0) {
            w.writeVarint(1, m.type().code());
        }
        if (m.keyUnsafe().length > 0) {
            w.writeBytes(2, m.keyUnsafe());
        }
        if (m.record() != null) {
            w.writeMessage(3, encodeRecord(m.record()));
        }
        for (KadMessage.WirePeer p : m.closerPeers()) {
            w.writeMessage(8, encodePeer(p));
        }
        for (KadMessage.WirePeer p : m.providerPeers()) {
            w.writeMessage(9, encodePeer(p));
        }
        if (m.clusterLevel() != 0) {
            w.writeVarint(10, m.clusterLevel()); // int32: negative values sign-extend, as protobuf does
        }
        return w.toByteArray();
    }

    /** The varint-length-prefixed frame of {@code m}, as written on a stream. */
    public byte[] encodeFrame(KadMessage m) {
        byte[] body = encode(m);
        if (body.length > limits.maxMessageBytes()) {
            throw new KadProtocolException(
                    "DHT message of " + body.length + " bytes exceeds the " + limits.maxMessageBytes() + "-byte limit");
        }
        byte[] prefix = varint(body.length);
        byte[] out = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        return out;
    }

    /** Decodes exactly one frame (length prefix + body, nothing after). */
    public KadMessage decodeFrame(byte[] frame) {
        int[] lengthAndPrefix = readLengthPrefix(frame, 0, frame.length);
        if (lengthAndPrefix == null) {
            throw new KadProtocolException("truncated DHT frame length prefix");
        }
        int length = lengthAndPrefix[0];
        int start = lengthAndPrefix[1];
        if (frame.length - start != length) {
            throw new KadProtocolException(
                    "DHT frame declares " + length + " bytes but carries " + (frame.length - start));
        }
        return decode(frame, start, length);
    }

    /**
     * Reads a frame's length prefix at {@code buf[offset, offset+available)}: returns {length,
     * prefixBytes}, or null if more bytes are needed. Rejects lengths over the message limit before
     * any body is buffered, which is what bounds a stream reader's memory.
     */
    public int[] readLengthPrefix(byte[] buf, int offset, int available) {
        long value = 0;
        for (int i = 0; i < Math.min(available, MAX_VARINT_PREFIX); i++) {
            int b = buf[offset + i] & 0xff;
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i > 0 && b == 0) {
                    throw new KadProtocolException("non-minimal varint length prefix");
                }
                if (value > limits.maxMessageBytes()) {
                    throw new KadProtocolException(
                            "DHT message length " + value + " exceeds the " + limits.maxMessageBytes() + "-byte limit");
                }
                return new int[] {(int) value, i + 1};
            }
        }
        if (available >= MAX_VARINT_PREFIX) {
            throw new KadProtocolException("DHT message length prefix too long");
        }
        return null;
    }

    public KadMessage decode(byte[] body) {
        return decode(body, 0, body.length);
    }

    /** Decodes one protobuf body. */
    public KadMessage decode(byte[] buf, int offset, int length) {
        if (length > limits.maxMessageBytes()) {
            throw new KadProtocolException(
                    "DHT message of " + length + " bytes exceeds the " + limits.maxMessageBytes() + "-byte limit");
        }
        try {
            ProtoReader r = new ProtoReader(buf, offset, length);
            KadMessage.Type type = KadMessage.Type.PUT_VALUE;
            byte[] key = new byte[0];
            DhtRecord record = null;
            List<KadMessage.WirePeer> closer = new ArrayList<>();
            List<KadMessage.WirePeer> providers = new ArrayList<>();
            int level = 0;
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> type = KadMessage.Type.fromCode(r.varint());
                    case 2 -> key = boundedBytes(r, limits.maxKeyBytes(), "key");
                    case 3 -> record = decodeRecord(r.bytes());
                    case 8 -> addPeer(closer, r, "closerPeers");
                    case 9 -> addPeer(providers, r, "providerPeers");
                    case 10 -> level = (int) r.varint(); // int32: keep the low 32 bits
                    default -> r.skip();
                }
            }
            return new KadMessage(type, key, record, closer, providers, level);
        } catch (ProtoException e) {
            throw new KadProtocolException("malformed DHT message: " + e.getMessage(), e);
        }
    }

    private void addPeer(List<KadMessage.WirePeer> list, ProtoReader r, String what) {
        if (list.size() >= limits.maxPeersPerList()) {
            throw new KadProtocolException("more than " + limits.maxPeersPerList() + " " + what);
        }
        list.add(decodePeer(r.bytes()));
    }

    private byte[] boundedBytes(ProtoReader r, int max, String what) {
        if (r.wireType() != 2) {
            throw new KadProtocolException(what + " has wire type " + r.wireType() + ", expected bytes");
        }
        byte[] b = r.bytes();
        if (b.length > max) {
            throw new KadProtocolException(what + " of " + b.length + " bytes exceeds " + max);
        }
        return b;
    }

    private DhtRecord decodeRecord(byte[] body) {
        ProtoReader r = new ProtoReader(body);
        byte[] key = new byte[0];
        byte[] value = new byte[0];
        String time = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> key = boundedBytes(r, limits.maxKeyBytes(), "record key");
                case 2 -> value = r.bytes();
                case 5 -> {
                    if (r.wireType() != 2) {
                        throw new KadProtocolException("record timeReceived is not a string");
                    }
                    time = r.string();
                    if (time.length() > MAX_TIME_RECEIVED) {
                        throw new KadProtocolException("record timeReceived too long");
                    }
                }
                default -> r.skip();
            }
        }
        return new DhtRecord(key, value, time);
    }

    private KadMessage.WirePeer decodePeer(byte[] body) {
        ProtoReader r = new ProtoReader(body);
        byte[] id = new byte[0];
        List<byte[]> addrs = new ArrayList<>();
        KadMessage.Connection connection = KadMessage.Connection.NOT_CONNECTED;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = boundedBytes(r, limits.maxPeerIdBytes(), "peer id");
                case 2 -> {
                    if (addrs.size() >= limits.maxAddrsPerPeer()) {
                        throw new KadProtocolException(
                                "more than " + limits.maxAddrsPerPeer() + " addresses for one peer");
                    }
                    addrs.add(boundedBytes(r, limits.maxAddrBytes(), "multiaddr"));
                }
                case 3 -> connection = KadMessage.Connection.fromCode(r.varint());
                default -> r.skip();
            }
        }
        return new KadMessage.WirePeer(id, addrs, connection);
    }

    private static ProtoWriter encodeRecord(DhtRecord rec) {
        ProtoWriter w = new ProtoWriter();
        if (rec.keyUnsafe().length > 0) {
            w.writeBytes(1, rec.keyUnsafe());
        }
        if (rec.valueUnsafe().length > 0) {
            w.writeBytes(2, rec.valueUnsafe());
        }
        if (!rec.timeReceived().isEmpty()) {
            w.writeString(5, rec.timeReceived());
        }
        return w;
    }

    private static ProtoWriter encodePeer(KadMessage.WirePeer p) {
        ProtoWriter w = new ProtoWriter();
        if (p.idUnsafe().length > 0) {
            w.writeBytes(1, p.idUnsafe());
        }
        for (byte[] a : p.addrsUnsafe()) {
            w.writeBytes(2, a);
        }
        if (p.connection() != KadMessage.Connection.NOT_CONNECTED) {
            w.writeVarint(3, p.connection().ordinal());
        }
        return w;
    }

    static byte[] varint(long v) {
        byte[] tmp = new byte[10];
        int n = 0;
        while ((v & ~0x7fL) != 0) {
            tmp[n++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        tmp[n++] = (byte) v;
        return java.util.Arrays.copyOf(tmp, n);
    }
}
