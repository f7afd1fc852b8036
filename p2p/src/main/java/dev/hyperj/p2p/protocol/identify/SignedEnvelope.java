package dev.hyperj.p2p.protocol.identify;

import dev.hyperj.p2p.crypto.KeyFormatException;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.multiformats.Varint;
import dev.hyperj.p2p.proto.ProtoException;
import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A libp2p signed envelope (RFC 0002): a payload signed by a peer's identity key for one domain.
 * <pre>
 * message Envelope { PublicKey public_key = 1; bytes payload_type = 2; bytes payload = 3; bytes signature = 5; }
 * </pre>
 * The signature covers {@code varint(len(domain)) domain varint(len(type)) type varint(len(payload)) payload}.
 */
public record SignedEnvelope(PublicKey publicKey, byte[] payloadType, byte[] payload, byte[] signature) {
    /** Envelopes we accept; identify messages are bounded smaller anyway. */
    static final int MAX_BYTES = 64 * 1024;

    public SignedEnvelope {
        payloadType = payloadType.clone();
        payload = payload.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] payloadType() {
        return payloadType.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Signs {@code payload} for {@code domain} with {@code key}. */
    public static SignedEnvelope seal(PrivateKey key, String domain, byte[] payloadType, byte[] payload) {
        byte[] signature = key.sign(signedBytes(domain, payloadType, payload));
        return new SignedEnvelope(key.publicKey(), payloadType, payload, signature);
    }

    /** True if the signature is the envelope key's signature of this payload in {@code domain}. */
    public boolean verify(String domain) {
        try {
            return publicKey.verify(signedBytes(domain, payloadType, payload), signature);
        } catch (RuntimeException e) {
            return false; // a malformed signature is simply not a valid one
        }
    }

    public byte[] marshal() {
        return new ProtoWriter()
                .writeBytes(1, publicKey.marshal())
                .writeBytes(2, payloadType)
                .writeBytes(3, payload)
                .writeBytes(5, signature)
                .toByteArray();
    }

    /** Parses an envelope without verifying it. @throws IdentifyException if malformed */
    public static SignedEnvelope unmarshal(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IdentifyException("signed envelope of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        byte[] key = null;
        byte[] type = null;
        byte[] payload = null;
        byte[] signature = null;
        try {
            ProtoReader r = new ProtoReader(bytes);
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> key = r.bytes();
                    case 2 -> type = r.bytes();
                    case 3 -> payload = r.bytes();
                    case 5 -> signature = r.bytes();
                    default -> r.skip();
                }
            }
            if (key == null || type == null || payload == null || signature == null) {
                throw new IdentifyException("signed envelope lacks "
                        + (key == null
                                ? "public_key"
                                : type == null ? "payload_type" : payload == null ? "payload" : "signature"));
            }
            return new SignedEnvelope(Keys.unmarshalPublicKey(key), type, payload, signature);
        } catch (ProtoException | KeyFormatException e) {
            throw new IdentifyException("malformed signed envelope: " + e.getMessage(), e);
        }
    }

    static byte[] signedBytes(String domain, byte[] payloadType, byte[] payload) {
        byte[] d = domain.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length + payloadType.length + payload.length + 30);
        out.writeBytes(Varint.encode(d.length));
        out.writeBytes(d);
        out.writeBytes(Varint.encode(payloadType.length));
        out.writeBytes(payloadType);
        out.writeBytes(Varint.encode(payload.length));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedEnvelope e
                && publicKey.equals(e.publicKey)
                && Arrays.equals(payloadType, e.payloadType)
                && Arrays.equals(payload, e.payload)
                && Arrays.equals(signature, e.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedEnvelope[key=" + publicKey.type() + ", payloadType=" + Arrays.toString(payloadType) + ", payload="
                + payload.length + " bytes]";
    }
}
