package dev.hyperj.subnet.dag.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.DagHeader;
import dev.hyperj.subnet.dag.DagLimits;
import dev.hyperj.subnet.dag.DagNode;
import dev.hyperj.subnet.dag.DagNodes;
import dev.hyperj.subnet.dag.MemoryDagStore;
import dev.hyperj.subnet.dag.MerkleDag;
import dev.hyperj.subnet.dag.RejectReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DAG sync on real sockets (no chain): catching up by itself, and hostile peers. */
@Timeout(90)
class DagServiceTest {
    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20); // gossip and sync run on their own threads; nothing to await but the outcome
        }
    }

    @Test
    void gossipedNodesArriveAndALateJoinerCatchesUpByItself() throws Exception {
        try (DagPeers.Peer a = DagPeers.start();
                DagPeers.Peer b = DagPeers.start()) {
            // a holds 1,000 nodes over 20 epochs before anyone connects
            for (DagNode n : DagPeers.notes(a.key(), 20, 50, 200)) a.dag().ingest(n);
            b.host().connect(a.address()).get(10, TimeUnit.SECONDS);
            await(
                    "b to catch up",
                    () -> b.dag().count() == 1000
                            && b.dag().heads().equals(a.dag().heads()));
            assertThat(b.dag().stateText(DagPeers.NS)).isEqualTo(a.dag().stateText(DagPeers.NS));
            assertThat(b.dag().orphanCount()).isZero();
            // then live: a node published on b reaches a by gossip
            List<String> parents = List.copyOf(b.dag().heads()); // the last epoch's 50 notes
            DagNode live = b.service()
                    .publish(
                            DagPeers.NS,
                            DagPeers.SCHEMA,
                            parents,
                            CanonicalJson.object().put("n", -1),
                            CanonicalJson.object().put("epoch", 20));
            await("a to receive the live node", () -> a.dag().get(live.id()).isPresent());
            assertThat(a.dag().heads())
                    .contains(live.id())
                    .doesNotContainAnyElementsOf(parents)
                    .hasSize(1);
            // a third peer, a partition's worth behind (two epochs and the live node missing), catches up too
            try (DagPeers.Peer c = DagPeers.start()) {
                List<DagNode> all = new ArrayList<>();
                for (String id : a.dag().reader().ids(DagPeers.NS, 18))
                    all.add(a.dag().get(id).orElseThrow());
                for (long e = 0; e < 18; e++)
                    for (String id : a.dag().reader().ids(DagPeers.NS, e))
                        c.dag().ingest(a.dag().get(id).orElseThrow());
                assertThat(c.dag().count()).isEqualTo(900);
                c.host().connect(b.address()).get(10, TimeUnit.SECONDS);
                await(
                        "c to catch up",
                        () -> c.dag().heads().equals(a.dag().heads()) && c.dag().count() == 1001);
                assertThat(all).isNotEmpty();
            }
        }
    }

    @Test
    void aWideDagAnnouncesItsNewestHeadsAndANewcomerStillGetsEveryHead() throws Exception {
        SyncConfig narrow =
                SyncConfig.defaults().withAnnounceEvery(Duration.ofMillis(300)).withMaxAnnouncedHeads(4);
        try (DagPeers.Peer a = DagPeers.start(new MemoryDagStore(), DagLimits.defaults(), narrow);
                DagPeers.Peer b = DagPeers.start(new MemoryDagStore(), DagLimits.defaults(), narrow)) {
            for (DagNode n : DagPeers.notes(a.key(), 1, 30, 50)) a.dag().ingest(n); // 30 heads
            List<String> newest = new ArrayList<>();
            for (int i = 0; i < 3; i++)
                newest.add(a.service()
                        .publish(
                                DagPeers.NS,
                                DagPeers.SCHEMA,
                                List.of(),
                                CanonicalJson.object().put("n", 100 + i),
                                CanonicalJson.object().put("epoch", 1))
                        .id());
            assertThat(a.dag().heads()).hasSize(33);
            List<String> announced = a.service().announcedHeads();
            assertThat(announced).hasSize(4).containsAll(newest);
            assertThat(a.dag().heads()).containsAll(announced);
            // the announcement names 4 of 33 heads; the catch-up it starts brings all of them
            b.host().connect(a.address()).get(10, TimeUnit.SECONDS);
            await("b to hold every head", () -> b.dag().heads().equals(a.dag().heads()));
            assertThat(b.dag().count()).isEqualTo(33);
        }
    }

    @Test
    void hostileInputIsRejectedWithItsReasonAndHonestPeersAreUnaffected() throws Exception {
        SyncConfig tight =
                SyncConfig.defaults().withAnnounceEvery(Duration.ofMillis(300)).withRate(20, 40);
        try (DagPeers.Peer a = DagPeers.start(
                        new MemoryDagStore(),
                        DagLimits.defaults().withMaxOrphans(100).withMaxBodyBytes(4096),
                        tight);
                DagPeers.Peer m = DagPeers.start();
                DagPeers.Peer spy = DagPeers.start();
                DagPeers.Peer b = DagPeers.start()) {
            for (DagNode n : DagPeers.notes(a.key(), 200, 1, 100)) a.dag().ingest(n); // a chain 200 deep
            m.host().connect(a.address()).get(10, TimeUnit.SECONDS);
            await("m in a's mesh", () -> a.service().responder() != null && m.gossip() != null);
            PrivateKey mk = m.key();
            DagNode good = DagNodes.create(
                    mk,
                    DagPeers.NS,
                    DagPeers.SCHEMA,
                    List.of(),
                    CanonicalJson.object().put("n", 1),
                    null,
                    5);
            DagHeader h = good.header();
            PrivateKey other = Keys.generate(KeyType.ED25519);
            String forged = HexFormat.of().formatHex(other.sign(CanonicalJson.encode(h.unsigned())));
            List<DagNode> hostile = List.of(
                    new DagNode(with(h, h.nodeId(), h.parentIds(), forged), good.payload()),
                    new DagNode(with(h, "sha256:" + "1".repeat(64), h.parentIds(), h.signature()), good.payload()),
                    new DagNode(h, CanonicalJson.object().put("n", 2)),
                    new DagNode(with(h, h.nodeId(), List.of(h.nodeId()), h.signature()), good.payload()),
                    DagNodes.create(mk, "nobody-registered-this", "x/1", List.of(), CanonicalJson.object(), null, 5),
                    DagNodes.create(
                            mk,
                            DagPeers.NS,
                            DagPeers.SCHEMA,
                            List.of(),
                            CanonicalJson.object().put("n", 3).put("pad", "y".repeat(5000)),
                            null,
                            5));
            // an orphan flood fills the bounded pool and no more (before the hostile nodes below get m blacklisted)
            List<DagNode> orphans = new ArrayList<>();
            for (int i = 0; i < 300; i++)
                orphans.add(DagNodes.create(
                        mk,
                        DagPeers.NS,
                        DagPeers.SCHEMA,
                        List.of(String.format("sha256:%064x", i + 1)),
                        CanonicalJson.object().put("n", i),
                        null,
                        i));
            // offered again until the mesh carries them (before it forms, a publish reaches nobody)
            await("orphans to arrive", () -> {
                if (a.dag().orphanCount() < 100) orphans.forEach(m.service()::offer);
                return a.dag().orphanCount() >= 100
                        && a.dag().stats().count(dev.hyperj.subnet.dag.Ingested.Status.ORPHAN) >= 300;
            });
            assertThat(a.dag().orphanCount()).isLessThanOrEqualTo(100);

            // gossip them until a has judged each (the mesh forms within a heartbeat or two)
            await("a to judge the hostile nodes", () -> {
                for (DagNode n : hostile) m.service().offer(n);
                MerkleDag.Stats s = a.dag().stats();
                return s.rejected(RejectReason.FORGED_SIGNATURE) > 0
                        && s.rejected(RejectReason.WRONG_NODE_ID) > 0
                        && s.rejected(RejectReason.WRONG_BODY_HASH) > 0
                        && s.rejected(RejectReason.SELF_PARENT) > 0
                        && s.rejected(RejectReason.UNKNOWN_SCHEMA) > 0
                        && s.rejected(RejectReason.OVERSIZED_BODY) > 0;
            });
            assertThat(a.dag().count()).isEqualTo(200);
            // the sync stream (another hostile peer: m is blacklisted by now): too many ids, a deep ancestor request,
            // and a flood
            spy.host().connect(a.address()).get(10, TimeUnit.SECONDS);
            JsonNode tooMany = ask(
                    spy,
                    a,
                    SyncMessages.fetchRequest(
                            ids(33), true, 0, spy.host().peerId().toBase58(), 0));
            assertThat(tooMany.path("reason").asText()).isEqualTo("too many ids");
            JsonNode deep = ask(
                    spy,
                    a,
                    SyncMessages.fetchRequest(
                            a.dag().heads(),
                            true,
                            1_000_000,
                            spy.host().peerId().toBase58(),
                            0));
            assertThat(deep.path("kind").asText()).isEqualTo(SyncMessages.FETCH_RESPONSE);
            assertThat(deep.get("nodes").size()).isEqualTo(SyncConfig.defaults().maxAncestorDepth() + 1);
            JsonNode garbage = CanonicalJson.parse(RequestResponse.request(
                            spy.host(), a.host().peerId(), DagService.PROTOCOL, "{\"kind\": 1.5}".getBytes())
                    .get(10, TimeUnit.SECONDS));
            assertThat(garbage.path("reason").asText()).startsWith("malformed");
            // a flood: 200 inventory requests at once against a bucket of 40
            List<java.util.concurrent.CompletableFuture<byte[]>> flood = new ArrayList<>();
            byte[] inv = CanonicalJson.encode(SyncMessages.envelope(SyncMessages.INVENTORY_REQUEST, "*", "m", 0));
            for (int i = 0; i < 200; i++)
                flood.add(RequestResponse.request(spy.host(), a.host().peerId(), DagService.PROTOCOL, inv));
            int limited = 0, answered = 0, streamsRefused = 0;
            for (var f : flood) {
                byte[] r;
                try {
                    r = f.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    streamsRefused++; // beyond the protocol's concurrent-request limit: the stream is reset
                    continue;
                }
                if (CanonicalJson.parse(r).path("reason").asText().equals("rate limited")) limited++;
                else answered++;
            }
            // a bucket of 40 refilling at 20/s: however slowly the flood goes through, most is refused
            assertThat(answered).as("answered of 200").isLessThanOrEqualTo(100);
            assertThat(limited + streamsRefused).isGreaterThanOrEqualTo(100);
            assertThat(limited).isPositive();
            assertThat(a.service().responder().refusals())
                    .containsKeys("too many ids", "depth capped", "malformed", "rate limited");
            // an honest peer still syncs everything from a
            b.host().connect(a.address()).get(10, TimeUnit.SECONDS);
            await(
                    "b to catch up despite the flood",
                    () -> b.dag().count() == 200
                            && b.dag().heads().equals(a.dag().heads()));
        }
    }

    static JsonNode ask(DagPeers.Peer from, DagPeers.Peer to, ObjectNode request) throws Exception {
        byte[] r = RequestResponse.request(
                        from.host(), to.host().peerId(), DagService.PROTOCOL, CanonicalJson.encode(request))
                .get(10, TimeUnit.SECONDS);
        return CanonicalJson.parse(r);
    }

    static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(String.format("sha256:%064x", i));
        return out;
    }

    static DagHeader with(DagHeader h, String id, List<String> parents, String sig) {
        return new DagHeader(
                id,
                h.namespace(),
                h.schemaId(),
                parents,
                h.bodyHash(),
                h.bodySize(),
                h.author(),
                h.publicKey(),
                sig,
                h.createdAtMs(),
                h.version(),
                h.metadata());
    }
}
