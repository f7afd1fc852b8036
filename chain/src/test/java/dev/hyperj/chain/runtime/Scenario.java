package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A readable test driver: dev accounts as validator coldkeys, a chain with short phases, helpers per step. */
final class Scenario {
    static final int EPOCH = 20;
    final InMemoryChain chain;
    final List<AccountId> coldkeys = DevAccounts.all();
    final Map<Integer, AccountId> hotkeys = new TreeMap<>();
    BlockResult last;

    Scenario() {
        this(GenesisConfig.dev(EPOCH)
                .withParams(NetworkParams.defaults(EPOCH, Optional.of(DevAccounts.ALITH.account()))
                        .withPhases(10, 5, 1, 2)));
    }

    Scenario(GenesisConfig g) {
        chain = new InMemoryChain(g);
    }

    NetworkReads reads() {
        return new NetworkReads(chain.state());
    }

    static AccountId account(String name) {
        return AccountId.forModule("test/" + name);
    }

    static AccountId coldkey(int validatorIndex) {
        return DevAccounts.values()[validatorIndex].account();
    }

    static AccountId hotkey(int validatorIndex) {
        return account("hotkey-" + validatorIndex);
    }

    /** A syntactically valid libp2p peer id text, distinct per seed. */
    static String peerId(int seed) {
        return TestPeers.peerId(seed);
    }

    /** /ip4/127.0.0.1/tcp/{port}/p2p/{32-byte sha2-256 multihash} as binary multiaddr. */
    static Bytes multiaddr(int port) {
        return TestPeers.multiaddr(port);
    }

    BlockResult block(SignedCall... calls) {
        last = chain.produce(List.of(calls));
        return last;
    }

    /** Runs one call in its own block and returns its result. */
    CallResult call(AccountId origin, Call call) {
        return block(new SignedCall(origin, call)).callResults().get(0);
    }

    CallResult ok(AccountId origin, Call call) {
        CallResult r = call(origin, call);
        assertThat(r.error()).as("result of %s", call).isEmpty();
        return r;
    }

    /**
     * FRAME's {@code assert_noop}: the call fails with {@code error}, emits nothing, and the block
     * that carried it ends in exactly the state root a block without it would have (computed first,
     * from the same parent state). The block is still produced, so later steps keep their block
     * numbers.
     */
    void assertNoop(AccountId origin, Call call, NetworkError error) {
        byte[] withoutCall = Runtime.executeBlock(
                        chain.state(), chain.blockNumber() + 1, chain.headHash(), null, List.of())
                .stateRoot();
        CallResult r = call(origin, call);
        assertThat(r.error()).as("result of %s", call).contains(error);
        assertThat(r.events()).as("events of the failed %s", call).isEmpty();
        assertThat(last.stateRoot()).as("state root after the failed %s", call).isEqualTo(withoutCall);
    }

    /** Empty blocks up to and including {@code target}; {@link #last} is the final one. */
    void advanceTo(long target) {
        while (chain.blockNumber() < target) block();
    }

    /** Registers validators 1..n (dev accounts as coldkeys); returns their ids. */
    List<Integer> registerValidators(int n) {
        List<Integer> ids = new ArrayList<>();
        SignedCall[] calls = new SignedCall[n];
        for (int i = 0; i < n; i++) {
            calls[i] = new SignedCall(
                    coldkey(i),
                    new Call.RegisterValidator(
                            hotkey(i), percent(10), Optional.empty(), ValidatorIdentity.named("validator-" + i)));
        }
        BlockResult r = block(calls);
        for (int i = 0; i < n; i++) {
            assertThat(r.callResults().get(i).error()).isEmpty();
            ids.add(reads().validatorIdOf(coldkey(i)).orElseThrow());
            hotkeys.put(ids.get(i), hotkey(i));
        }
        return ids;
    }

    static SubnetRegistrationData subnetData(String name, Map<Integer, Integer> initial) {
        return new SubnetRegistrationData(
                name,
                "github.com/hyperj/" + name,
                "a test subnet",
                "",
                tensor(100),
                tensor(1000),
                percent(10),
                initial,
                Map.of(peerId(9000 + name.hashCode() % 1000), multiaddr(9000)));
    }

    /** Alith registers a subnet whitelisting the given validators (1 registration each). */
    int registerSubnet(String name, List<Integer> validators) {
        Map<Integer, Integer> initial = new LinkedHashMap<>();
        for (int v : validators) initial.put(v, 1);
        CallResult r = ok(coldkey(0), new Call.RegisterSubnet(tensor(1_000_000), subnetData(name, initial)));
        return r.events().stream()
                .filter(e -> e instanceof Event.SubnetRegistered)
                .map(e -> ((Event.SubnetRegistered) e).subnetId())
                .findFirst()
                .orElseThrow();
    }

