package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final PeerId self = TestPeers.peer(1);
    private final KadKey selfKey = KadKey.of(self.bytes());

    /** Peers whose key shares exactly {@code cpl} leading bits with ours. */
    private List<PeerId> peersInBucket(int cpl, int n) {
        List<PeerId> out = new ArrayList<>();
        for (long seed = 1000; out.size() < n; seed++) {
            PeerId p = TestPeers.peer(seed);
            if (selfKey.commonPrefixLength(KadKey.of(p.bytes())) == cpl) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void fillsABucketToKThenCachesReplacementsAndAsksForOneProbe() {
        RoutingTable t = new RoutingTable(self, 3, 2, 2, 0);
        List<PeerId> p = peersInBucket(0, 6);
        for (int i = 0; i < 3; i++) {
            assertThat(t.peerResponded(PeerInfo.of(p.get(i)), i).inTable()).isTrue();
        }
        RoutingTable.Admission fourth = t.peerResponded(PeerInfo.of(p.get(3)), 10);
        assertThat(fourth.inTable()).isFalse();
        assertThat(fourth.probe())
                .as("probe the least recently seen")
                .map(PeerInfo::id)
                .contains(p.get(0));
        RoutingTable.Admission fifth = t.peerResponded(PeerInfo.of(p.get(4)), 11);
        assertThat(fifth.probe()).as("one probe at a time per bucket").isEmpty();
        t.peerResponded(PeerInfo.of(p.get(5)), 12);
        assertThat(t.bucketSize(0)).isEqualTo(3);
        assertThat(t.replacementCount(0)).as("bounded replacement cache").isEqualTo(2);
        assertThat(t.size()).isEqualTo(3);

        // the probed member does not answer: the freshest replacement takes its slot
        assertThat(t.peerFailed(p.get(0))).isTrue();
        assertThat(t.contains(p.get(0))).isFalse();
        assertThat(t.contains(p.get(5))).isTrue();
        assertThat(t.contains(p.get(3)))
                .as("evicted from the bounded cache earlier")
                .isFalse();
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void aProbedMemberThatAnswersStays() {
        RoutingTable t = new RoutingTable(self, 2, 2, 2, 0);
        List<PeerId> p = peersInBucket(0, 3);
        t.peerResponded(PeerInfo.of(p.get(0)), 0);
        t.peerResponded(PeerInfo.of(p.get(1)), 1);
        assertThat(t.peerResponded(PeerInfo.of(p.get(2)), 2).probe())
                .map(PeerInfo::id)
                .contains(p.get(0));
        t.peerResponded(PeerInfo.of(p.get(0)), 3); // probe answered
        assertThat(t.contains(p.get(0))).isTrue();
        assertThat(t.contains(p.get(2))).isFalse();
        // now p1 is least recently seen: the next newcomer probes it
        assertThat(t.peerResponded(PeerInfo.of(p.get(2)), 4).probe())
                .map(PeerInfo::id)
                .contains(p.get(1));
    }

    @Test
    void removesPeersAfterConsecutiveFailuresOnly() {
        RoutingTable t = new RoutingTable(self, 20, 0, 2, 0);
        PeerId p = TestPeers.peer(77);
        t.peerResponded(PeerInfo.of(p), 0);
        assertThat(t.peerFailed(p)).isFalse();
        t.peerResponded(PeerInfo.of(p), 1); // an answer resets the count
        assertThat(t.peerFailed(p)).isFalse();
        assertThat(t.peerFailed(p)).isTrue();
        assertThat(t.contains(p)).isFalse();
    }

    @Test
    void neverAddsItself() {
        RoutingTable t = new RoutingTable(self, 20, 20, 2, 0);
        assertThat(t.peerResponded(PeerInfo.of(self), 0).inTable()).isFalse();
        assertThat(t.size()).isZero();
    }

    @Test
    void closestMatchesABruteForceSortByXorDistance() {
        RoutingTable t = new RoutingTable(self, 20, 0, 2, 0);
        List<PeerId> all = TestPeers.peers(5000, 300);
        all.forEach(p -> t.peerResponded(PeerInfo.of(p), 0));
        List<PeerId> inTable = t.peers().stream().map(PeerInfo::id).toList();
        List<KadKey> targets = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            targets.add(KadKey.of(TestPeers.peer(90_000 + seed).bytes())); // random points
        }
        for (int i = 0; i < inTable.size(); i += 10) {
            targets.add(KadKey.of(inTable.get(i).bytes())); // members themselves, in every bucket
        }
        targets.add(selfKey);
        for (KadKey target : targets) {
            for (int count : new int[] {1, 20, 50, 1000}) {
                List<PeerId> expected = inTable.stream()
                        .sorted(Comparator.comparing((PeerId p) -> target.distance(KadKey.of(p.bytes()))))
                        .limit(count)
                        .collect(Collectors.toList());
                assertThat(t.closest(target, count).stream().map(PeerInfo::id).toList())
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void bucketsNotExploredForAnIntervalAreDueForRefresh() {
        RoutingTable t = new RoutingTable(self, 20, 0, 2, 0);
        for (PeerId p : peersInBucket(3, 1)) {
            t.peerResponded(PeerInfo.of(p), 0);
        }
        // deepest non-empty bucket 3: buckets 0..4 are candidates
        assertThat(t.bucketsDueForRefresh(999, 1000)).isEmpty();
        assertThat(t.bucketsDueForRefresh(1000, 1000)).containsExactly(0, 1, 2, 3, 4);
        KadKey inBucket2 = KadKey.of(peersInBucket(2, 1).get(0).bytes());
        t.markActivity(inBucket2, 600);
        assertThat(t.bucketsDueForRefresh(1000, 1000)).containsExactly(0, 1, 3, 4);
    }
}
