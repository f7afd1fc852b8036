package dev.hyperj.p2p.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerQueueTest {
    private static Rpc message(int size) {
        return Rpc.ofMessages(List.of(new Rpc.Message(null, new byte[size], null, "t", null, null)));
    }

    private static Rpc ihave(int n) {
        return Rpc.ofControl(new Rpc.Control(
                List.of(new Rpc.IHave("t", List.of(MessageId.of(new byte[] {(byte) n})))),
                List.of(),
                List.of(),
                List.of(),
                List.of()));
    }

    @Test
    void slowPeersShedGossipBeforeMessages() {
        PeerQueue q = new PeerQueue(4, 1 << 20, 0, RpcLimits.defaults());
        assertThat(q.offer(ihave(1), true)).isTrue();
        assertThat(q.offer(ihave(2), true)).isTrue();
        assertThat(q.offer(message(10), false)).isTrue();
        assertThat(q.offer(message(10), false)).isTrue();
        // Full: a new message evicts the oldest gossip, a new gossip RPC is refused.
        assertThat(q.offer(message(10), false)).isTrue();
        assertThat(q.droppedGossip).isEqualTo(1);
        assertThat(q.offer(ihave(3), true)).isFalse();
        assertThat(q.droppedGossip).isEqualTo(2);
        assertThat(q.offer(message(10), false)).isTrue();
        assertThat(q.offer(message(10), false)).isFalse();
        assertThat(q.droppedPriority).isEqualTo(1);
        // Priority lane drains first.
        for (int i = 0; i < 4; i++) assertThat(q.poll().publish()).hasSize(1);
        assertThat(q.poll()).isNull();
    }

    @Test
    void byteBoundCountsEncodedSizes() {
        PeerQueue q = new PeerQueue(100, 1000, 0, RpcLimits.defaults());
        assertThat(q.offer(message(600), false)).isTrue();
        assertThat(q.offer(message(600), false)).isFalse();
        assertThat(q.bytes()).isEqualTo(RpcCodec.encodedSize(message(600)));
    }

    @Test
    void pollCoalescesWithinLimits() {
        PeerQueue q = new PeerQueue(100, 1 << 20, 64 * 1024, new RpcLimits(1 << 20, 10, 3, 10, 10, 10, 64, 64));
        for (int i = 0; i < 5; i++) q.offer(message(10), false);
        assertThat(q.poll().publish()).hasSize(3);
        assertThat(q.poll().publish()).hasSize(2);
        assertThat(q.isEmpty()).isTrue();
    }
}
