package dev.hyperj.examples.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.MessageSigning;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.gossipsub.ValidationResult;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.consensus.HeartbeatLog;
import dev.hyperj.subnet.consensus.HeartbeatScorer;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Evidence against a real chain's view of the subnet: only a receipt the accused signed and the
 * reference proves wrong counts; forgeries and false accusations are rejected. Then the scorer
 * leaves out a node caught the epoch before, even one that answered the challenge right.
 */
@Timeout(120)
class EvidenceTopicTest {
    static final List<String> TEXTS = List.of("A man is eating food.", "A monkey is playing drums.");

    private static String id(PrivateKey k) {
        return PeerId.fromPublicKey(k.publicKey()).toBase58();
    }

    private static Rpc.Message signed(PrivateKey k, Wire.Evidence e) {
        return MessageSigning.sign(k, EvidenceTopic.TOPIC, Wire.encode(e), System.nanoTime());
    }

    private static ValidationResult check(EvidenceTopic t, Rpc.Message m) throws Exception {
        return t.check(m).get(60, TimeUnit.SECONDS);
    }

    @Test
    void onlyAReceiptTheAccusedSignedAndTheReferenceProvesWrongCounts() throws Exception {
        PrivateKey self = Keys.generate(KeyType.ED25519),
                honest = Keys.generate(KeyType.ED25519),
                lazy = Keys.generate(KeyType.ED25519),
                stranger = Keys.generate(KeyType.ED25519);
        try (DevChain chain = DevChain.start(20)) {
            List<Integer> vs = chain.registerValidators(3);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
            int nSelf = chain.registerNode(DevChain.COLDKEYS.get(0), vs.get(0), sid, id(self));
            int nHonest = chain.registerNode(DevChain.COLDKEYS.get(1), vs.get(1), sid, id(honest));
            int nLazy = chain.registerNode(DevChain.COLDKEYS.get(2), vs.get(2), sid, id(lazy));
            chain.activate(sid);
            try (Host h = Host.builder()
                    .identity(self)
                    .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                    .threads(1)
                    .build()) {
                h.start().get(10, TimeUnit.SECONDS);
                try (GossipSub g = GossipSub.start(h);
                        EpochTracker t = EpochTracker.start(chain.client, sid)) {
                    t.awaitEpoch(0).get(10, TimeUnit.SECONDS);
                    long epoch = t.position().orElseThrow().epoch();
                    try (EvidenceTopic topic =
                            EvidenceTopic.join(g, t, Models.CACHED_REFERENCE).get(10, TimeUnit.SECONDS)) {
                        Receipt int8 = Receipt.sign(epoch, TEXTS, Models.int8().embed(TEXTS), lazy);
                        Receipt fp32 = Receipt.sign(epoch, TEXTS, Models.fp32().embed(TEXTS), honest);
                        Wire.Evidence real = new Wire.Evidence(sid, nLazy, id(lazy), int8);

                        // a false accusation: the honest node's right answer
                        assertThat(check(topic, signed(self, new Wire.Evidence(sid, nHonest, id(honest), fp32))))
                                .isEqualTo(ValidationResult.REJECT);
                        // a forgery: wrong vectors under the honest node's name, signed by someone else
                        Receipt forged = Receipt.sign(epoch, TEXTS, int8.vectors(), stranger);
                        assertThat(check(topic, signed(self, new Wire.Evidence(sid, nHonest, id(honest), forged))))
                                .isEqualTo(ValidationResult.REJECT);
                        // the receipt's vectors changed after signing
                        float[][] changed = int8.vectors().clone();
                        changed[0] = changed[0].clone();
                        changed[0][5] += 0.1f;
                        Receipt tampered = new Receipt(epoch, TEXTS, changed, int8.publicKey(), int8.signature());
                        assertThat(check(topic, signed(self, new Wire.Evidence(sid, nLazy, id(lazy), tampered))))
                                .isEqualTo(ValidationResult.REJECT);
                        // the accused named by a node id that is not its own; another subnet
                        assertThat(check(topic, signed(self, new Wire.Evidence(sid, nHonest, id(lazy), int8))))
                                .isEqualTo(ValidationResult.REJECT);
                        assertThat(check(topic, signed(self, new Wire.Evidence(sid + 1, nLazy, id(lazy), int8))))
                                .isEqualTo(ValidationResult.REJECT);
                        // unsigned, junk
                        assertThat(check(topic, MessageSigning.anonymous(EvidenceTopic.TOPIC, Wire.encode(real))))
                                .isEqualTo(ValidationResult.REJECT);
                        assertThat(check(topic, MessageSigning.sign(self, EvidenceTopic.TOPIC, "{}".getBytes(), 1)))
                                .isEqualTo(ValidationResult.REJECT);
                        // not judged now: from a peer that is not a node; a receipt of a far epoch
                        assertThat(check(topic, signed(stranger, real))).isEqualTo(ValidationResult.IGNORE);
                        Receipt old = Receipt.sign(epoch + 5, TEXTS, int8.vectors(), lazy);
                        assertThat(check(topic, signed(self, new Wire.Evidence(sid, nLazy, id(lazy), old))))
                                .isEqualTo(ValidationResult.IGNORE);
                        assertThat(topic.caught().caught(epoch)).isEmpty();

                        // the real thing: the lazy node's own receipt of int8 vectors
                        assertThat(check(topic, signed(self, real))).isEqualTo(ValidationResult.ACCEPT);
                        assertThat(topic.caught().caught(epoch)).containsExactly(nLazy);
                        assertThat(check(topic, signed(self, real)))
                                .as("nothing new")
                                .isEqualTo(ValidationResult.IGNORE);

                        // scores of the next epoch: the lazy node answered the challenge right, sent a heartbeat,
                        // and is still left out
                        SubnetSnapshot snap = t.current().orElseThrow().snapshot();
                        assertThat(snap.nodesAtLeast(NodeClass.Included)).hasSize(3);
                        long scored = epoch + 1;
                        String right = Challenge.answer(Models.CACHED_REFERENCE, sid, scored, seed(scored));
                        HeartbeatLog heartbeats = new HeartbeatLog();
                        Map<Long, Map<Integer, String>> answers = new java.util.HashMap<>();
                        for (int n : List.of(nSelf, nHonest, nLazy)) {
                            heartbeats.record(scored, n);
                            answers.computeIfAbsent(scored, k -> new java.util.HashMap<>())
                                    .put(n, right);
                        }
                        EmbeddingsScorer scorer = new EmbeddingsScorer(
                                heartbeats,
                                epochOf -> answers.getOrDefault(epochOf, Map.of()),
                                topic.caught(),
                                (s, e) -> Challenge.answer(Models.CACHED_REFERENCE, s, e, seed(e)));
                        assertThat(scorer.score(scored, snap))
                                .extracting(NodeScore::subnetNodeId)
                                .containsExactlyInAnyOrder(nSelf, nHonest);
                        assertThat(scorer.score(scored, snap))
                                .allMatch(s -> s.score().equals(HeartbeatScorer.FULL_SCORE));
                        // with no answers at all, no one scores, and the reference is not run for nothing
                        assertThat(new EmbeddingsScorer(heartbeats, epochOf -> Map.of(), topic.caught(), (s, e) -> {
                                            throw new AssertionError("the right answer is not needed");
                                        })
                                        .score(scored, snap))
                                .isEmpty();
                        // and the int8 challenge answer is not the reference's
                        assertThat(Challenge.answer(Models.int8(), sid, scored, seed(scored)))
                                .isNotEqualTo(right);
                        answers.put(
                                scored + 1,
                                Map.of(nHonest, Challenge.answer(Models.int8(), sid, scored + 1, seed(scored + 1))));
                        heartbeats.record(scored + 1, nHonest);
                        assertThat(scorer.score(scored + 1, snap)).isEmpty();
                    }
                }
            }
        }
    }

    /** A stand-in for an epoch's randomness (the scorer is tested here, not where the seed comes from). */
    static byte[] seed(long epoch) {
        byte[] b = new byte[32];
        java.nio.ByteBuffer.wrap(b).putLong(epoch * 0x9E3779B97F4A7C15L);
        return b;
    }
}
