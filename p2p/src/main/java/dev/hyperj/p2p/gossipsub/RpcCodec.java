package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.proto.ProtoException;
import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Protobuf codec of the pubsub RPC (field numbers from libp2p/specs pubsub/README.md and
 * gossipsub-v1.1/v1.2), and the unsigned-varint length framing used on pubsub streams. Decoding is
 * bounded by {@link RpcLimits}; every malformation raises {@link GossipCodecException}.
 * Unknown fields are skipped (forward compatibility), as protobuf requires.
 */
public final class RpcCodec {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LEN = 2;

    private final RpcLimits limits;

    public RpcCodec(RpcLimits limits) {
        this.limits = limits;
    }

    public RpcLimits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes an RPC; fails with {@link GossipCodecException} if it exceeds the size limit. */
    public byte[] encode(Rpc rpc) {
        byte[] out = encodeUnbounded(rpc);
        if (out.length > limits.maxRpcSize()) {
            throw new GossipCodecException("RPC of " + out.length + " bytes exceeds " + limits.maxRpcSize());
        }
        return out;
    }

    static byte[] encodeUnbounded(Rpc rpc) {
        ProtoWriter w = new ProtoWriter();
        for (Rpc.SubOpts s : rpc.subscriptions()) {
            ProtoWriter sw = new ProtoWriter();
            sw.writeBool(1, s.subscribe());
            sw.writeString(2, s.topic());
            w.writeBytes(1, sw.toByteArray());
        }
        for (Rpc.Message m : rpc.publish()) {
            w.writeBytes(2, encodeMessage(m));
        }
        if (!rpc.control().isEmpty()) {
            w.writeBytes(3, encodeControl(rpc.control()));
        }
        return w.toByteArray();
    }

    /** The protobuf encoding of one message, fields in number order (what signatures cover). */
    public static byte[] encodeMessage(Rpc.Message m) {
        ProtoWriter w = new ProtoWriter();
        if (m.rawFrom() != null) w.writeBytes(1, m.rawFrom());
        if (m.rawData() != null) w.writeBytes(2, m.rawData());
        if (m.rawSeqno() != null) w.writeBytes(3, m.rawSeqno());
        w.writeString(4, m.topic());
        if (m.rawSignature() != null) w.writeBytes(5, m.rawSignature());
        if (m.rawKey() != null) w.writeBytes(6, m.rawKey());
        return w.toByteArray();
    }

    private static byte[] encodeControl(Rpc.Control c) {
        ProtoWriter w = new ProtoWriter();
        for (Rpc.IHave ih : c.ihave()) {
            ProtoWriter e = new ProtoWriter();
            e.writeString(1, ih.topic());
            for (MessageId id : ih.messageIds()) e.writeBytes(2, id.unsafeBytes());
            w.writeBytes(1, e.toByteArray());
        }
        for (Rpc.IWant iw : c.iwant()) {
            ProtoWriter e = new ProtoWriter();
            for (MessageId id : iw.messageIds()) e.writeBytes(1, id.unsafeBytes());
            w.writeBytes(2, e.toByteArray());
        }
        for (Rpc.Graft g : c.graft()) {
            w.writeBytes(3, new ProtoWriter().writeString(1, g.topic()).toByteArray());
        }
        for (Rpc.Prune p : c.prune()) {
            ProtoWriter e = new ProtoWriter();
            e.writeString(1, p.topic());
            for (Rpc.PeerInfo pi : p.peers()) {
                ProtoWriter pw = new ProtoWriter();
                byte[] id = pi.peerId();
                byte[] rec = pi.signedPeerRecord();
                if (id != null) pw.writeBytes(1, id);
                if (rec != null) pw.writeBytes(2, rec);
                e.writeBytes(2, pw.toByteArray());
            }
            if (p.backoffSeconds() > 0) e.writeVarint(3, p.backoffSeconds());
            w.writeBytes(4, e.toByteArray());
        }
        for (Rpc.IDontWant idw : c.idontwant()) {
            ProtoWriter e = new ProtoWriter();
            for (MessageId id : idw.messageIds()) e.writeBytes(1, id.unsafeBytes());
            w.writeBytes(5, e.toByteArray());
        }
        return w.toByteArray();
    }

