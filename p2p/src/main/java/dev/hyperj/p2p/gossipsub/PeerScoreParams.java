package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Global peer score parameters of gossipsub v1.1: topic parameters (explicit per topic, else
 * {@code defaultTopic}, else the topic is not scored), the topic score cap, P5 application score,
 * P6 IP colocation, P7 behaviour penalty, and decay.
 */
public record PeerScoreParams(
        Map<String, TopicScoreParams> topics,
        TopicScoreParams defaultTopic,
        double topicScoreCap,
        ToDoubleFunction<PeerId> appSpecificScore,
        double appSpecificWeight,
        double ipColocationFactorWeight,
        int ipColocationFactorThreshold,
        Set<String> ipColocationWhitelist,
        double behaviourPenaltyWeight,
        double behaviourPenaltyThreshold,
        double behaviourPenaltyDecay,
        Duration decayInterval,
        double decayToZero,
        Duration retainScore) {

    public PeerScoreParams {
        topics = Map.copyOf(topics);
        ipColocationWhitelist = Set.copyOf(ipColocationWhitelist);
        if (ipColocationFactorWeight > 0 || behaviourPenaltyWeight > 0) {
            throw new IllegalArgumentException("P6 and P7 weights must be <= 0");
        }
        if (ipColocationFactorThreshold < 1
                || !(behaviourPenaltyDecay > 0 && behaviourPenaltyDecay < 1)
                || decayInterval.isZero()
                || decayInterval.isNegative()) {
            throw new IllegalArgumentException("bad P6 threshold, P7 decay or decay interval");
        }
    }

    /**
     * HyperJ defaults. Loopback is whitelisted for P6 so that local test networks and co-located
     * tooling are not punished; every other address counts.
     */
    public static PeerScoreParams defaults() {
        return new PeerScoreParams(
                Map.of(),
                TopicScoreParams.defaults(),
                50,
                p -> 0,
                1.0,
                -1.0,
                10,
                Set.of("127.0.0.1", "::1"),
                -1.0,
                1,
                0.99,
                Duration.ofSeconds(1),
                0.01,
                Duration.ofMinutes(10));
    }

    public PeerScoreParams withTopic(String topic, TopicScoreParams params) {
        Map<String, TopicScoreParams> m = new java.util.HashMap<>(topics);
        m.put(topic, params);
        return new PeerScoreParams(
                m,
                defaultTopic,
                topicScoreCap,
                appSpecificScore,
                appSpecificWeight,
                ipColocationFactorWeight,
                ipColocationFactorThreshold,
                ipColocationWhitelist,
                behaviourPenaltyWeight,
                behaviourPenaltyThreshold,
                behaviourPenaltyDecay,
                decayInterval,
                decayToZero,
                retainScore);
    }

    public PeerScoreParams withAppSpecificScore(ToDoubleFunction<PeerId> score, double weight) {
        return new PeerScoreParams(
                topics,
                defaultTopic,
                topicScoreCap,
                score,
                weight,
                ipColocationFactorWeight,
                ipColocationFactorThreshold,
                ipColocationWhitelist,
                behaviourPenaltyWeight,
                behaviourPenaltyThreshold,
                behaviourPenaltyDecay,
                decayInterval,
                decayToZero,
                retainScore);
    }

    public PeerScoreParams withIpColocation(double weight, int threshold, Set<String> whitelist) {
        return new PeerScoreParams(
                topics,
                defaultTopic,
                topicScoreCap,
                appSpecificScore,
                appSpecificWeight,
                weight,
                threshold,
                whitelist,
                behaviourPenaltyWeight,
                behaviourPenaltyThreshold,
                behaviourPenaltyDecay,
                decayInterval,
                decayToZero,
                retainScore);
    }

    TopicScoreParams paramsFor(String topic) {
        TopicScoreParams p = topics.get(topic);
        return p != null ? p : defaultTopic;
    }
}
