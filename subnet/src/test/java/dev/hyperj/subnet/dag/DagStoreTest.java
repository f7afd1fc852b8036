package dev.hyperj.subnet.dag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.subnet.dag.sync.DagPeers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both stores behave alike; pruning keeps storage bounded over 1,000 epochs; a newcomer starts from a checkpoint. */
class DagStoreTest {
    final PrivateKey key = Keys.generate(KeyType.ED25519);

    static MerkleDag dag(DagStore store) {
        MerkleDag d = new MerkleDag(store);
        d.register(DagPeers.NS, DagPeers.NOTE);
        return d;
    }

    @Test
    void rocksAndMemoryAgreeAndRocksSurvivesAReopen(@TempDir Path dir) {
        List<DagNode> notes = DagPeers.notes(key, 20, 10, 100);
        MerkleDag mem = dag(new MemoryDagStore());
        String heads, state;
        try (RocksDagStore rocks = RocksDagStore.open(dir)) {
            MerkleDag r = dag(rocks);
            for (DagNode n : notes) {
                assertThat(r.ingest(n).status()).isEqualTo(mem.ingest(n).status());
            }
            assertThat(r.heads()).isEqualTo(mem.heads()).hasSize(10);
            assertThat(r.count()).isEqualTo(200);
            assertThat(r.stateText(DagPeers.NS)).isEqualTo(mem.stateText(DagPeers.NS));
            DagNode some = notes.get(55);
            assertThat(rocks.get(some.id())).contains(some);
            assertThat(rocks.children(notes.get(5).id()))
                    .isEqualTo(mem.reader().children(notes.get(5).id()));
            assertThat(rocks.ids(DagPeers.NS, 7))
                    .isEqualTo(mem.reader().ids(DagPeers.NS, 7))
                    .hasSize(10);
            assertThat(rocks.epochs(DagPeers.NS)).hasSize(20).first().isEqualTo(0L);
            heads = r.heads().toString();
            state = r.stateText(DagPeers.NS);
        }
        try (RocksDagStore again = RocksDagStore.open(dir)) {
            MerkleDag r = dag(again);
            assertThat(r.heads().toString()).isEqualTo(heads);
            assertThat(r.count()).isEqualTo(200);
            assertThat(r.stateText(DagPeers.NS)).isEqualTo(state);
        }
    }

    @Test
    void pruningOver1000EpochsKeepsStorageBoundedAndANewcomerSyncsFromTheCheckpoint(@TempDir Path dir) {
        int retain = 10, perEpoch = 5;
        try (RocksDagStore rocks = RocksDagStore.open(dir.resolve("a"));
                MemoryDagStore mem = new MemoryDagStore()) {
            MerkleDag r = dag(rocks), m = dag(mem);
            List<String> previous = List.of();
            long maxBytes = 0, maxCount = 0, maxIndex = 0, maxLive = 0;
            for (int e = 0; e < 1000; e++) {
                List<String> these = new java.util.ArrayList<>();
                for (int i = 0; i < perEpoch; i++) {
                    DagNode n = DagNodes.create(
                            key,
                            DagPeers.NS,
                            DagPeers.SCHEMA,
                            previous,
                            CanonicalJson.object().put("n", 1).put("pad", "z".repeat(500)),
                            CanonicalJson.object().put("epoch", e),
                            e * 10L + i);
                    assertThat(r.ingest(n).status()).isEqualTo(Ingested.Status.ACCEPTED);
                    assertThat(m.ingest(n).status()).isEqualTo(Ingested.Status.ACCEPTED);
                    these.add(n.id());
                }
                previous = these;
                if (e >= retain && e % 10 == 0) { // pruned every 10 epochs, keeping the last 10
                    Checkpoint cr = r.prune(key, e - retain);
                    m.prune(key, e - retain);
                    assertThat(cr.verify()).isTrue();
                }
                if (e % 100 == 99) rocks.compact();
                if (e >= 100) {
                    maxBytes = Math.max(maxBytes, rocks.bytes());
                    maxCount = Math.max(maxCount, rocks.count());
                    maxIndex = Math.max(maxIndex, mem.indexEntries());
                    maxLive = Math.max(maxLive, e % 100 == 99 ? rocks.liveBytes() : 0);
                }
            }
            // retained: at most the last 20 epochs (10 kept, 10 more until the next cut) of 5 nodes each
            int kept = (retain + 10) * perEpoch;
            assertThat(maxCount).isLessThanOrEqualTo(kept);
            assertThat(maxBytes).isLessThan(kept * 2500L);
            assertThat(maxIndex).isLessThanOrEqualTo(kept * (perEpoch + 1L));
            assertThat(maxLive).as("RocksDB's live data after compaction").isLessThan(1_000_000);
            // the state survives the cuts: 5,000 notes of n = 1 each
            assertThat(r.state(DagPeers.NS).get("count").asLong()).isEqualTo(5000);
            assertThat(r.stateText(DagPeers.NS)).isEqualTo(m.stateText(DagPeers.NS));
            assertThat(r.heads()).isEqualTo(m.heads());
            // late nodes for pruned epochs are refused by reason
            DagNode stale = DagNodes.create(
                    key,
                    DagPeers.NS,
                    DagPeers.SCHEMA,
                    List.of(),
                    CanonicalJson.object().put("n", 1),
                    CanonicalJson.object().put("epoch", 3),
                    1);
            assertThat(r.ingest(stale).reason()).isEqualTo(RejectReason.PRUNED_EPOCH);

            // a newcomer adopts the checkpoint, takes the retained nodes in any order, and agrees
            MerkleDag fresh = dag(new MemoryDagStore());
            assertThat(fresh.adopt(rocks.checkpoint().orElseThrow())).isTrue();
            List<DagNode> retained = new java.util.ArrayList<>();
            for (long e : rocks.epochs(DagPeers.NS))
                for (String id : rocks.ids(DagPeers.NS, e))
                    retained.add(rocks.get(id).orElseThrow());
            java.util.Collections.reverse(retained);
            for (DagNode n : retained) fresh.ingest(n);
            assertThat(fresh.heads()).isEqualTo(r.heads());
            assertThat(fresh.count()).isEqualTo(r.count());
            assertThat(fresh.stateText(DagPeers.NS)).isEqualTo(r.stateText(DagPeers.NS));
            // a forged checkpoint is not adopted
            Checkpoint c = rocks.checkpoint().orElseThrow();
            Checkpoint forged = new Checkpoint(
                    c.throughEpoch() + 5,
                    c.heads(),
                    c.boundary(),
                    c.states(),
                    c.author(),
                    c.publicKey(),
                    c.signature());
            assertThat(dag(new MemoryDagStore()).adopt(forged)).isFalse();
        }
    }
}
