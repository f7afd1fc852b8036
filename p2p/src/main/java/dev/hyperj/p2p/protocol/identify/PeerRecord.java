package dev.hyperj.p2p.protocol.identify;

import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.FormatException;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.proto.ProtoException;
import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A libp2p peer record (RFC 0003): a peer's addresses with a sequence number, carried in a
 * {@link SignedEnvelope} of domain {@value #DOMAIN} and payload type {@code 0x0301}.
 * <pre>
 * message PeerRecord { message AddressInfo { bytes multiaddr = 1; } bytes peer_id = 1; uint64 seq = 2; repeated AddressInfo addresses = 3; }
 * </pre>
 */
public record PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {
    public static final String DOMAIN = "libp2p-peer-record";
    /** The multicodec {@code libp2p-peer-record} (0x0301) as an unsigned varint. */
    private static final byte[] PAYLOAD_TYPE = {0x03, 0x01};

    static final int MAX_ADDRESSES = 256;

    public PeerRecord {
        addresses = List.copyOf(addresses);
    }

    public static byte[] payloadType() {
        return PAYLOAD_TYPE.clone();
    }

    public byte[] encode() {
        ProtoWriter w = new ProtoWriter().writeBytes(1, peerId.bytes()).writeVarint(2, seq);
        for (Multiaddr a : addresses) {
            w.writeMessage(3, new ProtoWriter().writeBytes(1, a.bytes()));
        }
        return w.toByteArray();
    }

    /**
     * Parses a record; addresses that do not parse are dropped (a peer may know protocols we do not).
     * @throws IdentifyException if malformed
     */
    public static PeerRecord decode(byte[] bytes) {
        try {
            PeerId peer = null;
            long seq = 0;
            List<Multiaddr> addresses = new ArrayList<>();
            ProtoReader r = new ProtoReader(bytes);
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> peer = PeerId.fromBytes(r.bytes());
                    case 2 -> seq = r.varint();
                    case 3 -> {
                        if (addresses.size() >= MAX_ADDRESSES) {
                            throw new IdentifyException("peer record has more than " + MAX_ADDRESSES + " addresses");
                        }
                        ProtoReader info = new ProtoReader(r.bytes());
                        while (info.next()) {
                            if (info.field() == 1) {
                                parse(info.bytes(), addresses);
                            } else {
                                info.skip();
                            }
                        }
                    }
                    default -> r.skip();
                }
            }
            if (peer == null) {
                throw new IdentifyException("peer record lacks a peer id");
            }
            return new PeerRecord(peer, seq, addresses);
        } catch (ProtoException | FormatException e) {
            throw new IdentifyException("malformed peer record: " + e.getMessage(), e);
        }
    }

    private static void parse(byte[] bytes, List<Multiaddr> into) {
        try {
            into.add(Multiaddr.fromBytes(bytes));
        } catch (FormatException e) {
            // unknown or malformed address: skip it, keep the others
        }
    }

    /** This record signed by {@code key}, which must be the key of {@link #peerId()}. */
    public SignedEnvelope seal(PrivateKey key) {
        if (!PeerId.fromPublicKey(key.publicKey()).equals(peerId)) {
            throw new IllegalArgumentException("key does not belong to " + peerId);
        }
        return SignedEnvelope.seal(key, DOMAIN, PAYLOAD_TYPE, encode());
    }

    /**
     * Opens a signed peer record: checks the payload type, the signature over the peer-record
     * domain and that the record's peer id is the signing key's.
     *
     * @throws IdentifyException if anything does not check out
     */
    public static PeerRecord open(byte[] envelopeBytes) {
        SignedEnvelope envelope = SignedEnvelope.unmarshal(envelopeBytes);
        if (!java.util.Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
            throw new IdentifyException("signed envelope does not hold a peer record (payload type "
                    + java.util.HexFormat.of().formatHex(envelope.payloadType()) + ")");
        }
        if (!envelope.verify(DOMAIN)) {
            throw new IdentifyException("peer record signature does not verify");
        }
        PeerRecord record = decode(envelope.payload());
        PeerId signer = PeerId.fromPublicKey(envelope.publicKey());
        if (!record.peerId().equals(signer)) {
            throw new IdentifyException("peer record of " + record.peerId() + " signed by " + signer);
        }
        return record;
    }
}
