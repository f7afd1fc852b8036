package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Gossipsub v1.1 peer scoring: counters per (peer, topic), the delivery records that tell first
 * from near-first deliveries, IP colocation, behaviour penalty and periodic decay. Confined to the
 * router's thread; time in nanoseconds from the router's clock.
 */
final class PeerScore {
    private enum Status {
        UNKNOWN,
        VALID,
        INVALID,
        IGNORED
    }

    private static final class TopicStats {
        boolean inMesh;
        long graftTime;
        long meshTime;
        boolean meshDeliveriesActive;
        double firstMessageDeliveries;
        double meshMessageDeliveries;
        double meshFailurePenalty;
        double invalidMessageDeliveries;
    }

    private static final class PeerStats {
        boolean connected = true;
        long expireAt;
        String ip;
        double behaviourPenalty;
        int invalidMessages;
        final Map<String, TopicStats> topics = new HashMap<>();
    }

    private static final class DeliveryRecord {
        Status status = Status.UNKNOWN;
        final long firstSeen;
        long validated;
        final Set<PeerId> peers = new HashSet<>(4);

        DeliveryRecord(long firstSeen) {
            this.firstSeen = firstSeen;
        }
    }

    private record Expiry(long at, MessageId id) {}

    private final PeerScoreParams params;
    private final Map<PeerId, PeerStats> peers = new HashMap<>();
    private final Map<String, Set<PeerId>> peersByIp = new HashMap<>();
    private final Map<MessageId, DeliveryRecord> deliveries = new HashMap<>();
    private final ArrayDeque<Expiry> deliveryExpiry = new ArrayDeque<>();
    private final long deliveryTtlNanos;

    PeerScore(PeerScoreParams params, long deliveryTtlNanos) {
        this.params = params;
        this.deliveryTtlNanos = deliveryTtlNanos;
    }

    PeerScoreParams params() {
        return params;
    }

    void addPeer(PeerId peer, String ip, long now) {
        PeerStats s = peers.computeIfAbsent(peer, p -> new PeerStats());
        s.connected = true;
        if (s.ip != null) {
            removeIp(peer, s.ip);
        }
        s.ip = ip;
        if (ip != null) {
            peersByIp.computeIfAbsent(ip, k -> new HashSet<>()).add(peer);
        }
    }

