package dev.hyperj.subnet.node;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.host.ConnectionLimits;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.host.PeerStoreFile;
import dev.hyperj.p2p.kad.DhtScheduler;
import dev.hyperj.p2p.kad.HostDhtNetwork;
import dev.hyperj.p2p.kad.KadDht;
import dev.hyperj.p2p.kad.PeerInfo;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.identify.Identify;
import dev.hyperj.subnet.api.ApiRoutes;
import dev.hyperj.subnet.api.ApiServer;
import dev.hyperj.subnet.api.NodeApi;
import dev.hyperj.subnet.api.forward.ApiProtocol;
import dev.hyperj.subnet.api.forward.ForwardPolicy;
import dev.hyperj.subnet.api.forward.Forwarder;
import dev.hyperj.subnet.consensus.ConsensusLoop;
import dev.hyperj.subnet.consensus.HeartbeatLog;
import dev.hyperj.subnet.consensus.HeartbeatTopic;
import dev.hyperj.subnet.dag.DagStore;
import dev.hyperj.subnet.dag.MemoryDagStore;
import dev.hyperj.subnet.dag.MerkleDag;
import dev.hyperj.subnet.dag.commit.CommitReveal;
import dev.hyperj.subnet.dag.sync.DagService;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.metrics.Metrics;
import dev.hyperj.subnet.metrics.NodeMetrics;
import dev.hyperj.subnet.peers.ConnectionMaintainer;
import dev.hyperj.subnet.pos.GaterChain;
import dev.hyperj.subnet.pos.ProofOfStakeGate;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subnet node: a libp2p host behind the proof-of-stake gate, identify, GossipSub, the Kademlia
 * DHT, the epoch tracker, the heartbeat topic and the consensus loop, around a
 * {@link SubnetApplication}. {@link #start} brings everything up in that order, dials the bootstrap
 * peers and joins the DHT; {@link #close} stops it cleanly from any state (each part that was
 * started is closed, in reverse order, once).
 */
public final class SubnetNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SubnetNode.class);

    public enum State {
        STARTING,
        RUNNING,
        STOPPING,
        STOPPED,
        FAILED
    }

    private final SubnetNodeConfig config;
    private final ChainClient chain;
    private final SubnetApplication app;
    private final NodeThreads threads; // null: threads of its own
    private final DagOptions dagOptions;
    private DagService dagService;
    private CommitReveal commitReveal;
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private volatile State state = State.STARTING;
    private Host host;
    private GossipSub gossip;
    private KadDht dht;
    private EpochTracker tracker;
    private ProofOfStakeGate gate;
    private ConsensusLoop consensus;
    private ConnectionMaintainer maintainer;
    private final HeartbeatLog heartbeats = new HeartbeatLog();
    private HeartbeatTopic heartbeatTopic;
    /** The DHT's record validators; applications add theirs in setup, after the DHT is built. */
    private final dev.hyperj.p2p.kad.Validators dhtValidators = dev.hyperj.p2p.kad.Validators.defaults();

    private final ApiRoutes apiRoutes = new ApiRoutes();
    private final Metrics metrics = new Metrics();
    private final NodeMetrics nodeMetrics = new NodeMetrics(metrics.registry());
    private ApiServer apiServer;
    private Forwarder forwarder;
    private Thread runner;
    private Context context;

    private SubnetNode(
            SubnetNodeConfig config,
            ChainClient chain,
            SubnetApplication app,
            DagOptions dagOptions,
            NodeThreads threads) {
        this.config = config;
        this.chain = chain;
        this.app = app;
        this.dagOptions = dagOptions;
        this.threads = threads;
    }

    /** Starts a node on threads of its own; on failure everything started is stopped again and the cause is thrown. */
    public static SubnetNode start(SubnetNodeConfig config, ChainClient chain, SubnetApplication app) throws Exception {
        return start(config, chain, app, DagOptions.defaults());
    }

    /** {@link #start(SubnetNodeConfig, ChainClient, SubnetApplication)} with the DAG kept as {@code dag} says. */
    public static SubnetNode start(SubnetNodeConfig config, ChainClient chain, SubnetApplication app, DagOptions dag)
            throws Exception {
        return start(config, chain, app, dag, null);
    }

    /**
     * Starts a node whose host, gossip router and DHT run on {@code threads}, shared with other nodes
     * of this process (null: threads of its own). The node behaves the same either way.
     */
    public static SubnetNode start(
            SubnetNodeConfig config, ChainClient chain, SubnetApplication app, DagOptions dag, NodeThreads threads)
            throws Exception {
        SubnetNode n = new SubnetNode(config, chain, app, dag, threads);
        try {
            n.bringUp();
            n.state = State.RUNNING;
            return n;
        } catch (Exception | Error e) {
            log.warn("subnet node failed to start: {}", e.toString());
            n.close();
            n.state = State.FAILED;
            throw e;
        }
    }

    private void bringUp() throws Exception {
        Files.createDirectories(config.storage());
        parts.push(metrics);
        parts.push(nodeMetrics);
        gate = ProofOfStakeGate.builder(chain, config.subnetId())
                .timeout(config.stakeCheckTimeout())
                .build();
        parts.push(gate);
        Set<String> configured = new HashSet<>();
        for (Multiaddr b : config.bootstrap()) b.peerId().ifPresent(p -> configured.add(p.toBase58()));
        gate.admit(configured);
        GaterChain gaters = GaterChain.of(gate);
        Host.Builder hb = Host.builder()
                .identity(config.identity())
                .listen(config.listen().toArray(Multiaddr[]::new))
                .gater(gaters)
                .limits(ConnectionLimits.defaults()
                        .withGaterTimeout(config.stakeCheckTimeout().plusSeconds(2)));
        EventLoop worker = null;
        if (threads != null) {
            hb.eventLoopGroup(threads.io());
            worker = threads.nextWorker();
        }
        host = hb.build();
        parts.push(host);
        // the peers a previous run knew: a restart reaches them without the chain's help
        Path peersFile = config.storage().resolve("peers");
        try {
            PeerStoreFile.load(peersFile, host.peerStore(), Duration.ofHours(1));
        } catch (IOException e) {
            log.warn("cannot read the saved peers in {}: {}", peersFile, e.toString());
        }
        Host started = host;
        parts.push(() -> PeerStoreFile.save(started.peerStore(), peersFile)); // closed before the host
        host.start().get(30, TimeUnit.SECONDS);
        Identify.install(host);
        gossip = GossipSub.start(
                host, config.gossip(), PeerScoreParams.defaults(), PeerScoreThresholds.defaults(), worker);
        parts.push(gossip);
        gaters.add(gossip.gater());
        KadDht.Builder db =
                KadDht.builder(host.peerId(), new HostDhtNetwork(host)).validators(dhtValidators);
        if (worker != null) db.scheduler(DhtScheduler.on(worker));
        dht = db.build();
        parts.push(dht);
        dht.start().get(30, TimeUnit.SECONDS);
        tracker = EpochTracker.create(chain, config.subnetId()); // followed once everything listens
        parts.push(tracker);
        AutoCloseable admits = tracker.onEpoch(ev -> {
            Set<String> s = new HashSet<>(ev.snapshot().alwaysAdmitted());
            s.addAll(configured);
            gate.admit(s);
        });
        parts.push(admits);
        startDag();
        context = new Context();
        heartbeatTopic =
                HeartbeatTopic.join(gossip, tracker, host.peerId(), heartbeats).get(30, TimeUnit.SECONDS);
        parts.push(heartbeatTopic);
        app.setup(context);
        parts.push(() -> app.stop(context));
        consensus = ConsensusLoop.start(
                chain, tracker, config.signer(), host.peerId().toBase58(), app.scorer(context));
        parts.push(consensus);
        nodeMetrics
                .bindHost(host)
                .bindGossip(gossip)
                .bindDht(dht)
                .bindGate(gate)
                .bindEpochs(tracker)
                .bindConsensus(consensus)
                .bindDag(dagService.dag());
        startApi();
        startTelemetry();
        // connected first, then the clock: a heartbeat published before the node has peers reaches nobody,
        // and the others would score that epoch without it
        bootstrap();
        tracker.follow();
        maintainer = ConnectionMaintainer.builder(host, chain, config.subnetId())
                .config(config.maintenance())
                .gossip(gossip)
                .dht(dht)
                .tracker(tracker)
                .gate(gate)
                .bootstrap(config.bootstrap())
                .start();
        parts.push(maintainer);
        app.start(context);
        runner = Thread.ofVirtual()
                .name("subnet-app-" + host.peerId().toBase58().substring(0, 12))
                .start(() -> {
                    try {
                        app.run(context);
                    } catch (InterruptedException e) {
                        log.debug("application run interrupted by stop");
                    } catch (Exception e) {
                        log.warn("application run failed: {}", e.toString(), e);
                    }
                });
        parts.push(() -> {
            runner.interrupt();
            runner.join(java.time.Duration.ofSeconds(10));
        });
    }

    /** The API protocol (if routes are configured) and the network API (if a server is). */
    private void startApi() {
        if (!config.api().routes().isEmpty()) {
            forwarder = new Forwarder(new ForwardPolicy(config.api().routes()));
            parts.push(forwarder);
            parts.push(forwarder.observe(nodeMetrics::forwarded));
            ApiProtocol.serve(host, forwarder);
        }
        if (config.api().server().isPresent()) {
            NodeApi api = new NodeApi(new NodeApi.Parts(
                    config.subnetId(), host, gossip, dht, tracker, apiRoutes, metrics, nodeMetrics, this::dagStatus));
            apiServer = ApiServer.start(config.api().server().get(), api);
            parts.push(apiServer);
            nodeMetrics.bindApiRefusals(apiServer);
            log.info("network API on {}", apiServer.url());
        }
    }

    /** The Merkle DAG, its sync and commit/reveal; older epochs are pruned as new ones begin. */
    private void startDag() throws Exception {
        DagStore store = dagOptions.persistent()
                ? dev.hyperj.subnet.dag.RocksDagStore.open(config.storage().resolve("dag"))
                : new MemoryDagStore();
        parts.push(store);
        MerkleDag dag = new MerkleDag(store, dagOptions.limits());
        dagService = DagService.start(host, gossip, dag, config.identity(), dagOptions.sync())
                .get(30, TimeUnit.SECONDS);
        parts.push(dagService);
        commitReveal = CommitReveal.start(dagService, tracker, host.peerId().toBase58());
        parts.push(commitReveal);
        parts.push(tracker.onEpoch(ev -> {
            long cut = ev.epoch() - dagOptions.retainEpochs();
            if (cut >= 0) dag.prune(config.identity(), cut);
        }));
    }

    /** Signed events to the configured collector: connections, epochs, heartbeats sent, consensus outcomes, DAG nodes received. */
    private void startTelemetry() {
        if (config.api().telemetry().isEmpty()) return;
        var reporter = new dev.hyperj.subnet.telemetry.TelemetryReporter(
                config.api().telemetry().get(), config.identity(), config.subnetId());
        parts.push(reporter);
        var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        dev.hyperj.p2p.host.ConnectionListener l = new dev.hyperj.p2p.host.ConnectionListener() {
            @Override
            public void connected(dev.hyperj.p2p.host.Connection c) {
                reporter.emit(
                        "peer_connected",
                        json.objectNode()
                                .put("peer", c.remotePeer().toBase58())
                                .put("direction", c.isInitiator() ? "outbound" : "inbound"));
            }
        };
        host.connections().addListener(l);
        parts.push(() -> host.connections().removeListener(l));
        parts.push(tracker.onEpoch(ev -> reporter.emit(
                "epoch_started",
                json.objectNode()
                        .put("epoch", ev.epoch())
                        .put("block", ev.position().block()))));
        parts.push(heartbeatTopic.onSent(hb -> reporter.emit(
                "heartbeat_sent",
                json.objectNode().put("epoch", hb.epoch()).put("subnet_node_id", hb.subnetNodeId()))));
        parts.push(consensus.onOutcome(o -> reporter.emit(
                "consensus",
                json.objectNode()
                        .put("epoch", o.epoch())
                        .put("action", o.action().name().toLowerCase(java.util.Locale.ROOT))
                        .put("scores", o.scores().size()))));
        parts.push(dagService
                .dag()
                .onAccepted(n ->
                        reporter.emit("dag_node_received", json.objectNode().put("id", n.id()))));
    }

    /** The DAG's part of {@code /v1/status}: its heads and size. */
    private java.util.Map<String, Object> dagStatus() {
        if (dagService == null) return java.util.Map.of();
        MerkleDag d = dagService.dag();
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("dag_heads", List.copyOf(d.heads()));
        m.put("dag_nodes", d.count());
        return m;
    }

    /** Dials the bootstrap peers and joins the DHT through those that answered. */
    private void bootstrap() {
        List<CompletableFuture<?>> dials = new ArrayList<>();
        List<PeerInfo> seeds = new ArrayList<>();
        for (Multiaddr b : config.bootstrap()) {
            PeerId p = b.peerId().orElseThrow();
            seeds.add(new PeerInfo(p, List.of(b.withoutPeerId())));
            dials.add(host.connect(b).exceptionally(e -> {
                log.warn("bootstrap peer {} not reached: {}", b, e.getMessage());
                return null;
            }));
        }
        if (seeds.isEmpty()) return;
        try {
            CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            int size = dht.bootstrap(seeds).get(60, TimeUnit.SECONDS);
            log.info("node {} joined the DHT: {} peers in its routing table", host.peerId(), size);
        } catch (Exception e) {
            log.warn("bootstrap incomplete: {}", e.toString());
        }
    }

    public State state() {
        return state;
    }

    public PeerId peerId() {
        return host.peerId();
    }

    public NodeContext context() {
        return context;
    }

    /** The network API's address, if it has one ({@code http://127.0.0.1:PORT}). */
    public java.util.Optional<String> apiUrl() {
        return java.util.Optional.ofNullable(apiServer).map(ApiServer::url);
    }

    /** What forwards peers' API-protocol calls to the local services (empty without routes). */
    public java.util.Optional<Forwarder> forwarder() {
        return java.util.Optional.ofNullable(forwarder);
    }

    /** The node's Prometheus registry (what {@code GET /metrics} serves). */
    public Metrics metrics() {
        return metrics;
    }

    public ConsensusLoop consensus() {
        return consensus;
    }

    /** Connection maintenance (null until started); its {@code stats()} feed status tables. */
    public ConnectionMaintainer maintainer() {
        return maintainer;
    }

    /** Stops the application, the consensus loop, the tracker, the DHT, gossip and the host; safe in any state, idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.STOPPED || state == State.STOPPING) return;
        State before = state;
        state = State.STOPPING;
        while (!parts.isEmpty()) {
            AutoCloseable c = parts.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        state = before == State.FAILED ? State.FAILED : State.STOPPED;
        log.info("subnet node stopped");
    }

    private final class Context implements NodeContext {
        public int subnetId() {
            return config.subnetId();
        }

        public Host host() {
            return host;
        }

        public KadDht dht() {
            return dht;
        }

        public GossipSub gossip() {
            return gossip;
        }

        public ChainClient chain() {
            return chain;
        }

        public EpochTracker epochs() {
            return tracker;
        }

        public HeartbeatLog heartbeats() {
            return heartbeats;
        }

        public Path storage() {
            return config.storage();
        }

        public ApiRoutes api() {
            return apiRoutes;
        }

        public java.util.Optional<ConnectionMaintainer> maintainer() {
            return java.util.Optional.ofNullable(maintainer);
        }

        public DagService dag() {
            return dagService;
        }

        public void dhtValidator(String namespace, dev.hyperj.p2p.kad.RecordValidator validator) {
            dhtValidators.registerLate(namespace, validator);
        }

        public CommitReveal commitReveal() {
            return commitReveal;
        }
    }
}
