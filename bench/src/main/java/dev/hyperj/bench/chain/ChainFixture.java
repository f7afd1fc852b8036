package dev.hyperj.bench.chain;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.BlockResult;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.CallResult;
import dev.hyperj.chain.runtime.GenesisConfig;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.NetworkParams;
import dev.hyperj.chain.runtime.NetworkReads;
import dev.hyperj.chain.runtime.Runtime;
import dev.hyperj.chain.runtime.SignedCall;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.chain.storage.ChangeSet;
import dev.hyperj.chain.storage.MemoryBackend;
import dev.hyperj.chain.storage.Overlay;
import dev.hyperj.chain.storage.StateView;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A dev chain (EpochLength 20) with {@code subnets} active subnets of {@code nodes} Validator-class
 * nodes each, built through ordinary calls. Parent hashes depend on the block number only, so a
 * block replays identically (same elections) from the same state.
 */
final class ChainFixture {
    static final int EPOCH = 20;
    final MemoryBackend base = new MemoryBackend();
    final List<AccountId> colds = new ArrayList<>();
    final List<AccountId> hots = new ArrayList<>();
    final List<Integer> subnetIds = new ArrayList<>();
    long number;

    static byte[] parent(long n) {
        return Hashing.blake2b256(new ScaleWriter().u64(n).toByteArray());
    }

