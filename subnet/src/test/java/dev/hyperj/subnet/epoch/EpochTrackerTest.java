package dev.hyperj.subnet.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.subnet.DevChain;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class EpochTrackerTest {
    private static final int EPOCH = 20;
    private final DevChain chain = DevChain.start(EPOCH);

    @AfterEach
    void close() {
        chain.close();
    }

    @Test
    void positionUsesTheSubnetSlotNotTheGeneralEpoch() {
        // slot 7, epoch length 20: blocks 7..26 are epoch 0... the runtime's rule
        assertThat(EpochPosition.at(3, 7, 20).epoch()).isZero();
        assertThat(EpochPosition.at(3, 7, 20).progress()).isZero();
        assertThat(EpochPosition.at(3, 7, 20).nextEpochBlock()).isEqualTo(7);
        EpochPosition p = EpochPosition.at(47 + 5, 7, 20);
        assertThat(p.epoch()).isEqualTo(2);
        assertThat(p.epochStartBlock()).isEqualTo(47);
        assertThat(p.nextEpochBlock()).isEqualTo(67);
        assertThat(p.blocksIntoEpoch()).isEqualTo(5);
        assertThat(p.progress()).isEqualTo(0.25);
        // the general epoch of block 52 is 2 as well, but block 46 is general epoch 2 and subnet epoch 1
        assertThat(EpochPosition.at(46, 7, 20).epoch()).isEqualTo(1);
        assertThat(EpochPosition.at(46, 7, 20).progress()).isEqualTo(0.95);
    }

    @Test
    void emitsOneEventPerSubnetEpochAtTheSlotBlockWithAFreshSnapshot() throws Exception {
        List<Integer> vs = chain.registerValidators(3);
        int v0 = vs.get(0), v1 = vs.get(1);
        String boot = peer(99);
        int sid = chain.registerSubnet(
                DevChain.oneNodeEach(vs),
                Map.of(
                        boot,
                        Bytes.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + boot)
                                .bytes())));
        int slot = chain.client.subnet(sid).orElseThrow().subnet().slot();
        assertThat(slot % EPOCH)
                .as("a slot that differs from the general epoch start")
                .isNotZero();
        int n0 = chain.registerNode(DevChain.COLDKEYS.get(0), v0, sid, peer(0));

        List<EpochEvent> events = new CopyOnWriteArrayList<>();
        List<EpochPosition> blocks = new CopyOnWriteArrayList<>();
        BlockingQueue<EpochPosition> seen = new LinkedBlockingQueue<>();
        try (EpochTracker t = EpochTracker.create(chain.client, sid)) {
            t.onEpoch(events::add);
            t.onBlock(p -> {
                blocks.add(p);
                seen.add(p);
            });
            t.follow();
            long now = chain.client.blockNumber();
            EpochEvent first = t.awaitEpoch(0).get(30, TimeUnit.SECONDS);
            assertThat(first.position().block()).isEqualTo(now);
            assertThat(first.snapshot().nodes()).extracting(n -> n.node().id()).containsExactly(n0);
            assertThat(first.snapshot().bootnodes()).contains(boot);
            assertThat(first.snapshot().alwaysAdmitted()).contains(boot);
            assertThat(first.snapshot().nodeByPeerId(peer(0))).isPresent();

            long e0 = first.epoch();
            // walk block by block to two blocks past the start of epoch e0 + 3, registering a node in between
            long target = (long) slot + (e0 + 3) * EPOCH + 2;
            int n1 = -1;
            while (chain.client.blockNumber() < target) {
                long b = chain.client.blockNumber();
                if (b == (long) slot + (e0 + 1) * EPOCH + 3) {
                    n1 = chain.registerNode(DevChain.COLDKEYS.get(1), v1, sid, peer(1));
                } else {
                    chain.produce(1);
                }
                long made = chain.client.blockNumber();
                // wait until the tracker saw this block, so that no head is coalesced away
                EpochPosition p;
                do {
                    p = seen.poll(10, TimeUnit.SECONDS);
                    assertThat(p).as("tracker saw block #%s", made).isNotNull();
                } while (p.block() < made);
            }
            assertThat(events).extracting(EpochEvent::epoch).containsExactly(e0, e0 + 1, e0 + 2, e0 + 3);
            assertThat(events).allSatisfy(ev -> assertThat(ev.skipped()).isZero());
            for (EpochEvent ev : events.subList(1, events.size())) {
                assertThat(ev.position().block())
                        .as("epoch %s starts at its slot block", ev.epoch())
                        .isEqualTo((long) slot + ev.epoch() * EPOCH);
                assertThat(ev.position().progress()).isZero();
                assertThat(chain.client.subnetEpoch(sid)).isGreaterThanOrEqualTo(ev.epoch());
            }
            // the runtime agrees with the tracker's epoch at the current block
            assertThat(t.position().orElseThrow().epoch()).isEqualTo(chain.client.subnetEpoch(sid));
            assertThat(t.position().orElseThrow().blocksIntoEpoch()).isEqualTo(2);
            // the snapshot is read once per epoch: the node registered mid-epoch e0+1 shows from e0+2 on
            final int second = n1;
            assertThat(events.get(1).snapshot().node(second)).isEmpty();
            assertThat(events.get(2).snapshot().node(second)).isPresent();
            assertThat(events.get(3).snapshot().nodes()).hasSize(2);
            // every processed block got a position, epochs non-decreasing
            for (int i = 1; i < blocks.size(); i++) {
                assertThat(blocks.get(i).block())
                        .isGreaterThan(blocks.get(i - 1).block());
                assertThat(blocks.get(i).epoch())
                        .isGreaterThanOrEqualTo(blocks.get(i - 1).epoch());
            }
            assertThat(t.awaitEpoch(e0 + 2)).isCompletedWithValue(events.get(3));
        }
    }

    @Test
    void aTrackerThatFallsBehindReportsTheCurrentEpochAndHowManyItSkipped() throws Exception {
        int sid = chain.registerSubnet(DevChain.oneNodeEach(chain.registerValidators(3)), Map.of());
        try (EpochTracker t = EpochTracker.start(chain.client, sid)) {
            long e0 = t.awaitEpoch(0).get(30, TimeUnit.SECONDS).epoch();
            var pending = t.awaitEpoch(e0 + 5);
            // a listener that blocks the tracker while 5 epochs of blocks are made
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
            try (AutoCloseable h = t.onBlock(p -> {
                blocked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })) {
                chain.produce(1);
                assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
                chain.produce(5 * EPOCH);
                release.countDown();
                EpochEvent ev = pending.get(30, TimeUnit.SECONDS);
                assertThat(ev.epoch()).isEqualTo(chain.client.subnetEpoch(sid));
                assertThat(ev.skipped()).isEqualTo(ev.epoch() - e0 - 1).isPositive();
            }
        }
    }

    @Test
    void waitsForASubnetThatIsNotRegisteredYetAndFailsPendingWaitsOnClose() throws Exception {
        // the first subnet of a fresh dev chain gets this id (deterministic)
        int expected = 128001;
        EpochTracker t = EpochTracker.start(chain.client, expected);
        var first = t.awaitEpoch(0);
        chain.produce(3);
        assertThat(t.position()).isEmpty();
        assertThat(first).isNotDone();
        int sid = chain.registerSubnet(DevChain.oneNodeEach(chain.registerValidators(3)), Map.of());
        assertThat(sid).isEqualTo(expected);
        chain.produce(1);
        assertThat(first.get(30, TimeUnit.SECONDS).snapshot().subnet()).isPresent();
        var never = t.awaitEpoch(1_000_000);
        t.close();
        assertThat(never).isCompletedExceptionally();
    }

    @Test
    void followsARemoteChainOverJsonRpcWithoutBlockingTheConnection() throws Exception {
        List<Integer> vs = chain.registerValidators(3);
        int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
        int n0 = chain.registerNode(DevChain.COLDKEYS.get(0), vs.get(0), sid, peer(0));
        try (dev.hyperj.chain.rpc.RpcServer server = dev.hyperj.chain.rpc.RpcServer.start(
                        chain.node,
                        new java.net.InetSocketAddress("127.0.0.1", 0),
                        dev.hyperj.chain.rpc.RpcServer.Limits.defaults());
                dev.hyperj.chain.client.ChainClient remote = dev.hyperj.chain.client.ChainClient.connect(
                        java.net.URI.create("ws://127.0.0.1:" + server.port()));
                EpochTracker t = EpochTracker.start(remote, sid)) {
            long e0 = t.awaitEpoch(0).get(30, TimeUnit.SECONDS).epoch();
            // heads arrive on the WebSocket's thread; the tracker's reads go over the same connection
            chain.produce(2 * EPOCH);
            EpochEvent ev = t.awaitEpoch(e0 + 2).get(30, TimeUnit.SECONDS);
            assertThat(ev.epoch()).isEqualTo(chain.client.subnetEpoch(sid));
            assertThat(ev.snapshot().node(n0)).isPresent();
            assertThat(ev.position().slot())
                    .isEqualTo(chain.client.subnet(sid).orElseThrow().subnet().slot());
        }
    }

    static String peer(int i) {
        return dev.hyperj.p2p.peer.PeerId.fromPublicKey(
                        dev.hyperj.p2p.crypto.Keys.ed25519FromSeed(seed(i)).publicKey())
                .toBase58();
    }

    static byte[] seed(int i) {
        byte[] s = new byte[32];
        s[0] = (byte) i;
        s[1] = 0x5a;
        return s;
    }
}
