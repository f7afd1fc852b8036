package dev.hyperj.overwatch;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.EpochInfo;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.runtime.Model.OverwatchCommit;
import dev.hyperj.chain.runtime.Model.OverwatchReveal;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.NetworkReads.OverwatchNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.overwatch.AgentMachine.Facts;
import dev.hyperj.overwatch.AgentMachine.Step;
import dev.hyperj.overwatch.Journal.Commitment;
import dev.hyperj.overwatch.Journal.Entry;
import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.overwatch.OverwatchChecks;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An overwatch node at work: at every new block it reads where the chain is in the overwatch
 * calendar, asks {@link AgentMachine} what to do, and does it: measures every active subnet with a
 * {@link SubnetProbe} each, weighs them ({@link Weighing}), writes weights and salts durably to its
 * {@link Journal}, commits, and reveals after the commit window. At each new overwatch epoch it
 * reports what the previous one paid. Everything it does is told to {@code events}.
 *
 * <p>One thread does the work, block by block; heads that arrive while it works are coalesced
 * into the newest.
 */
public final class OverwatchAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OverwatchAgent.class);

    /**
     * How the agent runs.
     *
     * @param chain          the chain
     * @param identity       the libp2p identity of the agent's probes (its peer id in every subnet)
     * @param hotkey         the overwatch node's hotkey: signs peer ids, commits and reveals
     * @param overwatchNodeId the overwatch node
     * @param storage        directory for the journal
     * @param listen         where each subnet probe listens (port 0: any)
     * @param gossip         GossipSub parameters of the probes
     * @param checks         the overwatch checks subnets may declare
     * @param measureAt      how far through an overwatch epoch to measure, in [0, 0.8)
     * @param timeouts       per-node step timeouts
     */
    public record Config(
            ChainClient chain,
            PrivateKey identity,
            Secp256k1 hotkey,
            int overwatchNodeId,
            Path storage,
            Multiaddr listen,
            GossipConfig gossip,
            OverwatchChecks checks,
            double measureAt,
            SubnetProbe.Timeouts timeouts) {
        public Config {
            Objects.requireNonNull(chain);
            Objects.requireNonNull(identity);
            Objects.requireNonNull(hotkey);
            Objects.requireNonNull(storage);
            Objects.requireNonNull(listen);
            Objects.requireNonNull(gossip);
            Objects.requireNonNull(checks);
            Objects.requireNonNull(timeouts);
        }

        public static Config of(
                ChainClient chain, PrivateKey identity, Secp256k1 hotkey, int overwatchNodeId, Path storage) {
            return new Config(
                    chain,
                    identity,
                    hotkey,
                    overwatchNodeId,
                    storage,
                    Multiaddr.parse("/ip4/0.0.0.0/tcp/0"),
                    GossipConfig.defaults(),
                    OverwatchChecks.load(),
                    0.5,
                    SubnetProbe.Timeouts.defaults());
        }

        public Config withListen(Multiaddr m) {
            return new Config(
                    chain, identity, hotkey, overwatchNodeId, storage, m, gossip, checks, measureAt, timeouts);
        }

        public Config withGossip(GossipConfig g) {
            return new Config(
                    chain, identity, hotkey, overwatchNodeId, storage, listen, g, checks, measureAt, timeouts);
        }

        public Config withChecks(OverwatchChecks c) {
            return new Config(
                    chain, identity, hotkey, overwatchNodeId, storage, listen, gossip, c, measureAt, timeouts);
        }

        public Config withMeasureAt(double at) {
            return new Config(chain, identity, hotkey, overwatchNodeId, storage, listen, gossip, checks, at, timeouts);
        }
    }

    private final Config config;
    private final Consumer<AgentEvent> events;
    private final Journal journal;
    private final AgentMachine machine;
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, SubnetProbe> probes = new ConcurrentHashMap<>();
    private final AtomicLong latestHead = new AtomicLong(-1);
    private final Object wake = new Object();
    private final PeerId peerId;
    private volatile boolean closed;
    private Thread worker;
    private AutoCloseable heads;
    // per overwatch epoch, touched by the worker thread only
    private long epoch = -1;
    private Map<Integer, BigInteger> measured;
    private boolean missedReported;
    private boolean revealReported;
    private BigInteger lastStake;
    private long lastStakeEpoch = -1;
    private String lastProblem;

    private OverwatchAgent(Config config, Consumer<AgentEvent> events) throws java.io.IOException {
        this.config = config;
        this.events = events;
        this.journal = new Journal(config.storage().resolve("journal"));
        this.peerId = PeerId.fromPublicKey(config.identity().publicKey());
        // the chain must include a commit before the cutoff: leave it a few blocks
        this.machine = new AgentMachine(config.measureAt(), 3);
    }

    /** Starts the agent; it works until {@link #close}. */
    public static OverwatchAgent start(Config config, Consumer<AgentEvent> events) throws Exception {
        OverwatchAgent a = new OverwatchAgent(config, events);
        a.worker = Thread.ofPlatform().name("overwatch-agent").daemon().start(a::work);
        a.heads = config.chain().subscribeNewHeads(h -> a.head(h.number()));
        a.head(config.chain().blockNumber());
        return a;
    }

    public PeerId peerId() {
        return peerId;
    }

    public Journal journal() {
        return journal;
    }

    /** The probe of a subnet, once the agent watches it. */
    public Optional<SubnetProbe> probe(int subnetId) {
        return Optional.ofNullable(probes.get(subnetId));
    }

    private void head(long number) {
        latestHead.accumulateAndGet(number, Math::max);
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void work() {
        long done = -1;
        while (!closed) {
            long block = latestHead.get();
            if (block <= done) {
                synchronized (wake) {
                    try {
                        if (latestHead.get() <= done && !closed) wake.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            try {
                tick(block);
                lastProblem = null;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) return;
                log.debug("overwatch tick at block {} failed", block, e);
                String what = SubnetProbe.rootMessage(e);
                // the same failure at every block is told once, until it changes or clears
                if (!what.equals(lastProblem))
                    events.accept(new AgentEvent.Problem("at block #" + block + ": " + what));
                lastProblem = what;
            }
            done = block;
        }
    }

    /** One block's work. */
    void tick(long block) throws Exception {
        ChainClient chain = config.chain();
        EpochInfo info = chain.epochInfo();
        OverwatchWindow w = OverwatchWindow.at(block, info.epochLength(), info.overwatchEpochLengthMultiplier());
        if (w.epoch() != epoch) newEpoch(w);
        reportEarnings(w);
        watchActiveSubnets();
        for (int guard = 0; guard < 4 && !closed; guard++) {
            Optional<Entry> entry = journal.read(w.epoch());
            Map<Integer, Bytes> onChain = chain.overwatchCommits(w.epoch(), config.overwatchNodeId());
            boolean committed = entry.isPresent() && matches(entry.get(), onChain);
            boolean revealed =
                    !chain.overwatchReveals(w.epoch(), config.overwatchNodeId()).isEmpty();
            Facts f = new Facts(false, measured != null, entry.isPresent(), committed, revealed, false);
            Step step = machine.decide(w, f);
            switch (step) {
                case WAIT -> {
                    return;
                }
                case MISSED -> {
                    if (!missedReported)
                        events.accept(new AgentEvent.Missed(
                                w.epoch(),
                                w.inCommitWindow()
                                        ? "too close to the commit cutoff to measure and commit"
                                        : entry.isEmpty()
                                                ? "nothing committed in the commit window"
                                                : "the commit did not reach the chain"));
                    missedReported = true;
                    return;
                }
                case MEASURE -> measured = measureAll(w);
                case JOURNAL_AND_COMMIT -> {
                    if (measured.isEmpty()) {
                        if (!missedReported)
                            events.accept(new AgentEvent.Missed(w.epoch(), "no active subnet to weigh"));
                        missedReported = true;
                        return;
                    }
                    Map<Integer, Commitment> c = new TreeMap<>();
                    measured.forEach((s, weight) -> {
                        byte[] salt = new byte[32];
                        random.nextBytes(salt);
                        c.put(s, new Commitment(weight, HexFormat.of().formatHex(salt)));
                    });
                    Entry e = new Entry(w.epoch(), config.overwatchNodeId(), c);
                    journal.write(e); // durable before the commit leaves: a restart can always reveal it
                    commit(e, false);
                }
                case COMMIT -> commit(entry.orElseThrow(), true);
                case REVEAL -> {
                    reveal(entry.orElseThrow(), onChain);
                    return;
                }
            }
        }
    }

    private void newEpoch(OverwatchWindow w) throws java.io.IOException {
        epoch = w.epoch();
        measured = null;
        missedReported = false;
        revealReported = false;
        journal.pruneBefore(w.epoch() - 2);
    }

    /** The commit on chain is the journal's (a restarted agent finds its own commit, not another). */
    private static boolean matches(Entry e, Map<Integer, Bytes> onChain) {
        if (onChain.isEmpty()) return false;
        for (var c : e.subnets().entrySet()) {
            Bytes have = onChain.get(c.getKey());
            if (have == null || !have.equals(commitment(c.getValue()))) return false;
        }
        return true;
    }

    /** blake2b-256(SCALE(weight u128, salt bytes)), as the runtime checks a reveal. */
    static Bytes commitment(Commitment c) {
        return Bytes.of(dev.hyperj.chain.crypto.Hashing.blake2b256(new dev.hyperj.chain.scale.ScaleWriter()
                .u128(c.weight())
                .bytes(c.salt())
                .toByteArray()));
    }

    private void commit(Entry e, boolean resent) throws Exception {
        List<OverwatchCommit> commits = new ArrayList<>();
        e.subnets().forEach((s, c) -> commits.add(new OverwatchCommit(s, commitment(c))));
        TxResult r = Enrollment.await(
                config.chain(),
                config.hotkey(),
                new dev.hyperj.chain.runtime.Call.CommitOverwatchSubnetWeights(config.overwatchNodeId(), commits),
                "CommitOverwatchSubnetWeights",
                Duration.ofSeconds(60));
        events.accept(new AgentEvent.Committed(e.overwatchEpoch(), r.blockNumber(), weights(e), resent));
    }

    private void reveal(Entry e, Map<Integer, Bytes> onChain) throws Exception {
        List<OverwatchReveal> reveals = new ArrayList<>();
        e.subnets().forEach((s, c) -> {
            if (onChain.containsKey(s)) reveals.add(new OverwatchReveal(s, c.weight(), Bytes.of(c.salt())));
        });
        TxResult r = Enrollment.await(
                config.chain(),
                config.hotkey(),
                new dev.hyperj.chain.runtime.Call.RevealOverwatchSubnetWeights(config.overwatchNodeId(), reveals),
                "RevealOverwatchSubnetWeights",
                Duration.ofSeconds(60));
        if (!revealReported) events.accept(new AgentEvent.Revealed(e.overwatchEpoch(), r.blockNumber(), weights(e)));
        revealReported = true;
    }

    private static Map<Integer, BigInteger> weights(Entry e) {
        Map<Integer, BigInteger> m = new TreeMap<>();
        e.subnets().forEach((s, c) -> m.put(s, c.weight()));
        return m;
    }

    /** Once per overwatch epoch, after the chain scored the previous one (one block after it): the payout. */
    private void reportEarnings(OverwatchWindow w) {
        if (w.block() < w.start() + 2 || lastStakeEpoch == w.epoch()) return;
        Optional<OverwatchNodeInfo> me = config.chain().overwatchNodes().stream()
                .filter(o -> o.node().id() == config.overwatchNodeId())
                .findFirst();
        if (me.isEmpty()) return;
        BigInteger stake = me.get().node().stake();
        if (lastStake != null && lastStakeEpoch == w.epoch() - 1)
            events.accept(new AgentEvent.Earned(w.epoch() - 1, stake.subtract(lastStake), stake));
        lastStake = stake;
        lastStakeEpoch = w.epoch();
    }

    /** Starts a probe for every Active subnet not yet watched (peer id on chain first), closes those of subnets gone. */
    private void watchActiveSubnets() throws Exception {
        List<SubnetInfo> subnets = config.chain().subnets();
        List<Integer> active = subnets.stream()
                .filter(s -> s.subnet().state() == SubnetState.Active)
                .map(s -> s.subnet().id())
                .toList();
        for (Integer gone : List.copyOf(probes.keySet())) {
            if (!active.contains(gone)) {
                SubnetProbe p = probes.remove(gone);
                if (p != null) p.close();
            }
        }
        for (SubnetInfo s : subnets) {
            int id = s.subnet().id();
            if (s.subnet().state() != SubnetState.Active || probes.containsKey(id)) continue;
            // the peer id goes on chain before any dial: a node's gate would remember a "no" for minutes
            Enrollment.ensurePeerId(
                    config.chain(), config.hotkey(), config.overwatchNodeId(), id, peerId.toBase58(), events);
            probes.put(
                    id,
                    SubnetProbe.start(
                            config.chain(),
                            id,
                            config.identity(),
                            config.listen(),
                            config.gossip(),
                            config.checks().forMisc(s.subnet().misc()),
                            config.timeouts()));
        }
    }

    private Map<Integer, BigInteger> measureAll(OverwatchWindow w) {
        Map<Integer, CompletableFuture<SubnetMeasurement>> running = new TreeMap<>();
        // measuring blocks on chain reads and on the nodes: one virtual thread per subnet
        try (java.util.concurrent.ExecutorService ex =
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (SubnetProbe p : probes.values())
                running.put(p.subnetId(), CompletableFuture.supplyAsync(() -> p.measure(w.epoch(), random), ex));
        }
        Map<Integer, BigInteger> out = new TreeMap<>();
        running.forEach((s, f) -> {
            try {
                SubnetMeasurement m = f.join();
                double weight = Weighing.weight(m);
                out.put(s, Weighing.fixedPoint(weight));
                events.accept(measuredEvent(m, weight));
            } catch (RuntimeException e) {
                events.accept(new AgentEvent.Problem("subnet " + s + " not measured: " + SubnetProbe.rootMessage(e)));
            }
        });
        return out;
    }

    static AgentEvent.Measured measuredEvent(SubnetMeasurement m, double weight) {
        boolean declared = m.checkId().isPresent();
        List<AgentEvent.NodeLine> lines = new ArrayList<>();
        for (NodeMeasurement n : m.nodes())
            lines.add(new AgentEvent.NodeLine(
                    n.peerId(),
                    n.subnetNodeId().orElse(null),
                    n.reachable(),
                    n.identified(),
                    n.missingProtocols().stream().sorted().toList(),
                    n.heartbeats().orElse(null),
                    n.check().map(v -> v.passed()).orElse(null),
                    Weighing.nodeHealth(n, declared),
                    n.problem()));
        return new AgentEvent.Measured(
                m.overwatchEpoch(),
                m.subnetId(),
                weight,
                Weighing.service(m),
                m.attestation().orElse(null),
                m.checkId().orElse(null),
                lines);
    }

    @Override
    public void close() {
        closed = true;
        if (heads != null) {
            try {
                heads.close();
            } catch (Exception e) {
                log.debug("closing the head subscription: {}", e.toString());
            }
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (SubnetProbe p : probes.values()) p.close();
        probes.clear();
    }
}