    /** The exact size of {@link #encode(Rpc)}'s output, computed without encoding. */
    public static int encodedSize(Rpc rpc) {
        int n = 0;
        for (Rpc.SubOpts s : rpc.subscriptions()) n += field(2 + field(utf8Length(s.topic())));
        for (Rpc.Message m : rpc.publish()) n += field(messageSize(m));
        if (!rpc.control().isEmpty()) n += field(controlSize(rpc.control()));
        return n;
    }

    static int messageSize(Rpc.Message m) {
        int n = field(utf8Length(m.topic()));
        if (m.rawFrom() != null) n += field(m.rawFrom().length);
        if (m.rawData() != null) n += field(m.rawData().length);
        if (m.rawSeqno() != null) n += field(m.rawSeqno().length);
        if (m.rawSignature() != null) n += field(m.rawSignature().length);
        if (m.rawKey() != null) n += field(m.rawKey().length);
        return n;
    }

    private static int controlSize(Rpc.Control c) {
        int n = 0;
        for (Rpc.IHave ih : c.ihave()) n += field(field(utf8Length(ih.topic())) + idsSize(ih.messageIds()));
        for (Rpc.IWant iw : c.iwant()) n += field(idsSize(iw.messageIds()));
        for (Rpc.Graft g : c.graft()) n += field(field(utf8Length(g.topic())));
        for (Rpc.Prune p : c.prune()) {
            int e = field(utf8Length(p.topic()));
            for (Rpc.PeerInfo pi : p.peers()) {
                int pn = 0;
                byte[] id = pi.peerId();
                byte[] rec = pi.signedPeerRecord();
                if (id != null) pn += field(id.length);
                if (rec != null) pn += field(rec.length);
                e += field(pn);
            }
            if (p.backoffSeconds() > 0) e += 1 + varintLength(p.backoffSeconds());
            n += field(e);
        }
        for (Rpc.IDontWant d : c.idontwant()) n += field(idsSize(d.messageIds()));
        return n;
    }

    private static int idsSize(java.util.List<MessageId> ids) {
        int n = 0;
        for (MessageId id : ids) n += field(id.length());
        return n;
    }

