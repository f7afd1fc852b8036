package dev.hyperj.p2p.gossipsub;

import java.time.Duration;

/**
 * Score thresholds of gossipsub v1.1 (gossip &lt;= 0, publish &lt;= gossip, graylist &lt;= publish,
 * accept PX &gt;= 0, opportunistic graft &gt;= 0) plus HyperJ's abuse rule (SUBNET.md): a peer with
 * score &lt;= {@code disconnectScore}, behaviour penalty &gt;= {@code disconnectBehaviourPenalty} or
 * at least {@code disconnectInvalidMessages} invalid messages is disconnected and blacklisted.
 */
public record PeerScoreThresholds(
        double gossipThreshold,
        double publishThreshold,
        double graylistThreshold,
        double acceptPxThreshold,
        double opportunisticGraftThreshold,
        double disconnectScore,
        double disconnectBehaviourPenalty,
        int disconnectInvalidMessages,
        Duration blacklistDuration) {
    public PeerScoreThresholds {
        if (gossipThreshold > 0
                || publishThreshold > gossipThreshold
                || graylistThreshold > publishThreshold
                || acceptPxThreshold < 0
                || opportunisticGraftThreshold < 0) {
            throw new IllegalArgumentException(
                    "need graylist <= publish <= gossip <= 0 <= acceptPX, opportunistic graft >= 0");
        }
    }

    public static PeerScoreThresholds defaults() {
        return new PeerScoreThresholds(-10, -50, -80, 10, 1, -100, 50, 20, Duration.ofMinutes(10));
    }
}
