package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GossipSub v1.1 router with v1.2's IDONTWANT and floodsub fan-out, as a transport-independent
 * state machine. Inputs: peer connect/disconnect ({@link #addPeer}, {@link #removePeer}), decoded
 * RPCs ({@link #handleRpc}), application calls (subscribe, publish, validators) and its own
 * heartbeat, scheduled on the {@link RouterEnvironment}. Output: per-peer bounded queues the
 * transport drains with {@link #pollOutbound} after {@link Outbound#ready}, and
 * {@link GossipListener} events.
 *
 * <p>Not thread-safe by design: every call must come from the environment's single thread.
 */
public final class GossipRouter {
    private static final Logger log = LoggerFactory.getLogger(GossipRouter.class);
    /** Topics one remote peer may be subscribed to, as far as we track. */
    static final int MAX_TOPICS_PER_PEER = 5_000;
    /** IDONTWANT ids remembered per peer. */
    static final int MAX_DONTWANT_PER_PEER = 10_000;
    /** Size up to which queued RPCs are merged into one on the wire. */
    static final int COALESCE_BYTES = 64 * 1024;

    private static final class PeerState {
        final PeerId id;
        final byte[] idBytes;
        final PubsubProtocol protocol;
        final boolean outbound;
        final Set<String> topics = new HashSet<>();
        final PeerQueue queue;
        final Map<MessageId, Long> dontWant = new HashMap<>();
        int ihaveThisHeartbeat;
        int askedThisHeartbeat;

        PeerState(PeerId id, PubsubProtocol protocol, boolean outbound, PeerQueue queue) {
            this.id = id;
            this.idBytes = id.bytes();
            this.protocol = protocol;
            this.outbound = outbound;
            this.queue = queue;
        }
    }

    private final PeerId localPeer;
    private final PrivateKey signingKey;
    private final GossipConfig config;
    private final PeerScoreThresholds thresholds;
    private final RouterEnvironment env;
    private final Outbound outbound;
    private final GossipListener listener;
    private final Random random;
    private final PeerScore score;
    private final MessageCache mcache;
    private final SeenCache seen;

    private final Map<PeerId, PeerState> peers = new LinkedHashMap<>();
    private final Map<String, Set<PeerId>> topicPeers = new HashMap<>();
    private final Set<String> subscriptions = new LinkedHashSet<>();
    private final Map<String, TopicValidator> validators = new HashMap<>();
    private final Map<String, Set<PeerId>> mesh = new LinkedHashMap<>();
    private final Map<String, Set<PeerId>> fanout = new LinkedHashMap<>();
    private final Map<String, Long> lastPublished = new HashMap<>();
    private final Map<String, Map<PeerId, Long>> backoff = new HashMap<>();
    private final Map<PeerId, Long> blacklist = new HashMap<>();
    private final Map<MessageId, Map<PeerId, Long>> promises = new HashMap<>();

    private final long heartbeatNanos;
    private long heartbeatTicks;
    private long seqno;
    private int pendingValidations;
    private boolean running;
    private Map<PeerId, Double> heartbeatScores;

    private long delivered,
            duplicates,
            invalid,
            ignored,
            validationTimeouts,
            throttled,
            graylistedRpcs,
            brokenPromises,
            blacklisted,
            notSubscribed;

    private GossipRouter(Builder b) {
        this.signingKey = Objects.requireNonNull(b.identity, "identity");
        this.localPeer = PeerId.fromPublicKey(signingKey.publicKey());
        this.config = b.config;
        this.thresholds = b.thresholds;
        this.env = Objects.requireNonNull(b.environment, "environment");
        this.outbound = Objects.requireNonNull(b.outbound, "outbound");
        this.listener = b.listener;
        this.random = b.random;
        if (config.signaturePolicy() == SignaturePolicy.STRICT_NO_SIGN
                && config.messageIdFunction() == MessageIdFunction.FROM_AND_SEQNO) {
            throw new IllegalArgumentException("STRICT_NO_SIGN messages have no from/seqno: use a content message id");
        }
        this.heartbeatNanos = config.heartbeatInterval().toNanos();
        this.score = new PeerScore(b.scoreParams, config.seenTtl().toNanos());
        this.mcache = new MessageCache(config.historyLength(), config.historyGossip());
        this.seen = new SeenCache(config.seenTtl().toNanos());
        this.seqno = random.nextLong() & Long.MAX_VALUE;
    }

    public static Builder builder(PrivateKey identity) {
        return new Builder(identity);
    }

    /** Builder; config, score parameters and thresholds default to HyperJ's. */
    public static final class Builder {
        private final PrivateKey identity;
        private GossipConfig config = GossipConfig.defaults();
        private PeerScoreParams scoreParams = PeerScoreParams.defaults();
        private PeerScoreThresholds thresholds = PeerScoreThresholds.defaults();
        private RouterEnvironment environment;
        private Outbound outbound;
        private GossipListener listener = new GossipListener() {};
        private Random random = new Random();

        private Builder(PrivateKey identity) {
            this.identity = identity;
        }

        public Builder config(GossipConfig v) {
            config = Objects.requireNonNull(v);
            return this;
        }

        public Builder scoreParams(PeerScoreParams v) {
            scoreParams = Objects.requireNonNull(v);
            return this;
        }

        public Builder thresholds(PeerScoreThresholds v) {
            thresholds = Objects.requireNonNull(v);
            return this;
        }

        public Builder environment(RouterEnvironment v) {
            environment = v;
            return this;
        }

        public Builder outbound(Outbound v) {
            outbound = v;
            return this;
        }

        public Builder listener(GossipListener v) {
            listener = Objects.requireNonNull(v);
            return this;
        }
        /** Source of the router's random choices; seed it for reproducible simulations. */
        public Builder random(Random v) {
            random = Objects.requireNonNull(v);
            return this;
        }

        public GossipRouter build() {
            return new GossipRouter(this);
        }
    }

    // ================================================================== lifecycle

    /** Starts the heartbeat (first after the configured initial delay). */
    public void start() {
        if (running) return;
        running = true;
        env.schedule(config.heartbeatInitialDelay().toNanos(), this::heartbeat);
        env.schedule(score.params().decayInterval().toNanos(), this::decay);
    }

    /** Stops heartbeats; queued state is kept for inspection. */
    public void stop() {
        running = false;
    }

    public PeerId localPeer() {
        return localPeer;
    }

    public GossipConfig config() {
        return config;
    }

    /** The score thresholds this router applies (read-only, e.g. for connection maintenance). */
    public PeerScoreThresholds thresholds() {
        return thresholds;
    }

    private long now() {
        return env.nanoTime();
    }

    // ================================================================== peers

    /**
     * A peer connected and speaks {@code protocol}. {@code outbound}: we dialled it (D_out);
     * {@code ip}: its address for IP colocation scoring, or null. Returns false, and ignores the
     * peer, while it is blacklisted.
     */
    public boolean addPeer(PeerId peer, PubsubProtocol protocol, boolean outbound, String ip) {
        if (isBlacklisted(peer)) return false;
        if (peer.equals(localPeer) || peers.containsKey(peer)) return true;
        PeerState ps = new PeerState(
                peer,
                protocol,
                outbound,
                new PeerQueue(
                        config.maxQueuedRpcsPerPeer(),
                        config.maxQueuedBytesPerPeer(),
                        Math.min(COALESCE_BYTES, config.limits().maxRpcSize()),
                        config.limits()));
        peers.put(peer, ps);
        score.addPeer(peer, ip, now());
        if (!subscriptions.isEmpty()) {
            List<Rpc.SubOpts> subs = new ArrayList<>();
            for (String t : subscriptions) subs.add(new Rpc.SubOpts(true, t));
            send(ps, new Rpc(subs, List.of(), Rpc.Control.EMPTY), false);
        }
        return true;
    }

    /** The peer disconnected (or its pubsub streams died). */
    public void removePeer(PeerId peer) {
        PeerState ps = peers.remove(peer);
        if (ps == null) return;
        for (String t : ps.topics) {
            Set<PeerId> set = topicPeers.get(t);
            if (set != null) {
                set.remove(peer);
                if (set.isEmpty()) topicPeers.remove(t);
            }
        }
        for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
            if (e.getValue().remove(peer)) score.prune(peer, e.getKey());
        }
        for (Set<PeerId> f : fanout.values()) f.remove(peer);
        ps.queue.clear();
        score.removePeer(peer, now());
    }

    /** The next RPC for {@code peer}, or null when its queue is empty. */
    public Rpc pollOutbound(PeerId peer) {
        PeerState ps = peers.get(peer);
        return ps == null ? null : ps.queue.poll();
    }

    // ================================================================== application API

    /** Joins a topic: announces it and builds a mesh (from fanout peers first). */
    public void subscribe(String topic) {
        if (!subscriptions.add(topic)) return;
        Rpc announce = new Rpc(List.of(new Rpc.SubOpts(true, topic)), List.of(), Rpc.Control.EMPTY);
        for (PeerState ps : peers.values()) send(ps, announce, false);
        long now = now();
        Set<PeerId> m = new LinkedHashSet<>();
        Set<PeerId> f = fanout.remove(topic);
        lastPublished.remove(topic);
        if (f != null) {
            for (PeerId p : f) {
                if (m.size() < config.d() && score(p) >= 0 && !inBackoff(topic, p, now)) m.add(p);
            }
        }
        if (m.size() < config.d()) {
            for (PeerId p : pick(meshCandidates(topic, m, now, false), config.d() - m.size())) m.add(p);
        }
        mesh.put(topic, m);
        for (PeerId p : m) {
            score.graft(p, topic, now);
            send(peers.get(p), Rpc.ofControl(control(List.of(), List.of(new Rpc.Graft(topic)), List.of())), false);
        }
    }

    /** Leaves a topic: announces it and prunes the mesh with the unsubscribe backoff. */
    public void unsubscribe(String topic) {
        if (!subscriptions.remove(topic)) return;
        Rpc announce = new Rpc(List.of(new Rpc.SubOpts(false, topic)), List.of(), Rpc.Control.EMPTY);
        for (PeerState ps : peers.values()) send(ps, announce, false);
        Set<PeerId> m = mesh.remove(topic);
        if (m == null) return;
        for (PeerId p : m) {
            score.prune(p, topic);
            PeerState ps = peers.get(p);
            Rpc.Prune prune = makePrune(
                    topic,
                    ps,
                    config.peerExchange(),
                    config.unsubscribeBackoff().toNanos());
            send(ps, Rpc.ofControl(control(List.of(), List.of(), List.of(prune))), false);
        }
    }

    public Set<String> subscriptions() {
        return Set.copyOf(subscriptions);
    }

    /** Sets the topic's validator (replacing any previous one). */
    public void setValidator(String topic, TopicValidator validator) {
        validators.put(topic, Objects.requireNonNull(validator));
    }

    public void removeValidator(String topic) {
        validators.remove(topic);
    }

    /**
     * Publishes {@code data} on {@code topic} (signed per the policy), delivers it locally if
     * subscribed, and sends it to all topic peers above the publish threshold (flood publish) or
     * to the mesh / fanout. Returns the message id.
     *
     * @throws PublishException DUPLICATE if the message was seen already (nothing is sent),
     *     MESSAGE_TOO_LARGE if it cannot fit an RPC
     */
    public MessageId publish(String topic, byte[] data) {
        Rpc.Message m = config.signaturePolicy() == SignaturePolicy.STRICT_SIGN
                ? MessageSigning.sign(signingKey, topic, data, nextSeqno())
                : MessageSigning.anonymous(topic, data);
        return publish(m);
    }

    /** Publishes a message built (and signed) elsewhere, e.g. by tests or relays; not validated locally. Throws as {@link #publish(String, byte[])}. */
    public MessageId publish(Rpc.Message m) {
        String topic = m.topic();
        int size = RpcCodec.encodedSize(Rpc.ofMessages(List.of(m)));
        if (size > config.limits().maxRpcSize()) {
            throw new PublishException(
                    PublishException.Reason.MESSAGE_TOO_LARGE,
                    "message of " + size + " bytes exceeds the RPC limit "
                            + config.limits().maxRpcSize());
        }
        MessageId id = config.messageIdFunction().apply(m);
        long now = now();
        if (!seen.add(id, now)) {
            throw new PublishException(PublishException.Reason.DUPLICATE, "message " + id + " was already seen");
        }
        mcache.put(id, m);
        Set<PeerId> targets = new LinkedHashSet<>();
        Set<PeerId> tp = topicPeers.getOrDefault(topic, Set.of());
        if (config.floodPublish()) {
            for (PeerId p : tp) {
                if (score(p) >= thresholds.publishThreshold()) targets.add(p);
            }
        } else {
            for (PeerId p : tp) {
                if (!peers.get(p).protocol.isGossipsub() && score(p) >= thresholds.publishThreshold()) targets.add(p);
            }
            Set<PeerId> m2 = mesh.get(topic);
            if (m2 == null) {
                m2 = fanout.get(topic);
                if (m2 == null) {
                    m2 = new LinkedHashSet<>(pick(fanoutCandidates(topic, Set.of()), config.d()));
                    fanout.put(topic, m2);
                }
                lastPublished.put(topic, now);
            }
            targets.addAll(m2);
        }
        if (subscriptions.contains(topic)) {
            delivered++;
            listener.onMessage(topic, id, m, null);
        }
        Rpc rpc = Rpc.ofMessages(List.of(m));
        for (PeerId p : targets) send(peers.get(p), rpc, false);
        return id;
    }

    private long nextSeqno() {
        return ++seqno;
    }

    // ================================================================== inbound

    /** Processes one decoded RPC from a connected peer. */
    public void handleRpc(PeerId from, Rpc rpc) {
        PeerState ps = peers.get(from);
        if (ps == null) {
            log.debug("RPC from unknown peer {} ignored", from);
            return;
        }
        if (isBlacklisted(from)) return;
        if (score(from) < thresholds.graylistThreshold()) {
            graylistedRpcs++;
            return;
        }
        for (Rpc.SubOpts s : rpc.subscriptions()) handleSubscription(ps, s);
        for (Rpc.Message m : rpc.publish()) {
            handleMessage(ps, m);
            // A synchronous REJECT may have blacklisted and removed the peer: read no further.
            if (peers.get(from) != ps) return;
        }
        if (ps.protocol.isGossipsub() && !rpc.control().isEmpty()) handleControl(ps, rpc.control());
        checkAbuse(from, score(from));
    }

    private void handleSubscription(PeerState ps, Rpc.SubOpts s) {
        String topic = s.topic();
        if (s.subscribe()) {
            if (ps.topics.size() >= MAX_TOPICS_PER_PEER && !ps.topics.contains(topic)) return;
            ps.topics.add(topic);
            topicPeers.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(ps.id);
        } else {
            ps.topics.remove(topic);
            Set<PeerId> set = topicPeers.get(topic);
            if (set != null) {
                set.remove(ps.id);
                if (set.isEmpty()) topicPeers.remove(topic);
            }
            Set<PeerId> m = mesh.get(topic);
            if (m != null && m.remove(ps.id)) score.prune(ps.id, topic);
            Set<PeerId> f = fanout.get(topic);
            if (f != null) f.remove(ps.id);
        }
    }

    private void handleMessage(PeerState ps, Rpc.Message m) {
        String topic = m.topic();
        if (!subscriptions.contains(topic)) {
            notSubscribed++;
            return;
        }
        MessageId id;
        try {
            id = config.messageIdFunction().apply(m);
        } catch (RuntimeException e) {
            invalid++;
            listener.onOutcome(topic, GossipOutcome.REJECTED);
            score.rejectUntracked(ps.id, topic);
            return;
        }
        long now = now();
        if (seen.contains(id)) {
            duplicates++;
            listener.onOutcome(topic, GossipOutcome.DUPLICATE);
            score.duplicate(ps.id, id, topic, now);
            promises.remove(id);
            return;
        }
        // Checked before the id is marked seen: a forged copy must not shadow the genuine message.
        MessageSigning.Failure failure = MessageSigning.check(config.signaturePolicy(), m);
        if (failure != null) {
            invalid++;
            listener.onOutcome(topic, GossipOutcome.REJECTED);
            log.debug("message from {} on {} rejected: {}", ps.id, topic, failure);
            score.rejectUntracked(ps.id, topic);
            return;
        }
        seen.add(id, now);
        if (m.dataLength() >= config.idontwantMessageSizeThreshold()) sendIDontWant(topic, id, ps.id);
        score.validating(id, now);
        TopicValidator validator = validators.get(topic);
        if (validator == null) {
            listener.onOutcome(topic, GossipOutcome.DELIVERED);
            accept(ps.id, id, m);
            return;
        }
        if (pendingValidations >= config.maxPendingValidations()) {
            throttled++;
            listener.onOutcome(topic, GossipOutcome.IGNORED);
            score.ignore(id);
            return;
        }
        CompletableFuture<ValidationResult> result;
        try {
            CompletionStage<ValidationResult> stage = validator.validate(ps.id, m);
            result = stage == null
                    ? CompletableFuture.completedFuture(ValidationResult.IGNORE)
                    : stage.toCompletableFuture();
        } catch (RuntimeException e) {
            log.debug("validator of {} threw", topic, e);
            result = CompletableFuture.completedFuture(ValidationResult.IGNORE);
        }
        PeerId from = ps.id;
        if (result.isDone()) {
            ValidationResult r;
            try {
                r = result.join();
            } catch (RuntimeException e) {
                r = null;
            }
            finishValidation(from, id, m, r == null ? ValidationResult.IGNORE : r);
            return;
        }
        pendingValidations++;
        boolean[] settled = {false};
        env.schedule(config.validationTimeout().toNanos(), () -> {
            if (settled[0]) return;
            settled[0] = true;
            pendingValidations--;
            validationTimeouts++;
            finishValidation(from, id, m, ValidationResult.IGNORE);
        });
        result.whenComplete((r, err) -> env.execute(() -> {
            if (settled[0]) return;
            settled[0] = true;
            pendingValidations--;
            finishValidation(from, id, m, err != null || r == null ? ValidationResult.IGNORE : r);
        }));
    }

    private void finishValidation(PeerId from, MessageId id, Rpc.Message m, ValidationResult r) {
        listener.onOutcome(
                m.topic(),
                switch (r) {
                    case ACCEPT -> GossipOutcome.DELIVERED;
                    case REJECT -> GossipOutcome.REJECTED;
                    case IGNORE -> GossipOutcome.IGNORED;
                });
        switch (r) {
            case ACCEPT -> accept(from, id, m);
            case REJECT -> {
                invalid++;
                score.reject(from, id, m.topic());
                promises.remove(id);
                if (peers.containsKey(from)) checkAbuse(from, score(from));
            }
            case IGNORE -> {
                ignored++;
                score.ignore(id);
                promises.remove(id);
            }
        }
    }

    private void accept(PeerId from, MessageId id, Rpc.Message m) {
        long now = now();
        score.deliver(from, id, m.topic(), now);
        promises.remove(id);
        mcache.put(id, m);
        delivered++;
        listener.onMessage(m.topic(), id, m, from);
        forward(from, id, m);
    }

    private void forward(PeerId from, MessageId id, Rpc.Message m) {
        String topic = m.topic();
        byte[] author = m.rawFrom();
        Rpc rpc = Rpc.ofMessages(List.of(m));
        Set<PeerId> tp = topicPeers.get(topic);
        if (tp != null) {
            for (PeerId p : tp) {
                PeerState ps = peers.get(p);
                if (!ps.protocol.isGossipsub()
                        && !p.equals(from)
                        && !Arrays.equals(ps.idBytes, author)
                        && score(p) >= thresholds.publishThreshold()) {
                    send(ps, rpc, false);
                }
            }
        }
        Set<PeerId> m2 = mesh.get(topic);
        if (m2 == null) return;
        for (PeerId p : m2) {
            PeerState ps = peers.get(p);
            if (p.equals(from) || Arrays.equals(ps.idBytes, author) || ps.dontWant.containsKey(id)) continue;
            send(ps, rpc, false);
        }
    }

    private void sendIDontWant(String topic, MessageId id, PeerId from) {
        Set<PeerId> m = mesh.get(topic);
        if (m == null) return;
        Rpc rpc = null;
        for (PeerId p : m) {
            PeerState ps = peers.get(p);
            if (p.equals(from) || !ps.protocol.supportsIDontWant()) continue;
            if (rpc == null)
                rpc = Rpc.ofControl(new Rpc.Control(
                        List.of(), List.of(), List.of(), List.of(), List.of(new Rpc.IDontWant(List.of(id)))));
            send(ps, rpc, false);
        }
    }

    // ================================================================== control

    private void handleControl(PeerState ps, Rpc.Control c) {
        List<MessageId> iwant = handleIHave(ps, c.ihave());
        if (!iwant.isEmpty()) {
            send(
                    ps,
                    Rpc.ofControl(
                            new Rpc.Control(List.of(), List.of(new Rpc.IWant(iwant)), List.of(), List.of(), List.of())),
                    true);
        }
        handleIWant(ps, c.iwant());
        List<Rpc.Prune> prunes = handleGraft(ps, c.graft());
        if (!prunes.isEmpty()) send(ps, Rpc.ofControl(control(List.of(), List.of(), prunes)), false);
        handlePrune(ps, c.prune());
        for (Rpc.IDontWant d : c.idontwant()) {
            for (MessageId id : d.messageIds()) {
                if (ps.dontWant.size() >= MAX_DONTWANT_PER_PEER) break;
                ps.dontWant.put(id, heartbeatTicks);
            }
        }
    }

    private List<MessageId> handleIHave(PeerState ps, List<Rpc.IHave> ihaves) {
        if (ihaves.isEmpty() || score(ps.id) < thresholds.gossipThreshold()) return List.of();
        if (++ps.ihaveThisHeartbeat > config.maxIHaveMessages()) return List.of();
        if (ps.askedThisHeartbeat >= config.maxIHaveLength()) return List.of();
        LinkedHashSet<MessageId> want = new LinkedHashSet<>();
        for (Rpc.IHave ih : ihaves) {
            if (!mesh.containsKey(ih.topic())) continue;
            for (MessageId id : ih.messageIds()) {
                if (want.size() >= config.maxIHaveLength()) break;
                if (!seen.contains(id)) want.add(id);
            }
        }
        if (want.isEmpty()) return List.of();
        int ask = Math.min(want.size(), config.maxIHaveLength() - ps.askedThisHeartbeat);
        List<MessageId> list = pick(want, ask);
        ps.askedThisHeartbeat += list.size();
        // One promise per IWANT, on a random id, as the spec's gossip tracer does.
        MessageId promised = list.get(random.nextInt(list.size()));
        promises.computeIfAbsent(promised, k -> new HashMap<>(2))
                .putIfAbsent(ps.id, now() + config.iwantFollowupTime().toNanos());
        return list;
    }

    private void handleIWant(PeerState ps, List<Rpc.IWant> iwants) {
        if (iwants.isEmpty() || score(ps.id) < thresholds.gossipThreshold()) return;
        for (Rpc.IWant iw : iwants) {
            for (MessageId id : iw.messageIds()) {
                Rpc.Message m = mcache.getForPeer(id, ps.id, config.gossipRetransmission());
                if (m != null) send(ps, Rpc.ofMessages(List.of(m)), true);
            }
        }
    }

    private List<Rpc.Prune> handleGraft(PeerState ps, List<Rpc.Graft> grafts) {
        if (grafts.isEmpty()) return List.of();
        List<Rpc.Prune> prunes = new ArrayList<>();
        long now = now();
        double s = score(ps.id);
        for (Rpc.Graft g : grafts) {
            String topic = g.topic();
            Set<PeerId> m = mesh.get(topic);
            if (m == null || m.contains(ps.id)) continue; // unknown topic: ignore (spam hardening)
            Long until = backoffUntil(topic, ps.id);
            if (until != null && now < until) {
                score.addPenalty(ps.id, 1);
                // A GRAFT right after our PRUNE is flooding: penalise it twice.
                long prunedAt = until - config.pruneBackoff().toNanos();
                if (now < prunedAt + config.graftFloodThreshold().toNanos()) score.addPenalty(ps.id, 1);
                prunes.add(makePrune(topic, ps, false, config.pruneBackoff().toNanos()));
                continue;
            }
            if (s < 0) {
                prunes.add(makePrune(topic, ps, false, config.pruneBackoff().toNanos()));
                continue;
            }
            if (m.size() >= config.dHi() && !ps.outbound) {
                prunes.add(makePrune(topic, ps, true, config.pruneBackoff().toNanos()));
                continue;
            }
            m.add(ps.id);
            score.graft(ps.id, topic, now);
        }
        return prunes;
    }

    private void handlePrune(PeerState ps, List<Rpc.Prune> prunes) {
        long now = now();
        for (Rpc.Prune p : prunes) {
            Set<PeerId> m = mesh.get(p.topic());
            if (m == null) continue;
            if (m.remove(ps.id)) score.prune(ps.id, p.topic());
            long backoffNanos = p.backoffSeconds() > 0
                    ? p.backoffSeconds() * 1_000_000_000L
                    : config.pruneBackoff().toNanos();
            // One heartbeat of slack so clock skew does not make our re-GRAFT look early.
            addBackoff(p.topic(), ps.id, now + backoffNanos + heartbeatNanos);
            if (!p.peers().isEmpty()
                    && ps.protocol.supportsPeerExchange()
                    && score(ps.id) >= thresholds.acceptPxThreshold()) {
                List<Rpc.PeerInfo> px =
                        p.peers().size() > config.prunePeers() ? p.peers().subList(0, config.prunePeers()) : p.peers();
                listener.onPeerExchange(ps.id, p.topic(), px);
            }
        }
    }

    private Rpc.Prune makePrune(String topic, PeerState ps, boolean px, long backoffNanos) {
        addBackoff(topic, ps.id, now() + backoffNanos);
        if (!ps.protocol.supportsPeerExchange()) return new Rpc.Prune(topic, List.of(), 0);
        List<Rpc.PeerInfo> infos = List.of();
        if (px && config.peerExchange()) {
            List<PeerId> candidates = new ArrayList<>();
            for (PeerId p : topicPeers.getOrDefault(topic, Set.of())) {
                if (!p.equals(ps.id) && peers.get(p).protocol.isGossipsub() && score(p) >= 0) candidates.add(p);
            }
            infos = new ArrayList<>();
            for (PeerId p : pick(candidates, config.prunePeers())) infos.add(new Rpc.PeerInfo(p.bytes(), null));
        }
        return new Rpc.Prune(topic, infos, Math.max(1, backoffNanos / 1_000_000_000L));
    }

    private static Rpc.Control control(List<Rpc.IHave> ihave, List<Rpc.Graft> graft, List<Rpc.Prune> prune) {
        return new Rpc.Control(ihave, List.of(), graft, prune, List.of());
    }

    // ================================================================== heartbeat

    private void decay() {
        if (!running) return;
        score.decay(now());
        env.schedule(score.params().decayInterval().toNanos(), this::decay);
    }

    /** One heartbeat: promises, mesh upkeep, fanout, gossip, caches; reschedules itself. */
    void heartbeat() {
        if (!running) return;
        try {
            runHeartbeat();
        } finally {
            heartbeatScores = null;
            env.schedule(heartbeatNanos, this::heartbeat);
        }
    }

    private void runHeartbeat() {
        long now = now();
        heartbeatTicks++;
        heartbeatScores = new HashMap<>();
        applyBrokenPromises(now);
        for (PeerState ps : peers.values()) {
            ps.ihaveThisHeartbeat = 0;
            ps.askedThisHeartbeat = 0;
            if (!ps.dontWant.isEmpty()) {
                ps.dontWant.values().removeIf(t -> heartbeatTicks - t >= config.idontwantTtlHeartbeats());
            }
        }
        Map<PeerId, List<Rpc.Graft>> grafts = new LinkedHashMap<>();
        Map<PeerId, List<Rpc.Prune>> prunes = new LinkedHashMap<>();
        for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
            String topic = e.getKey();
            Set<PeerId> m = e.getValue();
            maintainMesh(topic, m, now, grafts, prunes);
            emitGossip(topic, m);
        }
        Iterator<Map.Entry<String, Set<PeerId>>> fit = fanout.entrySet().iterator();
        while (fit.hasNext()) {
            Map.Entry<String, Set<PeerId>> e = fit.next();
            String topic = e.getKey();
            Long last = lastPublished.get(topic);
            if (last == null || now - last > config.fanoutTtl().toNanos()) {
                fit.remove();
                lastPublished.remove(topic);
                continue;
            }
            Set<PeerId> f = e.getValue();
            Set<PeerId> tp = topicPeers.getOrDefault(topic, Set.of());
            f.removeIf(p -> !tp.contains(p) || score(p) < thresholds.publishThreshold());
            if (f.size() < config.d()) f.addAll(pick(fanoutCandidates(topic, f), config.d() - f.size()));
            emitGossip(topic, f);
        }
        Set<PeerId> targets = new LinkedHashSet<>(grafts.keySet());
        targets.addAll(prunes.keySet());
        for (PeerId p : targets) {
            PeerState ps = peers.get(p);
            if (ps == null) continue;
            send(
                    ps,
                    Rpc.ofControl(
                            control(List.of(), grafts.getOrDefault(p, List.of()), prunes.getOrDefault(p, List.of()))),
                    false);
        }
        mcache.shift();
        seen.expire(now);
        if (heartbeatTicks % 15 == 0) {
            for (Map<PeerId, Long> b : backoff.values()) b.values().removeIf(t -> t < now);
            backoff.values().removeIf(Map::isEmpty);
            blacklist.values().removeIf(t -> t < now);
        }
        for (PeerId p : new ArrayList<>(peers.keySet())) checkAbuse(p, score(p));
    }

    private void maintainMesh(
            String topic,
            Set<PeerId> m,
            long now,
            Map<PeerId, List<Rpc.Graft>> grafts,
            Map<PeerId, List<Rpc.Prune>> prunes) {
        for (Iterator<PeerId> it = m.iterator(); it.hasNext(); ) {
            PeerId p = it.next();
            if (score(p) < 0) {
                it.remove();
                score.prune(p, topic);
                prunes.computeIfAbsent(p, k -> new ArrayList<>())
                        .add(makePrune(
                                topic,
                                peers.get(p),
                                false,
                                config.pruneBackoff().toNanos()));
            }
        }
        if (m.size() < config.dLo()) {
            for (PeerId p : pick(meshCandidates(topic, m, now, false), config.d() - m.size())) {
                graft(topic, m, p, now, grafts);
            }
        }
        if (m.size() > config.dHi()) {
            List<PeerId> byScore = new ArrayList<>(m);
            Collections.shuffle(byScore, random); // random order among equal scores
            byScore.sort(Comparator.comparingDouble((PeerId p) -> score(p)).reversed());
            List<PeerId> keep = new ArrayList<>(byScore.subList(0, config.dScore()));
            List<PeerId> rest = new ArrayList<>(byScore.subList(config.dScore(), byScore.size()));
            Collections.shuffle(rest, random);
            int outboundKept = 0;
            for (PeerId p : keep) if (peers.get(p).outbound) outboundKept++;
            // Keep D_out outbound peers: take them first from the random remainder.
            for (Iterator<PeerId> it = rest.iterator(); it.hasNext() && outboundKept < config.dOut(); ) {
                PeerId p = it.next();
                if (peers.get(p).outbound) {
                    keep.add(p);
                    it.remove();
                    outboundKept++;
                }
            }
            for (Iterator<PeerId> it = rest.iterator(); it.hasNext() && keep.size() < config.d(); ) {
                keep.add(it.next());
                it.remove();
            }
            for (PeerId p : rest) {
                m.remove(p);
                score.prune(p, topic);
                prunes.computeIfAbsent(p, k -> new ArrayList<>())
                        .add(makePrune(
                                topic, peers.get(p), true, config.pruneBackoff().toNanos()));
            }
        }
        if (m.size() >= config.dLo()) {
            int outboundCount = 0;
            for (PeerId p : m) if (peers.get(p).outbound) outboundCount++;
            if (outboundCount < config.dOut()) {
                for (PeerId p : pick(meshCandidates(topic, m, now, true), config.dOut() - outboundCount)) {
                    graft(topic, m, p, now, grafts);
                }
            }
        }
        if (config.opportunisticGraftTicks() > 0
                && heartbeatTicks % config.opportunisticGraftTicks() == 0
                && m.size() > 1) {
            List<Double> scores = new ArrayList<>();
            for (PeerId p : m) scores.add(score(p));
            Collections.sort(scores);
            double median = scores.get(scores.size() / 2);
            if (median < thresholds.opportunisticGraftThreshold()) {
                List<PeerId> better = new ArrayList<>();
                for (PeerId p : meshCandidates(topic, m, now, false)) if (score(p) > median) better.add(p);
                for (PeerId p : pick(better, config.opportunisticGraftPeers())) graft(topic, m, p, now, grafts);
            }
        }
    }

    private void graft(String topic, Set<PeerId> m, PeerId p, long now, Map<PeerId, List<Rpc.Graft>> grafts) {
        m.add(p);
        score.graft(p, topic, now);
        grafts.computeIfAbsent(p, k -> new ArrayList<>()).add(new Rpc.Graft(topic));
    }

    private List<PeerId> meshCandidates(String topic, Set<PeerId> exclude, long now, boolean outboundOnly) {
        List<PeerId> out = new ArrayList<>();
        for (PeerId p : topicPeers.getOrDefault(topic, Set.of())) {
            PeerState ps = peers.get(p);
            if (exclude.contains(p)
                    || !ps.protocol.isGossipsub()
                    || (outboundOnly && !ps.outbound)
                    || inBackoff(topic, p, now)
                    || score(p) < 0) {
                continue;
            }
            out.add(p);
        }
        return out;
    }

    private List<PeerId> fanoutCandidates(String topic, Set<PeerId> exclude) {
        List<PeerId> out = new ArrayList<>();
        for (PeerId p : topicPeers.getOrDefault(topic, Set.of())) {
            if (!exclude.contains(p)
                    && peers.get(p).protocol.isGossipsub()
                    && score(p) >= thresholds.publishThreshold()) {
                out.add(p);
            }
        }
        return out;
    }

    private void emitGossip(String topic, Set<PeerId> exclude) {
        List<MessageId> ids = mcache.gossipIds(topic);
        if (ids.isEmpty()) return;
        List<PeerId> candidates = new ArrayList<>();
        for (PeerId p : topicPeers.getOrDefault(topic, Set.of())) {
            if (!exclude.contains(p)
                    && peers.get(p).protocol.isGossipsub()
                    && score(p) >= thresholds.gossipThreshold()) {
                candidates.add(p);
            }
        }
        int target = Math.max(config.dLazy(), (int) (config.gossipFactor() * candidates.size()));
        if (ids.size() > config.maxIHaveLength()) ids = pick(ids, config.maxIHaveLength());
        Rpc rpc = Rpc.ofControl(control(List.of(new Rpc.IHave(topic, ids)), List.of(), List.of()));
        for (PeerId p : pick(candidates, target)) send(peers.get(p), rpc, true);
    }

    private void applyBrokenPromises(long now) {
        for (Iterator<Map<PeerId, Long>> it = promises.values().iterator(); it.hasNext(); ) {
            Map<PeerId, Long> byPeer = it.next();
            for (Iterator<Map.Entry<PeerId, Long>> pit = byPeer.entrySet().iterator(); pit.hasNext(); ) {
                Map.Entry<PeerId, Long> e = pit.next();
                if (e.getValue() < now) {
                    brokenPromises++;
                    score.addPenalty(e.getKey(), 1);
                    pit.remove();
                }
            }
            if (byPeer.isEmpty()) it.remove();
        }
    }

    private void checkAbuse(PeerId p, double s) {
        BlacklistReason reason;
        if (s <= thresholds.disconnectScore()) {
            reason = BlacklistReason.SCORE;
        } else if (score.behaviourPenalty(p) >= thresholds.disconnectBehaviourPenalty()) {
            reason = BlacklistReason.BEHAVIOUR_PENALTY;
        } else if (score.invalidMessages(p) >= thresholds.disconnectInvalidMessages()) {
            reason = BlacklistReason.INVALID_MESSAGES;
        } else {
            return;
        }
        long until = now() + thresholds.blacklistDuration().toNanos();
        blacklist.put(p, until);
        blacklisted++;
        log.info(
                "gossipsub peer {} blacklisted: {} (score {}, behaviour penalty {}, {} invalid messages)",
                p,
                reason,
                s,
                score.behaviourPenalty(p),
                score.invalidMessages(p));
        removePeer(p);
        listener.onPeerBlacklisted(p, reason, until);
    }

    // ================================================================== helpers

    private void send(PeerState ps, Rpc rpc, boolean gossip) {
        if (ps == null) return;
        boolean wasEmpty = ps.queue.isEmpty();
        if (ps.queue.offer(rpc, gossip) && wasEmpty) outbound.ready(ps.id);
    }

    private double score(PeerId p) {
        if (heartbeatScores != null) {
            Double cached = heartbeatScores.get(p);
            if (cached != null) return cached;
            double s = score.score(p, now());
            heartbeatScores.put(p, s);
            return s;
        }
        return score.score(p, now());
    }

    private <T> List<T> pick(Collection<T> from, int n) {
        if (n <= 0 || from.isEmpty()) return List.of();
        List<T> list = new ArrayList<>(from);
        if (list.size() <= n) {
            Collections.shuffle(list, random);
            return list;
        }
        // Partial Fisher-Yates: only the first n positions are needed.
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(list.size() - i);
            Collections.swap(list, i, j);
        }
        return new ArrayList<>(list.subList(0, n));
    }

    private boolean inBackoff(String topic, PeerId p, long now) {
        Long until = backoffUntil(topic, p);
        return until != null && now < until;
    }

    private Long backoffUntil(String topic, PeerId p) {
        Map<PeerId, Long> b = backoff.get(topic);
        return b == null ? null : b.get(p);
    }

    private void addBackoff(String topic, PeerId p, long until) {
        backoff.computeIfAbsent(topic, t -> new HashMap<>()).merge(p, until, Math::max);
    }

    // ================================================================== inspection

    /** True while the peer is blacklisted. */
    public boolean isBlacklisted(PeerId peer) {
        Long until = blacklist.get(peer);
        return until != null && now() < until;
    }

    public double peerScore(PeerId peer) {
        return score.score(peer, now());
    }

    public Set<PeerId> peers() {
        return Set.copyOf(peers.keySet());
    }

    public Set<PeerId> meshPeers(String topic) {
        Set<PeerId> m = mesh.get(topic);
        return m == null ? Set.of() : Set.copyOf(m);
    }

    public Set<PeerId> fanoutPeers(String topic) {
        Set<PeerId> f = fanout.get(topic);
        return f == null ? Set.of() : Set.copyOf(f);
    }

    /** Peers we know to be subscribed to {@code topic}. */
    public Set<PeerId> topicPeers(String topic) {
        return Set.copyOf(topicPeers.getOrDefault(topic, Set.of()));
    }

    public int queuedRpcs(PeerId peer) {
        PeerState ps = peers.get(peer);
        return ps == null ? 0 : ps.queue.size();
    }

    /** Counters since start. */
    public RouterStats stats() {
        long droppedPriority = 0, droppedGossip = 0;
        for (PeerState ps : peers.values()) {
            droppedPriority += ps.queue.droppedPriority;
            droppedGossip += ps.queue.droppedGossip;
        }
        return new RouterStats(
                delivered,
                duplicates,
                invalid,
                ignored,
                validationTimeouts,
                throttled,
                graylistedRpcs,
                brokenPromises,
                blacklisted,
                notSubscribed,
                droppedPriority,
                droppedGossip);
    }

    /**
     * Router counters. Dropped counts cover currently connected peers.
     *
     * @param delivered        messages delivered to the application (own publications included)
     * @param duplicates       messages received again after the first copy
     * @param invalid          messages rejected (signature, id, validator)
     * @param notSubscribed    messages of topics we are not subscribed to
     */
    public record RouterStats(
            long delivered,
            long duplicates,
            long invalid,
            long ignored,
            long validationTimeouts,
            long throttled,
            long graylistedRpcs,
            long brokenPromises,
            long blacklisted,
            long notSubscribed,
            long droppedPriority,
            long droppedGossip) {}
}
