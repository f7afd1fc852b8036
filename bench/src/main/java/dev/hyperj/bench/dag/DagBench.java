package dev.hyperj.bench.dag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.subnet.dag.CanonicalJson;
import dev.hyperj.subnet.dag.DagNode;
import dev.hyperj.subnet.dag.DagNodes;
import dev.hyperj.subnet.dag.DagReader;
import dev.hyperj.subnet.dag.DagSchema;
import dev.hyperj.subnet.dag.DagStore;
import dev.hyperj.subnet.dag.Ingested;
import dev.hyperj.subnet.dag.MemoryDagStore;
import dev.hyperj.subnet.dag.MerkleDag;
import dev.hyperj.subnet.dag.RocksDagStore;
import dev.hyperj.subnet.dag.sync.DagService;
import dev.hyperj.subnet.dag.sync.SyncConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/**
 * The Merkle DAG's costs, whole-system: (1) ingest rate of signed Ed25519 nodes with 1 KiB bodies
 * into the in-memory and the RocksDB store, against raw RocksDB puts of the same bytes in the same
 * run (the store's floor); (2) time and bytes for a late joiner to sync 1k, 10k, 100k nodes from
 * one peer over loopback TCP (Noise, Yamux, the sync protocol), against the raw size of the nodes.
 *
 * <pre>java -Xmx4g -cp bench/target/benchmarks.jar dev.hyperj.bench.dag.DagBench [ingestNodes] [syncSizes...]</pre>
 */
public final class DagBench {
    static final String NS = "bench";
    static final DagSchema SCHEMA = new DagSchema() {
        public String id() {
            return "blob/1";
        }

        public void validate(DagNode node, DagReader dag) throws InvalidNodeException {
            if (!node.payload().path("data").isTextual()) throw new InvalidNodeException("data");
        }
    };

