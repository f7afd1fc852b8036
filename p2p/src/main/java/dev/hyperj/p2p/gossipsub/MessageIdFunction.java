package dev.hyperj.p2p.gossipsub;

/** Computes a message's id; all peers of a topic must agree on it. */
@FunctionalInterface
public interface MessageIdFunction {
    /** The libp2p default: the author's peer id bytes followed by the seqno bytes. */
    MessageIdFunction FROM_AND_SEQNO = m -> {
        byte[] from = m.rawFrom() == null ? new byte[0] : m.rawFrom();
        byte[] seq = m.rawSeqno() == null ? new byte[0] : m.rawSeqno();
        byte[] id = new byte[from.length + seq.length];
        System.arraycopy(from, 0, id, 0, from.length);
        System.arraycopy(seq, 0, id, from.length, seq.length);
        return MessageId.wrap(id);
    };

    /** SHA-256 of topic and data: for anonymous (STRICT_NO_SIGN) topics, where from and seqno are absent. */
    MessageIdFunction CONTENT_SHA256 = m -> {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(m.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
            if (m.rawData() != null) md.update(m.rawData());
            return MessageId.wrap(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    };

    MessageId apply(Rpc.Message message);
}
