package dev.hyperj.overwatch;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.kad.HostDhtNetwork;
import dev.hyperj.p2p.kad.KadDht;
import dev.hyperj.p2p.kad.PeerInfo;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.identify.Identify;
import dev.hyperj.p2p.protocol.identify.IdentifyResult;
import dev.hyperj.subnet.consensus.HeartbeatLog;
import dev.hyperj.subnet.consensus.HeartbeatTopic;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import dev.hyperj.subnet.overwatch.OverwatchCheck;
import dev.hyperj.subnet.overwatch.OverwatchCheck.Verdict;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's eyes in one subnet: a libp2p host of its own (the overwatch identity, admitted by
 * the subnet's proof-of-stake gate as the subnet's overwatch peer), with identify, the DHT (to find
 * nodes that registered no address), GossipSub on the heartbeat topic (to see who is present) and
 * the subnet's epoch clock. {@link #measure} meets every node and bootnode as a user would and reads
 * the subnet's consensus health from the chain.
 *
 * <p>One host per subnet, not one for all: every subnet gossips on a topic named {@code heartbeat},
 * and one mesh would relay one subnet's heartbeats into another, which its validators punish.
 */
public final class SubnetProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SubnetProbe.class);
    /** Recent subnet epochs over which heartbeats and attestations are averaged. */
    static final int RECENT_EPOCHS = 4;
    /** Subnet epochs after the probe joined in which hearing no heartbeat at all is blamed on its own mesh. */
    static final int MESH_EPOCHS = 3;

    /** How long each step with one node may take. */
    public record Timeouts(Duration dial, Duration identify, Duration check) {
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
        }
    }

    private final ChainClient chain;
    private final int subnetId;
    private final Optional<OverwatchCheck> check;
    private final Timeouts timeouts;
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final HeartbeatLog heartbeats = new HeartbeatLog();
    private Host host;
    private Identify identify;
    private KadDht dht;
    private EpochTracker tracker;
    private volatile long firstObservedEpoch = Long.MAX_VALUE;

    private SubnetProbe(ChainClient chain, int subnetId, Optional<OverwatchCheck> check, Timeouts timeouts) {
        this.chain = chain;
        this.subnetId = subnetId;
        this.check = check;
        this.timeouts = timeouts;
    }

    /** Starts the probe's host on {@code listen} and joins the subnet through its bootnodes. */
    public static SubnetProbe start(
            ChainClient chain,
            int subnetId,
            PrivateKey identity,
            Multiaddr listen,
            GossipConfig gossip,
            Optional<OverwatchCheck> check,
            Timeouts timeouts)
            throws Exception {
        SubnetProbe p = new SubnetProbe(chain, subnetId, check, timeouts);
        try {
            p.bringUp(identity, listen, gossip);
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    private void bringUp(PrivateKey identity, Multiaddr listen, GossipConfig gossipConfig) throws Exception {
        host = Host.builder()
                .identity(identity)
                .listen(listen)
                .threads(1)
                .agentVersion("hyperj-overwatch/0.1.0")
                .build();
        parts.push(host);
        host.start().get(30, TimeUnit.SECONDS);
        identify = Identify.install(host, timeouts.identify());
        GossipSub gossip =
                GossipSub.start(host, gossipConfig, PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
        parts.push(gossip);
        dht = KadDht.builder(host.peerId(), new HostDhtNetwork(host)).build();
        parts.push(dht);
        dht.start().get(30, TimeUnit.SECONDS);
        tracker = EpochTracker.create(chain, subnetId);
        parts.push(tracker);
        parts.push(tracker.onEpoch(ev -> {
            if (firstObservedEpoch == Long.MAX_VALUE) firstObservedEpoch = ev.epoch();
        }));
        parts.push(
                HeartbeatTopic.join(gossip, tracker, host.peerId(), heartbeats).get(30, TimeUnit.SECONDS));
        tracker.follow();
        joinThroughBootnodes();
    }

    /** Dials the subnet's bootnodes and bootstraps the DHT through those that answered. */
    public void joinThroughBootnodes() {
        List<PeerInfo> seeds = new ArrayList<>();
        List<CompletableFuture<?>> dials = new ArrayList<>();
        chain.bootnodes(subnetId).forEach((peer, addr) -> {
            Optional<Multiaddr> a = addr.flatMap(SubnetProbe::multiaddr);
            if (a.isEmpty()) return;
            try {
                seeds.add(new PeerInfo(PeerId.parse(peer), List.of(a.get().withoutPeerId())));
            } catch (IllegalArgumentException e) {
                return;
            }
            dials.add(host.connect(a.get())
                    .orTimeout(timeouts.dial().toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> {
                        log.info("subnet {}: bootnode {} not reached: {}", subnetId, peer, rootMessage(e));
                        return null;
                    }));
        });
        try {
            CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            if (!seeds.isEmpty()) dht.bootstrap(seeds).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.info("subnet {}: joining through the bootnodes incomplete: {}", subnetId, rootMessage(e));
        }
    }

    public int subnetId() {
        return subnetId;
    }

    public PeerId peerId() {
        return host.peerId();
    }

    public Host host() {
        return host;
    }

    public List<Multiaddr> listenAddresses() {
        return host.listenAddresses();
    }

    /** Measures every node (class Idle or higher) and bootnode of the subnet, and its consensus health. */
    public SubnetMeasurement measure(long overwatchEpoch, RandomGenerator random) {
        SubnetSnapshot snap = SubnetSnapshot.read(chain, subnetId, chain.blockNumber());
        Optional<EpochPosition> pos = tracker.position();
        Map<String, Optional<SubnetNodeInfo>> subjects = new LinkedHashMap<>();
        for (SubnetNodeInfo n : snap.nodesAtLeast(NodeClass.Idle))
            subjects.put(n.node().peerInfo().peerId(), Optional.of(n));
        for (String b : snap.bootnodes()) subjects.putIfAbsent(b, Optional.empty());
        Map<String, Optional<Bytes>> bootAddrs = chain.bootnodes(subnetId);
        if (host.connections().connectedPeers().isEmpty()) joinThroughBootnodes();
        List<CompletableFuture<NodeMeasurement>> all = new ArrayList<>();
        subjects.forEach((peer, node) -> all.add(
                measureOne(peer, node, Optional.ofNullable(bootAddrs.get(peer)).flatMap(o -> o), pos, random)));
        List<NodeMeasurement> nodes = new ArrayList<>();
        for (CompletableFuture<NodeMeasurement> f : all) nodes.add(f.join());
        long current = pos.map(EpochPosition::epoch).orElse(chain.subnetEpoch(subnetId));
        double[] sum = {0};
        int[] count = {0};
        for (long e = current - RECENT_EPOCHS; e < current; e++) {
            if (e < 0) continue;
            Optional<ConsensusSubmission> sub =
                    chain.validatorsAndAttestors(subnetId, e).map(ValidatorsAndAttestors::submission);
            if (sub.isPresent()) {
                int set = Math.max(1, sub.get().validatorSet().size());
                sum[0] += Math.min(1.0, (double) sub.get().attests().size() / set);
                count[0]++;
            } else if (chain.electedValidator(subnetId, e).isPresent()) {
                count[0]++; // an elected validator that submitted nothing: the epoch went unscored
            }
        }
        return new SubnetMeasurement(
                subnetId,
                overwatchEpoch,
                check.map(OverwatchCheck::id),
                nodes,
                count[0] == 0 ? Optional.empty() : Optional.of(sum[0] / count[0]),
                count[0]);
    }

    private CompletableFuture<NodeMeasurement> measureOne(
            String peerText,
            Optional<SubnetNodeInfo> node,
            Optional<Bytes> bootAddr,
            Optional<EpochPosition> pos,
            RandomGenerator random) {
        Optional<Integer> nodeId = node.map(n -> n.node().id());
        PeerId peer;
        try {
            peer = PeerId.parse(peerText);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    NodeMeasurement.unreachable(peerText, nodeId, "the chain lists no valid peer id"));
        }
        List<Multiaddr> known = new ArrayList<>();
        bootAddr.flatMap(SubnetProbe::multiaddr).ifPresent(known::add);
        node.flatMap(n -> n.node().peerInfo().multiaddr())
                .flatMap(SubnetProbe::multiaddr)
                .ifPresent(known::add);
        CompletableFuture<List<Multiaddr>> addrs;
        if (!known.isEmpty() || host.connections().isConnected(peer)) {
            addrs = CompletableFuture.completedFuture(known);
        } else {
            known.addAll(host.peerStore().addresses(peer));
            addrs = known.isEmpty()
                    ? dht.findPeer(peer)
                            .orTimeout(timeouts.dial().toMillis(), TimeUnit.MILLISECONDS)
                            .handle((r, e) -> e != null || r.peers().isEmpty()
                                    ? List.<Multiaddr>of()
                                    : r.peers().get(0).addrs())
                    : CompletableFuture.completedFuture(known);
        }
        return addrs.thenCompose(a -> connect(peer, a))
                .thenCompose(problem -> problem.isPresent()
                        ? CompletableFuture.completedFuture(
                                NodeMeasurement.unreachable(peerText, nodeId, problem.get()))
                        : afterConnect(peer, peerText, nodeId, pos, random));
    }

    /** Connects to {@code peer} by any of {@code addrs}; empty when connected, else why not. */
    private CompletableFuture<Optional<String>> connect(PeerId peer, List<Multiaddr> addrs) {
        if (host.connections().isConnected(peer)) return CompletableFuture.completedFuture(Optional.empty());
        if (addrs.isEmpty()) return CompletableFuture.completedFuture(Optional.of("no address: not found in the DHT"));
        CompletableFuture<Optional<String>> out = CompletableFuture.completedFuture(Optional.of("not dialled"));
        for (Multiaddr a : addrs) {
            Multiaddr full = a.peerId().isPresent() ? a : a.withPeerId(peer);
            out = out.thenCompose(prev -> prev.isEmpty()
                    ? CompletableFuture.completedFuture(prev)
                    : host.connect(full)
                            .orTimeout(timeouts.dial().toMillis(), TimeUnit.MILLISECONDS)
                            .handle((c, e) -> e == null
                                    ? Optional.<String>empty()
                                    : Optional.of("dial " + full + " failed: " + rootMessage(e))));
        }
        return out;
    }

    private CompletableFuture<NodeMeasurement> afterConnect(
            PeerId peer,
            String peerText,
            Optional<Integer> nodeId,
            Optional<EpochPosition> pos,
            RandomGenerator random) {
        Optional<Double> hb = nodeId.flatMap(id -> heartbeatShare(id, pos));
        return identify.identify(peer)
                .orTimeout(timeouts.identify().toMillis(), TimeUnit.MILLISECONDS)
                .handle((r, e) -> e == null ? Optional.of(r) : Optional.<IdentifyResult>empty())
                .thenCompose(id -> {
                    Set<String> required = new HashSet<>(subnetProtocols());
                    id.ifPresent(r -> required.removeAll(r.protocols()));
                    String problem = id.isEmpty()
                            ? "no identify answer"
                            : required.isEmpty()
                                    ? ""
                                    : "does not speak " + String.join(", ", new java.util.TreeSet<>(required));
                    if (nodeId.isEmpty() || check.isEmpty())
                        return CompletableFuture.completedFuture(new NodeMeasurement(
                                peerText,
                                nodeId,
                                true,
                                id.isPresent(),
                                id.isPresent() ? required : Set.of(),
                                hb,
                                Optional.empty(),
                                problem));
                    return check.get()
                            .check(host, peer, random)
                            .orTimeout(timeouts.check().toMillis(), TimeUnit.MILLISECONDS)
                            .exceptionally(e -> Verdict.fail("no answer in time: " + rootMessage(e)))
                            .thenApply(v -> new NodeMeasurement(
                                    peerText,
                                    nodeId,
                                    true,
                                    id.isPresent(),
                                    id.isPresent() ? required : Set.of(),
                                    hb,
                                    Optional.of(v),
                                    problem.isEmpty() && !v.passed() ? v.detail() : problem));
                });
    }

    /** The protocols every node of a HyperJ subnet speaks, plus those of the subnet's check. */
    Set<String> subnetProtocols() {
        Set<String> s = new HashSet<>(List.of(Identify.PROTOCOL_ID, "/ipfs/kad/1.0.0", "/meshsub/1.1.0"));
        check.ifPresent(c -> s.addAll(c.protocols()));
        return s;
    }

    /** Share of the recent subnet epochs observed in full in which node {@code id}'s heartbeat arrived. */
    private Optional<Double> heartbeatShare(int id, Optional<EpochPosition> pos) {
        if (pos.isEmpty()) return Optional.empty();
        return heartbeatShare(
                id,
                heartbeats::nodes,
                firstObservedEpoch,
                pos.get().epoch(),
                pos.get().progress());
    }

    /**
     * The heartbeat rule, apart from I/O: over the last {@link #RECENT_EPOCHS} subnet epochs after the
     * one the probe joined in (the current one only once a quarter through: heartbeats go out at an
     * epoch's start), the share in which {@code id}'s heartbeat was heard. An epoch in which nobody
     * was heard counts only after {@link #MESH_EPOCHS} epochs in the subnet: before that the silence
     * is more likely the agent's mesh still forming than the nodes'. Empty when no epoch counts.
     */
    static Optional<Double> heartbeatShare(
            int id, java.util.function.LongFunction<Set<Integer>> heard, long joined, long current, double progress) {
        int seen = 0, observed = 0;
        for (long e = Math.max(joined + 1, current - RECENT_EPOCHS + 1); e <= current; e++) {
            if (e == current && progress < 0.25) continue;
            Set<Integer> h = heard.apply(e);
            if (h.isEmpty() && e <= joined + MESH_EPOCHS) continue;
            observed++;
            if (h.contains(id)) seen++;
        }
        return observed == 0 ? Optional.empty() : Optional.of((double) seen / observed);
    }

    private static Optional<Multiaddr> multiaddr(Bytes b) {
        try {
            return Optional.of(Multiaddr.fromBytes(b.value()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) t = t.getCause();
        return t instanceof java.util.concurrent.TimeoutException ? "timed out" : String.valueOf(t.getMessage());
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            AutoCloseable c = parts.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
