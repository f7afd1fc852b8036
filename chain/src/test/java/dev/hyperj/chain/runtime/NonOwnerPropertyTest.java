package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.runtime.Model.DelegateAccount;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.chain.storage.MemoryBackend;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mallory (a funded account with her own validator) sends random calls aimed at what others own.
 * A twin chain runs the same blocks without her calls: everything the others own is identical.
 */
class NonOwnerPropertyTest {
    static final AccountId MALLORY = Scenario.account("mallory");
    static final int SID = 128001;

    static Scenario setUp() {
        Scenario sc = new Scenario();
        sc.activatedSubnet("owned-by-alith", 3);
        sc.ok(Scenario.coldkey(5), new Call.Transfer(MALLORY, tensor(10_000)));
        sc.ok(
                MALLORY,
                new Call.RegisterValidator(
                        Scenario.account("mallory-hot"),
                        BigInteger.ZERO,
                        Optional.empty(),
                        ValidatorIdentity.named("mallory")));
        return sc;
    }

    @Provide
    Arbitrary<List<Integer>> attacks() {
        return Arbitraries.integers().between(0, 10_000).list().ofMinSize(3).ofMaxSize(25);
    }

    static Call attack(int r) {
        int node = 1 + r % 3, validator = 1 + r % 3;
        BigInteger amt = tensor(1 + r % 200);
        return switch (r % 33) {
            case 0 -> new Call.OwnerPauseSubnet(SID);
            case 1 -> new Call.OwnerDeactivateSubnet(SID);
            case 2 -> new Call.OwnerUpdateChurnLimit(SID, 1 + r % 64);
            case 3 -> new Call.OwnerUpdateMinMaxStake(SID, tensor(100), tensor(200));
            case 4 -> new Call.TransferSubnetOwnership(SID, MALLORY);
            case 5 -> new Call.AcceptSubnetOwnership(SID);
            case 6 -> new Call.OwnerAddBootnodeAccess(SID, MALLORY);
            case 7 -> new Call.UpdateBootnodes(SID, Map.of(), List.of(Scenario.peerId(1)));
            case 8 -> new Call.UpdateNodePeerInfo(SID, node, PeerInfo.of(Scenario.peerId(60_000 + r)));
            case 9 -> new Call.UpdateNodeHotkey(SID, node, Optional.of(Scenario.account("m" + r)));
            case 10 -> new Call.UpdateNodeUnique(SID, node, Optional.of(Bytes.utf8("m")));
            case 11 -> new Call.RemoveSubnetNode(SID, node);
            case 12 -> new Call.RemoveNodeStake(SID, node, amt);
            case 13 -> new Call.AddNodeStake(SID, node, amt);
            case 14 -> new Call.UpdateValidatorColdkey(validator, MALLORY);
            case 15 -> new Call.UpdateValidatorHotkey(validator, Scenario.account("m" + r));
            case 16 -> new Call.UpdateValidatorDelegateRewardRate(validator, percent(1));
            case 17 ->
                new Call.UpdateValidatorDelegateAccount(
                        validator, Optional.of(new DelegateAccount(MALLORY, percent(100))));
            case 18 -> new Call.UpdateValidatorIdentity(validator, ValidatorIdentity.named("pwned"));
            case 19 -> new Call.RemoveDelegateStake(SID, amt);
            case 20 -> new Call.TransferDelegateStake(SID, MALLORY, amt);
            case 21 ->
                new Call.ProposeAttestation(
                        SID, node, List.of(), Optional.empty(), Optional.of(node), Optional.empty(), Optional.empty());
            case 22 -> new Call.Attest(SID, node, Optional.empty());
            case 23 -> new Call.CollectiveRemoveSubnet(SID);
            case 24 ->
                new Call.RegisterSubnetNode(
                        validator,
                        SID,
                        Optional.empty(),
                        PeerInfo.of(Scenario.peerId(70_000 + r)),
                        Optional.empty(),
                        Optional.empty(),
                        tensor(100),
                        Optional.empty(),
                        Optional.empty(),
                        tensor(1));
            case 25 -> new Call.OwnerSetEmergencyValidatorSet(SID, List.of(node));
            case 26 -> new Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold(SID, percent(10));
            case 27 -> new Call.OwnerAddOrUpdateInitialValidators(SID, Map.of(validator, 5));
            case 28 -> new Call.OwnerRemoveInitialValidators(SID, List.of(validator));
            case 29 -> new Call.CollectiveSetMaxSubnets(1);
            case 30 -> new Call.CollectiveSetSubnetPauseCooldownEpochs(1000);
            case 31 ->
                new Call.OwnerUpdateReputationFactors(
                        SID, Model.ReputationFactorUpdates.none().withAbsentDecrease(percent(50)));
            default -> new Call.RemoveValidatorDelegateStake(validator, amt);
        };
    }

    /** What Alith's subnet and the three validators own, as seen from reads. */
    static List<Object> owned(NetworkReads r) {
        List<Object> out = new ArrayList<>();
        var info = r.getSubnetInfo(SID).orElseThrow();
        out.add(info.subnet());
        out.add(info.params());
        out.add(info.bootnodes());
        for (int v = 1; v <= 3; v++) {
            out.add(r.getValidatorInfo(v).orElseThrow().validator());
            out.add(r.getValidatorStakes(v));
            out.add(r.getDelegateStakes(Scenario.coldkey(v - 1)).stream()
                    .map(NetworkReads.DelegateStake::shares)
                    .toList());
            out.add(r.unbondings(Scenario.coldkey(v - 1)));
        }
        for (var n : r.getSubnetNodesInfo(SID)) if (n.node().validatorId() <= 3) out.add(n);
        return out;
    }

    private static final MemoryBackend START = (MemoryBackend) setUp().chain.state();

    @Property(tries = 15)
    void nonOwnersCannotChangeWhatTheyDoNotOwn(@ForAll("attacks") List<Integer> attacks) {
        MemoryBackend attacked = START.copy();
        MemoryBackend twin = START.copy();
        long n = new NetworkReads(START).blockNumber();
        for (int r : attacks) {
            n++;
            // parent hashes independent of the block's calls, so both chains elect alike
            byte[] parent = Hashing.blake2b256(new ScaleWriter().u64(n).toByteArray());
            BlockResult a =
                    Runtime.executeBlock(attacked, n, parent, null, List.of(new SignedCall(MALLORY, attack(r))));
            BlockResult b = Runtime.executeBlock(twin, n, parent, null, List.of());
            attacked.apply(a.changes());
            twin.apply(b.changes());
            // every attack fails, so the whole state matches the twin's, not only what the others own
            assertThat(a.callResults().get(0).error())
                    .as("attack %s", attack(r))
                    .isPresent();
            assertThat(owned(new NetworkReads(attacked))).isEqualTo(owned(new NetworkReads(twin)));
            assertThat(a.stateRoot()).isEqualTo(b.stateRoot());
        }
    }
}
