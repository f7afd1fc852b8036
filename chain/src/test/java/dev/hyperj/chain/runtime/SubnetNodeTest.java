package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubnetNodeTest {
    @Test
    void registrationBurnsStakesAndStartsAsValidatorInARegisteredSubnet() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("nodes", v);
        AccountId cold = Scenario.coldkey(0);
        BigInteger before = sc.reads().freeBalance(cold);
        BigInteger burnedBefore = sc.reads().supply().burned();
        int node = sc.registerNodes(sid, List.of(1)).get(0);
        // burn = 1e13 * CurrentNodeBurnRate (1.0 at first)
        BigInteger burn = BigInteger.TEN.pow(13);
        assertThat(sc.reads().supply().burned().subtract(burnedBefore)).isEqualTo(burn);
        assertThat(sc.reads().freeBalance(cold)).isEqualTo(before.subtract(burn).subtract(tensor(100)));
        var info = sc.reads().getSubnetNodeInfo(sid, node).orElseThrow();
        assertThat(info.stake()).isEqualTo(tensor(100));
        assertThat(info.node().nodeClass()).isEqualTo(NodeClass.Validator);
        assertThat(info.node().reputation()).isEqualTo(U128.ONE_E18);
        assertThat(info.signingKey()).isEqualTo(Scenario.hotkey(0));
        assertThat(node).isEqualTo(1);
        // the whitelist allows one registration per validator
        sc.assertNoop(cold, sc.nodeCall(1, sid, 999), NetworkError.NotInitialValidatorRegistrationWhitelist);
    }

    @Test
    void registrationChecksStakeBurnAndOwnership() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("checks", v);
        AccountId cold = Scenario.coldkey(0);
        Call.RegisterSubnetNode base = sc.nodeCall(1, sid, 1);
        sc.assertNoop(Scenario.coldkey(1), base, NetworkError.NotKeyOwner);
        sc.assertNoop(cold, withStake(base, tensor(99)), NetworkError.MinStakeNotReached);
        sc.assertNoop(cold, withStake(base, tensor(1001)), NetworkError.MaxStakeReached);
        sc.assertNoop(
                cold,
                new Call.RegisterSubnetNode(
                        1,
                        sid,
                        Optional.empty(),
                        base.peerInfo(),
                        Optional.empty(),
                        Optional.empty(),
                        tensor(100),
                        Optional.empty(),
                        Optional.empty(),
                        BigInteger.TEN.pow(13).subtract(BigInteger.ONE)),
                NetworkError.MaxBurnAmountExceeded);
        sc.assertNoop(
                cold,
                new Call.RegisterSubnetNode(
                        1,
                        4242,
                        Optional.empty(),
                        base.peerInfo(),
                        Optional.empty(),
                        Optional.empty(),
                        tensor(100),
                        Optional.empty(),
                        Optional.empty(),
                        tensor(1)),
                NetworkError.InvalidSubnetId);
        // a poor account cannot keep the existential deposit
        AccountId poor = Scenario.account("poor");
        sc.ok(cold, new Call.Transfer(poor, tensor(100)));
        sc.ok(
                poor,
                new Call.RegisterValidator(
                        Scenario.account("poor-hot"),
                        BigInteger.ZERO,
                        Optional.empty(),
                        Model.ValidatorIdentity.named("poor")));
    }

    static Call.RegisterSubnetNode withStake(Call.RegisterSubnetNode c, BigInteger stake) {
        return new Call.RegisterSubnetNode(
                c.validatorId(),
                c.subnetId(),
                c.hotkey(),
                c.peerInfo(),
                c.bootnodePeerInfo(),
                c.clientPeerInfo(),
                stake,
                c.unique(),
                c.nonUnique(),
                c.maxBurnAmount());
    }

    @Test
    void peerIdsShareOneNamespacePerSubnetAndFollowTheChainRules() {
        Scenario sc = new Scenario();
        List<Integer> v = sc.registerValidators(3);
        int sid = sc.registerSubnet("peers", v);
        AccountId c0 = Scenario.coldkey(0), c1 = Scenario.coldkey(1);
        String main = Scenario.peerId(11), boot = Scenario.peerId(12), client = Scenario.peerId(13);
        sc.ok(
                c0,
                new Call.RegisterSubnetNode(
                        1,
                        sid,
                        Optional.of(Scenario.account("node-hot")),
                        new PeerInfo(main, Optional.of(Scenario.multiaddr(1))),
                        Optional.of(PeerInfo.of(boot)),
                        Optional.of(PeerInfo.of(client)),
                        tensor(100),
                        Optional.of(Bytes.utf8("u1")),
                        Optional.empty(),
                        tensor(1)));
        // another node may not reuse any of them, in any role
        sc.assertNoop(c1, registration(2, sid, PeerInfo.of(boot), Optional.empty()), NetworkError.PeerIdExist);
        sc.assertNoop(
                c1,
                registration(2, sid, PeerInfo.of(Scenario.peerId(20)), Optional.of(PeerInfo.of(main))),
                NetworkError.BootnodePeerIdExist);
        sc.assertNoop(
                c1,
                registration(
                        2,
                        sid,
                        new PeerInfo(Scenario.peerId(21), Optional.of(Scenario.multiaddr(1))),
                        Optional.empty()),
                NetworkError.MultiaddrExist);
        sc.assertNoop(
                c1,
                registration(2, sid, PeerInfo.of("2" + Scenario.peerId(22).substring(1)), Optional.empty()),
                NetworkError.InvalidPeerId);
        sc.assertNoop(c1, registration(2, sid, PeerInfo.of("12D3Koo"), Optional.empty()), NetworkError.InvalidPeerId);
        sc.assertNoop(
                c1,
                registration(2, sid, PeerInfo.of(Scenario.peerId(23)), Optional.of(PeerInfo.of(Scenario.peerId(23)))),
                NetworkError.PeerIdsMustBeUnique);
        // /ip4/127.0.0.1/tcp/80 without a trailing /p2p is refused
        Bytes noP2p = Bytes.of(new byte[] {4, 127, 0, 0, 1, 6, 0, 80});
        sc.assertNoop(
                c1,
                registration(2, sid, new PeerInfo(Scenario.peerId(24), Optional.of(noP2p)), Optional.empty()),
                NetworkError.InvalidMultiaddr);
        // CID and Qm forms are accepted
        sc.ok(c1, registration(2, sid, PeerInfo.of("Qm" + Scenario.peerId(25).substring(2)), Optional.empty()));
        // the proof of stake sees every role's peer id, and the official bootnode
        NetworkReads r = sc.reads();
        assertThat(r.proofOfStake(sid, main, NodeClass.Validator, Optional.empty()))
                .isTrue();
        assertThat(r.proofOfStake(sid, client, NodeClass.Validator, Optional.empty()))
                .isTrue();
        assertThat(r.proofOfStake(sid, boot, NodeClass.Validator, Optional.of(tensor(101))))
                .isFalse();
        assertThat(r.proofOfStake(sid, Scenario.peerId(99), NodeClass.Registered, Optional.empty()))
                .isFalse();
        assertThat(r.proofOfStake(
                        sid,
                        r.getSubnetInfo(sid)
                                .orElseThrow()
                                .bootnodes()
                                .keySet()
                                .iterator()
                                .next(),
                        NodeClass.Validator,
                        Optional.empty()))
                .isTrue();
        assertThat(r.getBootnodes(sid)).containsKey(boot);
        // after removal the ids are free again
        sc.ok(c0, new Call.RemoveSubnetNode(sid, 1));
        assertThat(sc.reads().proofOfStake(sid, main, NodeClass.Registered, Optional.empty()))
                .isFalse();
        sc.ok(Scenario.coldkey(2), registration(3, sid, PeerInfo.of(main), Optional.empty()));
    }

    static Call.RegisterSubnetNode registration(int validator, int sid, PeerInfo main, Optional<PeerInfo> boot) {
        return new Call.RegisterSubnetNode(
                validator,
                sid,
                Optional.empty(),
                main,
                boot,
                Optional.empty(),
                tensor(100),
                Optional.empty(),
                Optional.empty(),
                tensor(1));
    }

    @Test
    void queueHoldsAtMostMaxRegisteredNodes_palletBugFix() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("queue", 3);
        int sid = a.subnetId();
        sc.ok(Scenario.coldkey(0), new Call.OwnerUpdateMaxRegisteredNodes(sid, 2));
        sc.ok(Scenario.coldkey(0), sc.nodeCall(1, sid, 501));
        sc.ok(Scenario.coldkey(1), sc.nodeCall(2, sid, 502));
        // the pallet's `>` let a third in; max is max
        sc.assertNoop(Scenario.coldkey(2), sc.nodeCall(3, sid, 503), NetworkError.MaxRegisteredNodes);
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().queueLength()).isEqualTo(2);
    }

    @Test
    void queuedNodeMayUpdateItsMainPeerInfo_palletBugFix() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("queued-update", 3);
        int sid = a.subnetId();
        int queued = sc.registerNodes(sid, List.of(2)).get(0);
        assertThat(sc.reads()
                        .getSubnetNodeInfo(sid, queued)
                        .orElseThrow()
                        .node()
                        .nodeClass())
                .isEqualTo(NodeClass.Registered);
        String fresh = Scenario.peerId(777);
        sc.ok(Scenario.coldkey(1), new Call.UpdateNodePeerInfo(sid, queued, PeerInfo.of(fresh)));
        assertThat(sc.reads()
                        .getSubnetNodeInfo(sid, queued)
                        .orElseThrow()
                        .node()
                        .peerInfo()
                        .peerId())
                .isEqualTo(fresh);
        sc.assertNoop(
                Scenario.coldkey(0),
                new Call.UpdateNodePeerInfo(sid, queued, PeerInfo.of(Scenario.peerId(778))),
                NetworkError.NotKeyOwner);
    }

    @Test
    void burnRateMovesHalfwayTowardItsTargetEachEpoch() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("burn", 3);
        int sid = a.subnetId();
        sc.ok(Scenario.coldkey(0), new Call.OwnerUpdateTargetNodeRegistrationsPerEpoch(sid, 2));
        sc.nextSubnetEpoch(sid);
        // no registrations: target 1.0, rate stays 1.0
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().nodeBurnRate()).isEqualTo(U128.ONE_E18);
        sc.registerNodes(sid, List.of(1, 2));
        sc.nextSubnetEpoch(sid);
        // 2 registrations of target 2 -> target 5.0; new = 0.5 * 5 + 0.5 * 1 = 3.0
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().nodeBurnRate())
                .isEqualTo(U128.ONE_E18.multiply(BigInteger.valueOf(3)));
        sc.registerNodes(sid, List.of(3));
        sc.nextSubnetEpoch(sid);
        // 1 of 2 -> target 3.0; new = 0.5 * 3 + 0.5 * 3 = 3.0, and the next registration burns 3e13
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().nodeBurnRate())
                .isEqualTo(U128.ONE_E18.multiply(BigInteger.valueOf(3)));
        sc.nextSubnetEpoch(sid);
        assertThat(sc.reads().getSubnetInfo(sid).orElseThrow().nodeBurnRate())
                .isEqualTo(U128.ONE_E18.multiply(BigInteger.TWO));
    }

    @Test
    void electedValidatorCannotBeRemovedOrUnstakeDuringItsEpoch() {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("elected", 3);
        int sid = a.subnetId();
        sc.nextSubnetEpoch(sid);
        int elected = sc.elected(sid);
        AccountId cold =
                sc.reads().getSubnetNodeInfo(sid, elected).orElseThrow().coldkey();
        sc.ok(cold, new Call.AddNodeStake(sid, elected, tensor(10)));
        sc.assertNoop(
                cold, new Call.RemoveNodeStake(sid, elected, tensor(5)), NetworkError.ElectedValidatorCannotUnstake);
        sc.assertNoop(cold, new Call.RemoveSubnetNode(sid, elected), NetworkError.ElectedValidatorCannotRemove);
    }
}
