package dev.hyperj.p2p.gossipsub;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One pubsub RPC (libp2p/specs pubsub and gossipsub v1.0-v1.2): subscription changes, published
 * messages and gossipsub control. Immutable; byte arrays are copied in and out.
 */
public record Rpc(List<SubOpts> subscriptions, List<Message> publish, Control control) {
    public static final Rpc EMPTY = new Rpc(List.of(), List.of(), Control.EMPTY);

    public Rpc {
        subscriptions = List.copyOf(subscriptions);
        publish = List.copyOf(publish);
        control = control == null ? Control.EMPTY : control;
    }

    public static Rpc ofMessages(List<Message> messages) {
        return new Rpc(List.of(), messages, Control.EMPTY);
    }

    public static Rpc ofControl(Control control) {
        return new Rpc(List.of(), List.of(), control);
    }

    public boolean isEmpty() {
        return subscriptions.isEmpty() && publish.isEmpty() && control.isEmpty();
    }

    /** SubOpts{subscribe = 1, topicid = 2}. */
    public record SubOpts(boolean subscribe, String topic) {
        public SubOpts {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /**
     * Message{from = 1, data = 2, seqno = 3, topic = 4, signature = 5, key = 6}. Absent optional
     * byte fields are {@code null}; present ones may be empty.
     */
    public static final class Message {
        private final byte[] from;
        private final byte[] data;
        private final byte[] seqno;
        private final String topic;
        private final byte[] signature;
        private final byte[] key;

        public Message(byte[] from, byte[] data, byte[] seqno, String topic, byte[] signature, byte[] key) {
            this.from = copy(from);
            this.data = copy(data);
            this.seqno = copy(seqno);
            this.topic = Objects.requireNonNull(topic, "topic");
            this.signature = copy(signature);
            this.key = copy(key);
        }

        /** Wraps arrays owned by the caller from now on (decoder, signer). */
        static Message wrap(byte[] from, byte[] data, byte[] seqno, String topic, byte[] signature, byte[] key) {
            return new Message(from, data, seqno, topic, signature, key, true);
        }

        private Message(
                byte[] from, byte[] data, byte[] seqno, String topic, byte[] signature, byte[] key, boolean owned) {
            this.from = from;
            this.data = data;
            this.seqno = seqno;
            this.topic = topic;
            this.signature = signature;
            this.key = key;
        }

        public byte[] from() {
            return copy(from);
        }

        public byte[] data() {
            return copy(data);
        }

        public byte[] seqno() {
            return copy(seqno);
        }

        public String topic() {
            return topic;
        }

        public byte[] signature() {
            return copy(signature);
        }

        public byte[] key() {
            return copy(key);
        }

        byte[] rawFrom() {
            return from;
        }

        byte[] rawData() {
            return data;
        }

        byte[] rawSeqno() {
            return seqno;
        }

        byte[] rawSignature() {
            return signature;
        }

        byte[] rawKey() {
            return key;
        }

        /** Size of the data payload (0 when absent). */
        public int dataLength() {
            return data == null ? 0 : data.length;
        }

        /** This message without its signature and key fields: the part the author signs. */
        Message unsigned() {
            return new Message(from, data, seqno, topic, null, null, true);
        }

        Message withSignature(byte[] sig, byte[] k) {
            return new Message(from, data, seqno, topic, sig, k, true);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Message m
                    && topic.equals(m.topic)
                    && Arrays.equals(from, m.from)
                    && Arrays.equals(data, m.data)
                    && Arrays.equals(seqno, m.seqno)
                    && Arrays.equals(signature, m.signature)
                    && Arrays.equals(key, m.key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, Arrays.hashCode(from), Arrays.hashCode(data), Arrays.hashCode(seqno));
        }

        @Override
        public String toString() {
            return "Message[topic=" + topic + ", data=" + dataLength() + " bytes]";
        }
    }

    /** ControlMessage{ihave = 1, iwant = 2, graft = 3, prune = 4, idontwant = 5}. */
    public record Control(
            List<IHave> ihave, List<IWant> iwant, List<Graft> graft, List<Prune> prune, List<IDontWant> idontwant) {
        public static final Control EMPTY = new Control(List.of(), List.of(), List.of(), List.of(), List.of());

        public Control {
            ihave = List.copyOf(ihave);
            iwant = List.copyOf(iwant);
            graft = List.copyOf(graft);
            prune = List.copyOf(prune);
            idontwant = List.copyOf(idontwant);
        }

        public boolean isEmpty() {
            return ihave.isEmpty() && iwant.isEmpty() && graft.isEmpty() && prune.isEmpty() && idontwant.isEmpty();
        }

        /** Number of entries of all kinds. */
        public int entries() {
            return ihave.size() + iwant.size() + graft.size() + prune.size() + idontwant.size();
        }
    }

    /** ControlIHave{topicID = 1, messageIDs = 2}. */
    public record IHave(String topic, List<MessageId> messageIds) {
        public IHave {
            Objects.requireNonNull(topic, "topic");
            messageIds = List.copyOf(messageIds);
        }
    }

    /** ControlIWant{messageIDs = 1}. */
    public record IWant(List<MessageId> messageIds) {
        public IWant {
            messageIds = List.copyOf(messageIds);
        }
    }

    /** ControlGraft{topicID = 1}. */
    public record Graft(String topic) {
        public Graft {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /** ControlPrune{topicID = 1, peers = 2, backoff = 3 (seconds, 0 = absent)}. */
    public record Prune(String topic, List<PeerInfo> peers, long backoffSeconds) {
        public Prune {
            Objects.requireNonNull(topic, "topic");
            peers = List.copyOf(peers);
            if (backoffSeconds < 0) {
                throw new IllegalArgumentException("negative backoff");
            }
        }
    }

    /** PeerInfo{peerID = 1, signedPeerRecord = 2}; either may be null (absent). */
    public record PeerInfo(byte[] peerId, byte[] signedPeerRecord) {
        public PeerInfo {
            peerId = copy(peerId);
            signedPeerRecord = copy(signedPeerRecord);
        }

        @Override
        public byte[] peerId() {
            return copy(peerId);
        }

        @Override
        public byte[] signedPeerRecord() {
            return copy(signedPeerRecord);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PeerInfo p
                    && Arrays.equals(peerId, p.peerId)
                    && Arrays.equals(signedPeerRecord, p.signedPeerRecord);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(peerId) * 31 + Arrays.hashCode(signedPeerRecord);
        }

        @Override
        public String toString() {
            return "PeerInfo[" + (peerId == null ? 0 : peerId.length) + " byte id]";
        }
    }

    /** ControlIDontWant{messageIDs = 1} (gossipsub v1.2). */
    public record IDontWant(List<MessageId> messageIds) {
        public IDontWant {
            messageIds = List.copyOf(messageIds);
        }
    }

    private static byte[] copy(byte[] b) {
        return b == null ? null : b.clone();
    }
}
