package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.OverwatchCommit;
import dev.hyperj.chain.runtime.Model.OverwatchReveal;
import dev.hyperj.chain.runtime.Model.ValidatorReputation;
import dev.hyperj.chain.storage.MemoryBackend;
import dev.hyperj.chain.storage.Overlay;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class OverwatchTest {
    static final AccountId ALITH = DevAccounts.ALITH.account();

    /** Test setup writes a validator's track record directly, as the pallet's tests do. */
    static void giveTrackRecord(Scenario sc, int validatorId, double score, double avgAttestation) {
        Overlay o = new Overlay(sc.chain.state());
        ValidatorReputation r = Store.VALIDATOR_REPUTATION.get(o, validatorId);
        Store.VALIDATOR_REPUTATION.put(
                o,
                validatorId,
                new ValidatorReputation(
                        r.startEpoch(),
                        U128.fromRatio(score),
                        r.lifetimeNodeCount(),
                        r.totalActiveNodes(),
                        r.totalIncreases(),
                        r.totalDecreases(),
                        U128.fromRatio(avgAttestation),
                        r.lastValidatorEpoch(),
                        r.owScore()));
        ((MemoryBackend) sc.chain.state()).apply(o.changes());
    }

    @Test
    void registrationStopsAtTheOverwatchNodeCap() {
        Scenario sc = new Scenario(GenesisConfig.dev(Scenario.EPOCH)
                .withParams(
                        NetworkParams.defaults(Scenario.EPOCH, java.util.Optional.of(ALITH))
                                .withPhases(10, 5, 1, 2)
                                .toBuilder()
                                .maxOverwatchNodes(1)
                                .build()));
        sc.activatedSubnet("capped", 3);
        AccountId c1 = Scenario.coldkey(0), c2 = Scenario.coldkey(1);
        sc.ok(ALITH, new Call.CollectiveSetColdkeyOverwatchNodeEligibility(c1, true));
        sc.ok(ALITH, new Call.CollectiveSetColdkeyOverwatchNodeEligibility(c2, true));
        sc.advanceTo(2L * Scenario.EPOCH);
        giveTrackRecord(sc, 1, 0.8, 0.8);
        giveTrackRecord(sc, 2, 0.8, 0.8);
        sc.ok(c1, new Call.RegisterOverwatchNode(1, Scenario.account("ow-1"), tensor(100)));
        // validator 2 qualifies on every other rule: only the cap refuses it
        sc.assertNoop(
                c2,
                new Call.RegisterOverwatchNode(2, Scenario.account("ow-2"), tensor(100)),
                NetworkError.MaxOverwatchNodes);
        sc.ok(c1, new Call.RemoveOverwatchNode(1));
        sc.ok(c2, new Call.RegisterOverwatchNode(2, Scenario.account("ow-2"), tensor(100)));
    }

    @Test
    void qualificationCommitRevealScoringAndPayout() {
        Scenario sc = new Scenario(); // overwatch min age: 2 epochs
        Scenario.Activated a = sc.activatedSubnet("watched", 3);
        int sid = a.subnetId();
        AccountId c1 = Scenario.coldkey(0), c2 = Scenario.coldkey(1);
        AccountId ow1 = Scenario.account("ow-1"), ow2 = Scenario.account("ow-2");
        sc.assertNoop(
                c1, new Call.RegisterOverwatchNode(1, ow1, tensor(100)), NetworkError.ColdkeyNotOverwatchQualified);
        sc.assertNoop(c2, new Call.CollectiveSetColdkeyOverwatchNodeEligibility(c2, true), NetworkError.BadOrigin);
        sc.ok(ALITH, new Call.CollectiveSetColdkeyOverwatchNodeEligibility(c1, true));
        sc.ok(ALITH, new Call.CollectiveSetColdkeyOverwatchNodeEligibility(c2, true));
        // OverwatchMinAge is a real number of epochs (2 here), not EpochLength / 4 (pallet bug not copied)
        assertThat(sc.reads().epoch()).isEqualTo(1);
        sc.assertNoop(c1, new Call.RegisterOverwatchNode(1, ow1, tensor(100)), NetworkError.OverwatchMinAgeNotMet);
        sc.advanceTo(2L * Scenario.EPOCH);
        sc.assertNoop(c1, new Call.RegisterOverwatchNode(1, ow1, tensor(100)), NetworkError.OverwatchMinRepScoreNotMet);
        giveTrackRecord(sc, 1, 0.8, 0.5);
        sc.assertNoop(
                c1, new Call.RegisterOverwatchNode(1, ow1, tensor(100)), NetworkError.OverwatchMinAvgAttestationNotMet);
        giveTrackRecord(sc, 1, 0.8, 0.8);
        giveTrackRecord(sc, 2, 0.8, 0.8);
        sc.assertNoop(c1, new Call.RegisterOverwatchNode(1, ow1, tensor(99)), NetworkError.MinStakeNotReached);
        sc.ok(c1, new Call.RegisterOverwatchNode(1, ow1, tensor(100)));
        sc.ok(c2, new Call.RegisterOverwatchNode(2, ow2, tensor(100)));
        sc.assertNoop(
                c1,
                new Call.RegisterOverwatchNode(1, Scenario.account("ow-3"), tensor(100)),
                NetworkError.ColdkeyOverwatchQualified);
        // overwatch peer ids share the subnet's namespace and pass the proof of stake
        sc.ok(ow1, new Call.SetOverwatchNodePeerId(sid, 1, Scenario.peerId(5151)));
        assertThat(sc.reads()
                        .proofOfStake(
                                sid, Scenario.peerId(5151), Model.NodeClass.Validator, java.util.Optional.empty()))
                .isTrue();
        sc.assertNoop(ow2, new Call.SetOverwatchNodePeerId(sid, 2, Scenario.peerId(5151)), NetworkError.PeerIdExist);

        // overwatch epoch 0 = blocks 0..319; commits before block 256 (80%), reveals after
        Bytes salt1 = Bytes.utf8("salt-1"), salt2 = Bytes.utf8("salt-2");
        BigInteger w1 = percent(60), w2 = percent(40);
        sc.ok(
                ow1,
                new Call.CommitOverwatchSubnetWeights(
                        1, List.of(new OverwatchCommit(sid, Overwatch.commitment(w1, salt1)))));
        sc.ok(
                ow2,
                new Call.CommitOverwatchSubnetWeights(
                        2, List.of(new OverwatchCommit(sid, Overwatch.commitment(w2, salt2)))));
        sc.assertNoop(
                ow1,
                new Call.CommitOverwatchSubnetWeights(
                        1, List.of(new OverwatchCommit(sid, Overwatch.commitment(w1, salt1)))),
                NetworkError.AlreadyCommitted);
        sc.assertNoop(
                ow1,
                new Call.RevealOverwatchSubnetWeights(1, List.of(new OverwatchReveal(sid, w1, salt1))),
                NetworkError.NotRevealPeriod);
        sc.advanceTo(256);
        sc.assertNoop(
                ow1,
                new Call.CommitOverwatchSubnetWeights(
                        1, List.of(new OverwatchCommit(sid, Overwatch.commitment(w1, salt1)))),
                NetworkError.NotCommitPeriod);
        sc.assertNoop(
                ow1,
                new Call.RevealOverwatchSubnetWeights(1, List.of(new OverwatchReveal(sid, w2, salt1))),
                NetworkError.RevealMismatch);
        sc.ok(ow1, new Call.RevealOverwatchSubnetWeights(1, List.of(new OverwatchReveal(sid, w1, salt1))));
        sc.ok(ow2, new Call.RevealOverwatchSubnetWeights(2, List.of(new OverwatchReveal(sid, w2, salt2))));
        assertThat(sc.reads().getOverwatchRevealsForEpochAndNode(0, 1)).containsEntry(sid, w1);
        // block 321 scores epoch 0: equal stakes -> subnet weight 0.5*0.6 + 0.5*0.4 = 0.5;
        // each node scores (1 - 0.1) * 0.5 = 0.45 -> normalised 0.5 -> payout 0.5 * 10,000 TENSOR / EPY
        sc.advanceTo(321);
        assertThat(U128.toRatio(sc.reads().getOverwatchSubnetWeight(0, sid).orElseThrow()))
                .isCloseTo(0.5, Offset.offset(1e-15));
        List<Event.OverwatchRewards> rewards = sc.events(Event.OverwatchRewards.class);
        assertThat(rewards).hasSize(2);
        double expected = 0.5 * 10_000.0 / (5_256_000 / 20);
        for (Event.OverwatchRewards r : rewards)
            assertThat(U128.toRatio(r.reward())).isCloseTo(expected, Offset.offset(1e-12));
        assertThat(sc.reads().getAllOverwatchNodesInfo())
                .allSatisfy(i -> assertThat(i.node().stake()).isGreaterThan(tensor(100)));
        // the next weights (block 322) use the overwatch weight 0.5 of epoch 0: a single subnet still normalises to 1
        sc.advanceTo(322);
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().emissionWeight()).isEqualTo(U128.ONE_E18);
        // removal unbonds the overwatch stake
        sc.ok(c2, new Call.RemoveOverwatchNode(2));
        assertThat(sc.reads().unbondings(c2).values().stream().reduce(BigInteger.ZERO, BigInteger::add))
                .isGreaterThan(tensor(100));
    }

    @Test
    void genesisCanLowerTheQualificationThresholdsAndTheDefaultsStayOutOfState() {
        GenesisConfig g = GenesisConfig.dev(Scenario.EPOCH)
                .withParams(NetworkParams.defaults(Scenario.EPOCH, java.util.Optional.of(ALITH))
                        .withPhases(10, 5, 1, 2));
        Scenario strict = new Scenario(g);
        Scenario easy = new Scenario(g.withOverwatchQualification(
                new GenesisConfig.OverwatchQualification(percent(50), percent(25), BigInteger.ZERO)));
        // the thresholds are state (every node must agree on them); the defaults are not written, so a
        // default chain's genesis is what it was before the setting existed
        assertThat(easy.chain.headHash()).isNotEqualTo(strict.chain.headHash());
        assertThat(new Scenario(g.withOverwatchQualification(GenesisConfig.OverwatchQualification.DEFAULTS))
                        .chain.headHash())
                .isEqualTo(strict.chain.headHash());
        for (Scenario sc : List.of(strict, easy)) {
            sc.activatedSubnet("watched", 3);
            AccountId c1 = Scenario.coldkey(0);
            sc.ok(ALITH, new Call.CollectiveSetColdkeyOverwatchNodeEligibility(c1, true));
            sc.advanceTo(2L * Scenario.EPOCH);
        }
        // a fresh validator: score 0.5, no attestation history
        strict.assertNoop(
                Scenario.coldkey(0),
                new Call.RegisterOverwatchNode(1, Scenario.account("ow"), tensor(100)),
                NetworkError.OverwatchMinRepScoreNotMet);
        easy.ok(Scenario.coldkey(0), new Call.RegisterOverwatchNode(1, Scenario.account("ow"), tensor(100)));
        assertThat(easy.reads().getAllOverwatchNodesInfo()).hasSize(1);
    }
}
