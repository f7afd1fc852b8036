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

    /** A copy with {@code params} for {@code topic} (other topics keep theirs). */
    public PeerScoreParams withTopic(String topic, TopicScoreParams params) {
        Map<String, TopicScoreParams> m = new java.util.HashMap<>(topics);
        m.put(topic, params);
        return toBuilder().topics(m).build();
    }

    /** A copy with P5, the application's own score of a peer, and its weight. */
    public PeerScoreParams withAppSpecificScore(ToDoubleFunction<PeerId> score, double weight) {
        return toBuilder().appSpecificScore(score).appSpecificWeight(weight).build();
    }

    /** A copy with P6: weight (&lt;= 0), peers per IP before it counts, addresses it never counts. */
    public PeerScoreParams withIpColocation(double weight, int threshold, Set<String> whitelist) {
        return toBuilder()
                .ipColocationFactorWeight(weight)
                .ipColocationFactorThreshold(threshold)
                .ipColocationWhitelist(whitelist)
                .build();
    }

    /** A builder holding these values; {@link Builder#build()} checks them as the constructor does. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some parameters; {@link #build()} validates the whole set. */
    public static final class Builder {
        private Map<String, TopicScoreParams> topics;
        private TopicScoreParams defaultTopic;
        private double topicScoreCap;
        private ToDoubleFunction<PeerId> appSpecificScore;
        private double appSpecificWeight;
        private double ipColocationFactorWeight;
        private int ipColocationFactorThreshold;
        private Set<String> ipColocationWhitelist;
        private double behaviourPenaltyWeight;
        private double behaviourPenaltyThreshold;
        private double behaviourPenaltyDecay;
        private Duration decayInterval;
        private double decayToZero;
        private Duration retainScore;

        private Builder(PeerScoreParams p) {
            this.topics = p.topics;
            this.defaultTopic = p.defaultTopic;
            this.topicScoreCap = p.topicScoreCap;
            this.appSpecificScore = p.appSpecificScore;
            this.appSpecificWeight = p.appSpecificWeight;
            this.ipColocationFactorWeight = p.ipColocationFactorWeight;
            this.ipColocationFactorThreshold = p.ipColocationFactorThreshold;
            this.ipColocationWhitelist = p.ipColocationWhitelist;
            this.behaviourPenaltyWeight = p.behaviourPenaltyWeight;
            this.behaviourPenaltyThreshold = p.behaviourPenaltyThreshold;
            this.behaviourPenaltyDecay = p.behaviourPenaltyDecay;
            this.decayInterval = p.decayInterval;
            this.decayToZero = p.decayToZero;
            this.retainScore = p.retainScore;
        }

        public Builder topics(Map<String, TopicScoreParams> value) {
            this.topics = value;
            return this;
        }

        public Builder defaultTopic(TopicScoreParams value) {
            this.defaultTopic = value;
            return this;
        }

        public Builder topicScoreCap(double value) {
            this.topicScoreCap = value;
            return this;
        }

        public Builder appSpecificScore(ToDoubleFunction<PeerId> value) {
            this.appSpecificScore = value;
            return this;
        }

        public Builder appSpecificWeight(double value) {
            this.appSpecificWeight = value;
            return this;
        }

        public Builder ipColocationFactorWeight(double value) {
            this.ipColocationFactorWeight = value;
            return this;
        }

        public Builder ipColocationFactorThreshold(int value) {
            this.ipColocationFactorThreshold = value;
            return this;
        }

        public Builder ipColocationWhitelist(Set<String> value) {
            this.ipColocationWhitelist = value;
            return this;
        }

        public Builder behaviourPenaltyWeight(double value) {
            this.behaviourPenaltyWeight = value;
            return this;
        }

        public Builder behaviourPenaltyThreshold(double value) {
            this.behaviourPenaltyThreshold = value;
            return this;
        }

        public Builder behaviourPenaltyDecay(double value) {
            this.behaviourPenaltyDecay = value;
            return this;
        }

        public Builder decayInterval(Duration value) {
            this.decayInterval = value;
            return this;
        }

        public Builder decayToZero(double value) {
            this.decayToZero = value;
            return this;
        }

        public Builder retainScore(Duration value) {
            this.retainScore = value;
            return this;
        }

        public PeerScoreParams build() {
            return new PeerScoreParams(
                    topics,
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
    }

    TopicScoreParams paramsFor(String topic) {
        TopicScoreParams p = topics.get(topic);
        return p != null ? p : defaultTopic;
    }
}
