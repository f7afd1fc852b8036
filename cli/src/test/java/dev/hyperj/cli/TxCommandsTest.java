package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.GenesisConfig;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.runtime.NetworkError;
import dev.hyperj.chain.runtime.NetworkParams;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code hyperj tx} subcommand against a real dev chain (in-process node, RPC on loopback):
 * each one's on-chain effect, or its specific runtime error, is asserted. Set-up steps that are not
 * under test go through the embedded {@link ChainClient} to keep the test short.
 */
class TxCommandsTest {
    static final int EPOCH = 20;
    static final Secp256k1 ALITH = signer(DevAccounts.ALITH),
            BALTATHAR = signer(DevAccounts.BALTATHAR),
            CHARLETH = signer(DevAccounts.CHARLETH),
            DOROTHY = signer(DevAccounts.DOROTHY),
            ETHAN = signer(DevAccounts.ETHAN),
            FAITH = signer(DevAccounts.FAITH);

    @TempDir
    Path dir;

    private ChainNode node;
    private RpcServer server;
    private ChainClient chain;
    private String rpc;
    /** Key files by account, for --from with generated keys. */
    private final Map<AccountId, String> keyFiles = new HashMap<>();

    private int keySeed = 1;

    @BeforeEach
    void start() {
        GenesisConfig g = GenesisConfig.dev(EPOCH)
                .withParams(NetworkParams.defaults(EPOCH, Optional.of(DevAccounts.ALITH.account()))
                        .withPhases(10, 5, 1, 2));
        node = ChainNode.start(NodeConfig.dev(EPOCH).withGenesis(g).withInstantSeal(true));
        server = RpcServer.start(node, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
        rpc = "ws://127.0.0.1:" + server.port();
        chain = ChainClient.embedded(node);
        for (DevAccounts a : DevAccounts.values())
            keyFiles.put(a.account(), a.name().toLowerCase(java.util.Locale.ROOT));
    }

    @AfterEach
    void stop() {
        server.close();
        node.close();
    }

    // ------------------------------------------------------------------ helpers

    static Secp256k1 signer(DevAccounts a) {
        return Secp256k1.fromPrivateKey(a.privateKey());
    }

    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code hyperj tx <args> --from <from> --rpc <node>}. */
    Run tx(AccountId from, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 5);
        all[args.length] = "--from";
        all[args.length + 1] = keyFiles.get(from);
        all[args.length + 2] = "--rpc";
        all[args.length + 3] = rpc;
        all[args.length + 4] = "--timeout-s=60";
        String[] withTx = new String[all.length + 1];
        withTx[0] = "tx";
        System.arraycopy(all, 0, withTx, 1, all.length);
        return run(withTx);
    }

    /** The call succeeds: exit 0, "Name ok in block #n". */
    Run ok(AccountId from, String... args) {
        Run r = tx(from, args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
        assertThat(r.out()).contains(" ok in block #");
        return r;
    }

    /** The call is in a block but fails with this runtime error, printed with its hint on one line. */
    void fails(NetworkError e, AccountId from, String... args) {
        Run r = tx(from, args);
        assertThat(r.exit())
                .as(String.join(" ", args) + " should fail: " + r.out())
                .isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err())
                .as(String.join(" ", args))
                .contains(" failed in block #")
                .contains(e.name() + ": ")
                .doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    /** A fresh funded key with a key file; returns its account. */
    AccountId newKey() throws Exception {
        byte[] k = new byte[32];
        k[0] = 0x22;
        k[31] = (byte) keySeed;
        k[30] = (byte) (keySeed++ >> 8);
        AccountId a = AccountId.fromPrivateKey(k);
        Path f = dir.resolve("key-" + a);
        Files.writeString(f, HexFormat.of().formatHex(k));
        keyFiles.put(a, f.toString());
        setup(ALITH, new Call.Transfer(a, U128.tensor(1000)));
        return a;
    }

    void setup(Secp256k1 from, Call call) throws Exception {
        TxResult r = chain.submit(from, call).get(60, TimeUnit.SECONDS);
        assertThat(r.ok()).as(call + ": " + r.message()).isTrue();
    }

    static String peer() {
        return PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()).toBase58();
    }

    static String maddr(String peer, int port) {
        return "/ip4/127.0.0.1/tcp/" + port + "/p2p/" + peer;
    }

    static Bytes maddrBytes(String peer, int port) {
        return Bytes.of(Multiaddr.parse(maddr(peer, port)).bytes());
    }

    int validator(Secp256k1 coldkey, AccountId hotkey, String name) throws Exception {
        setup(
                coldkey,
                new Call.RegisterValidator(hotkey, U128.percent(10), Optional.empty(), ValidatorIdentity.named(name)));
        return chain.validatorIdOf(coldkey.account()).orElseThrow();
    }

    int subnetNamed(String name) {
        return chain.subnets().stream()
                .filter(s -> s.subnet().name().equals(name))
                .findFirst()
                .orElseThrow()
                .subnet()
                .id();
    }

    SubnetInfo subnet(int id) {
        return chain.subnet(id).orElseThrow();
    }

    SubnetNodeInfo nodeInfo(int subnet, int nodeId) {
        return chain.subnetNode(subnet, nodeId).orElseThrow();
    }

    int registerNode(Secp256k1 coldkey, int validatorId, int subnet) throws Exception {
        String p = peer();
        Set<Integer> before =
                chain.subnetNodes(subnet).stream().map(n -> n.node().id()).collect(Collectors.toSet());
        setup(
                coldkey,
                new Call.RegisterSubnetNode(
                        validatorId,
                        subnet,
                        Optional.empty(),
                        new PeerInfo(p, Optional.of(maddrBytes(p, 4000))),
                        Optional.empty(),
                        Optional.empty(),
                        U128.tensor(100),
                        Optional.empty(),
                        Optional.empty(),
                        U128.tensor(1)));
        return chain.subnetNodes(subnet).stream()
                .map(n -> n.node().id())
                .filter(id -> !before.contains(id))
                .findFirst()
                .orElseThrow();
    }

    BigInteger subnetShares(AccountId a, int subnet) {
        return chain.delegateStakes(a).stream()
                .filter(d -> !d.validatorPool() && d.poolId() == subnet)
                .map(d -> d.shares())
                .findFirst()
                .orElse(BigInteger.ZERO);
    }

    BigInteger validatorShares(AccountId a, int validator) {
        return chain.delegateStakes(a).stream()
                .filter(d -> d.validatorPool() && d.poolId() == validator)
                .map(d -> d.shares())
                .findFirst()
                .orElse(BigInteger.ZERO);
    }

    void produce(int blocks) {
        node.produceBlocks(blocks);
    }

    // ------------------------------------------------------------------ the build-breaking coverage check

    @Test
    void everyCallHasATxSubcommandAndHelpListsThemAll() {
        CommandLine tx = Main.commandLine().getSubcommands().get("tx");
        Map<Class<?>, String> commands = new HashMap<>();
        collectLeaves("", tx, commands);
        Set<String> calls = new TreeSet<>();
        for (Class<?> c : Call.class.getPermittedSubclasses()) calls.add(c.getSimpleName());
        Set<String> covered =
                commands.keySet().stream().map(Class::getSimpleName).collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered)
                .as("every Call record needs a 'hyperj tx' subcommand (and no subcommand may build something else)")
                .isEqualTo(calls);
        assertThat(commands).hasSize(calls.size());

        Run help = run("tx", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).doesNotContain("%%");
        for (String name : commands.values()) {
            List<String> args = new java.util.ArrayList<>(List.of("tx"));
            args.addAll(List.of(name.split(" ")));
            args.add("--help");
            Run one = run(args.toArray(String[]::new));
            assertThat(one.exit()).as(name + " --help").isZero();
            assertThat(one.out()).contains("--from").contains("--rpc").doesNotContain("%%");
        }
        for (String name : commands.values()) {
            assertThat(help.out())
                    .as("tx --help lists " + name)
                    .containsPattern("(?m)^  " + java.util.regex.Pattern.quote(name) + " +\\S");
        }
    }

    private static void collectLeaves(String prefix, CommandLine cmd, Map<Class<?>, String> out) {
        for (Map.Entry<String, CommandLine> e : cmd.getSubcommands().entrySet()) {
            Object o = e.getValue().getCommandSpec().userObject();
            if (o instanceof TxCommand.Tx<?> t) {
                String previous = out.put(t.callType(), prefix + e.getKey());
                assertThat(previous)
                        .as(t.callType().getSimpleName() + " has two subcommands")
                        .isNull();
            } else {
                collectLeaves(prefix + e.getKey() + " ", e.getValue(), out);
            }
        }
    }

    // ------------------------------------------------------------------ validators and transfers

    @Test
    void validatorCalls() throws Exception {
        AccountId hot = newKey(), hot2 = newKey(), delegateTo = newKey(), newCold = newKey();
        AccountId bal = DevAccounts.BALTATHAR.account();
        ok(
                bal,
                "register-validator",
                "--hotkey",
                hot.toString(),
                "--name",
                "val-b",
                "--reward-rate",
                "10",
                "--url",
                "https://b.example");
        int v = chain.validatorIdOf(bal).orElseThrow();
        assertThat(chain.validator(v).orElseThrow().validator().identity().url())
                .isEqualTo("https://b.example");
        fails(
                NetworkError.HotkeyAlreadyRegisteredToColdkey,
                bal,
                "register-validator",
                "--hotkey",
                hot2.toString(),
                "--name",
                "again");

        ok(bal, "update-validator-hotkey", "" + v, hot2.toString());
        assertThat(chain.validator(v).orElseThrow().validator().hotkey()).isEqualTo(hot2);

        // the rate may change once per 14,400 blocks, counted from registration
        fails(NetworkError.MaxRewardRateUpdates, bal, "update-validator-reward-rate", "" + v, "11");
        fails(NetworkError.NoDelegateRewardRateChange, bal, "update-validator-reward-rate", "" + v, "10");

        ok(
                bal,
                "update-validator-delegate-account",
                "" + v,
                "--delegate-account",
                delegateTo.toString(),
                "--delegate-account-rate",
                "25");
        var da = chain.validator(v).orElseThrow().validator().delegateAccount().orElseThrow();
        assertThat(da.account()).isEqualTo(delegateTo);
        assertThat(da.rate()).isEqualTo(U128.percent(25));
        ok(bal, "update-validator-delegate-account", "" + v);
        assertThat(chain.validator(v).orElseThrow().validator().delegateAccount())
                .isEmpty();

        ok(bal, "update-validator-identity", "" + v, "--name", "val-b2", "--github", "b2");
        assertThat(chain.validator(v).orElseThrow().validator().identity().name())
                .isEqualTo("val-b2");
        assertThat(chain.validator(v).orElseThrow().validator().identity().github())
                .isEqualTo("b2");

        fails(
                NetworkError.NotKeyOwner,
                DevAccounts.CHARLETH.account(),
                "update-validator-coldkey",
                "" + v,
                newCold.toString());
        ok(bal, "update-validator-coldkey", "" + v, newCold.toString());
        assertThat(chain.validatorIdOf(newCold)).contains(v);
        assertThat(chain.validatorIdOf(bal)).isEmpty();

        BigInteger before = chain.balance(DevAccounts.FAITH.account());
        ok(bal, "transfer", "faith", "1000u");
        assertThat(chain.balance(DevAccounts.FAITH.account())).isEqualTo(before.add(BigInteger.valueOf(1000)));
    }

    // ------------------------------------------------------------------ subnets, owners, nodes, stakes, consensus

    @Test
    @org.junit.jupiter.api.Timeout(
            value = 300,
            unit = TimeUnit.SECONDS) // ~90 commands and ~100 fsynced blocks on a shared 2-core machine
    void subnetLifecycleOwnerNodeStakeAndConsensusCalls() throws Exception {
        AccountId alith = DevAccounts.ALITH.account(),
                bal = BALTATHAR.account(),
                faith = FAITH.account(),
                ethan = ETHAN.account(),
                dorothy = DOROTHY.account();
        // validators: Baltathar, Charleth, Dorothy (hotkeys with key files), Ethan (not whitelisted at first)
        AccountId hb = newKey(), hc = newKey(), hd = newKey(), he = newKey();
        int vb = validator(BALTATHAR, hb, "b"),
                vc = validator(CHARLETH, hc, "c"),
                vd = validator(DOROTHY, hd, "d"),
                ve = validator(ETHAN, he, "e");

        String boot = peer();
        ok(
                alith,
                "register-subnet",
                "--name",
                "alpha",
                "--repo",
                "github.com/x/alpha",
                "--initial-validator",
                vb + "=2," + vc + "=1," + vd + "=1",
                "--bootnode",
                boot + "=" + maddr(boot, 5000),
                "--max-cost",
                "10");
        int sid = subnetNamed("alpha");
        assertThat(subnet(sid).subnet().owner()).isEqualTo(alith);
        assertThat(subnet(sid).bootnodes()).containsKey(boot);

        // register-node with every option, then two more nodes
        String p1 = peer(), pb = peer(), pc = peer();
        ok(
                bal,
                "register-node",
                "--validator-id",
                "" + vb,
                "--subnet",
                "" + sid,
                "--peer-id",
                p1,
                "--multiaddr",
                maddr(p1, 4001),
                "--bootnode-peer-id",
                pb,
                "--bootnode-multiaddr",
                maddr(pb, 4002),
                "--client-peer-id",
                pc,
                "--unique",
                "0x0a0b",
                "--non-unique",
                "hello",
                "--stake",
                "150",
                "--max-burn",
                "1");
        int n1 = chain.subnetNodes(sid).getFirst().node().id();
        SubnetNodeInfo i1 = nodeInfo(sid, n1);
        assertThat(i1.node().peerInfo().peerId()).isEqualTo(p1);
        assertThat(i1.node().bootnodePeerInfo().orElseThrow().peerId()).isEqualTo(pb);
        assertThat(i1.node().clientPeerInfo().orElseThrow().peerId()).isEqualTo(pc);
        assertThat(i1.node().unique()).contains(Bytes.fromHex("0x0a0b"));
        assertThat(i1.stake()).isEqualTo(U128.tensor(150));
        int n2 = registerNode(CHARLETH, vc, sid), n3 = registerNode(DOROTHY, vd, sid);

        // owner: initial validator whitelist (while Registered)
        ok(alith, "owner", "add-initial-validators", "" + sid, ve + "=1");
        assertThat(subnet(sid).initialValidators().orElseThrow()).containsEntry(ve, 1);
        ok(alith, "owner", "remove-initial-validators", "" + sid, "" + ve);
        assertThat(subnet(sid).initialValidators().orElseThrow()).doesNotContainKey(ve);
        fails(NetworkError.NotSubnetOwner, bal, "owner", "add-initial-validators", "" + sid, ve + "=1");

        // owner: texts and numbers
        ok(alith, "owner", "name", "" + sid, "alpha2");
        ok(alith, "owner", "repo", "" + sid, "github.com/x/alpha2");
        ok(alith, "owner", "description", "" + sid, "the first subnet");
        ok(alith, "owner", "misc", "" + sid, "misc text");
        var s = subnet(sid).subnet();
        assertThat(List.of(s.name(), s.repo(), s.description(), s.misc()))
                .containsExactly("alpha2", "github.com/x/alpha2", "the first subnet", "misc text");
        ok(alith, "owner", "churn-limit", "" + sid, "8");
        fails(NetworkError.InvalidChurnLimit, alith, "owner", "churn-limit", "" + sid, "65");
        ok(alith, "owner", "queue-epochs", "" + sid, "4");
        ok(alith, "owner", "idle-epochs", "" + sid, "3");
        ok(alith, "owner", "included-epochs", "" + sid, "5");
        ok(alith, "owner", "max-registered-nodes", "" + sid, "32");
        ok(alith, "owner", "min-node-reputation", "" + sid, "20");
        ok(alith, "owner", "stake-range", "" + sid, "120", "900");
        ok(alith, "owner", "target-registrations", "" + sid, "7");
        var params = subnet(sid).params();
        assertThat(params.churnLimit()).isEqualTo(8);
        assertThat(params.queueEpochs()).isEqualTo(4);
        assertThat(params.idleClassificationEpochs()).isEqualTo(3);
        assertThat(params.includedClassificationEpochs()).isEqualTo(5);
        assertThat(params.maxRegisteredNodes()).isEqualTo(32);
        assertThat(params.minNodeReputation()).isEqualTo(U128.percent(20));
        assertThat(params.minStake()).isEqualTo(U128.tensor(120));
        assertThat(params.maxStake()).isEqualTo(U128.tensor(900));
        assertThat(params.targetNodeRegistrationsPerEpoch()).isEqualTo(7);
        // the percentage may change once per 14,400 blocks, counted from registration
        fails(NetworkError.DelegateStakePercentageUpdateTooSoon, alith, "owner", "delegate-percentage", "" + sid, "12");
        assertThat(subnet(sid).params().delegateStakePercentage()).isEqualTo(U128.percent(10));

        // bootnodes: an access list member updates them; removal from the list takes the right away
        String boot2 = peer();
        fails(
                NetworkError.InvalidAccess,
                faith,
                "update-bootnodes",
                "" + sid,
                "--add",
                boot2 + "=" + maddr(boot2, 5001));
        ok(alith, "owner", "add-bootnode-access", "" + sid, "faith");
        assertThat(subnet(sid).params().bootnodeAccess()).contains(faith);
        ok(faith, "update-bootnodes", "" + sid, "--add", boot2 + "=" + maddr(boot2, 5001), "--remove", boot);
        assertThat(subnet(sid).bootnodes()).containsOnlyKeys(boot2);
        ok(alith, "owner", "remove-bootnode-access", "" + sid, "faith");
        assertThat(subnet(sid).params().bootnodeAccess()).doesNotContain(faith);
        fails(NetworkError.InvalidAccess, faith, "update-bootnodes", "" + sid, "--remove", boot2);

        // reputation factors and the min-weight threshold
        ok(alith, "owner", "reputation-factors", "" + sid, "--absent", "20", "--included", "15");
        fails(
                NetworkError.InvalidAbsentDecreaseReputationFactor,
                alith,
                "owner",
                "reputation-factors",
                "" + sid,
                "--absent",
                "60");
        ok(alith, "owner", "min-weight-threshold", "" + sid, "5");
        fails(NetworkError.InvalidPercent, alith, "owner", "min-weight-threshold", "" + sid, "50");

        // node updates by the coldkey
        AccountId nodeHot = newKey();
        ok(bal, "update-node-hotkey", "" + sid, "" + n1, "--hotkey", nodeHot.toString());
        assertThat(nodeInfo(sid, n1).node().hotkey()).contains(nodeHot);
        assertThat(nodeInfo(sid, n1).signingKey()).isEqualTo(nodeHot);
        String p1b = peer();
        ok(bal, "update-node-peer", "" + sid, "" + n1, "--peer-id", p1b, "--multiaddr", maddr(p1b, 4011));
        assertThat(nodeInfo(sid, n1).node().peerInfo().peerId()).isEqualTo(p1b);
        fails(
                NetworkError.PeerIdExist,
                bal,
                "update-node-peer",
                "" + sid,
                "" + n1,
                "--peer-id",
                nodeInfo(sid, n2).node().peerInfo().peerId());
        ok(bal, "update-node-bootnode", "" + sid, "" + n1);
        assertThat(nodeInfo(sid, n1).node().bootnodePeerInfo()).isEmpty();
        String pc2 = peer();
        ok(bal, "update-node-client", "" + sid, "" + n1, "--peer-id", pc2);
        assertThat(nodeInfo(sid, n1).node().clientPeerInfo().orElseThrow().peerId())
                .isEqualTo(pc2);
        ok(bal, "update-node-unique", "" + sid, "" + n1, "--value", "0x0c");
        assertThat(nodeInfo(sid, n1).node().unique()).contains(Bytes.fromHex("0x0c"));
        ok(bal, "update-node-non-unique", "" + sid, "" + n1);
        assertThat(nodeInfo(sid, n1).node().nonUnique()).isEmpty();
        fails(NetworkError.NotKeyOwner, faith, "update-node-unique", "" + sid, "" + n1, "--value", "x");

        // node stake
        ok(bal, "add-stake", "" + sid, "" + n1, "10");
        assertThat(nodeInfo(sid, n1).stake()).isEqualTo(U128.tensor(160));
        ok(bal, "remove-stake", "" + sid, "" + n1, "5");
        assertThat(nodeInfo(sid, n1).stake()).isEqualTo(U128.tensor(155));
        assertThat(chain.unbondings(bal).values()).contains(U128.tensor(5));
        fails(NetworkError.NoStakeUnbondingsOrCooldownNotMet, bal, "claim-unbondings");

        // a second subnet (for swaps and the ownership transfer)
        String bootB = peer();
        setup(
                ALITH,
                new Call.RegisterSubnet(
                        U128.tensor(100),
                        new dev.hyperj.chain.runtime.Model.SubnetRegistrationData(
                                "beta",
                                "github.com/x/beta",
                                "",
                                "",
                                U128.tensor(100),
                                U128.tensor(1000),
                                U128.percent(10),
                                Map.of(vb, 1, vc, 1, vd, 1),
                                Map.of(bootB, maddrBytes(bootB, 5100)))));
        int sid2 = subnetNamed("beta");

        // subnet delegate stake
        ok(faith, "delegate", "add", "" + sid, "100");
        BigInteger shares = subnetShares(faith, sid);
        assertThat(shares).isPositive();
        BigInteger quarter = shares.divide(BigInteger.valueOf(4));
        ok(faith, "delegate", "transfer", "" + sid, "ethan", quarter.toString());
        assertThat(subnetShares(ethan, sid)).isEqualTo(quarter);
        ok(faith, "delegate", "remove", "" + sid, quarter.toString());
        assertThat(chain.unbondings(faith)).isNotEmpty();
        BigInteger poolBefore = subnet(sid).delegatePool().balance();
        ok(faith, "delegate", "donate", "" + sid, "5");
        assertThat(subnet(sid).delegatePool().balance()).isEqualTo(poolBefore.add(U128.tensor(5)));
        BigInteger left = subnetShares(faith, sid);
        BigInteger eighth = shares.divide(BigInteger.valueOf(8));
        ok(faith, "delegate", "swap", "" + sid, "" + sid2, eighth.toString());
        ok(faith, "delegate", "swap-to-validator", "" + sid, "" + vb, eighth.toString());
        assertThat(subnetShares(faith, sid)).isEqualTo(left.subtract(eighth).subtract(eighth));
        fails(NetworkError.SharesZero, faith, "delegate", "remove", "" + sid, "0");
        produce(EPOCH + 1); // swaps land after EpochLength blocks
        assertThat(subnetShares(faith, sid2)).isPositive();
        assertThat(validatorShares(faith, vb)).isPositive();

        // validator delegate stake
        BigInteger vShares0 = validatorShares(faith, vb);
        ok(faith, "validator-delegate", "add", "" + vb, "100");
        BigInteger vShares = validatorShares(faith, vb).subtract(vShares0);
        assertThat(vShares).isPositive();
        BigInteger vq = vShares.divide(BigInteger.valueOf(4));
        ok(faith, "validator-delegate", "transfer", "" + vb, "ethan", vq.toString());
        assertThat(validatorShares(ethan, vb)).isEqualTo(vq);
        BigInteger vBefore = validatorShares(faith, vb);
        ok(faith, "validator-delegate", "remove", "" + vb, vq.toString());
        assertThat(validatorShares(faith, vb)).isEqualTo(vBefore.subtract(vq));
        BigInteger vPool = chain.validator(vb).orElseThrow().delegatePool().balance();
        ok(faith, "validator-delegate", "donate", "" + vb, "5");
        assertThat(chain.validator(vb).orElseThrow().delegatePool().balance()).isEqualTo(vPool.add(U128.tensor(5)));
        ok(faith, "validator-delegate", "swap", "" + vb, "" + vc, vq.toString());
        ok(faith, "validator-delegate", "swap-to-subnet", "" + vb, "" + sid, vq.toString());
        BigInteger sidSharesBefore = subnetShares(faith, sid);
        produce(EPOCH + 1);
        assertThat(validatorShares(faith, vc)).isPositive();
        assertThat(subnetShares(faith, sid)).isGreaterThan(sidSharesBefore);

        // ownership transfer in two steps
        fails(NetworkError.NoPendingSubnetOwner, dorothy, "accept-subnet-ownership", "" + sid2);
        ok(alith, "transfer-subnet-ownership", "" + sid2, "dorothy");
        assertThat(subnet(sid2).params().pendingOwner()).contains(dorothy);
        fails(NetworkError.NotPendingSubnetOwner, faith, "accept-subnet-ownership", "" + sid2);
        ok(dorothy, "accept-subnet-ownership", "" + sid2);
        assertThat(subnet(sid2).subnet().owner()).isEqualTo(dorothy);
        ok(dorothy, "owner", "deactivate", "" + sid2);
        assertThat(chain.subnet(sid2)).isEmpty();

        // activation, then one consensus round: propose by the elected node's key, attest by another
        ok(alith, "activate-subnet", "" + sid);
        assertThat(subnet(sid).subnet().state()).isEqualTo(SubnetState.Active);
        long e = 0;
        Optional<dev.hyperj.chain.runtime.NetworkReads.ElectedValidatorInfo> elected = Optional.empty();
        for (int i = 0; i < 3 * EPOCH && elected.isEmpty(); i++) {
            produce(1);
            e = chain.subnetEpoch(sid);
            elected = chain.electedValidator(sid, e);
        }
        SubnetNodeInfo proposer = elected.orElseThrow(() -> new AssertionError("no validator elected within 3 epochs"))
                .node();
        SubnetNodeInfo attestor = chain.subnetNodes(sid).stream()
                .filter(n -> n.node().id() != proposer.node().id()
                        && n.node().hasClass(NodeClass.Validator, chain.subnetEpoch(sid)))
                .findFirst()
                .orElseThrow();
        fails(
                NetworkError.SubnetEpochDataIsNone,
                attestor.signingKey(),
                "attest",
                "" + sid,
                "" + attestor.node().id());
        ok(
                proposer.signingKey(),
                "propose",
                "" + sid,
                "" + proposer.node().id(),
                "--score",
                n1 + "=1," + n2 + "=1," + n3 + "=1");
        fails(
                NetworkError.SubnetRewardsAlreadySubmitted,
                proposer.signingKey(),
                "propose",
                "" + sid,
                "" + proposer.node().id(),
                "--score",
                n1 + "=1");
        ok(attestor.signingKey(), "attest", "" + sid, "" + attestor.node().id(), "--attest-data", "seen");
        var submission = chain.validatorsAndAttestors(sid, e).orElseThrow().submission();
        assertThat(submission.validatorNodeId()).isEqualTo(proposer.node().id());
        assertThat(submission.attests())
                .containsKeys(proposer.node().id(), attestor.node().id());
        assertThat(submission.attests().get(attestor.node().id()).data()).contains(Bytes.utf8("seen"));

        // pause (with the collective's cooldown first), emergency validators, unpause
        ok(alith, "collective", "pause-cooldown-epochs", "50");
        fails(NetworkError.SubnetPauseCooldownActive, alith, "pause-subnet", "" + sid);
        ok(alith, "collective", "pause-cooldown-epochs", "0");
        ok(alith, "pause-subnet", "" + sid);
        assertThat(subnet(sid).subnet().state()).isEqualTo(SubnetState.Paused);
        ok(alith, "owner", "emergency-validators", "" + sid, "" + n1, "" + n2);
        fails(NetworkError.EmergencyValidatorsSet, alith, "owner", "reputation-factors", "" + sid, "--absent", "10");
        ok(alith, "owner", "revert-emergency-validators", "" + sid);
        fails(NetworkError.InvalidEmergencySubnetNodeId, alith, "owner", "revert-emergency-validators", "" + sid);
        ok(alith, "unpause-subnet", "" + sid);
        assertThat(subnet(sid).subnet().state()).isEqualTo(SubnetState.Active);

        // removals: a node by its coldkey, a node and the subnet by the collective
        int notElectedA = List.of(n1, n2, n3).stream()
                .filter(n -> n != proposer.node().id())
                .findFirst()
                .orElseThrow();
        int notElectedB = List.of(n1, n2, n3).stream()
                .filter(n -> n != proposer.node().id() && n != notElectedA)
                .findFirst()
                .orElseThrow();
        AccountId coldA = nodeInfo(sid, notElectedA).coldkey();
        ok(coldA, "remove-node", "" + sid, "" + notElectedA);
        assertThat(chain.subnetNode(sid, notElectedA)).isEmpty();
        fails(NetworkError.BadOrigin, faith, "collective", "remove-node", "" + sid, "" + notElectedB);
        ok(alith, "collective", "remove-node", "" + sid, "" + notElectedB);
        assertThat(chain.subnetNode(sid, notElectedB)).isEmpty();
        ok(alith, "collective", "remove-subnet", "" + sid);
        assertThat(chain.subnet(sid)).isEmpty();

        // max subnets: a network parameter (excess subnets are pruned every 10 epochs, registration stays open)
        fails(NetworkError.InvalidMaxSubnets, alith, "collective", "max-subnets", "" + (EPOCH - 2));
        ok(alith, "collective", "max-subnets", "5");
        int maxSubnets = node.read(r -> r.params().maxSubnets());
        assertThat(maxSubnets).isEqualTo(5);
    }

    // ------------------------------------------------------------------ overwatch

    @Test
    void overwatchCalls() throws Exception {
        AccountId alith = DevAccounts.ALITH.account(), bal = BALTATHAR.account();
        AccountId hb = newKey(), owHot = newKey();
        int vb = validator(BALTATHAR, hb, "b");
        fails(
                NetworkError.ColdkeyNotOverwatchQualified,
                bal,
                "overwatch",
                "register",
                "" + vb,
                "--hotkey",
                owHot.toString(),
                "--stake",
                "100");
        fails(NetworkError.BadOrigin, bal, "collective", "overwatch-eligibility", bal.toString(), "true");
        ok(alith, "collective", "overwatch-eligibility", bal.toString(), "true");
        // whitelisted now: the next check is the validator's age
        fails(
                NetworkError.OverwatchMinAgeNotMet,
                bal,
                "overwatch",
                "register",
                "" + vb,
                "--hotkey",
                owHot.toString(),
                "--stake",
                "100");
        ok(alith, "collective", "overwatch-eligibility", bal.toString(), "false");
        fails(
                NetworkError.ColdkeyNotOverwatchQualified,
                bal,
                "overwatch",
                "register",
                "" + vb,
                "--hotkey",
                owHot.toString(),
                "--stake",
                "100");
        // no overwatch node 7: every node call names it
        fails(NetworkError.InvalidOverwatchNodeId, bal, "overwatch", "remove", "7");
        fails(NetworkError.InvalidOverwatchNodeId, bal, "overwatch", "add-stake", "7", "10");
        fails(NetworkError.InvalidOverwatchNodeId, bal, "overwatch", "remove-stake", "7", "10");
        fails(NetworkError.InvalidOverwatchNodeId, bal, "overwatch", "set-peer-id", "128001", "7", peer());
        fails(
                NetworkError.InvalidOverwatchNodeId,
                bal,
                "overwatch",
                "commit",
                "7",
                "--weight",
                "128001=0.5",
                "--salt",
                "s");
        fails(
                NetworkError.InvalidOverwatchNodeId,
                bal,
                "overwatch",
                "reveal",
                "7",
                "--weight",
                "128001=0.5",
                "--salt",
                "s");
    }

    @Test
    void overwatchCommitIsTheChainMdHashOfWeightAndSalt() {
        // blake2b-256(SCALE(u128 weight, bytes salt)): 16 LE bytes, compact length, salt
        BigInteger w = U128.percent(50);
        byte[] scale = new dev.hyperj.chain.scale.ScaleWriter()
                .u128(w)
                .bytes("s".getBytes())
                .toByteArray();
        assertThat(scale).hasSize(16 + 1 + 1);
        assertThat(TxOverwatch.commitment(w, Bytes.utf8("s")))
                .isEqualTo(Bytes.of(dev.hyperj.chain.crypto.Hashing.blake2b256(scale)));
        var commit = new TxOverwatch.OverwatchCommitWeights();
        new CommandLine(commit).parseArgs("3", "--weight", "128001=0.5", "--salt", "s", "--from", "alith");
        assertThat(commit.call().commits())
                .containsExactly(new dev.hyperj.chain.runtime.Model.OverwatchCommit(
                        128001, TxOverwatch.commitment(w, Bytes.utf8("s"))));
        var reveal = new TxOverwatch.OverwatchRevealWeights();
        new CommandLine(reveal).parseArgs("3", "--weight", "128001=1.5", "--salt", "s", "--from", "alith");
        org.assertj.core.api.Assertions.assertThatThrownBy(reveal::call)
                .isInstanceOf(CliException.class)
                .hasMessageContaining("above 1");
    }
}