    private static final String B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    static String peerId(long seed) {
        StringBuilder sb = new StringBuilder("12D3KooW");
        long x = seed * 2654435761L + 99;
        while (sb.length() < 52) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            sb.append(B58.charAt((int) Long.remainderUnsigned(x >>> 17, B58.length())));
        }
        return sb.toString();
    }

    ChainFixture(int subnets, int nodes) {
        List<GenesisConfig.Balance> balances = new ArrayList<>();
        for (AccountId a : DevAccounts.all()) balances.add(new GenesisConfig.Balance(a, GenesisConfig.DEV_BALANCE));
        for (int i = 0; i < nodes; i++) {
            colds.add(AccountId.forModule("bench/cold/" + i));
            hots.add(AccountId.forModule("bench/hot/" + i));
            balances.add(new GenesisConfig.Balance(colds.get(i), U128.tensor(1000L * subnets + 1000)));
        }
        NetworkParams p = NetworkParams.defaults(EPOCH, Optional.of(DevAccounts.ALITH.account()))
                .withPhases(1000, 500, 1, 2);
        base.apply(Runtime.genesis(GenesisConfig.dev(EPOCH).withParams(p).withBalances(balances)));

        List<SignedCall> calls = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            calls.add(new SignedCall(
                    colds.get(i),
                    new Call.RegisterValidator(
                            hots.get(i),
                            U128.percent(10),
                            Optional.empty(),
                            Model.ValidatorIdentity.named("bench-" + i))));
        }
        commit(calls);
        Map<Integer, Integer> initial = new LinkedHashMap<>();
        for (int v = 1; v <= nodes; v++) initial.put(v, 1);
        for (int s = 0; s < subnets; s++) {
            Model.SubnetRegistrationData d = new Model.SubnetRegistrationData(
                    "bench-" + s,
                    "repo-" + s,
                    "",
                    "",
                    U128.tensor(100),
                    U128.tensor(1000),
                    U128.percent(10),
                    initial,
                    Map.of(peerId(1_000_000 + s), multiaddr(s)));
            commit(List.of(
                    new SignedCall(DevAccounts.ALITH.account(), new Call.RegisterSubnet(U128.tensor(10_000_000), d))));
            subnetIds.add(128_001 + s);
        }
        for (int s = 0; s < subnets; s++) {
            calls = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                calls.add(new SignedCall(
                        colds.get(i),
                        new Call.RegisterSubnetNode(
                                i + 1,
                                subnetIds.get(s),
                                Optional.empty(),
                                Model.PeerInfo.of(peerId((long) s * 100_000 + i)),
                                Optional.empty(),
                                Optional.empty(),
                                U128.tensor(100),
                                Optional.empty(),
                                Optional.empty(),
                                U128.tensor(1))));
            }
            calls.add(new SignedCall(
                    DevAccounts.FAITH.account(), new Call.AddDelegateStake(subnetIds.get(s), U128.tensor(1000))));
            commit(calls);
        }
        while (number < EPOCH) commit(List.of());
        calls = new ArrayList<>();
        for (int id : subnetIds) calls.add(new SignedCall(DevAccounts.ALITH.account(), new Call.ActivateSubnet(id)));
        commit(calls);
    }

    static dev.hyperj.p2p.bytes.Bytes multiaddr(int s) {
        byte[] b = new byte[] {4, 10, 0, 0, (byte) s, 6, 0x0f, (byte) 0xa1, (byte) 0xa5, 0x03, 34, 0x12, 0x20};
        byte[] out = java.util.Arrays.copyOf(b, b.length + 32);
        out[out.length - 1] = (byte) s;
        return dev.hyperj.p2p.bytes.Bytes.of(out);
    }

    /** Executes the next block over the base state and applies it; every call must succeed. */
    BlockResult commit(List<SignedCall> calls) {
        BlockResult r = Runtime.executeBlock(base, number + 1, parent(number + 1), null, calls);
        for (CallResult c : r.callResults()) {
            if (!c.ok())
                throw new IllegalStateException(
                        "setup call " + c.index() + " failed: " + c.error().get() + " in block " + (number + 1));
        }
        base.apply(r.changes());
        number++;
        return r;
    }

    /**
     * The consensus calls to put in block {@code n}: the subnet whose slot was block n-1 proposes
     * (all nodes scored), the one whose slot was n-2 gets every other node's attestation.
     */
    List<SignedCall> consensusCalls(StateView state, long n) {
        NetworkReads reads = new NetworkReads(state);
        List<SignedCall> out = new ArrayList<>();
        for (int sid : subnetIds) {
            int slot = reads.getSubnetInfo(sid).orElseThrow().subnet().slot();
            long sinceSlot = Math.floorMod(n - slot, EPOCH);
            if (n < slot || (sinceSlot != 1 && sinceSlot != 2)) continue;
            long e = (n - slot) / EPOCH;
            var elected = reads.getElectedValidatorInfo(sid, e);
            if (elected.isEmpty()) continue;
            int proposer = elected.get().node().node().id();
            var nodes = reads.getSubnetNodesInfo(sid);
            if (sinceSlot == 1) {
                List<Model.NodeScore> data = new ArrayList<>(nodes.size());
                for (var node : nodes)
                    data.add(new Model.NodeScore(
                            node.node().id(), U128.tensor(1 + node.node().id() % 7)));
                out.add(new SignedCall(
                        elected.get().node().signingKey(),
                        new Call.ProposeAttestation(
                                sid,
                                proposer,
                                data,
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty())));
            } else {
                for (var node : nodes) {
                    if (node.node().id() != proposer)
                        out.add(new SignedCall(
                                node.signingKey(),
                                new Call.Attest(sid, node.node().id(), Optional.empty())));
                }
            }
        }
        return out;
    }

    /** Runs whole epochs of consensus into the base state. */
    void runEpochs(int epochs) {
        long end = number + (long) epochs * EPOCH;
        while (number < end) commit(consensusCalls(base, number + 1));
    }

    /** Writes a change set into an overlay (to chain blocks without touching the base). */
    static void applyTo(Overlay o, ChangeSet changes) {
        changes.entries().forEach((k, v) -> {
            if (v == null) o.delete(k);
            else o.put(k, v);
        });
    }

    static BigInteger sum(List<BigInteger> l) {
        return l.stream().reduce(BigInteger.ZERO, BigInteger::add);
    }
}
