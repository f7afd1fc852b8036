package dev.hyperj.overwatch;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.GenesisConfig;
import dev.hyperj.chain.runtime.GenesisConfig.OverwatchQualification;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.runtime.NetworkParams;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.node.SubnetApplication;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import dev.hyperj.subnet.overwatch.OverwatchChecks;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real network for the agent's tests: a dev chain producing blocks on a timer (with its JSON-RPC
 * on loopback), validators, subnets registered and activated through signed transactions, and
 * real subnet nodes (libp2p hosts behind the proof-of-stake gate) running whatever application a
 * test gives each. Overwatch qualification is lowered at genesis, as {@code hyperj devnet} does,
 * so that young validators qualify.
 */
final class OverwatchNet implements AutoCloseable {
    static final GossipConfig GOSSIP = GossipConfig.defaults().toBuilder()
            .heartbeat(Duration.ofMillis(500), Duration.ofMillis(100))
            .build();
    static final OverwatchQualification EASY = new OverwatchQualification(percent(50), percent(25), BigInteger.ZERO);

    final int epochLength;
    final ChainNode chainNode;
    final ChainClient chain;
    final RpcServer rpc;
    final Path dir;
    final List<AutoCloseable> running = new ArrayList<>();
    private int nextColdkey;

    /** A registered subnet node and, once started, the node itself. */
    static final class Member {
        final int index;
        final PrivateKey identity;
        final Secp256k1 coldkey;
        final Secp256k1 hotkey;
        final int validatorId;
        int subnetNodeId;
        final Multiaddr listen;
        volatile SubnetNode node;

        Member(int index, PrivateKey identity, Secp256k1 coldkey, Secp256k1 hotkey, int validatorId, Multiaddr listen) {
            this.index = index;
            this.identity = identity;
            this.coldkey = coldkey;
            this.hotkey = hotkey;
            this.validatorId = validatorId;
            this.listen = listen;
        }

        PeerId peerId() {
            return PeerId.fromPublicKey(identity.publicKey());
        }
    }

    /** A subnet of the network and its members (member 0 is its bootnode). */
    record Subnet(int id, List<Member> members) {}

    final int multiplier;

    OverwatchNet(int epochLength, int overwatchMultiplier, long blockTimeMs) throws Exception {
        this.epochLength = epochLength;
        this.multiplier = overwatchMultiplier;
        this.dir = Files.createTempDirectory("hyperj-overwatch-net-");
        NetworkParams p = NetworkParams.defaults(epochLength, Optional.of(DevAccounts.ALITH.account()))
                .withPhases(10, 5, 1, 2);
        GenesisConfig g = GenesisConfig.dev(epochLength)
                .withParams(withComponent(p, "overwatchEpochLengthMultiplier", overwatchMultiplier))
                .withOverwatchQualification(EASY);
        this.chainNode =
                ChainNode.start(NodeConfig.dev(epochLength).withGenesis(g).withBlockTimeMs(blockTimeMs));
        this.chain = ChainClient.embedded(chainNode);
        this.rpc = RpcServer.start(chainNode, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
    }

    /** A copy of a record with one component replaced (tests shorten the overwatch epoch this way). */
    static <R extends Record> R withComponent(R r, String name, Object value) throws Exception {
        var components = r.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean found = false;
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            found |= components[i].getName().equals(name);
            args[i] = components[i].getName().equals(name)
                    ? value
                    : components[i].getAccessor().invoke(r);
        }
        if (!found) throw new IllegalArgumentException(r.getClass().getSimpleName() + " has no " + name);
        @SuppressWarnings("unchecked")
        R copy = (R) r.getClass().getDeclaredConstructor(types).newInstance(args);
        return copy;
    }

    long overwatchEpochLength() {
        return (long) epochLength * multiplier;
    }

    URI rpcUri() {
        return URI.create("ws://127.0.0.1:" + rpc.port());
    }

    static Secp256k1 key(int tag, int i) {
        byte[] k = new byte[32];
        k[0] = (byte) tag;
        k[31] = (byte) (i + 1);
        return Secp256k1.fromPrivateKey(k);
    }

