package dev.hyperj.cli.devnet;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.SharedChain;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.GenesisConfig;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.runtime.NetworkParams;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.node.DagOptions;
import dev.hyperj.subnet.node.NodeThreads;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole HyperJ network in one JVM: a dev chain node with its JSON-RPC on loopback, a subnet whose
 * bootnode is node 0, and N subnet nodes, which talk to the chain over the real RPC. By default
 * the nodes share one view of the chain ({@link SharedChain}: one head subscription, each read once
 * per block, transactions through a few shared connections) and their threads ({@link NodeThreads});
 * each node still has its own client, keys, host, gossip, DHT, tracker and consensus loop, and
 * behaves as it would alone. {@link DevnetConfig#shared} false gives each node its own RPC connection
 * and threads, as separate machines would run them. {@link #start} does what an operator does by hand (validators,
 * subnet, nodes, delegate stake, activation, all through signed transactions), then reads the
 * chain at each subnet epoch boundary into an {@link EpochReport}.
 *
 * <p>Coldkeys are the dev accounts (Alith, Baltathar, ...); beyond them, fresh keys funded by
 * transfers from the dev accounts. Each node's validator has its own hotkey, which signs the node's
 * proposals and attestations. The chain's phases are shortened (registration max(10, nodes) epochs, one epoch
 * before activation) so that a devnet is live within a couple of epochs.
 */
