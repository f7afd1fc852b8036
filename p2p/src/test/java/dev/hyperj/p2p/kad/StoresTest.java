package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoresTest {
    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void recordsExpireAfterTheirTtl() {
        RecordStore s = new RecordStore(10, 100, 1000, Validators.defaults());
        assertThat(s.put(new DhtRecord(key("/pk/a"), new byte[] {1}), 0)).isEqualTo(RecordStore.PutOutcome.STORED);
        assertThat(s.get(key("/pk/a"), 999)).isPresent();
        assertThat(s.get(key("/pk/a"), 999).orElseThrow().timeReceived()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(s.get(key("/pk/a"), 1000)).isEmpty();
        assertThat(s.size()).isZero();
    }

    @Test
    void aFullStoreRefusesNewKeysButPurgesExpiredOnesFirst() {
        RecordStore s = new RecordStore(2, 100, 1000, Validators.defaults());
        s.put(new DhtRecord(key("/pk/a"), new byte[] {1}), 0);
        s.put(new DhtRecord(key("/pk/b"), new byte[] {1}), 500);
        assertThat(s.put(new DhtRecord(key("/pk/c"), new byte[] {1}), 600)).isEqualTo(RecordStore.PutOutcome.FULL);
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.put(new DhtRecord(key("/pk/c"), new byte[] {1}), 1200)).isEqualTo(RecordStore.PutOutcome.STORED);
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.put(new DhtRecord(key("/pk/d"), new byte[101]), 1200)).isEqualTo(RecordStore.PutOutcome.TOO_LARGE);
    }

    @Test
    void keepsTheBetterRecordBySelector() {
        Validators v = Validators.builder()
                .register("e", ValidatorsTest.epochWindow(() -> 100))
                .build();
        RecordStore s = new RecordStore(10, 100, 1000, v);
        byte[] k = key("/e/x");
        s.put(new DhtRecord(k, ValidatorsTest.epoch(99)), 0);
        assertThat(s.put(new DhtRecord(k, ValidatorsTest.epoch(98)), 1))
                .isEqualTo(RecordStore.PutOutcome.KEPT_EXISTING);
        assertThat(s.put(new DhtRecord(k, ValidatorsTest.epoch(100)), 2)).isEqualTo(RecordStore.PutOutcome.STORED);
        assertThat(s.get(k, 3).orElseThrow().value()).isEqualTo(ValidatorsTest.epoch(100));
    }

    @Test
    void providersAreBoundedPerKeyAndInKeysAndExpire() {
        ProviderStore s = new ProviderStore(2, 3, 1000);
        byte[] k1 = key("k1");
        for (int i = 0; i < 3; i++) {
            assertThat(s.add(k1, PeerInfo.of(TestPeers.peer(i)), 0)).isTrue();
        }
        assertThat(s.add(k1, PeerInfo.of(TestPeers.peer(9)), 0))
                .as("per-key bound")
                .isFalse();
        assertThat(s.add(k1, PeerInfo.of(TestPeers.peer(0)), 10))
                .as("known providers refresh")
                .isTrue();
        assertThat(s.get(k1, 10, 20).get(0).id()).as("freshest first").isEqualTo(TestPeers.peer(0));
        assertThat(s.add(key("k2"), PeerInfo.of(TestPeers.peer(1)), 0)).isTrue();
        assertThat(s.add(key("k3"), PeerInfo.of(TestPeers.peer(1)), 0))
                .as("key bound")
                .isFalse();
        assertThat(s.get(k1, 10, 1005)).extracting(PeerInfo::id).containsExactly(TestPeers.peer(0));
        assertThat(s.add(key("k3"), PeerInfo.of(TestPeers.peer(1)), 2000))
                .as("room after expiry")
                .isTrue();
        assertThat(s.keyCount()).isLessThanOrEqualTo(2);
    }
}
