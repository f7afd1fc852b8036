package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.multistream.MultistreamSelect;
import dev.hyperj.p2p.noise.Noise;
import dev.hyperj.p2p.noise.SecureSession;
import dev.hyperj.p2p.resources.ResourceLimits;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.PlatformDependent;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Raw sockets misbehaving against a real Host: each is closed with a reason, and nothing leaks. */
class HostileInputTest {
    private static final Logger log = LoggerFactory.getLogger(HostileInputTest.class);
    static final Duration HANDSHAKE = Duration.ofMillis(600);

    final TestHosts hosts = new TestHosts();
    /** Pooled, without thread caches, so its arenas count every live buffer exactly. */
    final PooledByteBufAllocator allocator = new PooledByteBufAllocator(true, 2, 2, 8192, 9, 0, 0, false);

    final LinkedBlockingQueue<String> refused = new LinkedBlockingQueue<>();
    Host host;
    InetSocketAddress target;

    @BeforeEach
    void start() throws Exception {
        host = hosts.start(TestHosts.builder()
                .allocator(allocator)
                .threads(2)
                .protocol(TestHosts.ECHO, TestHosts::installEcho)
                .limits(ConnectionLimits.defaults()
                        .withHandshakeTimeout(HANDSHAKE)
                        .withNegotiationTimeout(HANDSHAKE))
                // all clients come from 127.0.0.1: let them reach the upgrade this test is about
                // (UnauthenticatedFloodTest covers the transient limits)
                .resources(ResourceLimits.defaults().withTransient(2048, 2048)));
        host.connections().addListener(new ConnectionListener() {
            @Override
            public void refused(Multiaddr remote, boolean inbound, String reason) {
                refused.add(reason);
            }
        });
        String[] parts = TestHosts.addr(host).toString().split("/");
        target = new InetSocketAddress("127.0.0.1", Integer.parseInt(parts[4]));
    }

    @AfterEach
    void stop() {
        hosts.close();
    }

    enum Attack {
        GARBAGE,
        OVERSIZED_MULTISTREAM,
        GARBAGE_AFTER_MULTISTREAM,
        SILENT_AFTER_MULTISTREAM,
        SILENT
    }