public final class Devnet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Devnet.class);

    /** The subnet's minimum stake per node. */
    public static final BigInteger MIN_STAKE = tensor(100);
    /**
     * Stake each node registers with: above the minimum, because a node that misses its turn as
     * elected validator (likely while nodes start) is slashed a little, and at exactly the minimum
     * it would lose its proof of stake and be refused by its peers.
     */
    public static final BigInteger NODE_STAKE = tensor(500);
    /** What a fresh coldkey receives to pay for its node's stake and burn. */
    public static final BigInteger COLDKEY_FUNDS = tensor(1000);
    /** Delegate stake Faith puts into the subnet before activation. */
    public static final BigInteger DELEGATE_STAKE = tensor(1000);

    /**
     * Overwatch thresholds low enough for a devnet's young validators: reputation 0.25 (they start at
     * 0.5; the pallet asks 0.75, which takes a validator hundreds of epochs), a Validator-class node in
     * a quarter of the subnets, and no attestation history.
     */
    public static final GenesisConfig.OverwatchQualification OVERWATCH_QUALIFICATION =
            new GenesisConfig.OverwatchQualification(percent(25), percent(25), BigInteger.ZERO);

    private static final long TX_TIMEOUT_S = 120;
    private static final int START_PARALLELISM = 4;
    /** Shared socket threads and router/DHT loops: about the cores of a small machine (the work is short). */
    private static final int IO_THREADS = 2, WORKER_THREADS = 2;
    /**
     * Nodes per submitting connection: a connection watches at most 56 transactions at once, and a
     * node has at most one or two under way (its attestation or proposal).
     */
    private static final int NODES_PER_SUBMITTER = 32;
    /** Many nodes starting at once on a small machine make the chain slow to answer stake checks: a timeout denies the peer. */
    private static final java.time.Duration STAKE_CHECK_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final DevnetConfig config;
    private final Path base;
    private final boolean temporary;
    private final NodeConfig chainConfig;
    private final List<DevnetNode> nodes = new CopyOnWriteArrayList<>();
    private final List<EpochReport> reports = new CopyOnWriteArrayList<>();
    private final List<Consumer<EpochReport>> listeners = new CopyOnWriteArrayList<>();
    private final List<PendingReport> waiting = new ArrayList<>();
    private final List<DevnetOverwatch> overwatch = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private volatile ChainNode chainNode;
    private volatile RpcServer rpc;
    /** The chain's Prometheus metrics, served on 127.0.0.1 at a free port (follows a restarted chain). */
    private final dev.hyperj.subnet.metrics.Metrics chainMetrics = new dev.hyperj.subnet.metrics.Metrics();

    private dev.hyperj.subnet.api.ApiServer chainMetricsServer;
    private volatile ChainClient admin;
    private volatile EpochTracker tracker;
    /** With {@link DevnetConfig#shared}: the nodes' one chain view, its upstream connection and the submitters. */
    private volatile SharedChain sharedChain;

    private volatile ChainClient sharedUpstream;
    private final List<ChainClient> submitters = new CopyOnWriteArrayList<>();
    /** Without sharing: each node's pass-through view, which counts its reads all the same. */
    private final List<SharedChain> ownViews = new CopyOnWriteArrayList<>();

    private volatile NodeThreads threads;
    private volatile boolean closed;
    private int rpcPort;
    private int subnetId;
    private long activationBlock;
    private long firstReportEpoch = Long.MAX_VALUE;
    private volatile long lastReported = Long.MIN_VALUE; // written by the (current) tracker thread

    private record PendingReport(CompletableFuture<EpochReport> future, long epoch) {}

    private Devnet(DevnetConfig config, Path base, boolean temporary) {
        this.config = config;
        this.base = base;
        this.temporary = temporary;
        NetworkParams params = NetworkParams.defaults(config.epochLength(), Optional.of(DevAccounts.ALITH.account()))
                .withPhases(registrationEpochs(config.nodes()), 5, 1, 2);
        this.chainConfig = NodeConfig.dev(config.epochLength())
                .withGenesis(GenesisConfig.dev(config.epochLength())
                        .withParams(params)
                        .withOverwatchQualification(OVERWATCH_QUALIFICATION))
                .withBasePath(base.resolve("chain"))
                .withBlockTimeMs(config.blockTimeMs());
        this.rpcPort = config.rpcPort();
    }

    /**
     * The subnet's registration phase in epochs: the chain removes a subnet not activated by its end
     * (plus enactment), and the devnet activates only after every node runs. 256 nodes took longer to
     * register and start than the 10 epochs a small devnet needs, and the subnet was gone at activation.
     * A longer phase costs nothing (activation comes as soon as the nodes run), so: one epoch per node.
     */
    static long registrationEpochs(int nodes) {
        return Math.max(10, nodes);
    }

    /**
     * Starts the chain and its RPC, registers validators, the subnet and its nodes, starts the nodes
     * and activates the subnet. Returns once the subnet is Active and every node runs; epoch reports
     * follow from the first full epoch after activation. On failure everything started is stopped.
     */
    public static Devnet start(DevnetConfig config) throws Exception {
        Path base;
        boolean temporary = config.basePath().isEmpty();
        base = temporary
                ? Files.createTempDirectory("hyperj-devnet-")
                : config.basePath().get().toAbsolutePath();
        Files.createDirectories(base);
        Devnet d = new Devnet(config, base, temporary);
        try {
            d.bringUp();
            return d;
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
    }

    private void bringUp() throws Exception {
        progress(
                DevnetProgress.Stage.CHAIN,
                "block time " + config.blockTimeMs() + " ms, " + config.epochLength() + "-block epochs");
        chainNode = ChainNode.start(chainConfig);
        if (chainNode.bestHeader().number() > 0) {
            throw new IllegalStateException(chainNode.directory() + " already holds a chain at block #"
                    + chainNode.bestHeader().number() + "; a devnet starts from an empty base path");
        }
        rpc = bindRpc();
        rpcPort = rpc.port();
        admin = ChainClient.embedded(chainNode);
        dev.hyperj.chain.metrics.ChainMetrics.bind(chainMetrics.registry(), () -> chainNode)
                .countBlocks(chainNode)
                .timeRpc(rpc);
        chainMetricsServer = chainMetrics.serve(new InetSocketAddress("127.0.0.1", 0), false);

        int n = config.nodes();
        List<PrivateKey> identities = new ArrayList<>();
        for (int i = 0; i < n; i++) identities.add(Keys.generate(KeyType.ED25519));
        Multiaddr bootListen = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + freePort());
        PeerId bootId = PeerId.fromPublicKey(identities.get(0).publicKey());

        fund(0, n);
        List<Integer> validators = registerValidators(0, n);

        progress(DevnetProgress.Stage.SUBNET, "bootnode " + bootListen.withPeerId(bootId));
        Map<Integer, Integer> initial = new LinkedHashMap<>();
        validators.forEach(v -> initial.put(v, 1));
        TxResult reg = await(
                admin.submit(
                        signer(DevAccounts.ALITH),
                        new Call.RegisterSubnet(
                                tensor(1_000_000),
                                new SubnetRegistrationData(
                                        "devnet",
                                        "github.com/hyperj/devnet",
                                        "HyperJ devnet",
                                        // the application's overwatch check, for the agents to find
                                        config.application()
                                                .apply(0)
                                                .overwatchCheck()
                                                .map(dev.hyperj.subnet.overwatch.OverwatchChecks::declaration)
                                                .orElse(""),
                                        MIN_STAKE,
                                        tensor(1000),
                                        percent(10),
                                        initial,
                                        Map.of(
                                                bootId.toBase58(),
                                                Bytes.of(bootListen
                                                        .withPeerId(bootId)
                                                        .bytes()))))),
                "RegisterSubnet");
        subnetId = reg.events(Event.SubnetRegistered.class).get(0).subnetId();

        progress(DevnetProgress.Stage.NODES_REGISTERED, "0/" + n);
        List<CompletableFuture<TxResult>> regs = new ArrayList<>();
        for (int i = 0; i < n; i++)
            regs.add(admin.submit(coldkey(i), registerNodeCall(validators.get(i), identities.get(i))));
        for (int i = 0; i < n; i++) {
            int nodeId = await(regs.get(i), "RegisterSubnetNode")
                    .events(Event.SubnetNodeRegistered.class)
                    .get(0)
                    .subnetNodeId();
            nodes.add(new DevnetNode(
                    i,
                    identities.get(i),
                    coldkey(i),
                    hotkey(i),
                    validators.get(i),
                    nodeId,
                    NODE_STAKE,
                    i == 0 ? bootListen : Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
                    base.resolve("nodes").resolve("n" + i)));
            progress(DevnetProgress.Stage.NODES_REGISTERED, (i + 1) + "/" + n);
        }
        await(
                admin.submit(signer(DevAccounts.FAITH), new Call.AddDelegateStake(subnetId, DELEGATE_STAKE)),
                "AddDelegateStake");

        if (config.shared()) {
            threads = NodeThreads.shared(IO_THREADS, WORKER_THREADS);
            sharedUpstream = ChainClient.connect(rpcUri());
            sharedChain = SharedChain.over(sharedUpstream);
        }
        startNodes();
        activate();
        followEpochs();
    }

    private RpcServer bindRpc() throws InterruptedException {
        RpcServer.Limits defaults = RpcServer.Limits.defaults();
        // every node keeps a connection and reads at each epoch boundary: room for bursts of hundreds
        RpcServer.Limits limits = new RpcServer.Limits(
                defaults.maxBodyBytes(),
                defaults.maxBatch(),
                defaults.maxSubscriptionsPerConnection(),
                Math.max(defaults.maxInFlight(), 64 * Math.max(config.nodes(), nodes.size())),
                defaults.idleSeconds());
        Exception last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                return RpcServer.start(chainNode, new InetSocketAddress("127.0.0.1", rpcPort), limits);
            } catch (Exception e) { // Netty throws BindException undeclared
                if (e instanceof InterruptedException) throw (InterruptedException) e;
                if (rpcPort == 0)
                    throw new IllegalStateException("cannot serve JSON-RPC on 127.0.0.1: " + e.getMessage(), e);
                last = e; // the port of a just-closed server may take a moment to be free again
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException(
                "cannot serve JSON-RPC on 127.0.0.1:" + rpcPort + ": " + last.getMessage(), last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Secp256k1 signer(DevAccounts a) {
        return Secp256k1.fromPrivateKey(a.privateKey());
    }

    /** Coldkey of node {@code i}: the dev accounts first, then fresh keys (deterministic, so a rerun reads the same). */
    static Secp256k1 coldkey(int i) {
        DevAccounts[] dev = DevAccounts.values();
        if (i < dev.length) return signer(dev[i]);
        return derived((byte) 0x33, i);
    }

    /** Hotkey of node {@code i}'s validator. */
    static Secp256k1 hotkey(int i) {
        return derived((byte) 0x22, i + 1);
    }

    static Secp256k1 derivedKey(byte tag, int i) {
        return derived(tag, i);
    }

    private static Secp256k1 derived(byte tag, int i) {
        byte[] k = new byte[32];
        k[0] = tag;
        k[28] = (byte) (i >> 24);
        k[29] = (byte) (i >> 16);
        k[30] = (byte) (i >> 8);
        k[31] = (byte) i;
        return Secp256k1.fromPrivateKey(k);
    }

    private Call registerNodeCall(int validatorId, PrivateKey identity) {
        return new Call.RegisterSubnetNode(
                validatorId,
                subnetId,
                Optional.empty(),
                PeerInfo.of(PeerId.fromPublicKey(identity.publicKey()).toBase58()),
                Optional.empty(),
                Optional.empty(),
                NODE_STAKE,
                Optional.empty(),
                Optional.empty(),
                tensor(1));
    }

    /** Funds the fresh coldkeys among nodes [from, to) by transfers from the dev accounts, round robin. */
    private void fund(int from, int to) throws Exception {
        DevAccounts[] dev = DevAccounts.values();
        List<CompletableFuture<TxResult>> fs = new ArrayList<>();
        for (int i = Math.max(from, dev.length); i < to; i++) {
            fs.add(admin.submit(
                    signer(dev[i % dev.length]), new Call.Transfer(coldkey(i).account(), COLDKEY_FUNDS)));
        }
        if (fs.isEmpty()) return;
        progress(DevnetProgress.Stage.FUNDING, fs.size() + " fresh coldkeys");
        for (CompletableFuture<TxResult> f : fs) await(f, "Transfer");
    }

    private List<Integer> registerValidators(int from, int to) throws Exception {
        progress(DevnetProgress.Stage.VALIDATORS, "0/" + (to - from));
        List<CompletableFuture<TxResult>> fs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            fs.add(admin.submit(
                    coldkey(i),
                    new Call.RegisterValidator(
                            hotkey(i).account(),
                            percent(10),
                            Optional.empty(),
                            ValidatorIdentity.named("devnet-n" + i))));
        }
        List<Integer> ids = new ArrayList<>();
        for (CompletableFuture<TxResult> f : fs) {
            ids.add(await(f, "RegisterValidator")
                    .events(Event.ValidatorRegistered.class)
                    .get(0)
                    .validatorId());
            progress(DevnetProgress.Stage.VALIDATORS, ids.size() + "/" + (to - from));
        }
        return ids;
    }

    private static TxResult await(CompletableFuture<TxResult> f, String what) throws Exception {
        TxResult r;
        try {
            r = f.get(TX_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " refused: " + e.getCause().getMessage(), e.getCause());
        }
        if (!r.ok())
            throw new IllegalStateException(what + " failed in block #" + r.blockNumber() + ": "
                    + r.message().orElse(r.error().orElse("?")));
        return r;
    }

    /** Node 0 (the bootnode) first, then the others, a few at a time. */
    private void startNodes() throws Exception {
        int n = nodes.size();
        progress(DevnetProgress.Stage.NODES_STARTING, "0/" + n);
        startNode(0);
        progress(DevnetProgress.Stage.NODES_STARTING, "1/" + n);
        Semaphore slots = new Semaphore(START_PARALLELISM);
        List<Future<?>> started = new ArrayList<>();
        int[] done = {1};
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 1; i < n; i++) {
                int idx = i;
                started.add(ex.submit(() -> {
                    slots.acquire();
                    try {
                        startNode(idx);
                    } finally {
                        slots.release();
                    }
                    synchronized (done) {
                        progress(DevnetProgress.Stage.NODES_STARTING, ++done[0] + "/" + n);
                    }
                    return null;
                }));
            }
            for (Future<?> f : started) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception c ? c : e;
                }
            }
        }
    }

    /**
     * Waits out the minimum registration phase (one general epoch) and the start of a subnet epoch
     * after every node runs, then the owner activates the subnet. The first epoch with an elected
     * validator scores the activation epoch: starting it with every node already meshed means every
     * heartbeat of it reaches every node (a node's first heartbeat goes out before it has peers).
     */
    private void activate() throws Exception {
        SubnetInfo info = admin.subnet(subnetId)
                .orElseThrow(() -> new IllegalStateException("subnet " + subnetId
                        + " was removed before activation (its registration phase of "
                        + chainConfig.genesis().params().subnetRegistrationEpochs()
                        + " epochs ended while the nodes started)"));
        long registered = (info.subnet().registrationEpoch()
                        + chainConfig.genesis().params().minSubnetRegistrationEpochs())
                * config.epochLength();
        long meshed = EpochPosition.at(admin.blockNumber(), info.subnet().slot(), config.epochLength())
                .nextEpochBlock();
        long due = Math.max(registered, meshed);
        progress(DevnetProgress.Stage.ACTIVATION, "at block #" + due);
        awaitBlock(due, DevnetProgress.Stage.ACTIVATION);
        TxResult act =
                await(admin.submit(signer(DevAccounts.ALITH), new Call.ActivateSubnet(subnetId)), "ActivateSubnet");
        SubnetInfo now = admin.subnet(subnetId)
                .orElseThrow(() -> new IllegalStateException("the subnet was removed at activation"));
        if (now.subnet().state() != SubnetState.Active)
            throw new IllegalStateException("the subnet is " + now.subnet().state() + " after activation");
        activationBlock = act.blockNumber();
        firstReportEpoch = EpochPosition.at(activationBlock, now.subnet().slot(), config.epochLength())
                        .epoch()
                + 1;
        log.info(
                "devnet subnet {} active at block #{}; reports from subnet epoch {}",
                subnetId,
                activationBlock,
                firstReportEpoch);
    }

    private void awaitBlock(long block, DevnetProgress.Stage stage) throws Exception {
        CompletableFuture<BlockHeader> reached = new CompletableFuture<>();
        try (AutoCloseable sub = admin.subscribeNewHeads(h -> {
            if (h.number() >= block) reached.complete(h);
            else progress(stage, "block #" + h.number() + " of #" + block);
        })) {
            if (admin.blockNumber() >= block) return;
            reached.get(
                    Math.max(60_000, (block - admin.blockNumber() + 20) * config.blockTimeMs() * 4),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void followEpochs() {
        EpochTracker t = EpochTracker.create(admin, subnetId);
        t.onEpoch(this::onEpoch);
        t.onBlock(p -> {
            if (reports.isEmpty())
                progress(
                        DevnetProgress.Stage.FIRST_EPOCH,
                        "block #" + p.block() + ", subnet epoch " + p.epoch() + " (" + Math.round(p.progress() * 100)
                                + "% through); first report after epoch " + firstReportEpoch);
        });
        tracker = t;
        t.follow();
    }

    private void onEpoch(EpochEvent ev) {
        long from = Math.max(firstReportEpoch, lastReported == Long.MIN_VALUE ? Long.MIN_VALUE : lastReported + 1);
        for (long e = from; e < ev.epoch(); e++) {
            EpochReport r = report(e, ev);
            lastReported = e;
            reports.add(r);
            for (Consumer<EpochReport> l : listeners) {
                try {
                    l.accept(r);
                } catch (RuntimeException ex) {
                    log.warn("epoch report listener failed: {}", ex.toString(), ex);
                }
            }
            List<PendingReport> due = new ArrayList<>();
            synchronized (waiting) {
                waiting.removeIf(p -> p.epoch() <= r.subnetEpoch() && due.add(p));
            }
            due.forEach(p -> p.future().complete(r));
        }
    }

    private EpochReport report(long epoch, EpochEvent ev) {
        ChainClient c = admin;
        Optional<Integer> elected =
                c.electedValidator(subnetId, epoch).map(v -> v.node().node().id());
        Optional<ConsensusSubmission> sub =
                c.validatorsAndAttestors(subnetId, epoch).map(ValidatorsAndAttestors::submission);
        if (elected.isEmpty()) elected = sub.map(ConsensusSubmission::validatorNodeId);
        Map<String, DevnetNode> byPeer = new HashMap<>();
        for (DevnetNode n : nodes) byPeer.put(n.peerId().toBase58(), n);
        List<EpochReport.NodeReport> rows = new ArrayList<>();
        Map<Integer, BigInteger> scores = new HashMap<>();
        sub.ifPresent(s -> s.data().forEach(ns -> scores.merge(ns.subnetNodeId(), ns.score(), BigInteger::min)));
        for (SubnetNodeInfo info : ev.snapshot().nodes()) {
            String peer = info.node().peerInfo().peerId();
            DevnetNode d = byPeer.get(peer);
            BigInteger rewards = d == null ? BigInteger.ZERO : info.stake().subtract(d.initialStake());
            rows.add(new EpochReport.NodeReport(
                    d == null ? -1 : d.index(),
                    info.node().id(),
                    peer,
                    info.node().nodeClass(),
                    info.node().reputation(),
                    info.stake(),
                    rewards,
                    Optional.ofNullable(scores.get(info.node().id())),
                    d != null && d.running(),
                    d == null || !d.running()
                            ? Optional.empty()
                            : d.subnetNode().map(sn -> sn.context().dag().dag().cut(epoch))));
        }
        rows.sort(Comparator.comparingInt(EpochReport.NodeReport::subnetNodeId));
        return new EpochReport(
                ev.position().block(),
                epoch,
                elected,
                sub.isPresent(),
                sub.map(s -> s.data().size()).orElse(0),
                sub.map(s -> s.attests().size()).orElse(0),
                sub.map(s -> s.validatorSet().size()).orElse(0),
                rows);
    }

    private void progress(DevnetProgress.Stage stage, String detail) {
        try {
            config.progress().accept(new DevnetProgress(stage, detail));
        } catch (RuntimeException e) {
            log.debug("progress listener failed: {}", e.toString());
        }
    }

    // ---- the API end-to-end tests drive -------------------------------------------------------

    public DevnetConfig config() {
        return config;
    }

    public int subnetId() {
        return subnetId;
    }

    /** The chain's WebSocket RPC, e.g. ws://127.0.0.1:9944 (the same port across {@link #restartChain}). */
    public URI rpcUri() {
        return URI.create("ws://127.0.0.1:" + rpcPort);
    }

    /** The devnet's own (embedded) client of the current chain node; replaced by {@link #restartChain}. */
    /** The chain's Prometheus endpoint, {@code http://127.0.0.1:PORT/metrics}. */
    public String chainMetricsUrl() {
        return chainMetricsServer.url() + "/metrics";
    }

    public ChainClient chain() {
        return admin;
    }

    /** The current chain node; replaced by {@link #restartChain}. */
    public ChainNode chainNode() {
        return chainNode;
    }

    /** The directory holding the chain database ({@code chain/}) and the nodes' storage ({@code nodes/}). */
    public Path basePath() {
        return base;
    }

    /** The block at which the subnet was activated. */
    public long activationBlock() {
        return activationBlock;
    }

    /** The first subnet epoch reported on (the first full one after activation). */
    public long firstReportEpoch() {
        return firstReportEpoch;
    }

    /** Every node the devnet registered, by index (node 0 is the subnet's bootnode). */
    public List<DevnetNode> nodes() {
        return List.copyOf(nodes);
    }

    public DevnetNode node(int index) {
        return nodes.get(index);
    }

    /**
     * Registers one more validator and its node (a fresh or unused dev coldkey, funded if fresh) and
     * starts it. On an Active subnet the node enters the registration queue and climbs the classes
     * from there.
     */
    public DevnetNode addNode() throws Exception {
        DevnetNode n = registerNode();
        startNode(n.index());
        return n;
    }

    /** Registers one more validator and its node on chain without starting it (e.g. to run it as another process). */
    public DevnetNode registerNode() throws Exception {
        synchronized (lifecycle) {
            ensureOpen();
            int i = nodes.size();
            PrivateKey identity = Keys.generate(KeyType.ED25519);
            fund(i, i + 1);
            int validatorId = registerValidators(i, i + 1).get(0);
            int nodeId = await(admin.submit(coldkey(i), registerNodeCall(validatorId, identity)), "RegisterSubnetNode")
                    .events(Event.SubnetNodeRegistered.class)
                    .get(0)
                    .subnetNodeId();
            DevnetNode n = new DevnetNode(
                    i,
                    identity,
                    coldkey(i),
                    hotkey(i),
                    validatorId,
                    nodeId,
                    NODE_STAKE,
                    Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
                    base.resolve("nodes").resolve("n" + i));
            nodes.add(n);
            return n;
        }
    }

    /** Starts node {@code index} (registered, stopped or killed) with a fresh chain connection, bootstrapped from the subnet's bootnode. */
    public void startNode(int index) throws Exception {
        ensureOpen();
        DevnetNode n = nodes.get(index);
        synchronized (n) {
            if (n.running()) return;
            ChainClient c;
            AutoCloseable connection;
            if (sharedChain != null) {
                c = sharedChain.client(submitter(index));
                connection = c;
            } else {
                ChainClient own = ChainClient.connect(rpcUri());
                SharedChain counted = SharedChain.uncached(own); // a pass-through that counts the node's reads
                ownViews.add(counted);
                c = counted.client(own);
                connection = () -> {
                    counted.close();
                    ownViews.remove(counted);
                    own.close();
                };
            }
            try {
                SubnetNodeConfig cfg = SubnetNodeConfig.builder(subnetId, n.identity(), n.hotkey(), n.storage())
                        .listen(List.of(n.listenAddress()))
                        .gossip(config.gossip())
                        .bootstrap(bootstrapFor(n))
                        .stakeCheckTimeout(STAKE_CHECK_TIMEOUT)
                        .api(dev.hyperj.subnet.api.NodeApiConfig.loopback(0))
                        .build();
                n.started(
                        SubnetNode.start(
                                cfg, c, config.application().apply(index), dagOptions(config.nodes()), threads),
                        c,
                        connection);
            } catch (Exception | Error e) {
                closeQuietly(connection);
                throw e;
            }
        }
    }

    /**
     * The nodes' DAG settings: the defaults, with head announcements spaced out with the square of
     * the nodes above 64. Every announcement is checked by every other node, so N nodes announcing
     * every 5 s cost N^2/5 checks a second: at 256 nodes the 5 s default queued thousands of checks
     * on two cores and starved the nodes' chain reads (measured: 5 324 waiting DAG check threads while
     * nodes started). Spaced so, 256 nodes cost the checks 64 nodes cost at the default (80 s apart).
     */
    static DagOptions dagOptions(int nodes) {
        DagOptions d = DagOptions.defaults();
        // every node's reveal stays a head, so the head list grows by the nodes each epoch: 1024 ids
        // (72 KiB) per announcement at 64 nodes after 16 epochs, 4 100 checks queued in one dump
        if (nodes > 16) d = d.withSync(d.sync().withMaxAnnouncedHeads(64));
        if (nodes <= 64) return d;
        double f = (nodes / 64.0) * (nodes / 64.0);
        return d.withSync(d.sync().withAnnounceEvery(java.time.Duration.ofMillis((long)
                (d.sync().announceEvery().toMillis() * f))));
    }

    /** The connection node {@code index} submits through: one per {@value #NODES_PER_SUBMITTER} nodes. */
    private ChainClient submitter(int index) {
        int k = index / NODES_PER_SUBMITTER;
        synchronized (submitters) {
            while (submitters.size() <= k) submitters.add(ChainClient.connect(rpcUri()));
            return submitters.get(k);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("closing: {}", e.toString());
        }
    }

    /**
     * The nodes' chain reads since start, by method: how many the nodes asked for, and how many
     * reached the chain (equal without sharing); with the heads the nodes were told of, the reads
     * per block.
     */
    public ChainReads chainReads() {
        Map<String, long[]> m = new java.util.TreeMap<>();
        long heads = 0;
        List<SharedChain> all = new ArrayList<>(ownViews);
        if (sharedChain != null) all.add(sharedChain);
        for (SharedChain sc : all) {
            sc.readCounts().forEach((method, c) -> {
                long[] t = m.computeIfAbsent(method, k -> new long[2]);
                t[0] += c.requested();
                t[1] += c.upstream();
            });
            heads = Math.max(heads, sc.heads());
        }
        Map<String, SharedChain.ReadCount> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(k, new SharedChain.ReadCount(v[0], v[1])));
        return new ChainReads(out, heads);
    }

    /** What {@link #chainReads} returns: reads by method, and the most heads any node was told of. */
    public record ChainReads(Map<String, SharedChain.ReadCount> byMethod, long heads) {
        public long requested() {
            return byMethod.values().stream()
                    .mapToLong(SharedChain.ReadCount::requested)
                    .sum();
        }

        public long upstream() {
            return byMethod.values().stream()
                    .mapToLong(SharedChain.ReadCount::upstream)
                    .sum();
        }
    }

    /** The subnet's bootnodes as the chain lists them; if node 0 is down, also a few running nodes so a (re)started node finds the subnet. */
    private List<Multiaddr> bootstrapFor(DevnetNode self) {
        List<Multiaddr> out = new ArrayList<>();
        String me = self.peerId().toBase58();
        admin.bootnodes(subnetId).forEach((peer, addr) -> {
            if (!peer.equals(me) && addr.isPresent())
                out.add(Multiaddr.fromBytes(addr.get().value()));
        });
        if (nodes.get(0).running() && self.index() != 0) return out;
        nodes.stream()
                .filter(d -> d != self && d.running())
                .limit(3)
                .forEach(d -> d.address().ifPresent(out::add));
        return out;
    }

    /** Stops node {@code index} in order (application, consensus, DHT, gossip, host), then its chain connection. */
    public void stopNode(int index) {
        nodes.get(index).stop(false);
    }

    /** Kills node {@code index}: its chain connection and every socket are dropped at once, then the rest is torn down. */
    public void killNode(int index) {
        nodes.get(index).stop(true);
    }

    /**
     * Closes the chain node and its RPC and starts them again from the same base path on the same
     * port, as an operator restarting the chain would. Nodes keep running; their chain clients see
     * the connection drop.
     */
    public void restartChain() throws Exception {
        synchronized (lifecycle) {
            ensureOpen();
            closeChain();
            chainNode = ChainNode.start(chainConfig);
            rpc = bindRpc();
            admin = ChainClient.embedded(chainNode);
            followEpochs();
            log.info(
                    "devnet chain restarted at block #{}",
                    chainNode.bestHeader().number());
        }
    }

    /**
     * Starts {@code count} overwatch agents, agent i for node i's validator (whitelisted by the
     * collective, registered once old enough); they stop with the devnet.
     */
    public DevnetOverwatch startOverwatch(int count) {
        synchronized (lifecycle) {
            ensureOpen();
            DevnetOverwatch o = new DevnetOverwatch(this, count);
            overwatch.add(o);
            return o;
        }
    }

    /** Reports so far, oldest first. */
    public List<EpochReport> reports() {
        return List.copyOf(reports);
    }

    /** Calls {@code listener} with every report from now on (on the devnet's epoch thread) until the handle is closed. */
    public AutoCloseable onReport(Consumer<EpochReport> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Completes with the report of the first epoch {@code >= subnetEpoch} (at once if it exists); fails at close. */
    public CompletableFuture<EpochReport> reportFor(long subnetEpoch) {
        CompletableFuture<EpochReport> f = new CompletableFuture<>();
        synchronized (waiting) {
            Optional<EpochReport> have =
                    reports.stream().filter(r -> r.subnetEpoch() >= subnetEpoch).findFirst();
            if (have.isPresent()) f.complete(have.get());
            else if (closed) f.completeExceptionally(new IllegalStateException("devnet closed"));
            else waiting.add(new PendingReport(f, subnetEpoch));
        }
        return f;
    }

    /** Completes with the next report produced after this call. */
    public CompletableFuture<EpochReport> nextReport() {
        synchronized (waiting) {
            long next = reports.isEmpty()
                    ? firstReportEpoch
                    : reports.get(reports.size() - 1).subnetEpoch() + 1;
            return reportFor(next);
        }
    }

    /** The subnet epoch the chain is in now. */
    public long currentSubnetEpoch() {
        return admin.subnetEpoch(subnetId);
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("devnet closed");
    }

    private void closeChain() {
        EpochTracker t = tracker;
        tracker = null;
        if (t != null) t.close();
        if (admin != null) admin.close();
        if (rpc != null) rpc.close();
        if (chainNode != null) chainNode.close();
    }

    /** Stops every node (in parallel), then the chain; deletes the base path if it was temporary. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) return;
            closed = true;
        }
        overwatch.forEach(DevnetOverwatch::close);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (DevnetNode n : nodes) {
                ex.submit(() -> {
                    try {
                        n.stop(false);
                    } catch (RuntimeException e) {
                        log.warn("stopping {} failed: {}", n, e.toString());
                    }
                });
            }
        }
        SharedChain sc = sharedChain;
        if (sc != null) sc.close();
        for (ChainClient c : List.copyOf(submitters)) c.close();
        if (sharedUpstream != null) sharedUpstream.close();
        closeChain();
        if (chainMetricsServer != null) chainMetricsServer.close();
        chainMetrics.close();
        if (threads != null) threads.close();
        List<PendingReport> left;
        synchronized (waiting) {
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        left.forEach(p -> p.future().completeExceptionally(new IllegalStateException("devnet closed")));
        if (temporary) deleteRecursively(base);
    }

    private static void deleteRecursively(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", p, e.toString());
        }
    }

    @Override
    public String toString() {
        return "devnet of " + nodes.size() + " nodes, subnet " + subnetId + ", RPC " + rpcUri();
    }
}
