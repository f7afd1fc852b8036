package dev.hyperj.p2p.protocol.identify;

import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The Identify protobuf, fields as received (addresses still as bytes, unparsed). Absent optional
 * fields are null; repeated fields are empty lists.
 *
 * <pre>
 * message Identify {
 *   optional string protocolVersion = 5;  optional string agentVersion = 6;
 *   optional bytes publicKey = 1;          repeated bytes listenAddrs = 2;
 *   optional bytes observedAddr = 4;       repeated string protocols = 3;
 *   optional bytes signedPeerRecord = 8;
 * }
 * </pre>
 */
record IdentifyMessage(
        String protocolVersion,
        String agentVersion,
        byte[] publicKey,
        List<byte[]> listenAddrs,
        byte[] observedAddr,
        List<String> protocols,
        byte[] signedPeerRecord) {

    IdentifyMessage {
        listenAddrs = List.copyOf(listenAddrs);
        protocols = List.copyOf(protocols);
    }

    byte[] encode() {
        ProtoWriter w = new ProtoWriter();
        if (publicKey != null) {
            w.writeBytes(1, publicKey);
        }
        for (byte[] a : listenAddrs) {
            w.writeBytes(2, a);
        }
        for (String p : protocols) {
            w.writeString(3, p);
        }
        if (observedAddr != null) {
            w.writeBytes(4, observedAddr);
        }
        if (protocolVersion != null) {
            w.writeString(5, protocolVersion);
        }
        if (agentVersion != null) {
            w.writeString(6, agentVersion);
        }
        if (signedPeerRecord != null) {
            w.writeBytes(8, signedPeerRecord);
        }
        return w.toByteArray();
    }

    /** @throws dev.hyperj.p2p.proto.ProtoException on malformed protobuf (also for a field of the wrong wire type) */
    static IdentifyMessage decode(byte[] bytes) {
        String protocolVersion = null;
        String agentVersion = null;
        byte[] publicKey = null;
        byte[] observedAddr = null;
        byte[] signedPeerRecord = null;
        List<byte[]> listenAddrs = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        ProtoReader r = new ProtoReader(bytes);
        while (r.next()) {
            switch (r.field()) {
                case 1 -> publicKey = r.bytes();
                case 2 -> listenAddrs.add(r.bytes());
                case 3 -> protocols.add(r.string());
                case 4 -> observedAddr = r.bytes();
                case 5 -> protocolVersion = r.string();
                case 6 -> agentVersion = r.string();
                case 8 -> signedPeerRecord = r.bytes();
                default -> r.skip();
            }
        }
        return new IdentifyMessage(
                protocolVersion, agentVersion, publicKey, listenAddrs, observedAddr, protocols, signedPeerRecord);
    }

    /**
     * This message as one or more messages of at most {@code maxSize} encoded bytes each (what
     * {@link #merge} reassembles): the first holds everything but the protocols that do not fit,
     * the next ones the remaining protocols.
     *
     * @throws IllegalArgumentException if the fields other than protocols, or a single protocol, do not fit
     */
    List<IdentifyMessage> split(int maxSize) {
        if (encode().length <= maxSize) {
            return List.of(this);
        }
        List<IdentifyMessage> parts = new ArrayList<>();
        IdentifyMessage current = new IdentifyMessage(
                protocolVersion, agentVersion, publicKey, listenAddrs, observedAddr, List.of(), signedPeerRecord);
        if (current.encode().length > maxSize) {
            throw new IllegalArgumentException("identify message without protocols exceeds " + maxSize + " bytes");
        }
        List<String> batch = new ArrayList<>();
        int size = current.encode().length;
        for (String p : protocols) {
            int cost = 1 + varintLength(utf8Length(p)) + utf8Length(p);
            if (size + cost > maxSize) {
                if (batch.isEmpty()) {
                    throw new IllegalArgumentException("protocol id longer than " + maxSize + " bytes");
                }
                parts.add(current.withProtocols(batch));
                current = new IdentifyMessage(null, null, null, List.of(), null, List.of(), null);
                batch = new ArrayList<>();
                size = 0;
                if (cost > maxSize) {
                    throw new IllegalArgumentException("protocol id longer than " + maxSize + " bytes");
                }
            }
            batch.add(p);
            size += cost;
        }
        parts.add(current.withProtocols(batch));
        return parts;
    }

    IdentifyMessage withAgent(String agent) {
        return new IdentifyMessage(
                protocolVersion, agent, publicKey, listenAddrs, observedAddr, protocols, signedPeerRecord);
    }

    private IdentifyMessage withProtocols(List<String> ps) {
        return new IdentifyMessage(
                protocolVersion, agentVersion, publicKey, listenAddrs, observedAddr, ps, signedPeerRecord);
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static int varintLength(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /**
     * Merges messages read from one stream (an identify answer may be split into several): later
     * singular fields win, repeated fields accumulate, protocols without duplicates.
     */
    static IdentifyMessage merge(List<IdentifyMessage> messages) {
        String protocolVersion = null;
        String agentVersion = null;
        byte[] publicKey = null;
        byte[] observedAddr = null;
        byte[] signedPeerRecord = null;
        List<byte[]> listenAddrs = new ArrayList<>();
        java.util.LinkedHashSet<String> protocols = new java.util.LinkedHashSet<>();
        for (IdentifyMessage m : messages) {
            protocolVersion = m.protocolVersion != null ? m.protocolVersion : protocolVersion;
            agentVersion = m.agentVersion != null ? m.agentVersion : agentVersion;
            publicKey = m.publicKey != null ? m.publicKey : publicKey;
            observedAddr = m.observedAddr != null ? m.observedAddr : observedAddr;
            signedPeerRecord = m.signedPeerRecord != null ? m.signedPeerRecord : signedPeerRecord;
            listenAddrs.addAll(m.listenAddrs);
            protocols.addAll(m.protocols);
        }
        return new IdentifyMessage(
                protocolVersion,
                agentVersion,
                publicKey,
                listenAddrs,
                observedAddr,
                new ArrayList<>(protocols),
                signedPeerRecord);
    }
}
