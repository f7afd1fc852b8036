package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Model.NodeScore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Over random call sequences (mostly valid, some not) interleaved with epoch boundaries, every unit
 * stays accounted for: free + staked + delegated + unbonding + overwatch + swap queue + burned =
 * genesis + minted; and issuance = genesis + minted - burned.
 */
class ConservationPropertyTest {
    record Action(int kind, int actor, int target, int amount, int skip) {}

    private Scenario base;

    @BeforeTry
    void setUp() {
        base = new Scenario();
        base.activatedSubnet("conserve", 3);
        base.registerSubnet("second", List.of(1, 2, 3));
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 17),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 2000),
                        Arbitraries.integers().between(0, 25))
                .as(Action::new)
                .list()
                .ofMinSize(5)
                .ofMaxSize(30);
    }

    static BigInteger amount(int a) {
        return tensor(a).divide(BigInteger.TEN);
    }

    Call callFor(Scenario sc, Action a, int subnetA, int subnetB) {
        AccountId actor = Scenario.coldkey(a.actor());
        int sid = a.target() % 2 == 0 ? subnetA : subnetB;
        int node = 1 + a.target() % 3;
        int validator = 1 + a.target() % 3;
        BigInteger shares = sc.reads().subnetDelegateShares(sid, actor).divide(BigInteger.valueOf(1 + a.amount() % 3));
        return switch (a.kind()) {
            case 0 -> new Call.Transfer(Scenario.coldkey((a.actor() + 1) % 6), amount(a.amount()));
            case 1 -> new Call.AddNodeStake(subnetA, node, amount(a.amount()));
            case 2 -> new Call.RemoveNodeStake(subnetA, node, amount(a.amount()));
            case 3 -> new Call.AddDelegateStake(sid, amount(a.amount()));
            case 4 -> new Call.RemoveDelegateStake(sid, shares);
            case 5 -> new Call.TransferDelegateStake(sid, Scenario.coldkey((a.actor() + 2) % 6), shares);
            case 6 -> new Call.DonateDelegateStake(sid, amount(a.amount()));
            case 7 -> new Call.SwapFromSubnetToSubnet(sid, sid == subnetA ? subnetB : subnetA, shares);
            case 8 -> new Call.AddValidatorDelegateStake(validator, amount(a.amount()));
            case 9 ->
                new Call.RemoveValidatorDelegateStake(
                        validator,
                        sc.reads().validatorDelegatePool(validator).shares().divide(BigInteger.valueOf(3)));
            case 10 ->
                new Call.SwapFromValidatorToSubnet(
                        validator,
                        sid,
                        sc.reads().getDelegateStakes(actor).stream()
                                .filter(d -> d.validatorPool() && d.poolId() == validator)
                                .map(NetworkReads.DelegateStake::shares)
                                .findFirst()
                                .orElse(BigInteger.ONE));
            case 11 -> new Call.ClaimUnbondings();
            case 12 -> sc.nodeCall(1 + a.actor() % 3, subnetA, 50_000 + a.amount());
            case 13 -> new Call.RemoveSubnetNode(subnetA, node + (a.amount() % 2) * 3);
            case 14 ->
                new Call.RegisterSubnet(
                        tensor(100), Scenario.subnetData("p" + a.amount(), java.util.Map.of(1, 1, 2, 1, 3, 1)));
            case 15 -> new Call.OwnerPauseSubnet(subnetA);
            case 16 -> new Call.OwnerUnpauseSubnet(subnetA);
            default -> new Call.CollectiveRemoveSubnet(subnetB);
        };
    }

    /** The elected node proposes equal scores and everyone attests, so settlements actually pay. */
    List<SignedCall> consensusCalls(Scenario sc, int sid) {
        long e = sc.reads().subnetEpoch(sid);
        List<SignedCall> out = new ArrayList<>();
        var elected = sc.reads().getElectedValidatorInfo(sid, e);
        if (elected.isEmpty() || sc.reads().getValidatorsAndAttestors(sid, e).isPresent()) return out;
        List<NodeScore> data = new ArrayList<>();
        for (var n : sc.reads().getSubnetNodesInfo(sid))
            data.add(new NodeScore(n.node().id(), tensor(1)));
        int proposer = elected.get().node().node().id();
        out.add(new SignedCall(
                elected.get().node().signingKey(),
                new Call.ProposeAttestation(
                        sid, proposer, data, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())));
        for (var n : sc.reads().getSubnetNodesInfo(sid)) {
            if (n.node().id() != proposer)
                out.add(new SignedCall(
                        n.signingKey(), new Call.Attest(sid, n.node().id(), Optional.empty())));
        }
        return out;
    }

    static void assertConserved(Scenario sc) {
        NetworkReads.Supply s = sc.reads().supply();
        assertThat(s.accounted())
                .as("accounted units %s", s)
                .isEqualTo(s.genesis().add(s.minted()));
        assertThat(s.issuance()).isEqualTo(s.genesis().add(s.minted()).subtract(s.burned()));
    }

    @Property(tries = 25)
    void everyUnitIsAccountedFor(@ForAll("actions") List<Action> actions) {
        Scenario sc = base;
        int subnetA = 128001, subnetB = 128002;
        assertConserved(sc);
        for (Action a : actions) {
            List<SignedCall> calls = new ArrayList<>(consensusCalls(sc, subnetA));
            calls.add(new SignedCall(Scenario.coldkey(a.actor()), callFor(sc, a, subnetA, subnetB)));
            sc.block(calls.toArray(SignedCall[]::new));
            assertConserved(sc);
            sc.advanceTo(sc.chain.blockNumber() + a.skip());
            assertConserved(sc);
        }
        assertThat(sc.reads().supply().minted()).isPositive();
    }
}
