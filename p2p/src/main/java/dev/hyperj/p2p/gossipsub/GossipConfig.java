package dev.hyperj.p2p.gossipsub;

import java.time.Duration;

/**
 * GossipSub router parameters. {@link #defaults()} are HyperJ's (SUBNET.md, the Python template):
 * D 7, D_lo 5, D_hi 10, history 5, gossip window 2, heartbeat 2 s (first after 0.5 s), prune
 * backoff 60 s, seen TTL 120 s, strict signing, message id from + seqno; the rest follow the
 * gossipsub v1.1/v1.2 specs' recommendations.
 */
public record GossipConfig(
        int d,
        int dLo,
        int dHi,
        int dScore,
        int dOut,
        int dLazy,
        double gossipFactor,
        Duration heartbeatInterval,
        Duration heartbeatInitialDelay,
        int historyLength,
        int historyGossip,
        Duration fanoutTtl,
        Duration seenTtl,
        Duration pruneBackoff,
        Duration unsubscribeBackoff,
        Duration graftFloodThreshold,
        boolean floodPublish,
        boolean peerExchange,
        int prunePeers,
        int maxIHaveLength,
        int maxIHaveMessages,
        Duration iwantFollowupTime,
        int gossipRetransmission,
        int opportunisticGraftTicks,
        int opportunisticGraftPeers,
        int idontwantMessageSizeThreshold,
        int idontwantTtlHeartbeats,
        SignaturePolicy signaturePolicy,
        MessageIdFunction messageIdFunction,
        Duration validationTimeout,
        int maxPendingValidations,
        int maxQueuedRpcsPerPeer,
        int maxQueuedBytesPerPeer,
        RpcLimits limits) {

    public GossipConfig {
        if (!(dLo <= d && d <= dHi)
                || dLo < 1
                || dOut < 0
                || dOut >= dLo
                || dOut > d / 2
                || dScore < 0
                || dScore > d
                || dLazy < 0) {
            throw new IllegalArgumentException("need 1 <= D_lo <= D <= D_hi, D_out < D_lo, D_out <= D/2, D_score <= D");
        }
        if (historyGossip < 1 || historyGossip > historyLength) {
            throw new IllegalArgumentException("need 1 <= history gossip <= history length");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive");
        }
        if (maxQueuedRpcsPerPeer < 1 || maxQueuedBytesPerPeer < limits.maxRpcSize() / 16) {
            throw new IllegalArgumentException("per-peer queue too small");
        }
    }

    public static GossipConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.d = d;
        b.dLo = dLo;
        b.dHi = dHi;
        b.dScore = dScore;
        b.dOut = dOut;
        b.dLazy = dLazy;
        b.gossipFactor = gossipFactor;
        b.heartbeatInterval = heartbeatInterval;
        b.heartbeatInitialDelay = heartbeatInitialDelay;
        b.historyLength = historyLength;
        b.historyGossip = historyGossip;
        b.fanoutTtl = fanoutTtl;
        b.seenTtl = seenTtl;
        b.pruneBackoff = pruneBackoff;
        b.unsubscribeBackoff = unsubscribeBackoff;
        b.graftFloodThreshold = graftFloodThreshold;
        b.floodPublish = floodPublish;
        b.peerExchange = peerExchange;
        b.prunePeers = prunePeers;
        b.maxIHaveLength = maxIHaveLength;
        b.maxIHaveMessages = maxIHaveMessages;
        b.iwantFollowupTime = iwantFollowupTime;
        b.gossipRetransmission = gossipRetransmission;
        b.opportunisticGraftTicks = opportunisticGraftTicks;
        b.opportunisticGraftPeers = opportunisticGraftPeers;
        b.idontwantMessageSizeThreshold = idontwantMessageSizeThreshold;
        b.idontwantTtlHeartbeats = idontwantTtlHeartbeats;
        b.signaturePolicy = signaturePolicy;
        b.messageIdFunction = messageIdFunction;
        b.validationTimeout = validationTimeout;
        b.maxPendingValidations = maxPendingValidations;
        b.maxQueuedRpcsPerPeer = maxQueuedRpcsPerPeer;
        b.maxQueuedBytesPerPeer = maxQueuedBytesPerPeer;
        b.limits = limits;
        return b;
    }

    /** Fluent builder starting from the defaults. */
    public static final class Builder {
        private int d = 7, dLo = 5, dHi = 10, dScore = 4, dOut = 2, dLazy = 6;
        private double gossipFactor = 0.25;
        private Duration heartbeatInterval = Duration.ofSeconds(2), heartbeatInitialDelay = Duration.ofMillis(500);
        private int historyLength = 5, historyGossip = 2;
        private Duration fanoutTtl = Duration.ofSeconds(60), seenTtl = Duration.ofSeconds(120);
        private Duration pruneBackoff = Duration.ofSeconds(60), unsubscribeBackoff = Duration.ofSeconds(10);
        private Duration graftFloodThreshold = Duration.ofSeconds(10);
        private boolean floodPublish = true, peerExchange = true;
        private int prunePeers = 16, maxIHaveLength = 5000, maxIHaveMessages = 10;
        private Duration iwantFollowupTime = Duration.ofSeconds(3);
        private int gossipRetransmission = 3, opportunisticGraftTicks = 60, opportunisticGraftPeers = 2;
        private int idontwantMessageSizeThreshold = 1024, idontwantTtlHeartbeats = 3;
        private SignaturePolicy signaturePolicy = SignaturePolicy.STRICT_SIGN;
        private MessageIdFunction messageIdFunction = MessageIdFunction.FROM_AND_SEQNO;
        private Duration validationTimeout = Duration.ofSeconds(5);
        private int maxPendingValidations = 4096, maxQueuedRpcsPerPeer = 1024, maxQueuedBytesPerPeer = 8 << 20;
        private RpcLimits limits = RpcLimits.defaults();

        private Builder() {}

        public Builder d(int d, int dLo, int dHi) {
            this.d = d;
            this.dLo = dLo;
            this.dHi = dHi;
            return this;
        }

        public Builder dScore(int v) {
            dScore = v;
            return this;
        }

        public Builder dOut(int v) {
            dOut = v;
            return this;
        }

        public Builder dLazy(int v) {
            dLazy = v;
            return this;
        }

        public Builder gossipFactor(double v) {
            gossipFactor = v;
            return this;
        }

        public Builder heartbeat(Duration interval, Duration initialDelay) {
            heartbeatInterval = interval;
            heartbeatInitialDelay = initialDelay;
            return this;
        }

        public Builder history(int length, int gossip) {
            historyLength = length;
            historyGossip = gossip;
            return this;
        }

        public Builder fanoutTtl(Duration v) {
            fanoutTtl = v;
            return this;
        }

        public Builder seenTtl(Duration v) {
            seenTtl = v;
            return this;
        }

        public Builder pruneBackoff(Duration v) {
            pruneBackoff = v;
            return this;
        }

        public Builder unsubscribeBackoff(Duration v) {
            unsubscribeBackoff = v;
            return this;
        }

        public Builder graftFloodThreshold(Duration v) {
            graftFloodThreshold = v;
            return this;
        }

        public Builder floodPublish(boolean v) {
            floodPublish = v;
            return this;
        }

        public Builder peerExchange(boolean v, int peers) {
            peerExchange = v;
            prunePeers = peers;
            return this;
        }

        public Builder maxIHave(int length, int messages) {
            maxIHaveLength = length;
            maxIHaveMessages = messages;
            return this;
        }

        public Builder iwantFollowupTime(Duration v) {
            iwantFollowupTime = v;
            return this;
        }

        public Builder gossipRetransmission(int v) {
            gossipRetransmission = v;
            return this;
        }

        public Builder opportunisticGraft(int ticks, int peers) {
            opportunisticGraftTicks = ticks;
            opportunisticGraftPeers = peers;
            return this;
        }

        public Builder idontwant(int sizeThreshold, int ttlHeartbeats) {
            idontwantMessageSizeThreshold = sizeThreshold;
            idontwantTtlHeartbeats = ttlHeartbeats;
            return this;
        }

        public Builder signaturePolicy(SignaturePolicy v) {
            signaturePolicy = v;
            return this;
        }

        public Builder messageIdFunction(MessageIdFunction v) {
            messageIdFunction = v;
            return this;
        }

        public Builder validation(Duration timeout, int maxPending) {
            validationTimeout = timeout;
            maxPendingValidations = maxPending;
            return this;
        }

        public Builder peerQueue(int maxRpcs, int maxBytes) {
            maxQueuedRpcsPerPeer = maxRpcs;
            maxQueuedBytesPerPeer = maxBytes;
            return this;
        }

        public Builder limits(RpcLimits v) {
            limits = v;
            return this;
        }

        public GossipConfig build() {
            return new GossipConfig(
                    d,
                    dLo,
                    dHi,
                    dScore,
                    dOut,
                    dLazy,
                    gossipFactor,
                    heartbeatInterval,
                    heartbeatInitialDelay,
                    historyLength,
                    historyGossip,
                    fanoutTtl,
                    seenTtl,
                    pruneBackoff,
                    unsubscribeBackoff,
                    graftFloodThreshold,
                    floodPublish,
                    peerExchange,
                    prunePeers,
                    maxIHaveLength,
                    maxIHaveMessages,
                    iwantFollowupTime,
                    gossipRetransmission,
                    opportunisticGraftTicks,
                    opportunisticGraftPeers,
                    idontwantMessageSizeThreshold,
                    idontwantTtlHeartbeats,
                    signaturePolicy,
                    messageIdFunction,
                    validationTimeout,
                    maxPendingValidations,
                    maxQueuedRpcsPerPeer,
                    maxQueuedBytesPerPeer,
                    limits);
        }
    }
}
