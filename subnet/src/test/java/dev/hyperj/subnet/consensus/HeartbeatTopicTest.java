package dev.hyperj.subnet.consensus;

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

@Timeout(60)
class HeartbeatTopicTest {
    private static String id(PrivateKey k) {
        return PeerId.fromPublicKey(k.publicKey()).toBase58();
    }

    private static Rpc.Message signed(PrivateKey k, byte[] data) {
        return MessageSigning.sign(k, Heartbeat.TOPIC, data, System.nanoTime());
    }

    @Test
    void validatorRejectsForgeriesAndIgnoresStaleOrUnknown() throws Exception {
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
                    HeartbeatLog log = new HeartbeatLog();
                    try (HeartbeatTopic topic =
                            HeartbeatTopic.join(g, t, h.peerId(), log).get(10, TimeUnit.SECONDS)) {
                        // joining published our own heartbeat for the current epoch, recorded on delivery
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (!log.nodes(epoch).contains(na)) {
                            assertThat(System.nanoTime()).isLessThan(deadline);
                            Thread.sleep(10); // delivery happens on the router thread; no event to await
                        }
                        assertThat(topic.check(signed(b, new Heartbeat(id(b), epoch, sid, nb).encode())))
                                .isEqualTo(ValidationResult.ACCEPT);
                        // b claims a's node id: forgery
                        assertThat(topic.check(signed(b, new Heartbeat(id(b), epoch, sid, na).encode())))
                                .isEqualTo(ValidationResult.REJECT);
                        // another subnet
                        assertThat(topic.check(signed(b, new Heartbeat(id(b), epoch, sid + 1, nb).encode())))
                                .isEqualTo(ValidationResult.REJECT);
                        // not a heartbeat
                        assertThat(topic.check(signed(b, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8))))
                                .isEqualTo(ValidationResult.REJECT);
                        // the next epoch: a sender one block ahead at the boundary, kept
                        assertThat(topic.check(signed(b, new Heartbeat(id(b), epoch + 1, sid, nb).encode())))
                                .isEqualTo(ValidationResult.ACCEPT);
                        // other epochs: ignored, not punished
                        assertThat(topic.check(signed(b, new Heartbeat(id(b), epoch + 2, sid, nb).encode())))
                                .isEqualTo(ValidationResult.IGNORE);
                        if (epoch > 0) {
                            assertThat(topic.check(signed(b, new Heartbeat(id(b), epoch - 1, sid, nb).encode())))
                                    .isEqualTo(ValidationResult.IGNORE);
                        }
                        // a peer that is not a node of this epoch's snapshot
                        assertThat(topic.check(signed(stranger, new Heartbeat(id(stranger), epoch, sid, 99).encode())))
                                .isEqualTo(ValidationResult.IGNORE);
                        // a's second heartbeat in the epoch
                        assertThat(topic.check(signed(a, new Heartbeat(id(a), epoch, sid, na).encode())))
                                .isEqualTo(ValidationResult.IGNORE);
                    }
                }
            }
        }
    }

    @Test
    void logKeepsTheLastEpochsOnlyAndOneEntryPerNode() {
        HeartbeatLog log = new HeartbeatLog();
        assertThat(log.record(1, 7)).isTrue();
        assertThat(log.record(1, 7)).isFalse();
        for (long e = 2; e <= 20; e++) log.record(e, 1);
        assertThat(log.nodes(1)).isEmpty();
        assertThat(log.view()).hasSize(HeartbeatLog.EPOCHS_KEPT);
        assertThat(log.record(2, 5)).as("far in the past").isFalse();
        assertThat(log.nodes(20)).containsExactly(1);
    }
}