    void removePeer(PeerId peer, long now) {
        PeerStats s = peers.get(peer);
        if (s == null) return;
        if (s.ip != null) removeIp(peer, s.ip);
        // A peer leaving with a positive score is forgotten; a negative one is kept so that
        // reconnecting does not launder it (spec: RetainScore).
        if (score(peer, now) > 0) {
            peers.remove(peer);
            return;
        }
        for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
            TopicStats t = e.getValue();
            t.firstMessageDeliveries = 0;
            if (t.inMesh) applyMeshFailure(t, params.paramsFor(e.getKey()));
            t.inMesh = false;
            t.meshDeliveriesActive = false;
        }
        s.connected = false;
        s.expireAt = now + params.retainScore().toNanos();
    }

    private void removeIp(PeerId peer, String ip) {
        Set<PeerId> set = peersByIp.get(ip);
        if (set != null) {
            set.remove(peer);
            if (set.isEmpty()) peersByIp.remove(ip);
        }
    }

    private TopicStats topic(PeerId peer, String topic) {
        PeerStats s = peers.get(peer);
        if (s == null || params.paramsFor(topic) == null) return null;
        return s.topics.computeIfAbsent(topic, t -> new TopicStats());
    }

    void graft(PeerId peer, String topic, long now) {
        TopicStats t = topic(peer, topic);
        if (t == null) return;
        t.inMesh = true;
        t.graftTime = now;
        t.meshTime = 0;
        t.meshDeliveriesActive = false;
    }

    void prune(PeerId peer, String topic) {
        TopicStats t = topic(peer, topic);
        if (t == null) return;
        if (t.inMesh) applyMeshFailure(t, params.paramsFor(topic));
        t.inMesh = false;
        t.meshDeliveriesActive = false;
    }

    private static void applyMeshFailure(TopicStats t, TopicScoreParams tp) {
        if (t.meshDeliveriesActive && t.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold()) {
            double deficit = tp.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
            t.meshFailurePenalty += deficit * deficit;
        }
    }

    void addPenalty(PeerId peer, double count) {
        PeerStats s = peers.get(peer);
        if (s != null) s.behaviourPenalty += count;
    }

    double behaviourPenalty(PeerId peer) {
        PeerStats s = peers.get(peer);
        return s == null ? 0 : s.behaviourPenalty;
    }

    int invalidMessages(PeerId peer) {
        PeerStats s = peers.get(peer);
        return s == null ? 0 : s.invalidMessages;
    }

    // ------------------------------------------------------------ message deliveries

    /** A first-seen message entered validation. */
    void validating(MessageId id, long now) {
        if (deliveries.containsKey(id)) return;
        deliveries.put(id, new DeliveryRecord(now));
        deliveryExpiry.add(new Expiry(now + deliveryTtlNanos, id));
    }

    void deliver(PeerId from, MessageId id, String topic, long now) {
        markFirstDelivery(from, topic);
        DeliveryRecord r = deliveries.get(id);
        if (r == null) return;
        r.status = Status.VALID;
        r.validated = now;
        for (PeerId p : r.peers) {
            if (!p.equals(from)) markDuplicateDelivery(p, topic, r.validated, now);
        }
    }

    /** A message failed before validation (signature, policy): only the sender is to blame. */
    void rejectUntracked(PeerId from, String topic) {
        markInvalid(from, topic);
    }

    void reject(PeerId from, MessageId id, String topic) {
        markInvalid(from, topic);
        DeliveryRecord r = deliveries.get(id);
        if (r == null) return;
        r.status = Status.INVALID;
        for (PeerId p : r.peers) {
            if (!p.equals(from)) markInvalid(p, topic);
        }
        r.peers.clear();
    }

    void ignore(MessageId id) {
        DeliveryRecord r = deliveries.get(id);
        if (r == null) return;
        r.status = Status.IGNORED;
        r.peers.clear();
    }

    void duplicate(PeerId from, MessageId id, String topic, long now) {
        DeliveryRecord r = deliveries.get(id);
        if (r == null || !r.peers.add(from)) return;
        switch (r.status) {
            case UNKNOWN -> {} // counted when validation completes
            case VALID -> markDuplicateDelivery(from, topic, r.validated, now);
            case INVALID -> markInvalid(from, topic);
            case IGNORED -> r.peers.remove(from);
        }
    }

    private void markFirstDelivery(PeerId peer, String topic) {
        TopicStats t = topic(peer, topic);
        if (t == null) return;
        TopicScoreParams tp = params.paramsFor(topic);
        t.firstMessageDeliveries = Math.min(t.firstMessageDeliveries + 1, tp.firstMessageDeliveriesCap());
        if (t.inMesh) {
            t.meshMessageDeliveries = Math.min(t.meshMessageDeliveries + 1, tp.meshMessageDeliveriesCap());
        }
    }

    private void markDuplicateDelivery(PeerId peer, String topic, long validated, long now) {
        TopicStats t = topic(peer, topic);
        if (t == null || !t.inMesh) return;
        TopicScoreParams tp = params.paramsFor(topic);
        if (validated != 0 && now - validated > tp.meshMessageDeliveriesWindow().toNanos()) return;
        t.meshMessageDeliveries = Math.min(t.meshMessageDeliveries + 1, tp.meshMessageDeliveriesCap());
    }

    private void markInvalid(PeerId peer, String topic) {
        PeerStats s = peers.get(peer);
        if (s == null) return;
        s.invalidMessages++;
        TopicStats t = topic(peer, topic);
        if (t != null) t.invalidMessageDeliveries += 1;
    }

    // ------------------------------------------------------------ score

    double score(PeerId peer, long now) {
        PeerStats s = peers.get(peer);
        if (s == null) return 0;
        double score = 0;
        for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
            TopicScoreParams tp = params.paramsFor(e.getKey());
            if (tp == null) continue;
            TopicStats t = e.getValue();
            double topicScore = 0;
            if (t.inMesh) {
                long meshTime = now - t.graftTime;
                double p1 = Math.min((double) meshTime / tp.timeInMeshQuantum().toNanos(), tp.timeInMeshCap());
                topicScore += p1 * tp.timeInMeshWeight();
            }
            topicScore += t.firstMessageDeliveries * tp.firstMessageDeliveriesWeight();
            if (t.meshDeliveriesActive && t.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold()) {
                double deficit = tp.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
                topicScore += deficit * deficit * tp.meshMessageDeliveriesWeight();
            }
            topicScore += t.meshFailurePenalty * tp.meshFailurePenaltyWeight();
            topicScore += t.invalidMessageDeliveries * t.invalidMessageDeliveries * tp.invalidMessageDeliveriesWeight();
            score += topicScore * tp.topicWeight();
        }
        if (params.topicScoreCap() > 0 && score > params.topicScoreCap()) {
            score = params.topicScoreCap();
        }
        if (params.appSpecificWeight() != 0) {
            score += params.appSpecificScore().applyAsDouble(peer) * params.appSpecificWeight();
        }
        if (s.ip != null && !params.ipColocationWhitelist().contains(s.ip)) {
            Set<PeerId> colocated = peersByIp.get(s.ip);
            int count = colocated == null ? 0 : colocated.size();
            if (count > params.ipColocationFactorThreshold()) {
                double surplus = count - params.ipColocationFactorThreshold();
                score += surplus * surplus * params.ipColocationFactorWeight();
            }
        }
        if (s.behaviourPenalty > params.behaviourPenaltyThreshold()) {
            double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
            score += excess * excess * params.behaviourPenaltyWeight();
        }
        return score;
    }

    // ------------------------------------------------------------ upkeep

    /** Applies one decay interval to every counter and forgets expired state. */
    void decay(long now) {
        double zero = params.decayToZero();
        Iterator<Map.Entry<PeerId, PeerStats>> it = peers.entrySet().iterator();
        while (it.hasNext()) {
            PeerStats s = it.next().getValue();
            if (!s.connected && now > s.expireAt) {
                it.remove();
                continue;
            }
            for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
                TopicScoreParams tp = params.paramsFor(e.getKey());
                if (tp == null) continue;
                TopicStats t = e.getValue();
                t.firstMessageDeliveries = decayed(t.firstMessageDeliveries, tp.firstMessageDeliveriesDecay(), zero);
                t.meshMessageDeliveries = decayed(t.meshMessageDeliveries, tp.meshMessageDeliveriesDecay(), zero);
                t.meshFailurePenalty = decayed(t.meshFailurePenalty, tp.meshFailurePenaltyDecay(), zero);
                t.invalidMessageDeliveries =
                        decayed(t.invalidMessageDeliveries, tp.invalidMessageDeliveriesDecay(), zero);
                if (t.inMesh) {
                    t.meshTime = now - t.graftTime;
                    if (t.meshTime > tp.meshMessageDeliveriesActivation().toNanos()) t.meshDeliveriesActive = true;
                }
            }
            s.behaviourPenalty = decayed(s.behaviourPenalty, params.behaviourPenaltyDecay(), zero);
        }
        while (!deliveryExpiry.isEmpty() && deliveryExpiry.peek().at() <= now) {
            deliveries.remove(deliveryExpiry.poll().id());
        }
    }

    private static double decayed(double v, double decay, double zero) {
        v *= decay;
        return v < zero ? 0 : v;
    }

    int trackedPeers() {
        return peers.size();
    }
}
