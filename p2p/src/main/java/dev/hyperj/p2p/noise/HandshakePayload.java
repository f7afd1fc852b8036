package dev.hyperj.p2p.noise;

import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * libp2p's NoiseHandshakePayload (noise/README.md):
 * <pre>
 * message NoiseExtensions { repeated bytes webtransport_certhashes = 1; repeated string stream_muxers = 2; }
 * message NoiseHandshakePayload { optional bytes identity_key = 1; optional bytes identity_sig = 2;
 *                                 optional NoiseExtensions extensions = 4; }
 * </pre>
 * Decoding tolerates unknown fields (newer peers may add some) and caps the extension lists.
 */
record HandshakePayload(
        byte[] identityKey, byte[] identitySignature, List<byte[]> webtransportCerthashes, List<String> streamMuxers) {
    /** More than any real peer sends; the message itself is capped at 65535 bytes anyway. */
    static final int MAX_EXTENSION_ENTRIES = 64;

    HandshakePayload {
        identityKey = identityKey == null ? null : identityKey.clone();
        identitySignature = identitySignature == null ? null : identitySignature.clone();
        webtransportCerthashes =
                webtransportCerthashes.stream().map(byte[]::clone).toList();
        streamMuxers = List.copyOf(streamMuxers);
    }

    byte[] encode() {
        ProtoWriter w = new ProtoWriter();
        if (identityKey != null) {
            w.writeBytes(1, identityKey);
        }
        if (identitySignature != null) {
            w.writeBytes(2, identitySignature);
        }
        if (!webtransportCerthashes.isEmpty() || !streamMuxers.isEmpty()) {
            ProtoWriter ext = new ProtoWriter();
            webtransportCerthashes.forEach(h -> ext.writeBytes(1, h));
            streamMuxers.forEach(m -> ext.writeString(2, m));
            w.writeMessage(4, ext);
        }
        return w.toByteArray();
    }

    static HandshakePayload decode(byte[] bytes) throws NoiseException {
        try {
            byte[] key = null;
            byte[] sig = null;
            List<byte[]> certhashes = new ArrayList<>();
            List<String> muxers = new ArrayList<>();
            ProtoReader r = new ProtoReader(bytes);
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> key = lengthDelimited(r).bytes();
                    case 2 -> sig = lengthDelimited(r).bytes();
                    case 4 -> decodeExtensions(lengthDelimited(r).bytes(), certhashes, muxers);
                    default -> r.skip();
                }
            }
            return new HandshakePayload(key, sig, certhashes, muxers);
        } catch (IllegalArgumentException e) { // ProtoException and friends
            throw new NoiseException("malformed handshake payload: " + e.getMessage(), e);
        }
    }

    private static void decodeExtensions(byte[] bytes, List<byte[]> certhashes, List<String> muxers)
            throws NoiseException {
        ProtoReader r = new ProtoReader(bytes);
        while (r.next()) {
            switch (r.field()) {
                case 1 -> certhashes.add(lengthDelimited(r).bytes());
                case 2 -> muxers.add(lengthDelimited(r).string());
                default -> r.skip();
            }
            if (certhashes.size() + muxers.size() > MAX_EXTENSION_ENTRIES) {
                throw new NoiseException("handshake payload has over " + MAX_EXTENSION_ENTRIES + " extension entries");
            }
        }
    }

    private static ProtoReader lengthDelimited(ProtoReader r) throws NoiseException {
        if (r.wireType() != 2) {
            throw new NoiseException("handshake payload field " + r.field() + " has wire type " + r.wireType()
                    + ", expected length-delimited");
        }
        return r;
    }
}
