package dev.hyperj.p2p.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.host.PeerStream;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GossipSub over real hosts (TCP, Noise, Yamux) on loopback. */
class GossipSubLoopbackTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final GossipConfig FAST = GossipConfig.defaults().toBuilder()
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(100))
            .build();
    private final List<Host> hosts = new ArrayList<>();
    private final List<GossipSub> gossips = new ArrayList<>();

    @AfterEach
    void close() {
        gossips.forEach(GossipSub::close);
        hosts.forEach(Host::close);
    }

    private Host host(Host.Builder b) throws Exception {
        Host h = b.listen(LOOPBACK).threads(1).build();
        hosts.add(h);
        h.start().get(10, TimeUnit.SECONDS);
        return h;
    }

    private GossipSub gossip(Host h) {
        GossipSub g = GossipSub.start(h, FAST, PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
        gossips.add(g);
        return g;
    }

    /** Polls the router (no event exists for "subscriptions exchanged") until the condition holds. */
    private static void awaitRouter(GossipSub g, Function<GossipRouter, Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!g.call(condition).get(5, TimeUnit.SECONDS)) {
            assertThat(System.nanoTime())
                    .as("router condition not reached in 20 s")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    @Timeout(60)
    void fiveHostsDeliverEveryMessageToEverySubscriber() throws Exception {
        int n = 5, perHost = 20;
        CountDownLatch all = new CountDownLatch(n * n * perHost);
        List<Set<String>> received = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GossipSub g = gossip(host(Host.builder().identity(Keys.generate(KeyType.ED25519))));
            Set<String> got = ConcurrentHashMap.newKeySet();
            received.add(got);
            g.subscribe("blocks", d -> {
                        if (got.add(new String(d.message().data(), StandardCharsets.UTF_8))) all.countDown();
                    })
                    .get(5, TimeUnit.SECONDS);
        }
        for (int i = 0; i < n; i++) {
            hosts.get(i)
                    .connect(hosts.get((i + 1) % n).listenAddresses().get(0))
                    .get(10, TimeUnit.SECONDS);
            hosts.get(i)
                    .connect(hosts.get((i + 2) % n).listenAddresses().get(0))
                    .get(10, TimeUnit.SECONDS);
        }
        for (GossipSub g : gossips) awaitRouter(g, r -> r.topicPeers("blocks").size() == 4);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < perHost; k++) {
                gossips.get(i)
                        .publish("blocks", ("m" + i + "-" + k).getBytes(StandardCharsets.UTF_8))
                        .get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(all.await(30, TimeUnit.SECONDS))
                .as("every host got every message")
                .isTrue();
        for (Set<String> got : received) assertThat(got).hasSize(n * perHost);
        for (GossipSub g : gossips) {
            // hosts subscribed before they were connected, so a mesh forms at the next heartbeat,
            // which delivery (flood publish) need not wait for
            awaitRouter(g, r -> !r.meshPeers("blocks").isEmpty());
            assertThat(g.call(r -> r.meshPeers("blocks").size()).get()).isBetween(1, 4);
            assertThat(g.call(r -> r.stats().invalid()).get()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void hostileFramesCloseOnlyThatStream() throws Exception {
        Host server = host(Host.builder());
        GossipSub g = gossip(server);
        CountDownLatch delivered = new CountDownLatch(1);
        g.subscribe("t", d -> delivered.countDown()).get(5, TimeUnit.SECONDS);
        Host raw = host(Host.builder());
        raw.connect(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        PeerStream stream =
                raw.newStream(server.peerId(), PubsubProtocol.MESHSUB_V11.id()).get(10, TimeUnit.SECONDS);
        // A frame announcing 2 GiB: over the 1 MiB limit.
        stream.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
        assertThat(stream.closed()).succeedsWithin(java.time.Duration.ofSeconds(10));
        // The node still works: a well-behaved peer gets through.
        GossipSub good = gossip(host(Host.builder()));
        good.subscribe("t", d -> {}).get(5, TimeUnit.SECONDS);
        hosts.get(2).connect(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        awaitRouter(good, r -> r.topicPeers("t").contains(server.peerId()));
        good.publish("t", new byte[] {1}).get(5, TimeUnit.SECONDS);
        assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Timeout(60)
    void peerSendingInvalidSignaturesIsDisconnectedAndRefused() throws Exception {
        AtomicReference<GossipSub> ref = new AtomicReference<>();
        Host server = host(Host.builder()
                .gater((peer, addr, inbound) -> ref.get() == null
                        ? java.util.concurrent.CompletableFuture.completedFuture(true)
                        : ref.get().gater().allow(peer, addr, inbound)));
        GossipSub g = gossip(server);
        ref.set(g);
        g.subscribe("t", d -> {}).get(5, TimeUnit.SECONDS);
        PrivateKey attackerKey = Keys.generate(KeyType.ED25519);
        Host attacker = host(Host.builder().identity(attackerKey));
        attacker.connect(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        PeerStream stream = attacker.newStream(server.peerId(), PubsubProtocol.MESHSUB_V12.id())
                .get(10, TimeUnit.SECONDS);
        RpcCodec codec = new RpcCodec(RpcLimits.defaults());
        stream.write(codec.encodeFramed(new Rpc(List.of(new Rpc.SubOpts(true, "t")), List.of(), Rpc.Control.EMPTY)));
        for (int i = 0; i < 25; i++) {
            Rpc.Message m = MessageSigning.sign(attackerKey, "t", new byte[] {(byte) i}, i + 1);
            byte[] sig = m.signature();
            sig[5] ^= 1;
            Rpc.Message forged = new Rpc.Message(m.from(), m.data(), m.seqno(), "t", sig, null);
            stream.write(codec.encodeFramed(Rpc.ofMessages(List.of(forged))));
        }
        PeerId attackerId = attacker.peerId();
        awaitRouter(g, r -> r.isBlacklisted(attackerId));
        assertThat(g.isBlacklisted(attackerId)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.connections().isConnected(attackerId) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(server.connections().isConnected(attackerId))
                .as("disconnected")
                .isFalse();
        CountDownLatch refused = new CountDownLatch(1);
        server.connections().addListener(new dev.hyperj.p2p.host.ConnectionListener() {
            @Override
            public void refused(Multiaddr remote, boolean inbound, String reason) {
                refused.countDown();
            }
        });
        // The same identity from a fresh host (a new dial, not a cached connection).
        host(Host.builder().identity(attackerKey))
                .connect(server.listenAddresses().get(0));
        assertThat(refused.await(10, TimeUnit.SECONDS))
                .as("reconnection refused by the gater")
                .isTrue();
        assertThat(server.connections().isConnected(attackerId)).isFalse();
    }

    @Test
    @Timeout(60)
    void outboundStreamIsReopenedWhileTheConnectionLives() throws Exception {
        java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch announced = new CountDownLatch(1);
        RpcCodec codec = new RpcCodec(RpcLimits.defaults());
        // A peer whose first pubsub stream from us is reset; later ones are read as RPC frames.
        Host peer = host(Host.builder().protocol(PubsubProtocol.MESHSUB_V12.id(), (stream, info) -> {
            if (streams.incrementAndGet() == 1) {
                ((dev.hyperj.p2p.mux.MuxedStream) stream).reset();
                return;
            }
            stream.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();

                @Override
                public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                    io.netty.buffer.ByteBuf b = (io.netty.buffer.ByteBuf) msg;
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    b.release();
                    buf.writeBytes(bytes);
                    java.nio.ByteBuffer all = java.nio.ByteBuffer.wrap(buf.toByteArray());
                    for (byte[] f; (f = codec.readFrame(all)) != null; ) {
                        if (codec.decode(f).subscriptions().contains(new Rpc.SubOpts(true, "later")))
                            announced.countDown();
                    }
                    buf.reset();
                    buf.write(all.array(), all.position(), all.remaining());
                }
            });
        }));
        GossipSub g = gossip(host(Host.builder()));
        hosts.get(1).connect(peer.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        awaitRouter(g, r -> streams.get() >= 2 && r.peers().contains(peer.peerId()));
        g.subscribe("later", d -> {}).get(5, TimeUnit.SECONDS);
        assertThat(announced.await(10, TimeUnit.SECONDS))
                .as("announcement sent on the reopened stream")
                .isTrue();
        assertThat(streams.get()).isEqualTo(2);
    }
}