    static byte[] msg(String... messages) {
        ByteBuf b = Unpooled.buffer();
        for (String m : messages) {
            byte[] t = (m + "\n").getBytes(StandardCharsets.UTF_8);
            int len = t.length;
            while ((len & ~0x7F) != 0) {
                b.writeByte((len & 0x7F) | 0x80);
                len >>>= 7;
            }
            b.writeByte(len);
            b.writeBytes(t);
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    static byte[] payload(Attack a, Random rnd) {
        switch (a) {
            case GARBAGE: {
                byte[] g = new byte[300];
                rnd.nextBytes(g);
                g[0] = 0x20; // a 32-byte "message" that does not end in a newline
                g[32] = 'x';
                return g;
            }
            case OVERSIZED_MULTISTREAM: {
                byte[] g = new byte[3000];
                g[0] = (byte) 0xa0; // varint 100000
                g[1] = (byte) 0x8d;
                g[2] = 0x06;
                return g;
            }
            case GARBAGE_AFTER_MULTISTREAM: {
                byte[] head = msg(MultistreamSelect.PROTOCOL_ID, Noise.PROTOCOL_ID);
                byte[] out = new byte[head.length + 7];
                System.arraycopy(head, 0, out, 0, head.length);
                out[head.length + 1] = 5; // a 5-byte Noise message 1: shorter than an ephemeral key
                return out;
            }
            case SILENT_AFTER_MULTISTREAM:
                return msg(MultistreamSelect.PROTOCOL_ID, Noise.PROTOCOL_ID);
            default:
                return new byte[0];
        }
    }

    /** Sends the attack and reads until the host closes the socket; returns ms until EOF. */
    long attack(Attack a, Random rnd) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(target, 5000);
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            s.getOutputStream().write(payload(a, rnd));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                while (in.read(buf) >= 0) {
                    // the multistream header and echoes may come back first
                }
            } catch (java.net.SocketException reset) {
                // a reset is a close too
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    String nextReason() throws InterruptedException {
        String r = refused.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a refusal reason").isNotNull();
        return r;
    }

    @Test
    void garbageBeforeMultistreamIsClosedWithAReason() throws Exception {
        attack(Attack.GARBAGE, new Random(1));
        assertThat(nextReason()).startsWith("security negotiation failed: ").contains("newline");
    }

    @Test
    void oversizedMultistreamMessageIsClosedWithAReason() throws Exception {
        attack(Attack.OVERSIZED_MULTISTREAM, new Random(1));
        assertThat(nextReason()).contains("longer than 1024");
    }

    @Test
    void malformedNoiseAfterMultistreamIsClosedWithAReason() throws Exception {
        attack(Attack.GARBAGE_AFTER_MULTISTREAM, new Random(1));
        assertThat(nextReason()).contains("noise");
    }

    @Test
    void halfFinishedHandshakeThenSilenceTimesOut() throws Exception {
        long ms = attack(Attack.SILENT_AFTER_MULTISTREAM, new Random(1));
        assertThat(ms).isGreaterThanOrEqualTo(HANDSHAKE.toMillis() - 50);
        assertThat(nextReason()).containsAnyOf("timed out", "timeout", "not finished within");
    }

    @Test
    void silentSocketTimesOut() throws Exception {
        attack(Attack.SILENT, new Random(1));
        assertThat(nextReason()).containsAnyOf("timed out", "not finished within");
    }

    @Test
    void garbageAfterTheNoiseHandshakeClosesTheConnection() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel ch = garbageAfterHandshake(group);
            ch.closeFuture().await(10, TimeUnit.SECONDS);
            assertThat(ch.isOpen()).isFalse();
            assertThat(nextReason()).contains("NoiseException"); // caught by the gate or the muxer negotiation
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** A real Noise initiator that, once secured, writes unencrypted bytes under the codec. */
    Channel garbageAfterHandshake(EventLoopGroup group) throws Exception {
        var key = Keys.generate(KeyType.ED25519);
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(MultistreamSelect.dialer(
                                        List.of(Noise.PROTOCOL_ID), Duration.ofSeconds(5), (c, p) -> {
                                            c.pipeline()
                                                    .addLast(Noise.handler(
                                                            key, true, host.peerId(), Duration.ofSeconds(5)));
                                            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                                @Override
                                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                                    if (evt instanceof SecureSession) {
                                                        byte[] junk = new byte[200];
                                                        new Random(3).nextBytes(junk);
                                                        junk[0] = 0;
                                                        junk[1] = (byte) 198; // a well-framed frame that cannot decrypt
                                                        ctx.pipeline()
                                                                .firstContext()
                                                                .writeAndFlush(Unpooled.wrappedBuffer(junk));
                                                    }
                                                }

                                                @Override
                                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                                    io.netty.util.ReferenceCountUtil.release(msg);
                                                }

                                                @Override
                                                public void exceptionCaught(
                                                        ChannelHandlerContext ctx, Throwable cause) {
                                                    ctx.close();
                                                }
                                            });
                                        }));
                    }
                })
                .connect(target)
                .sync()
                .channel();
    }

    long threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    record Snapshot(
            long threads,
            long pinnedDirect,
            long pinnedHeap,
            long nettyDirect,
            int openChannels,
            int openConnections,
            long allocations,
            long liveBuffers,
            long heapUsed) {}

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    Snapshot snapshot() {
        long allocations = 0;
        long live = 0;
        for (var arena : allocator.metric().directArenas()) {
            allocations += arena.numAllocations();
            live += arena.numActiveAllocations();
        }
        for (var arena : allocator.metric().heapArenas()) {
            allocations += arena.numAllocations();
            live += arena.numActiveAllocations();
        }
        return new Snapshot(
                threads(),
                allocator.pinnedDirectMemory(),
                allocator.pinnedHeapMemory(),
                PlatformDependent.usedDirectMemory(),
                host.openChannelCount(),
                host.connections().openCount(),
                allocations,
                live,
                -1);
    }

    /** Waits (bounded) for channels and threads to settle after the last client finished. */
    Snapshot settled(Snapshot baseline) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Snapshot s = snapshot();
        while (System.nanoTime() < deadline
                && (s.openChannels() > 0
                        || s.openConnections() > 0
                        || s.threads() > baseline.threads()
                        || s.pinnedDirect() > baseline.pinnedDirect()
                        || s.pinnedHeap() > baseline.pinnedHeap()
                        || s.liveBuffers() > baseline.liveBuffers())) {
            Thread.sleep(50); // no event marks a thread's exit or a buffer's return: poll, bounded
            s = snapshot();
        }
        return s;
    }

    @Test
    @Timeout(180)
    void thousandBadConnectionsLeaveNothingBehind() throws Exception {
        Attack[] kinds = Attack.values();
        // warm up: start the event loops and fill the allocator's caches
        ExecutorService warm = Executors.newFixedThreadPool(10);
        List<Future<Long>> w = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Attack a = kinds[i % kinds.length];
            int seed = i;
            w.add(warm.submit(() -> attack(a, new Random(seed))));
        }
        for (Future<Long> f : w) {
            f.get(30, TimeUnit.SECONDS);
        }
        warm.shutdown();
        assertThat(warm.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        EventLoopGroup noiseClients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        garbageAfterHandshake(noiseClients).closeFuture().await(10, TimeUnit.SECONDS);
        noiseClients.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        Snapshot settledBaseline = settled(snapshot());
        Snapshot baseline = new Snapshot(
                settledBaseline.threads(),
                settledBaseline.pinnedDirect(),
                settledBaseline.pinnedHeap(),
                settledBaseline.nettyDirect(),
                settledBaseline.openChannels(),
                settledBaseline.openConnections(),
                settledBaseline.allocations(),
                settledBaseline.liveBuffers(),
                heapAfterGc());
        refused.clear();

        int total = 1000;
        int handshakes = 100; // of them: a real Noise handshake followed by garbage
        noiseClients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ExecutorService pool = Executors.newFixedThreadPool(50);
        Map<Attack, AtomicInteger> closedByHost = new ConcurrentHashMap<>();
        List<Future<?>> runs = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < total - handshakes; i++) {
            Attack a = kinds[i % kinds.length];
            int seed = 1000 + i;
            runs.add(pool.submit(() -> {
                attack(a, new Random(seed));
                closedByHost.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet();
                return null;
            }));
        }
        // handshakes cost CPU: 10 at a time, so they finish within the short handshake timeout
        for (int batch = 0; batch < handshakes / 10; batch++) {
            List<Channel> noiseChannels = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                noiseChannels.add(garbageAfterHandshake(noiseClients));
            }
            for (Channel c : noiseChannels) {
                assertThat(c.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            }
        }
        for (Future<?> f : runs) {
            f.get(60, TimeUnit.SECONDS);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        noiseClients.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();

        Snapshot settledAfter = settled(baseline);
        Snapshot after = new Snapshot(
                settledAfter.threads(),
                settledAfter.pinnedDirect(),
                settledAfter.pinnedHeap(),
                settledAfter.nettyDirect(),
                settledAfter.openChannels(),
                settledAfter.openConnections(),
                settledAfter.allocations(),
                settledAfter.liveBuffers(),
                heapAfterGc());
        List<String> reasons = new ArrayList<>();
        refused.drainTo(reasons);
        Map<String, Long> byReason = new java.util.TreeMap<>();
        for (String r : reasons) {
            byReason.merge(r.replaceAll("[0-9]+ ms", "N ms").replaceAll(": .*", ""), 1L, Long::sum);
        }
        log.info(
                "1000 bad connections in {} ms; baseline {}; after {}; reasons {}",
                elapsedMs,
                baseline,
                after,
                byReason);

        assertThat(closedByHost.values().stream().mapToInt(AtomicInteger::get).sum())
                .isEqualTo(total - handshakes);
        assertThat(reasons).as("every bad connection was refused with a reason").hasSize(total);
        assertThat(reasons.stream()
                        .filter(r -> r.startsWith("security negotiation failed"))
                        .count())
                .as("garbage and oversized messages are refused by multistream-select")
                .isGreaterThanOrEqualTo(360);
        assertThat(after.allocations())
                .as("the measured allocator is the one the host used")
                .isGreaterThan(baseline.allocations() + total);
        assertThat(after.openChannels()).isZero();
        assertThat(after.openConnections()).isZero();
        assertThat(host.connections().size()).isZero();
        assertThat(after.threads()).isLessThanOrEqualTo(baseline.threads());
        assertThat(after.pinnedDirect()).isLessThanOrEqualTo(baseline.pinnedDirect());
        assertThat(after.pinnedHeap()).isLessThanOrEqualTo(baseline.pinnedHeap());
        assertThat(after.liveBuffers())
                .as("every pooled buffer was released")
                .isLessThanOrEqualTo(baseline.liveBuffers());
        // 1000 leaked connections (pipeline, buffers, state) would hold tens of MiB. What does grow:
        // the pool's arenas keep 4 MiB chunks for reuse (a class histogram showed one new heap chunk
        // and nothing else of note), so allow a few chunks.
        assertThat(after.heapUsed()).isLessThanOrEqualTo(baseline.heapUsed() + 16L * 1024 * 1024);
        // Netty's own direct memory counter (pooled arenas keep chunks for reuse): no growth beyond a few chunks
        if (baseline.nettyDirect() >= 0) {
            assertThat(after.nettyDirect()).isLessThanOrEqualTo(baseline.nettyDirect() + 64L * 1024 * 1024);
        }
        // and the host still works
        Host client = hosts.start(TestHosts.builder());
        client.connect(TestHosts.addr(host)).get(10, TimeUnit.SECONDS);
        assertThat(TestHosts.echo(client, host.peerId(), new byte[] {42})).containsExactly(42);
    }
}