    public static void main(String[] args) throws Exception {
        int ingest = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<Integer> syncs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) syncs.add(Integer.parseInt(args[i]));
        if (syncs.isEmpty()) syncs = List.of(1_000, 10_000, 100_000);
        PrivateKey key = Keys.generate(KeyType.ED25519);
        int largest = Math.max(ingest, syncs.stream().max(Integer::compare).orElse(0));
        long t0 = System.nanoTime();
        List<DagNode> nodes = nodes(key, largest, 1024);
        System.out.printf(Locale.ROOT, "generated %,d signed nodes (1 KiB bodies) in %.1f s%n", nodes.size(), secs(t0));
        ingestBench(nodes.subList(0, ingest));
        for (int n : syncs) syncBench(nodes.subList(0, n));
        System.exit(0);
    }

    /** {@code count} nodes, 100 per epoch, each with up to 2 parents in the previous epoch. */
    static List<DagNode> nodes(PrivateKey key, int count, int bodyBytes) {
        List<DagNode> out = new ArrayList<>(count);
        List<String> previous = List.of(), these = new ArrayList<>();
        String pad = "b".repeat(bodyBytes - 11);
        for (int i = 0; i < count; i++) {
            int epoch = i / 100;
            if (i % 100 == 0 && i > 0) {
                previous = these;
                these = new ArrayList<>();
            }
            List<String> parents = previous.isEmpty()
                    ? List.of()
                    : List.of(previous.get(i % previous.size()), previous.get((i * 7 + 3) % previous.size()));
            JsonNode body = CanonicalJson.object().put("data", pad);
            DagNode n = DagNodes.create(
                    key,
                    NS,
                    "blob/1",
                    parents.stream().distinct().toList(),
                    body,
                    CanonicalJson.object().put("epoch", epoch),
                    i);
            out.add(n);
            these.add(n.id());
        }
        return out;
    }

    static void ingestBench(List<DagNode> nodes) throws Exception {
        List<byte[]> encoded = nodes.stream().map(DagNode::encode).toList();
        long bytes = encoded.stream().mapToLong(b -> b.length).sum();
        // raw RocksDB: the same bytes, one put per node, default write options (as the store uses)
        Path raw = Files.createTempDirectory("dagbench-raw");
        double rawRate;
        RocksDB.loadLibrary();
        try (Options o = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(o, raw.toString());
                WriteOptions w = new WriteOptions()) {
            long t = System.nanoTime();
            for (int i = 0; i < nodes.size(); i++)
                db.put(w, nodes.get(i).id().getBytes(StandardCharsets.US_ASCII), encoded.get(i));
            rawRate = nodes.size() / secs(t);
        }
        double mem = ingest(nodes, new MemoryDagStore());
        Path dir = Files.createTempDirectory("dagbench-rocks");
        double rocks = ingest(nodes, RocksDagStore.open(dir));
        System.out.printf(
                Locale.ROOT, "ingest of %,d signed nodes (%.1f MiB encoded):%n", nodes.size(), bytes / 1048576.0);
        System.out.printf(Locale.ROOT, "  raw RocksDB puts      %,10.0f nodes/s%n", rawRate);
        System.out.printf(
                Locale.ROOT,
                "  MerkleDag + RocksDB   %,10.0f nodes/s  (%.3f of raw RocksDB)%n",
                rocks,
                rocks / rawRate);
        System.out.printf(
                Locale.ROOT, "  MerkleDag + memory    %,10.0f nodes/s  (%.3f of raw RocksDB)%n", mem, mem / rawRate);
        deleteTree(raw);
        deleteTree(dir);
    }

    /** Nodes/s through full ingest (id, signature, body hash, schema, store with its indexes). */
    static double ingest(List<DagNode> nodes, DagStore store) {
        MerkleDag dag = new MerkleDag(store);
        dag.register(NS, SCHEMA);
        long t = System.nanoTime();
        for (DagNode n : nodes) {
            if (dag.ingest(n).status() != Ingested.Status.ACCEPTED)
                throw new IllegalStateException("not accepted: " + n.id());
        }
        double rate = nodes.size() / secs(t);
        store.close();
        return rate;
    }

    record Peer(Host host, GossipSub gossip, MerkleDag dag, DagService service) implements AutoCloseable {
        public void close() {
            service.close();
            gossip.close();
            host.close();
        }
    }

    static Peer peer(SyncConfig sync) throws Exception {
        Host h = Host.builder()
                .identity(Keys.generate(KeyType.ED25519))
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build();
        h.start().get(10, TimeUnit.SECONDS);
        GossipSub g =
                GossipSub.start(h, GossipConfig.defaults(), PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
        MerkleDag dag = new MerkleDag(new MemoryDagStore());
        dag.register(NS, SCHEMA);
        return new Peer(
                h, g, dag, DagService.start(h, g, dag, h.identity(), sync).get(10, TimeUnit.SECONDS));
    }

    static void syncBench(List<DagNode> nodes) throws Exception {
        // announcements would start a sync of their own: far apart, so the one measured is ours
        SyncConfig sync =
                SyncConfig.defaults().withAnnounceEvery(Duration.ofHours(1)).withRate(10_000, 10_000);
        long raw = nodes.stream().mapToLong(n -> n.encode().length).sum();
        try (Peer a = peer(sync);
                Peer b = peer(sync)) {
            for (DagNode n : nodes) a.dag().ingest(n);
            b.host().connect(a.host().listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
            long t = System.nanoTime();
            DagService.SyncResult r = b.service().syncWith(a.host().peerId()).get(30, TimeUnit.MINUTES);
            double s = secs(t);
            if (b.dag().count() != nodes.size()
                    || !b.dag().heads().equals(a.dag().heads()))
                throw new IllegalStateException("sync incomplete: " + b.dag().count() + " of " + nodes.size());
            System.out.printf(
                    Locale.ROOT,
                    "late joiner sync of %,7d nodes: %6.2f s, %,9.0f nodes/s, %,d requests, %.1f MiB received (%.3f of the nodes' raw %.1f MiB)%n",
                    nodes.size(),
                    s,
                    nodes.size() / s,
                    r.requests(),
                    r.bytes() / 1048576.0,
                    (double) r.bytes() / raw,
                    raw / 1048576.0);
        }
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
