package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * libp2p pubsub message signatures: the author signs {@code "libp2p-pubsub:"} followed by the
 * protobuf Message without its signature and key fields; the key field carries the author's
 * public key only when the peer id does not embed it (RSA, large keys).
 */
public final class MessageSigning {
    static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);
    /** Seqno length libp2p implementations use (big-endian uint64). */
    public static final int SEQNO_LENGTH = 8;

    private MessageSigning() {}

    /** Why a received message fails a signature policy; {@code null} means it passes. */
    public enum Failure {
        MISSING_FROM,
        BAD_FROM,
        MISSING_SEQNO,
        MISSING_SIGNATURE,
        BAD_KEY,
        KEY_MISMATCH,
        INVALID_SIGNATURE,
        UNEXPECTED_AUTHOR,
        UNEXPECTED_SIGNATURE
    }

    /** A signed message authored by {@code author}'s key. */
    public static Rpc.Message sign(PrivateKey author, String topic, byte[] data, long seqno) {
        PeerId id = PeerId.fromPublicKey(author.publicKey());
        byte[] seq = new byte[SEQNO_LENGTH];
        for (int i = 0; i < SEQNO_LENGTH; i++) {
            seq[i] = (byte) (seqno >>> (8 * (SEQNO_LENGTH - 1 - i)));
        }
        Rpc.Message unsigned = Rpc.Message.wrap(id.bytes(), data.clone(), seq, topic, null, null);
        byte[] sig = author.sign(signedBytes(unsigned));
        byte[] key = id.publicKey().isPresent() ? null : author.publicKey().marshal();
        return unsigned.withSignature(sig, key);
    }

    /** An anonymous message (STRICT_NO_SIGN): topic and data only. */
    public static Rpc.Message anonymous(String topic, byte[] data) {
        return Rpc.Message.wrap(null, data.clone(), null, topic, null, null);
    }

    /** The bytes a signature covers. */
    static byte[] signedBytes(Rpc.Message m) {
        byte[] body = RpcCodec.encodeMessage(m.unsigned());
        byte[] out = new byte[PREFIX.length + body.length];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        System.arraycopy(body, 0, out, PREFIX.length, body.length);
        return out;
    }

    /** Checks a received message against a policy; null when it passes. */
    public static Failure check(SignaturePolicy policy, Rpc.Message m) {
        return switch (policy) {
            case STRICT_NO_SIGN -> {
                if (m.rawSignature() != null || m.rawKey() != null) yield Failure.UNEXPECTED_SIGNATURE;
                if (m.rawFrom() != null || m.rawSeqno() != null) yield Failure.UNEXPECTED_AUTHOR;
                yield null;
            }
            case STRICT_SIGN -> verify(m);
        };
    }

    /** Strict verification: from, seqno and signature present; the key matches from; the signature is valid. */
    public static Failure verify(Rpc.Message m) {
        if (m.rawFrom() == null) return Failure.MISSING_FROM;
        if (m.rawSeqno() == null || m.rawSeqno().length == 0) return Failure.MISSING_SEQNO;
        if (m.rawSignature() == null) return Failure.MISSING_SIGNATURE;
        PeerId author;
        try {
            author = PeerId.fromBytes(m.rawFrom());
        } catch (RuntimeException e) {
            return Failure.BAD_FROM;
        }
        PublicKey key;
        Optional<PublicKey> embedded;
        try {
            embedded = author.publicKey();
        } catch (RuntimeException e) {
            return Failure.BAD_FROM;
        }
        if (m.rawKey() != null) {
            try {
                key = Keys.unmarshalPublicKey(m.rawKey());
            } catch (RuntimeException e) {
                return Failure.BAD_KEY;
            }
            if (!PeerId.fromPublicKey(key).equals(author)) return Failure.KEY_MISMATCH;
        } else if (embedded.isPresent()) {
            key = embedded.get();
        } else {
            return Failure.BAD_KEY;
        }
        boolean ok;
        try {
            ok = key.verify(signedBytes(m), m.rawSignature());
        } catch (RuntimeException e) {
            ok = false;
        }
        return ok ? null : Failure.INVALID_SIGNATURE;
    }
}
