package dev.hyperj.subnet.metrics;

import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.ConnectionListener;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.kad.KadDht;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.resources.Refusal;
import dev.hyperj.subnet.consensus.ConsensusLoop;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.pos.ProofOfStakeGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Binds one subnet node's parts to a registry. Counters the parts keep themselves are read at
 * scrape time ({@link FunctionCounter}); events (connections, gossip outcomes, epochs, consensus)
 * come through the parts' listeners. Mesh sizes change with the topics, so {@link #refresh} reads
 * them just before each scrape.
 */
public final class NodeMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private GossipSub gossip;
    private MultiGauge mesh;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public NodeMetrics bindHost(Host host) {
        Gauge.builder("hyperj_p2p_connections", host, h -> h.connections().size())
                .description("Established libp2p connections")
                .register(registry);
        Gauge.builder(
                        "hyperj_p2p_streams",
                        host,
                        h -> h.connections().connections().stream()
                                .mapToInt(Connection::streamCount)
                                .sum())
                .description("Open streams over all connections")
                .register(registry);
        Gauge.builder(
                        "hyperj_p2p_peers",
                        host,
                        h -> h.connections().connectedPeers().size())
                .description("Connected peers")
                .register(registry);
        Counter opened = Counter.builder("hyperj_p2p_connections_opened_total")
                .description("Connections established")
                .register(registry);
        Counter closed = Counter.builder("hyperj_p2p_connections_closed_total")
                .description("Connections closed after being established")
                .register(registry);
        Counter refused = Counter.builder("hyperj_p2p_connections_refused_total")
                .description("Connections closed before they were usable (limits, gate, handshake)")
                .register(registry);
        ConnectionListener l = new ConnectionListener() {
            @Override
            public void connected(Connection c) {
                opened.increment();
            }

            @Override
            public void disconnected(Connection c) {
                closed.increment();
            }

            @Override
            public void refused(Multiaddr remote, boolean inbound, String reason) {
                refused.increment();
            }
        };
        host.connections().addListener(l);
        subscriptions.add(() -> host.connections().removeListener(l));
        for (Refusal r : Refusal.values()) {
            FunctionCounter.builder(
                            "hyperj_p2p_resource_refusals_total",
                            host,
                            h -> h.resources().usage().refusals(r))
                    .description("Connections and streams the resource manager refused (or evicted), by limit")
                    .tags("reason", r.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        return this;
    }

    public NodeMetrics bindGossip(GossipSub g) {
        this.gossip = g;
        FunctionCounter.builder("hyperj_gossip_sent", g, GossipSub::bytesSent)
                .description("Pubsub RPC bytes written to peers")
                .baseUnit("bytes")
                .register(registry);
        FunctionCounter.builder("hyperj_gossip_received", g, GossipSub::bytesReceived)
                .description("Pubsub RPC bytes read from peers")
                .baseUnit("bytes")
                .register(registry);
        subscriptions.add(g.onOutcome((topic, outcome) -> Counter.builder("hyperj_gossip_messages_total")
                .description("Messages received on subscribed topics, by topic and outcome")
                .tags("topic", topic, "outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment()));
        mesh = MultiGauge.builder("hyperj_gossip_mesh_peers")
                .description("Peers in the mesh of each subscribed topic")
                .register(registry);
        return this;
    }

    public NodeMetrics bindDht(KadDht dht) {
        Gauge.builder("hyperj_dht_routing_table_peers", dht, d -> d.stats().routingTableSize())
                .description("Peers in the Kademlia routing table")
                .register(registry);
        FunctionCounter.builder("hyperj_dht_lookups_total", dht, d -> d.stats().lookups())
                .description("DHT lookups run (maintenance included)")
                .register(registry);
        FunctionCounter.builder(
                        "hyperj_dht_requests_sent_total", dht, d -> d.stats().requestsSent())
                .description("DHT requests sent")
                .register(registry);
        FunctionCounter.builder(
                        "hyperj_dht_request_failures_total", dht, d -> d.stats().requestFailures())
                .description("DHT requests that failed or timed out")
                .register(registry);
        FunctionCounter.builder(
                        "hyperj_dht_inbound_requests_total", dht, d -> d.stats().inboundRequests())
                .description("DHT requests received")
                .register(registry);
        FunctionCounter.builder(
                        "hyperj_dht_inbound_rejected_total", dht, d -> d.stats().inboundRejected())
                .description("DHT requests refused")
                .register(registry);
        return this;
    }

    public NodeMetrics bindGate(ProofOfStakeGate gate) {
        FunctionCounter.builder("hyperj_gate_decisions_total", gate, ProofOfStakeGate::allowedCount)
                .description("Proof-of-stake gate decisions, by decision")
                .tags("decision", "allowed")
                .register(registry);
        FunctionCounter.builder("hyperj_gate_decisions_total", gate, ProofOfStakeGate::deniedCount)
                .description("Proof-of-stake gate decisions, by decision")
                .tags("decision", "denied")
                .register(registry);
        FunctionCounter.builder("hyperj_gate_cache_hits_total", gate, ProofOfStakeGate::cacheHits)
                .description("Gate decisions answered from the cache")
                .register(registry);
        FunctionCounter.builder("hyperj_gate_chain_calls_total", gate, ProofOfStakeGate::chainCalls)
                .description("Gate decisions that asked the chain")
                .register(registry);
        return this;
    }

    public NodeMetrics bindEpochs(EpochTracker tracker) {
        Gauge.builder(
                        "hyperj_subnet_epoch",
                        tracker,
                        t -> t.position().map(p -> (double) p.epoch()).orElse(Double.NaN))
                .description("The subnet's current epoch")
                .register(registry);
        Gauge.builder(
                        "hyperj_subnet_epoch_progress_ratio",
                        tracker,
                        t -> t.position().map(p -> p.progress()).orElse(Double.NaN))
                .description("Fraction of the current epoch gone by")
                .register(registry);
        Gauge.builder(
                        "hyperj_chain_block",
                        tracker,
                        t -> t.position().map(p -> (double) p.block()).orElse(Double.NaN))
                .description("The latest chain block the node has seen")
                .register(registry);
        Counter epochs = Counter.builder("hyperj_subnet_epochs_total")
                .description("Epoch starts the node has seen")
                .register(registry);
        subscriptions.add(tracker.onEpoch(ev -> epochs.increment()));
        return this;
    }

    public NodeMetrics bindConsensus(ConsensusLoop consensus) {
        subscriptions.add(consensus.onOutcome(o -> Counter.builder("hyperj_consensus_outcomes_total")
                .description("What this node did in each epoch (proposed, attested, mismatch, ...)")
                .tags("action", o.action().name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment()));
        return this;
    }

    /** The Merkle DAG: nodes held, heads, and ingests by outcome. */
    public NodeMetrics bindDag(dev.hyperj.subnet.dag.MerkleDag dag) {
        Gauge.builder("hyperj_dag_nodes", dag, d -> d.count())
                .description("Nodes in the local Merkle DAG")
                .register(registry);
        Gauge.builder("hyperj_dag_heads", dag, d -> d.heads().size())
                .description("Heads of the local Merkle DAG")
                .register(registry);
        for (dev.hyperj.subnet.dag.Ingested.Status st : dev.hyperj.subnet.dag.Ingested.Status.values()) {
            FunctionCounter.builder(
                            "hyperj_dag_ingested_total", dag, d -> d.stats().count(st))
                    .description("DAG nodes received, by outcome")
                    .tags("outcome", st.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        return this;
    }

    /** Times calls of the API protocol this node forwarded, by route and outcome. */
    public void forwarded(String route, String outcome, long nanos) {
        Timer.builder("hyperj_api_forward_seconds")
                .description("API-protocol calls this node forwarded to its local services")
                .tags("route", route, "outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Times bridge calls ({@code POST /v1/request}) by outcome. */
    public void bridged(String outcome, long nanos) {
        Timer.builder("hyperj_api_bridge_seconds")
                .description("Bridge calls to peers' API-protocol routes, by outcome")
                .tags("outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Times a network-API request by route and status. */
    public void served(String route, int status, long nanos) {
        Timer.builder("hyperj_api_request_seconds")
                .description("Network API requests, by route and status")
                .tags(Tags.of("route", route, "status", Integer.toString(status)))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts the API server's refusals (read from its counters at scrape time). */
    public NodeMetrics bindApiRefusals(dev.hyperj.subnet.api.ApiServer server) {
        // the server itself is the meters' object: Micrometer holds it weakly, and the node holds it
        for (String reason : dev.hyperj.subnet.api.ApiServer.refusalReasons()) {
            FunctionCounter.builder(
                            "hyperj_api_refusals_total",
                            server,
                            s -> s.refusals().getOrDefault(reason, 0L))
                    .description("Network API requests refused, by reason")
                    .tags("reason", reason)
                    .register(registry);
        }
        return this;
    }

    /** Reads what changes shape between scrapes (mesh sizes per topic). */
    public void refresh() {
        if (gossip == null) return;
        try {
            Map<String, Integer> sizes = gossip.call(r -> {
                        Map<String, Integer> m = new java.util.TreeMap<>();
                        for (String t : r.subscriptions())
                            m.put(t, r.meshPeers(t).size());
                        return m;
                    })
                    .get(2, TimeUnit.SECONDS);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            sizes.forEach((t, n) -> rows.add(MultiGauge.Row.of(Tags.of("topic", t), n)));
            mesh.register(rows, true);
        } catch (Exception e) {
            // a router that does not answer within the scrape keeps the previous sizes
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : subscriptions) {
            try {
                c.close();
            } catch (Exception e) {
                // closing listeners does not fail
            }
        }
    }
}
