package dev.hyperj.examples.inference;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.hyperj.subnet.epoch.EpochTracker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The answers topic's validator against a real chain's view of the subnet. */
@Timeout(60)
class AnswerTopicTest {
    private static String id(PrivateKey k) {
        return PeerId.fromPublicKey(k.publicKey()).toBase58();
    }

    private static Rpc.Message signed(PrivateKey k, byte[] data) {
        return MessageSigning.sign(k, EpochAnswer.TOPIC, data, System.nanoTime());
    }

    private static Rpc.Message answer(PrivateKey k, int subnet, long epoch, int node, Inference output) {
        return signed(k, InferenceCodec.encode(new EpochAnswer(subnet, epoch, node, output)));
    }

    @Test
    void checksWhoSpeaksNotWhetherTheAnswerIsRight() throws Exception {
        PrivateKey a = Keys.generate(KeyType.ED25519),
                b = Keys.generate(KeyType.ED25519),
                stranger = Keys.generate(KeyType.ED25519);
        try (DevChain chain = DevChain.start(20)) {
            List<Integer> vs = chain.registerValidators(3);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
            int na = chain.registerNode(DevChain.COLDKEYS.get(0), vs.get(0), sid, id(a));
            int nb = chain.registerNode(DevChain.COLDKEYS.get(1), vs.get(1), sid, id(b));
            try (Host h = Host.builder()
                    .identity(a)
                    .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                    .threads(1)
                    .build()) {
                h.start().get(10, TimeUnit.SECONDS);
                try (GossipSub g = GossipSub.start(h);
                        EpochTracker t = EpochTracker.start(chain.client, sid)) {
                    long epoch = t.awaitEpoch(0).get(10, TimeUnit.SECONDS).epoch();
                    try (AnswerTopic topic = AnswerTopic.join(g, t, h.peerId(), InferenceModel.reference())
                            .get(10, TimeUnit.SECONDS)) {
                        Inference right = InferenceModel.reference().infer(Challenge.input(sid, epoch));
                        Inference wrong = InferenceModel.fromSeed("other").infer(Challenge.input(sid, epoch));
                        // a right answer and a wrong one alike: every peer must see wrong answers to score them alike
                        assertThat(topic.check(answer(b, sid, epoch, nb, right)))
                                .isEqualTo(ValidationResult.ACCEPT);
                        assertThat(topic.check(answer(b, sid, epoch, nb, wrong)))
                                .isEqualTo(ValidationResult.ACCEPT);
                        // a sender one block ahead at the boundary
                        assertThat(topic.check(answer(b, sid, epoch + 1, nb, right)))
                                .isEqualTo(ValidationResult.ACCEPT);
                        // forgery: b claims a's node id; another subnet; not an answer; too big
                        assertThat(topic.check(answer(b, sid, epoch, na, right)))
                                .isEqualTo(ValidationResult.REJECT);
                        assertThat(topic.check(answer(b, sid + 1, epoch, nb, right)))
                                .isEqualTo(ValidationResult.REJECT);
                        assertThat(topic.check(signed(b, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8))))
                                .isEqualTo(ValidationResult.REJECT);
                        byte[] big = ("{\"subnet_id\":" + sid + ",\"epoch\":" + epoch + ",\"subnet_node_id\":" + nb
                                        + ",\"output\":[" + "0,".repeat(600) + "0]}")
                                .getBytes(StandardCharsets.UTF_8);
                        assertThat(topic.check(signed(b, big))).isEqualTo(ValidationResult.REJECT);
                        assertThat(topic.check(MessageSigning.anonymous(
                                        EpochAnswer.TOPIC,
                                        InferenceCodec.encode(new EpochAnswer(sid, epoch, nb, right)))))
                                .as("unsigned")
                                .isEqualTo(ValidationResult.REJECT);
                        // other epochs, and peers that are not nodes of this epoch's snapshot: ignored, not punished
                        assertThat(topic.check(answer(b, sid, epoch + 2, nb, right)))
                                .isEqualTo(ValidationResult.IGNORE);
                        assertThat(topic.check(answer(stranger, sid, epoch, 99, right)))
                                .isEqualTo(ValidationResult.IGNORE);
                        if (epoch > 0)
                            assertThat(topic.check(answer(b, sid, epoch - 1, nb, right)))
                                    .isEqualTo(ValidationResult.IGNORE);

                        // what was delivered counts: b's answer, then b's different answer (equivocation), then nothing
                        // more
                        topic.log().record(epoch, nb, right);
                        assertThat(topic.check(answer(b, sid, epoch, nb, right)))
                                .as("a repeat")
                                .isEqualTo(ValidationResult.IGNORE);
                        assertThat(topic.check(answer(b, sid, epoch, nb, wrong)))
                                .as("the proof of equivocation")
                                .isEqualTo(ValidationResult.ACCEPT);
                        topic.log().record(epoch, nb, wrong);
                        assertThat(topic.check(answer(b, sid, epoch, nb, right)))
                                .isEqualTo(ValidationResult.IGNORE);
                        assertThat(topic.log().answers(epoch)).doesNotContainKey(nb);
                    }
                }
            }
        }
    }
}
