package dev.hyperj.subnet;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.GenesisConfig;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.runtime.NetworkParams;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real dev chain node (RocksDB in a temp dir, instant seal: blocks are made by transactions or
 * by {@link #produce}) and the steps to get a subnet with staked nodes onto it through signed
 * transactions, as a subnet operator would.
 */
public final class DevChain implements AutoCloseable {
    public static final List<Secp256k1> COLDKEYS = java.util.Arrays.stream(DevAccounts.values())
            .map(a -> Secp256k1.fromPrivateKey(a.privateKey()))
            .toList();

    public final ChainNode node;
    public final ChainClient client;
    public final int epochLength;

    private DevChain(int epochLength, long blockTimeMs) {
        this.epochLength = epochLength;
        GenesisConfig g = GenesisConfig.dev(epochLength)
                .withParams(NetworkParams.defaults(epochLength, Optional.of(DevAccounts.ALITH.account()))
                        .withPhases(10, 5, 1, 2));
        NodeConfig c = NodeConfig.dev(epochLength).withGenesis(g);
        this.node = ChainNode.start(blockTimeMs > 0 ? c.withBlockTimeMs(blockTimeMs) : c.withInstantSeal(true));
        this.client = ChainClient.embedded(node);
    }

    /** Instant seal: blocks come with transactions or {@link #produce}. */
    public static DevChain start(int epochLength) {
        return new DevChain(epochLength, 0);
    }

    /** A block every {@code blockTimeMs} (and {@link #produce} still fast-forwards). */
    public static DevChain timed(int epochLength, long blockTimeMs) {
        return new DevChain(epochLength, blockTimeMs);
    }

    /** A deterministic hotkey. */
    public static Secp256k1 hotkey(int seed) {
        byte[] k = new byte[32];
        k[0] = 0x22;
        k[30] = (byte) (seed >> 8);
        k[31] = (byte) seed;
        return Secp256k1.fromPrivateKey(k);
    }

    public TxResult ok(Signer s, Call c) throws Exception {
        TxResult r = client.submit(s, c).get(60, TimeUnit.SECONDS);
        assertThat(r.error())
                .as("%s -> %s", c.getClass().getSimpleName(), r.message())
                .isEmpty();
        return r;
    }

    public long produce(int count) {
        return node.produceBlocks(count);
    }

    public void advanceTo(long block) {
        long now = client.blockNumber();
        if (block > now) produce((int) (block - now));
    }

    public int registerValidator(Secp256k1 coldkey, Secp256k1 hotkey) throws Exception {
        TxResult r = ok(
                coldkey,
                new Call.RegisterValidator(
                        hotkey.account(),
                        percent(10),
                        Optional.empty(),
                        ValidatorIdentity.named("v-" + coldkey.account())));
        return r.events(Event.ValidatorRegistered.class).get(0).validatorId();
    }

    /** Registers {@code n} validators (coldkeys = dev accounts 0.., hotkeys = {@link #hotkey}(1..)); returns their ids. */
    public List<Integer> registerValidators(int n) throws Exception {
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) out.add(registerValidator(COLDKEYS.get(i), hotkey(i + 1)));
        return out;
    }

    /** The chain's minimum of initial validators (3) as a map of one node each. */
    public static Map<Integer, Integer> oneNodeEach(List<Integer> validators) {
        Map<Integer, Integer> m = new java.util.LinkedHashMap<>();
        validators.forEach(v -> m.put(v, 1));
        return m;
    }

    /** Registers a subnet owned by Alith, min stake 100 TENSOR; returns its id and the registration block. */
    public int registerSubnet(Map<Integer, Integer> initialValidators, Map<String, Bytes> bootnodes) throws Exception {
        if (bootnodes.isEmpty()) {
            // the chain requires one; a peer nobody runs
            String id = PeerId.fromPublicKey(Keys.ed25519FromSeed(new byte[32]).publicKey())
                    .toBase58();
            bootnodes = Map.of(id, bootnodeAddress(id, 4001));
        }
        TxResult reg = ok(
                COLDKEYS.get(0),
                new Call.RegisterSubnet(
                        tensor(1_000_000),
                        new SubnetRegistrationData(
                                "alpha",
                                "github.com/hyperj/alpha",
                                "test",
                                "",
                                tensor(100),
                                tensor(1000),
                                percent(10),
                                initialValidators,
                                bootnodes)));
        return reg.events(Event.SubnetRegistered.class).get(0).subnetId();
    }

    /** /ip4/127.0.0.1/tcp/PORT/p2p/ID as the chain stores it. */
    public static Bytes bootnodeAddress(String peerId, int port) {
        return Bytes.of(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port + "/p2p/" + peerId).bytes());
    }

    public int registerNode(Secp256k1 coldkey, int validatorId, int subnetId, String peerId) throws Exception {
        TxResult r = ok(
                coldkey,
                new Call.RegisterSubnetNode(
                        validatorId,
                        subnetId,
                        Optional.empty(),
                        PeerInfo.of(peerId),
                        Optional.empty(),
                        Optional.empty(),
                        tensor(100),
                        Optional.empty(),
                        Optional.empty(),
                        tensor(1)));
        return r.events(Event.SubnetNodeRegistered.class).get(0).subnetNodeId();
    }

    /** Delegate stake, waits out the minimum registration phase and activates; returns the first block of the subnet's first epoch. */
    public long activate(int subnetId) throws Exception {
        ok(COLDKEYS.get(5), new Call.AddDelegateStake(subnetId, tensor(1000)));
        advanceTo((client.blockNumber() / epochLength + 2) * epochLength + 1);
        TxResult act = ok(COLDKEYS.get(0), new Call.ActivateSubnet(subnetId));
        assertThat(client.subnet(subnetId).orElseThrow().subnet().state()).isEqualTo(SubnetState.Active);
        int slot = client.subnet(subnetId).orElseThrow().subnet().slot();
        return (act.blockNumber() / epochLength + 1) * epochLength + slot;
    }

    @Override
    public void close() {
        client.close();
        node.close();
    }
}
