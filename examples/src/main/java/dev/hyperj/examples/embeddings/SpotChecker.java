package dev.hyperj.examples.embeddings;

import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validator's spot checks: early in each epoch, after a random pause, this node asks
 * {@link #PEERS_PER_EPOCH} other nodes picked at random to embed {@link #TEXTS_PER_CHECK} random
 * texts, as any user would (a node cannot tell a check from a user's request). It compares their
 * answers with its own fp32 model; an answer more than {@link EvidenceTopic#TOLERANCE} off is
 * confirmed with the pure-Java reference (what every peer will check it with) and published as
 * evidence, the accused's own signed receipt; the scores of the next epoch leave the accused out.
 */
final class SpotChecker implements AutoCloseable {
    static final int PEERS_PER_EPOCH = 2;
    static final int TEXTS_PER_CHECK = 2;
    private static final Logger log = LoggerFactory.getLogger(SpotChecker.class);

    private final Host host;
    private final EpochTracker tracker;
    private final EvidenceTopic evidence;
    private final Embedder fast;
    private final Embedder reference;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("embeddings-spot-check").factory());
    private final AtomicLong checks = new AtomicLong();
    private final ConcurrentHashMap<Integer, AtomicLong> failed = new ConcurrentHashMap<>();
    private final AutoCloseable epochs;

    SpotChecker(Host host, EpochTracker tracker, EvidenceTopic evidence, Embedder fast, Embedder reference) {
        this.host = host;
        this.tracker = tracker;
        this.evidence = evidence;
        this.fast = fast;
        this.reference = reference;
        this.epochs = tracker.onEpoch(
                ev -> timer.schedule(() -> check(ev), 500 + random.nextInt(1500), TimeUnit.MILLISECONDS));
    }

    /** Checks made, and failures found per node id (tests, logs). */
    long checks() {
        return checks.get();
    }

    long failures(int node) {
        AtomicLong n = failed.get(node);
        return n == null ? 0 : n.get();
    }

    private void check(EpochEvent ev) {
        String me = host.peerId().toBase58();
        if (ev.snapshot().nodeByPeerId(me).isEmpty()) return;
        List<SubnetNodeInfo> others = new ArrayList<>(ev.snapshot().nodesAtLeast(NodeClass.Idle).stream()
                .filter(n -> !n.node().peerInfo().peerId().equals(me))
                .toList());
        Collections.shuffle(others, random);
        for (SubnetNodeInfo n : others.subList(0, Math.min(PEERS_PER_EPOCH, others.size()))) check(ev, n);
    }

    private void check(EpochEvent ev, SubnetNodeInfo node) {
        int id = node.node().id();
        PeerId peer;
        try {
            peer = PeerId.parse(node.node().peerInfo().peerId());
        } catch (IllegalArgumentException e) {
            return;
        }
        List<String> texts = randomTexts(random, TEXTS_PER_CHECK);
        EmbeddingsProtocol.embed(host, peer, ev.epoch(), texts)
                .whenCompleteAsync(
                        (receipt, err) -> {
                            if (err != null) {
                                log.debug("spot check of node {} got no answer: {}", id, err.toString());
                                return;
                            }
                            if (tracker.position()
                                    .map(p -> p.epoch() > ev.epoch() + 1)
                                    .orElse(false)) return; // the answer came too late for its evidence to count
                            checks.incrementAndGet();
                            if (receipt.wrong(fast, EvidenceTopic.TOLERANCE).isEmpty()) {
                                log.debug("spot check of node {} in epoch {}: right", id, ev.epoch());
                                return;
                            }
                            if (receipt.wrong(reference, EvidenceTopic.TOLERANCE)
                                    .isEmpty()) return; // our fast model erred
                            failed.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
                            log.info(
                                    "spot check of node {} in epoch {}: WRONG embeddings; publishing the evidence",
                                    id,
                                    ev.epoch());
                            evidence.publish(new Wire.Evidence(ev.subnetId(), id, peer.toBase58(), receipt));
                        },
                        Work.POOL);
    }

    /** {@code count} short texts of random vocabulary words: unpredictable, so they cannot be looked up in advance. */
    static List<String> randomTexts(java.util.random.RandomGenerator random, int count) {
        List<String> words = Models.tokenizer().words();
        List<String> out = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            StringBuilder s = new StringBuilder();
            int n = 4 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                if (i > 0) s.append(' ');
                s.append(words.get(random.nextInt(words.size())));
            }
            out.add(s.toString());
        }
        return out;
    }

    @Override
    public void close() {
        try {
            epochs.close();
        } catch (Exception e) {
            log.debug("closing: {}", e.toString());
        }
        timer.shutdownNow();
    }
}