    /** Coldkey {@code i}: the dev accounts first, then fresh keys funded by Alith. */
    Secp256k1 coldkey(int i) throws Exception {
        DevAccounts[] dev = DevAccounts.values();
        if (i < dev.length) return Secp256k1.fromPrivateKey(dev[i].privateKey());
        Secp256k1 k = key(0x33, i);
        if (chain.balance(k.account()).signum() == 0)
            ok(Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey()), new Call.Transfer(k.account(), tensor(5000)));
        return k;
    }

    TxResult ok(Signer s, Call c) throws Exception {
        TxResult r = chain.submit(s, c).get(60, TimeUnit.SECONDS);
        if (!r.ok())
            throw new IllegalStateException(
                    c.getClass().getSimpleName() + " failed: " + r.message().orElse("?"));
        return r;
    }

    /**
     * Registers a subnet with {@code size} fresh validators and one node each (member 0 its
     * bootnode), declaring {@code misc} (e.g. its overwatch check), then delegates and activates it.
     * Nodes are not started.
     */
    Subnet subnet(String name, int size, String misc) throws Exception {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int c = nextColdkey++;
            Secp256k1 coldkey = coldkey(c);
            Secp256k1 hotkey = key(0x22, c);
            int v = ok(
                            coldkey,
                            new Call.RegisterValidator(
                                    hotkey.account(), percent(10), Optional.empty(), ValidatorIdentity.named("v" + c)))
                    .events(Event.ValidatorRegistered.class)
                    .get(0)
                    .validatorId();
            members.add(new Member(
                    i,
                    Keys.generate(KeyType.ED25519),
                    coldkey,
                    hotkey,
                    v,
                    Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (i == 0 ? freePort() : 0))));
        }
        Member boot = members.get(0);
        Map<Integer, Integer> initial = new LinkedHashMap<>();
        members.forEach(m -> initial.put(m.validatorId, 1));
        int sid = ok(
                        Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey()),
                        new Call.RegisterSubnet(
                                tensor(1_000_000),
                                new SubnetRegistrationData(
                                        name,
                                        "github.com/hyperj/test/" + name,
                                        "overwatch test subnet",
                                        misc,
                                        tensor(100),
                                        tensor(1000),
                                        percent(10),
                                        initial,
                                        Map.of(
                                                boot.peerId().toBase58(),
                                                Bytes.of(boot.listen
                                                        .withPeerId(boot.peerId())
                                                        .bytes())))))
                .events(Event.SubnetRegistered.class)
                .get(0)
                .subnetId();
        for (Member m : members) {
            m.subnetNodeId = ok(
                            m.coldkey,
                            new Call.RegisterSubnetNode(
                                    m.validatorId,
                                    sid,
                                    Optional.empty(),
                                    PeerInfo.of(m.peerId().toBase58()),
                                    Optional.empty(),
                                    Optional.empty(),
                                    tensor(500),
                                    Optional.empty(),
                                    Optional.empty(),
                                    tensor(1)))
                    .events(Event.SubnetNodeRegistered.class)
                    .get(0)
                    .subnetNodeId();
        }
        ok(Secp256k1.fromPrivateKey(DevAccounts.FAITH.privateKey()), new Call.AddDelegateStake(sid, tensor(1000)));
        return new Subnet(sid, members);
    }

    /** Waits out the minimum registration phase and activates the subnet. */
    void activate(Subnet s) throws Exception {
        long registered = chain.subnet(s.id()).orElseThrow().subnet().registrationEpoch();
        awaitBlock((registered + 1) * epochLength + 1);
        ok(Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey()), new Call.ActivateSubnet(s.id()));
    }

    void start(Subnet s, int member, SubnetApplication app) throws Exception {
        Member m = s.members().get(member);
        Member boot = s.members().get(0);
        List<Multiaddr> bootstrap = member == 0 ? List.of() : List.of(boot.listen.withPeerId(boot.peerId()));
        SubnetNodeConfig cfg = SubnetNodeConfig.builder(
                        s.id(), m.identity, m.hotkey, dir.resolve("n-" + s.id() + "-" + member))
                .listen(List.of(m.listen))
                .gossip(GOSSIP)
                .bootstrap(bootstrap)
                .stakeCheckTimeout(Duration.ofSeconds(10))
                .build();
        m.node = SubnetNode.start(cfg, ChainClient.embedded(chainNode), app);
        running.add(m.node);
    }

    /** Starts members in parallel (the bootnode first). */
    void startAll(Subnet s, java.util.function.IntFunction<Optional<SubnetApplication>> apps) throws Exception {
        Optional<SubnetApplication> first = apps.apply(0);
        if (first.isPresent()) start(s, 0, first.get());
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 1; i < s.members().size(); i++) {
            int idx = i;
            Optional<SubnetApplication> app = apps.apply(i);
            if (app.isEmpty()) continue;
            fs.add(CompletableFuture.runAsync(() -> {
                try {
                    start(s, idx, app.get());
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        for (CompletableFuture<Void> f : fs) f.get(60, TimeUnit.SECONDS);
    }

    /** A validator's coldkey becomes eligible for overwatch (the collective's call). */
    void whitelist(Secp256k1 coldkey) throws Exception {
        ok(
                Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey()),
                new Call.CollectiveSetColdkeyOverwatchNodeEligibility(coldkey.account(), true));
    }

    void awaitBlock(long block) throws Exception {
        CompletableFuture<Void> reached = new CompletableFuture<>();
        try (AutoCloseable sub = chain.subscribeNewHeads(h -> {
            if (h.number() >= block) reached.complete(null);
        })) {
            if (chain.blockNumber() >= block) return;
            reached.get(120, TimeUnit.SECONDS);
        }
    }

    /** Polls {@code condition} at every block until it holds; fails after {@code timeout}. */
    void awaitCondition(String what, Duration timeout, Supplier<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            awaitBlock(chain.blockNumber() + 1);
        }
    }

    OverwatchAgent.Config agentConfig(PrivateKey identity, Secp256k1 hotkey, int owId, Path storage) {
        return OverwatchAgent.Config.of(chain, identity, hotkey, owId, storage)
                .withListen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .withGossip(GOSSIP)
                .withChecks(OverwatchChecks.load());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : running.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort: the rest still closes
            }
        }
        rpc.close();
        chain.close();
        chainNode.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files; nothing else to do
        }
    }
}
