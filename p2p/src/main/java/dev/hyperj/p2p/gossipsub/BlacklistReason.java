package dev.hyperj.p2p.gossipsub;

/** Which part of the abuse rule (SUBNET.md, {@link PeerScoreThresholds}) a blacklisted peer broke. */
public enum BlacklistReason {
    /** Its score fell to {@link PeerScoreThresholds#disconnectScore()} or below. */
    SCORE,
    /** Its behaviour penalty (P7 counter) reached {@link PeerScoreThresholds#disconnectBehaviourPenalty()}. */
    BEHAVIOUR_PENALTY,
    /** It sent at least {@link PeerScoreThresholds#disconnectInvalidMessages()} invalid messages. */
    INVALID_MESSAGES
}
