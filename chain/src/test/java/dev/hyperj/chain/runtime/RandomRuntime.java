package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.tensor;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Model.NodeScore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * The runtime driven by random calls, with every unit accounted for after every block. Two subnets
 * (one activated, with a node of each of three validators; one only registered), six dev accounts
 * as actors, and calls drawn over transfers, node and delegate staking, swaps, unbonding claims,
 * node and subnet registration, pause and removal: mostly valid, some not. Each step lets the
 * elected node propose equal scores and the others attest first, so settlements pay out.
 *
 * <p>Conservation: free + staked + delegated + unbonding + overwatch + swap queue + burned =
 * genesis + minted, and issuance = genesis + minted - burned. {@link #step} throws
 * {@link IllegalStateException} at the first block where either fails.
 *
 * <p>Shared by {@code ConservationPropertyTest} (jqwik draws the actions) and bench's
 * {@code RuntimeSoak} (a seeded {@link Random} draws 10,000 epochs of them).
 */
public final class RandomRuntime {
    /** Blocks per epoch of the chain under test. */
    public static final int EPOCH = Scenario.EPOCH;

    /**
     * One random step: call {@code kind} (0..17) by actor {@code actor} (0..5) on {@code target}
     * (0..3, picks subnet and node), with {@code amount} (1..2000, tenths of a token), then
     * {@code skip} (0..25) empty blocks.
     */
    public record Action(int kind, int actor, int target, int amount, int skip) {
        public static final int KINDS = 18, ACTORS = 6, TARGETS = 4, MAX_AMOUNT = 2000, MAX_SKIP = 25;

        public static Action random(Random r) {
            return new Action(
                    r.nextInt(KINDS),
                    r.nextInt(ACTORS),
                    r.nextInt(TARGETS),
                    1 + r.nextInt(MAX_AMOUNT),
                    r.nextInt(MAX_SKIP + 1));
        }
    }

    private final Scenario sc = new Scenario();
    private final int subnetA;
    private final int subnetB;
    private long blocks;
    private final Map<String, Long> outcomes = new TreeMap<>();

    public RandomRuntime() {
        subnetA = sc.activatedSubnet("conserve", 3).subnetId();
        subnetB = sc.registerSubnet("second", List.of(1, 2, 3));
        check();
    }

    /** Runs one action: a block with the consensus calls and the action's call, then its empty blocks, checking every block. */
    public void step(Action a) {
        List<SignedCall> calls = new ArrayList<>(consensusCalls());
        Call call = callFor(a);
        calls.add(new SignedCall(Scenario.coldkey(a.actor()), call));
        BlockResult r = sc.block(calls.toArray(SignedCall[]::new));
        CallResult result = r.callResults().get(r.callResults().size() - 1);
        outcomes.merge(
                call.getClass().getSimpleName() + " "
                        + result.error().map(Enum::name).orElse("ok"),
                1L,
                Long::sum);
        blocks++;
        check();
        for (int i = 0; i < a.skip(); i++) {
            sc.block();
            blocks++;
            check();
        }
    }

    public NetworkReads reads() {
        return sc.reads();
    }

    public long blockNumber() {
        return sc.chain.blockNumber();
    }

    /** Blocks produced by {@link #step} so far, each checked. */
    public long blocksChecked() {
        return blocks;
    }

    /** Random calls that failed (an error result; their block still counts). */
    public long failedCalls() {
        return outcomes.entrySet().stream()
                .filter(e -> !e.getKey().endsWith(" ok"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** How many random calls ended how: "Transfer ok", "RemoveNodeStake NotKeyOwner", ... */
    public Map<String, Long> outcomes() {
        return Map.copyOf(outcomes);
    }

    private void check() {
        NetworkReads.Supply s = sc.reads().supply();
        BigInteger expected = s.genesis().add(s.minted());
        if (!s.accounted().equals(expected))
            throw new IllegalStateException("block #" + blockNumber() + ": accounted " + s.accounted()
                    + " != genesis + minted " + expected + " (" + s + ")");
        if (!s.issuance().equals(expected.subtract(s.burned())))
            throw new IllegalStateException("block #" + blockNumber() + ": issuance " + s.issuance()
                    + " != genesis + minted - burned " + expected.subtract(s.burned()) + " (" + s + ")");
    }

    private static BigInteger amount(int a) {
        return tensor(a).divide(BigInteger.TEN);
    }

    private Call callFor(Action a) {
        AccountId actor = Scenario.coldkey(a.actor());
        NetworkReads reads = sc.reads();
        // Delegation and swaps go to the subnets that exist now (the second one, and those the
        // calls register, are removed in time); node calls stay with the activated subnet.
        List<Integer> live =
                reads.getAllSubnetsInfo().stream().map(i -> i.subnet().id()).toList();
        int sid = live.isEmpty() ? subnetB : live.get(a.target() % live.size());
        int other = live.size() < 2 ? subnetB : live.get((a.target() + 1) % live.size());
        int node = 1 + a.target() % 3;
        int validator = 1 + a.target() % 3;
        BigInteger shares = reads.subnetDelegateShares(sid, actor).divide(BigInteger.valueOf(1 + a.amount() % 3));
        return switch (a.kind()) {
            case 0 -> new Call.Transfer(Scenario.coldkey((a.actor() + 1) % 6), amount(a.amount()));
            case 1 -> new Call.AddNodeStake(subnetA, node, amount(a.amount()));
            case 2 -> new Call.RemoveNodeStake(subnetA, node, amount(a.amount()));
            case 3 -> new Call.AddDelegateStake(sid, amount(a.amount()));
            case 4 -> new Call.RemoveDelegateStake(sid, shares);
            case 5 -> new Call.TransferDelegateStake(sid, Scenario.coldkey((a.actor() + 2) % 6), shares);
            case 6 -> new Call.DonateDelegateStake(sid, amount(a.amount()));
            case 7 -> new Call.SwapFromSubnetToSubnet(sid, other, shares);
            case 8 -> new Call.AddValidatorDelegateStake(validator, amount(a.amount()));
            case 9 ->
                new Call.RemoveValidatorDelegateStake(
                        validator,
                        reads.validatorDelegatePool(validator).shares().divide(BigInteger.valueOf(3)));
            case 10 ->
                new Call.SwapFromValidatorToSubnet(
                        validator,
                        sid,
                        reads.getDelegateStakes(actor).stream()
                                .filter(d -> d.validatorPool() && d.poolId() == validator)
                                .map(NetworkReads.DelegateStake::shares)
                                .findFirst()
                                .orElse(BigInteger.ONE));
            case 11 -> new Call.ClaimUnbondings();
            case 12 -> sc.nodeCall(1 + a.actor() % 3, subnetA, 50_000 + a.amount());
            case 13 -> new Call.RemoveSubnetNode(subnetA, node + (a.amount() % 2) * 3);
            case 14 ->
                new Call.RegisterSubnet(
                        reads.registrationCost(), Scenario.subnetData("p" + a.amount(), Map.of(1, 1, 2, 1, 3, 1)));
            case 15 -> new Call.OwnerPauseSubnet(subnetA);
            case 16 -> new Call.OwnerUnpauseSubnet(subnetA);
            default -> new Call.CollectiveRemoveSubnet(sid == subnetA ? other : sid); // never the one with nodes
        };
    }

    /** The elected node of the activated subnet proposes equal scores and everyone attests, so settlements pay. */
    private List<SignedCall> consensusCalls() {
        NetworkReads reads = sc.reads();
        long e = reads.subnetEpoch(subnetA);
        List<SignedCall> out = new ArrayList<>();
        var elected = reads.getElectedValidatorInfo(subnetA, e);
        if (elected.isEmpty() || reads.getValidatorsAndAttestors(subnetA, e).isPresent()) return out;
        List<NodeScore> data = new ArrayList<>();
        for (var n : reads.getSubnetNodesInfo(subnetA))
            data.add(new NodeScore(n.node().id(), tensor(1)));
        int proposer = elected.get().node().node().id();
        out.add(new SignedCall(
                elected.get().node().signingKey(),
                new Call.ProposeAttestation(
                        subnetA,
                        proposer,
                        data,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty())));
        for (var n : reads.getSubnetNodesInfo(subnetA)) {
            if (n.node().id() != proposer)
                out.add(new SignedCall(
                        n.signingKey(), new Call.Attest(subnetA, n.node().id(), Optional.empty())));
        }
        return out;
    }
}