    /** A length-delimited field with a one-byte tag (all pubsub field numbers are below 16). */
    private static int field(int len) {
        return 1 + varintLength(len) + len;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes one RPC. */
    public Rpc decode(byte[] bytes) {
        if (bytes.length > limits.maxRpcSize()) {
            throw new GossipCodecException("RPC of " + bytes.length + " bytes exceeds " + limits.maxRpcSize());
        }
        try {
            List<Rpc.SubOpts> subs = new ArrayList<>();
            List<Rpc.Message> msgs = new ArrayList<>();
            Counter control = new Counter();
            ControlBuilder cb = new ControlBuilder();
            ProtoReader r = new ProtoReader(bytes);
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> {
                        if (subs.size() >= limits.maxSubscriptions())
                            throw tooMany("subscriptions", limits.maxSubscriptions());
                        subs.add(decodeSubOpts(lenBytes(r)));
                    }
                    case 2 -> {
                        if (msgs.size() >= limits.maxMessages()) throw tooMany("messages", limits.maxMessages());
                        msgs.add(decodeMessageBounded(lenBytes(r)));
                    }
                    case 3 -> decodeControl(lenBytes(r), cb, control);
                    default -> r.skip();
                }
            }
            return new Rpc(subs, msgs, cb.build());
        } catch (ProtoException e) {
            throw new GossipCodecException("malformed pubsub RPC: " + e.getMessage(), e);
        }
    }

    /** Decodes one Message protobuf (as carried in an RPC's publish field). */
    public Rpc.Message decodeMessage(byte[] bytes) {
        try {
            return decodeMessageBounded(bytes);
        } catch (ProtoException e) {
            throw new GossipCodecException("malformed pubsub message: " + e.getMessage(), e);
        }
    }

    private Rpc.SubOpts decodeSubOpts(byte[] b) {
        ProtoReader r = new ProtoReader(b);
        boolean subscribe = false;
        String topic = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> subscribe = r.varint() != 0;
                case 2 -> topic = topic(r);
                default -> r.skip();
            }
        }
        if (topic == null) throw new GossipCodecException("subscription without topic");
        return new Rpc.SubOpts(subscribe, topic);
    }

    private Rpc.Message decodeMessageBounded(byte[] b) {
        ProtoReader r = new ProtoReader(b);
        byte[] from = null, data = null, seqno = null, sig = null, key = null;
        String topic = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> from = lenBytes(r);
                case 2 -> data = lenBytes(r);
                case 3 -> seqno = lenBytes(r);
                case 4 -> {
                    // Pre-v1 peers sent repeated topicIDs here; we accept exactly one.
                    if (topic != null) throw new GossipCodecException("message with several topics");
                    topic = topic(r);
                }
                case 5 -> sig = lenBytes(r);
                case 6 -> key = lenBytes(r);
                default -> r.skip();
            }
        }
        if (topic == null) throw new GossipCodecException("message without topic");
        return Rpc.Message.wrap(from, data, seqno, topic, sig, key);
    }

    private void decodeControl(byte[] b, ControlBuilder cb, Counter count) {
        ProtoReader r = new ProtoReader(b);
        while (r.next()) {
            int f = r.field();
            if (f < 1 || f > 5) {
                r.skip();
                continue;
            }
            if (++count.n > limits.maxControlEntries()) throw tooMany("control entries", limits.maxControlEntries());
            byte[] e = lenBytes(r);
            switch (f) {
                case 1 -> cb.ihave.add(decodeIHave(e));
                case 2 -> cb.iwant.add(new Rpc.IWant(decodeIds(e, 1)));
                case 3 -> cb.graft.add(decodeGraft(e));
                case 4 -> cb.prune.add(decodePrune(e));
                case 5 -> cb.idontwant.add(new Rpc.IDontWant(decodeIds(e, 1)));
                default -> throw new IllegalStateException();
            }
        }
    }

    private Rpc.IHave decodeIHave(byte[] b) {
        ProtoReader r = new ProtoReader(b);
        String topic = null;
        List<MessageId> ids = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> topic = topic(r);
                case 2 -> addId(ids, r);
                default -> r.skip();
            }
        }
        return new Rpc.IHave(topic == null ? "" : topic, ids);
    }

    private List<MessageId> decodeIds(byte[] b, int field) {
        ProtoReader r = new ProtoReader(b);
        List<MessageId> ids = new ArrayList<>();
        while (r.next()) {
            if (r.field() == field) addId(ids, r);
            else r.skip();
        }
        return ids;
    }

    private void addId(List<MessageId> ids, ProtoReader r) {
        if (ids.size() >= limits.maxIdsPerEntry()) throw tooMany("message ids per entry", limits.maxIdsPerEntry());
        byte[] id = lenBytes(r);
        if (id.length > limits.maxMessageIdLength()) {
            throw new GossipCodecException(
                    "message id of " + id.length + " bytes exceeds " + limits.maxMessageIdLength());
        }
        ids.add(MessageId.wrap(id));
    }

    private Rpc.Graft decodeGraft(byte[] b) {
        ProtoReader r = new ProtoReader(b);
        String topic = null;
        while (r.next()) {
            if (r.field() == 1) topic = topic(r);
            else r.skip();
        }
        if (topic == null) throw new GossipCodecException("GRAFT without topic");
        return new Rpc.Graft(topic);
    }

    private Rpc.Prune decodePrune(byte[] b) {
        ProtoReader r = new ProtoReader(b);
        String topic = null;
        List<Rpc.PeerInfo> peers = new ArrayList<>();
        long backoff = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> topic = topic(r);
                case 2 -> {
                    if (peers.size() >= limits.maxPeersPerPrune())
                        throw tooMany("PRUNE peers", limits.maxPeersPerPrune());
                    peers.add(decodePeerInfo(lenBytes(r)));
                }
                case 3 -> {
                    if (r.wireType() != WIRE_VARINT) throw new GossipCodecException("PRUNE backoff is not a varint");
                    backoff = r.varint();
                    // uint64 on the wire; more than a day is nonsense, clamp instead of overflowing timers.
                    if (backoff < 0 || backoff > 86_400) backoff = 86_400;
                }
                default -> r.skip();
            }
        }
        if (topic == null) throw new GossipCodecException("PRUNE without topic");
        return new Rpc.Prune(topic, peers, backoff);
    }

    private Rpc.PeerInfo decodePeerInfo(byte[] b) {
        ProtoReader r = new ProtoReader(b);
        byte[] id = null, rec = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = lenBytes(r);
                case 2 -> rec = lenBytes(r);
                default -> r.skip();
            }
        }
        return new Rpc.PeerInfo(id, rec);
    }

    private String topic(ProtoReader r) {
        if (r.wireType() != WIRE_LEN) throw new GossipCodecException("topic is not length-delimited");
        String t = r.string();
        if (t.length() > limits.maxTopicLength()
                || t.getBytes(StandardCharsets.UTF_8).length > limits.maxTopicLength()) {
            throw new GossipCodecException("topic longer than " + limits.maxTopicLength() + " bytes");
        }
        return t;
    }

    private static byte[] lenBytes(ProtoReader r) {
        if (r.wireType() != WIRE_LEN) {
            throw new GossipCodecException(
                    "field " + r.field() + " has wire type " + r.wireType() + ", expected bytes");
        }
        return r.bytes();
    }

    private static GossipCodecException tooMany(String what, int max) {
        return new GossipCodecException("more than " + max + " " + what + " in one RPC");
    }

    private static final class Counter {
        int n;
    }

    private static final class ControlBuilder {
        final List<Rpc.IHave> ihave = new ArrayList<>();
        final List<Rpc.IWant> iwant = new ArrayList<>();
        final List<Rpc.Graft> graft = new ArrayList<>();
        final List<Rpc.Prune> prune = new ArrayList<>();
        final List<Rpc.IDontWant> idontwant = new ArrayList<>();

        Rpc.Control build() {
            return new Rpc.Control(ihave, iwant, graft, prune, idontwant);
        }
    }

    // ---------------------------------------------------------------- framing

    /** An RPC as sent on a pubsub stream: unsigned-varint length, then the protobuf. */
    public byte[] encodeFramed(Rpc rpc) {
        byte[] body = encode(rpc);
        int prefix = varintLength(body.length);
        ByteBuffer out = ByteBuffer.allocate(prefix + body.length);
        writeVarint(out, body.length);
        out.put(body);
        return out.array();
    }

    /**
     * Reads one length-prefixed frame from {@code in}. Returns null, leaving the position
     * unchanged, while the frame is incomplete; throws if the announced length exceeds the limit
     * or the prefix is not a minimal varint of at most 5 bytes.
     */
    public byte[] readFrame(ByteBuffer in) {
        int start = in.position();
        long len = 0;
        int shift = 0;
        int i = 0;
        while (true) {
            if (!in.hasRemaining()) {
                in.position(start);
                return null;
            }
            int b = in.get() & 0xFF;
            i++;
            len |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 1) throw new GossipCodecException("non-minimal varint frame length");
                break;
            }
            shift += 7;
            if (i >= 5) throw new GossipCodecException("frame length varint too long");
        }
        if (len > limits.maxRpcSize()) {
            throw new GossipCodecException("frame of " + len + " bytes exceeds " + limits.maxRpcSize());
        }
        if (in.remaining() < len) {
            in.position(start);
            return null;
        }
        byte[] frame = new byte[(int) len];
        in.get(frame);
        return frame;
    }

    static int varintLength(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void writeVarint(ByteBuffer out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }
}
