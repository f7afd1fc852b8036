package dev.hyperj.subnet.peers;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.SubnetNode;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OnChainPeersTest {
    private static PeerId randomPeer() {
        return PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    }

    private static Multiaddr at(int port, PeerId p) {
        return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port + "/p2p/" + p);
    }

    private static PeerInfo info(PeerId p, Optional<Multiaddr> a) {
        return new PeerInfo(p.toBase58(), a.map(m -> Bytes.of(m.bytes())));
    }

    @Test
    void aFreshReadAndTheTrackersSnapshotGiveTheSamePeersAddressesAndDialableSet() throws Exception {
        try (DevChain chain = DevChain.start(20)) {
            List<Integer> vs = chain.registerValidators(3);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
            PeerId main = randomPeer(), boot = randomPeer(), client = randomPeer(), plain = randomPeer();
            chain.ok(
                    DevChain.COLDKEYS.get(0),
                    new Call.RegisterSubnetNode(
                            vs.get(0),
                            sid,
                            Optional.empty(),
                            info(main, Optional.of(at(5001, main))),
                            Optional.of(info(boot, Optional.of(at(5002, boot)))),
                            Optional.of(info(client, Optional.empty())),
                            tensor(100),
                            Optional.empty(),
                            Optional.empty(),
                            tensor(1)));
            chain.registerNode(DevChain.COLDKEYS.get(1), vs.get(1), sid, plain.toBase58());
            PeerId placeholder =
                    PeerId.fromPublicKey(Keys.ed25519FromSeed(new byte[32]).publicKey());

            OnChainPeers read = OnChainPeers.read(chain.client, sid);
            assertThat(read.all()).containsExactlyInAnyOrder(main, boot, client, plain, placeholder);
            assertThat(read.dialable()).as("clients dial us").containsExactlyInAnyOrder(main, boot, plain, placeholder);
            assertThat(read.addresses()).containsOnlyKeys(main, boot, placeholder);
            assertThat(read.addresses().get(main)).containsExactly(at(5001, main));
            assertThat(read.addresses().get(placeholder)).containsExactly(at(4001, placeholder));

            try (EpochTracker tracker = EpochTracker.start(chain.client, sid)) {
                SubnetSnapshot snap =
                        tracker.awaitEpoch(0).get(20, TimeUnit.SECONDS).snapshot();
                OnChainPeers fromSnapshot = OnChainPeers.of(snap);
                assertThat(fromSnapshot.block()).isEqualTo(read.block());
                assertThat(fromSnapshot.all()).isEqualTo(read.all());
                assertThat(fromSnapshot.dialable()).isEqualTo(read.dialable());
                assertThat(fromSnapshot.addresses()).isEqualTo(read.addresses());
            }
        }
    }

    @Test
    void chainTextsThatDoNotParseOrNameAnotherPeerAreSkipped() {
        AccountId acct = DevChain.hotkey(1).account();
        PeerId good = randomPeer(), other = randomPeer(), liar = randomPeer();
        SubnetNode garbled = new SubnetNode(
                1,
                1,
                Optional.empty(),
                new PeerInfo("not a peer id", Optional.of(Bytes.of(new byte[] {1, 2, 3}))),
                Optional.of(new PeerInfo(good.toBase58(), Optional.of(Bytes.of(new byte[] {(byte) 0xff, 0x7f})))),
                Optional.of(info(liar, Optional.of(at(6000, other)))),
                NodeClass.Registered,
                0,
                Optional.empty(),
                Optional.empty(),
                BigInteger.ZERO,
                0);
        SubnetNode lying = new SubnetNode(
                2,
                2,
                Optional.empty(),
                info(liar, Optional.of(at(6001, other))),
                Optional.empty(),
                Optional.empty(),
                NodeClass.Registered,
                0,
                Optional.empty(),
                Optional.empty(),
                BigInteger.ZERO,
                0);
        SubnetSnapshot snap = new SubnetSnapshot(
                7,
                10,
                Optional.empty(),
                List.of(
                        new SubnetNodeInfo(7, garbled, acct, acct, BigInteger.ONE),
                        new SubnetNodeInfo(7, lying, acct, acct, BigInteger.ONE)),
                Set.of("garbage", other.toBase58()),
                Set.of("also garbage"));
        OnChainPeers p = OnChainPeers.of(snap);
        assertThat(p.all()).containsExactlyInAnyOrder(good, liar, other);
        assertThat(p.dialable()).containsExactlyInAnyOrder(good, liar, other);
        assertThat(p.addresses())
                .as("bad bytes and addresses naming another peer are dropped")
                .isEmpty();
    }
}