    int portSeq = 10_000; // per scenario, so that replays are identical

    Call.RegisterSubnetNode nodeCall(int validatorId, int subnetId, int seed) {
        return new Call.RegisterSubnetNode(
                validatorId,
                subnetId,
                Optional.empty(),
                new PeerInfo(peerId(seed), Optional.of(multiaddr(portSeq++))),
                Optional.empty(),
                Optional.empty(),
                tensor(100),
                Optional.empty(),
                Optional.empty(),
                tensor(1));
    }

    /** Each validator (index = validatorId - 1) registers one node; returns node ids in order. */
    List<Integer> registerNodes(int subnetId, List<Integer> validators) {
        List<Integer> nodes = new ArrayList<>();
        for (int v : validators) {
            CallResult r = ok(coldkey(v - 1), nodeCall(v, subnetId, 100_000 + portSeq));
            nodes.add(r.events().stream()
                    .filter(e -> e instanceof Event.SubnetNodeRegistered)
                    .map(e -> ((Event.SubnetNodeRegistered) e).subnetNodeId())
                    .findFirst()
                    .orElseThrow());
        }
        return nodes;
    }

    int slot(int subnetId) {
        return reads().getSubnetInfo(subnetId).orElseThrow().subnet().slot();
    }

    /** The block at which subnet epoch {@code e} of this subnet starts (its slot block). */
    long slotBlock(int subnetId, long e) {
        return e * EPOCH + slot(subnetId);
    }

    /** Advances to the first block of the subnet's next epoch (its emission step); returns that epoch. */
    long nextSubnetEpoch(int subnetId) {
        long e = (chain.blockNumber() - slot(subnetId)) / EPOCH + 1;
        if (chain.blockNumber() < slot(subnetId)) e = 0;
        advanceTo(slotBlock(subnetId, e));
        return e;
    }

    int elected(int subnetId) {
        long e = reads().subnetEpoch(subnetId);
        return reads().getElectedValidatorInfo(subnetId, e)
                .orElseThrow()
                .node()
                .node()
                .id();
    }

    AccountId signer(int subnetId, int nodeId) {
        return reads().getSubnetNodeInfo(subnetId, nodeId).orElseThrow().signingKey();
    }

    /** The elected node proposes {@code scores}; then every node in {@code attestors} attests (one block each call). */
    void consensus(int subnetId, Map<Integer, BigInteger> scores, List<Integer> attestors) {
        int proposer = elected(subnetId);
        List<NodeScore> data = new ArrayList<>();
        scores.forEach((k, v) -> data.add(new NodeScore(k, v)));
        ok(
                signer(subnetId, proposer),
                new Call.ProposeAttestation(
                        subnetId,
                        proposer,
                        data,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()));
        List<SignedCall> attests = new ArrayList<>();
        for (int a : attestors) {
            if (a != proposer)
                attests.add(new SignedCall(signer(subnetId, a), new Call.Attest(subnetId, a, Optional.empty())));
        }
        BlockResult r = block(attests.toArray(SignedCall[]::new));
        for (CallResult cr : r.callResults()) assertThat(cr.error()).isEmpty();
    }

    /** Validators 1..3 with one node each in an activated subnet, started (weights computed) at the returned subnet epoch. */
    record Activated(int subnetId, List<Integer> validators, List<Integer> nodes) {}

    Activated activatedSubnet(String name, int validatorCount) {
        List<Integer> validators =
                reads().validatorIdOf(coldkey(0)).isPresent() ? List.of(1, 2, 3) : registerValidators(validatorCount);
        int sid = registerSubnet(name, validators);
        List<Integer> nodes = registerNodes(sid, validators);
        ok(coldkey(5), new Call.AddDelegateStake(sid, tensor(1000)));
        advanceTo(EPOCH + 1); // MinSubnetRegistrationEpochs = 1
        ok(coldkey(0), new Call.ActivateSubnet(sid));
        advanceTo(slotBlock(sid, 1)); // start_epoch = 2: the next emission step is the first with a weight
        return new Activated(sid, validators, nodes);
    }

    static Map<Integer, BigInteger> scores(List<Integer> nodes, long... values) {
        Map<Integer, BigInteger> m = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++)
            m.put(nodes.get(i), BigInteger.valueOf(values[i]).multiply(BigInteger.TEN.pow(18)));
        return m;
    }

    <E extends Event> List<E> events(Class<E> type) {
        List<E> out = new ArrayList<>();
        for (Event e : last.events()) if (type.isInstance(e)) out.add(type.cast(e));
        return out;
    }

    BigInteger stake(int subnetId, int nodeId) {
        return reads().getSubnetNodeInfo(subnetId, nodeId)
                .map(NetworkReads.SubnetNodeInfo::stake)
                .orElse(BigInteger.ZERO);
    }
}
