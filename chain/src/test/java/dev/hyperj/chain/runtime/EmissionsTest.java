package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.SubnetRemovalReason;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class EmissionsTest {
    static final AccountId FAITH = DevAccounts.FAITH.account();

    @Test
    void subnetWeightsBlendStakeNodesAndFlowThenPowerAndNormalise() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int s1 = sc.registerSubnet("w1", v);
        int s2 = sc.registerSubnet("w2", v);
        sc.registerNodes(s1, v);
        sc.registerNodes(s2, v);
        sc.ok(FAITH, new Call.AddDelegateStake(s1, tensor(1000)));
        sc.ok(FAITH, new Call.AddDelegateStake(s2, tensor(3000)));
        sc.advanceTo(Scenario.EPOCH + 1);
        sc.ok(Scenario.coldkey(0), new Call.ActivateSubnet(s1));
        sc.ok(Scenario.coldkey(0), new Call.ActivateSubnet(s2));
        sc.advanceTo(2L * Scenario.EPOCH + 2); // weights for epoch 2; flows were reset at block 22
        // stake shares 0.25 / 0.75, node shares 0.5 / 0.5, no flow; overwatch weight 0.5 (none yet)
        double w1 = Math.pow((0.4 * 0.25 + 0.4 * 0.5) * 0.5, 0.75);
        double w2 = Math.pow((0.4 * 0.75 + 0.4 * 0.5) * 0.5, 0.75);
        NetworkReads r = sc.reads();
        assertThat(U128.toRatio(r.getSubnetInfo(s1).orElseThrow().emissionWeight()))
                .isCloseTo(w1 / (w1 + w2), Offset.offset(1e-12));
        assertThat(U128.toRatio(r.getSubnetInfo(s2).orElseThrow().emissionWeight()))
                .isCloseTo(w2 / (w1 + w2), Offset.offset(1e-12));
        // a deposit into s1 during epoch 2 is net inflow: it lifts s1's weight at the next weights block
        sc.ok(FAITH, new Call.AddDelegateStake(s1, tensor(1)));
        sc.advanceTo(3L * Scenario.EPOCH + 2);
        double stake1 = 1001.0 / 4001.0;
        double x1 = Math.pow((0.4 * stake1 + 0.4 * 0.5 + 0.2 * 1.0) * 0.5, 0.75);
        double x2 = Math.pow((0.4 * (1 - stake1) + 0.4 * 0.5) * 0.5, 0.75);
        assertThat(U128.toRatio(sc.reads().getSubnetInfo(s1).orElseThrow().emissionWeight()))
                .isCloseTo(x1 / (x1 + x2), Offset.offset(1e-9));
    }

    @Test
    void tooFewElectableNodesCostReputationUntilTheSubnetIsRemoved() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("shrinking", 3);
        int sid = a.subnetId();
        sc.advanceTo(2L * Scenario.EPOCH + 1);
        int victim = a.nodes().stream()
                .filter(n -> {
                    var e = sc.reads().getElectedValidatorInfo(sid, sc.reads().subnetEpoch(sid));
                    return e.isEmpty() || e.get().node().node().id() != n;
                })
                .findFirst()
                .orElseThrow();
        sc.ok(
                sc.reads().getSubnetNodeInfo(sid, victim).orElseThrow().coldkey(),
                new Call.RemoveSubnetNode(sid, victim));
        // each epoch preliminaries: 2 electable nodes < 3 -> reputation -12.5% (plus absent-validator penalties at
        // settlements)
        sc.advanceTo(3L * Scenario.EPOCH);
        BigInteger rep = sc.reads().getSubnetInfo(sid).orElseThrow().reputation();
        assertThat(rep).isLessThanOrEqualTo(Rep.decrease(U128.ONE_E18, U128.ONE_E18.divide(BigInteger.valueOf(8))));
        long epoch = 3;
        while (sc.reads().getSubnetInfo(sid).isPresent() && epoch < 40) {
            epoch++;
            sc.advanceTo(epoch * Scenario.EPOCH);
        }
        assertThat(sc.events(Event.SubnetDeactivated.class))
                .containsExactly(new Event.SubnetDeactivated(sid, SubnetRemovalReason.MinReputation));
        // 0.875^k with the 5% absent-validator cuts: below 0.1 within 18 epochs
        assertThat(epoch).isLessThanOrEqualTo(3 + 18);
    }

    @Test
    void minimumSubnetDelegateStakeGatesActivationAndRemovesOnEvenEpochs() {
        NetworkParams p = NetworkParams.defaults(Scenario.EPOCH, Optional.of(DevAccounts.ALITH.account()))
                .withPhases(10, 5, 1, 2)
                .withMinSubnetDelegateStakeFactor(U128.ONE_E18);
        Scenario sc = new Scenario(GenesisConfig.dev(Scenario.EPOCH).withParams(p));
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("min-stake", v);
        sc.registerNodes(sid, v);
        sc.ok(FAITH, new Call.AddDelegateStake(sid, tensor(1000)));
        sc.advanceTo(Scenario.EPOCH);
        // issuance ~60M TENSOR * 0.1% * m(3 nodes) = 1.0 -> ~60,000 TENSOR needed
        sc.assertNoop(
                Scenario.coldkey(0), new Call.ActivateSubnet(sid), NetworkError.SubnetActivationConditionsNotMetYet);
        sc.ok(FAITH, new Call.AddDelegateStake(sid, tensor(70_000)));
        sc.ok(Scenario.coldkey(0), new Call.ActivateSubnet(sid));
        sc.ok(
                FAITH,
                new Call.RemoveDelegateStake(
                        sid, sc.reads().subnetDelegateShares(sid, FAITH).divide(BigInteger.TWO)));
        sc.advanceTo(2L * Scenario.EPOCH);
        assertThat(sc.events(Event.SubnetDeactivated.class))
                .containsExactly(new Event.SubnetDeactivated(sid, SubnetRemovalReason.MinSubnetDelegateStake));
    }

    @Test
    void blockAuthorIsPaidAThousandTensorAYearSpreadOverBlocks() {
        InMemoryChain chain = new InMemoryChain(GenesisConfig.dev());
        AccountId author = AccountId.forModule("author");
        BlockResult r = chain.produce(author, List.of());
        assertThat(r.events()).contains(new Event.Minted(author, new BigInteger("190258751902587")));
        assertThat(new NetworkReads(chain.state()).freeBalance(author)).isEqualTo(new BigInteger("190258751902587"));
    }

    @Test
    void subnetPausedTooLongLosesReputationUntilRemoved() {
        NetworkParams p = NetworkParams.defaults(Scenario.EPOCH, Optional.of(DevAccounts.ALITH.account()))
                .withPhases(10, 5, 1, 2)
                .withMaxPauseEpochs(2);
        Scenario sc = new Scenario(GenesisConfig.dev(Scenario.EPOCH).withParams(p));
        Scenario.Activated a = sc.activatedSubnet("paused", 3);
        int sid = a.subnetId();
        sc.ok(Scenario.coldkey(0), new Call.OwnerPauseSubnet(sid)); // paused at epoch 1
        sc.advanceTo(3L * Scenario.EPOCH);
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().reputation()).isEqualTo(U128.ONE_E18);
        sc.advanceTo(4L * Scenario.EPOCH); // 3 epochs paused > 2: -12.5%
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().reputation())
                .isEqualTo(Rep.decrease(U128.ONE_E18, U128.ONE_E18.divide(BigInteger.valueOf(8))));
        // 0.875^k < 0.1 at k = 18
        sc.advanceTo((4L + 17) * Scenario.EPOCH);
        assertThat(sc.events(Event.SubnetDeactivated.class))
                .containsExactly(new Event.SubnetDeactivated(sid, SubnetRemovalReason.PauseExpired));
    }

    @Test
    void activationFailingDuringEnactmentRemovesTheSubnet() {
        NetworkParams p = NetworkParams.defaults(Scenario.EPOCH, Optional.of(DevAccounts.ALITH.account()))
                .withPhases(10, 5, 1, 2)
                .withMinSubnetDelegateStakeFactor(U128.ONE_E18);
        Scenario sc = new Scenario(GenesisConfig.dev(Scenario.EPOCH).withParams(p));
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("late-activation", v);
        sc.registerNodes(sid, v);
        sc.advanceTo(10L * Scenario.EPOCH + 1); // enactment phase: epochs 10..14
        CallResult r = sc.ok(Scenario.coldkey(0), new Call.ActivateSubnet(sid));
        assertThat(r.events()).contains(new Event.SubnetDeactivated(sid, SubnetRemovalReason.MinSubnetDelegateStake));
        assertThat(sc.reads().getSubnetInfo(sid)).isEmpty();
        // the collective can remove a node too (sudo only)
        Scenario other = new Scenario();
        Scenario.Activated a = other.activatedSubnet("collective", 3);
        other.assertNoop(
                Scenario.coldkey(1),
                new Call.CollectiveRemoveSubnetNode(a.subnetId(), a.nodes().get(0)),
                NetworkError.BadOrigin);
        other.ok(
                Scenario.coldkey(0),
                new Call.CollectiveRemoveSubnetNode(a.subnetId(), a.nodes().get(0)));
        assertThat(other.reads().getSubnetNodeInfo(a.subnetId(), a.nodes().get(0)))
                .isEmpty();
    }
}
