package dev.hyperj.subnet.dag.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.hyperj.subnet.dag.DagLimits;
import dev.hyperj.subnet.dag.DagNode;
import dev.hyperj.subnet.dag.DagNodes;
import dev.hyperj.subnet.dag.DagReader;
import dev.hyperj.subnet.dag.DagSchema;
import dev.hyperj.subnet.dag.DagStore;
import dev.hyperj.subnet.dag.MemoryDagStore;
import dev.hyperj.subnet.dag.MerkleDag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A DAG peer on loopback for tests and benchmarks: host, gossip, DAG service, a "note" schema. */
public final class DagPeers {
    public static final String NS = "notes";
    public static final String SCHEMA = "note/1";
    public static final GossipConfig FAST_GOSSIP = GossipConfig.defaults().toBuilder()
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
            .build();

    /** Notes {"n": integer, "text": string}; the state counts them. */
    public static final DagSchema NOTE = new DagSchema() {
        public String id() {
            return SCHEMA;
        }

        public void validate(DagNode node, DagReader dag) throws InvalidNodeException {
            if (!node.payload().path("n").isIntegralNumber()) throw new InvalidNodeException("n must be an integer");
        }

        public JsonNode apply(JsonNode state, DagNode node) {
            ObjectNode s = CanonicalJson.object();
            s.put("count", state.path("count").asLong(0) + 1);
            s.put("sum", state.path("sum").asLong(0) + node.payload().get("n").asLong());
            return s;
        }
    };

    private DagPeers() {}

    /** One running peer; close it to stop everything. */
    public record Peer(PrivateKey key, Host host, GossipSub gossip, MerkleDag dag, DagService service, DagStore store)
            implements AutoCloseable {
        public Multiaddr address() {
            return host.listenAddresses().get(0);
        }

        @Override
        public void close() {
            service.close();
            gossip.close();
            host.close();
            store.close();
        }
    }

    public static Peer start(DagStore store, DagLimits limits, SyncConfig sync) throws Exception {
        PrivateKey key = Keys.generate(KeyType.ED25519);
        Host h = Host.builder()
                .identity(key)
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build();
        h.start().get(10, TimeUnit.SECONDS);
        GossipSub g = GossipSub.start(h, FAST_GOSSIP, PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
        MerkleDag dag = new MerkleDag(store, limits);
        dag.register(NS, NOTE);
        DagService s = DagService.start(h, g, dag, key, sync).get(10, TimeUnit.SECONDS);
        return new Peer(key, h, g, dag, s, store);
    }

    public static Peer start() throws Exception {
        return start(
                new MemoryDagStore(),
                DagLimits.defaults(),
                SyncConfig.defaults().withAnnounceEvery(Duration.ofMillis(300)));
    }

    /**
     * {@code perEpoch} signed notes in each of {@code epochs} epochs, each note's parents the
     * previous epoch's notes (up to 4), bodies padded to about {@code bodyBytes}.
     */
    public static List<DagNode> notes(PrivateKey key, int epochs, int perEpoch, int bodyBytes) {
        List<DagNode> all = new ArrayList<>();
        List<String> previous = List.of();
        String pad = "x".repeat(Math.max(0, bodyBytes - 24));
        int n = 0;
        for (int e = 0; e < epochs; e++) {
            List<String> these = new ArrayList<>();
            for (int i = 0; i < perEpoch; i++) {
                List<String> parents = new ArrayList<>();
                for (int k = 0; k < Math.min(4, previous.size()); k++)
                    parents.add(previous.get((i + k * 7) % previous.size()));
                DagNode node = DagNodes.create(
                        key,
                        NS,
                        SCHEMA,
                        parents.stream().distinct().toList(),
                        CanonicalJson.object().put("n", n++).put("text", pad),
                        CanonicalJson.object().put("epoch", e),
                        1_000L + n);
                all.add(node);
                these.add(node.id());
            }
            previous = these;
        }
        return all;
    }
}
