package dev.hyperj.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Noise between real Netty peers over loopback TCP. */
@Timeout(60)
class NoiseTcpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Map<KeyType, PrivateKey> KEYS = new EnumMap<>(KeyType.class);
    private static EventLoopGroup group;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        for (KeyType type : KeyType.values()) {
            KEYS.put(type, Keys.generate(type));
        }
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A listening Noise responder; every accepted connection's probe lands in {@link #accepted}. */
    static final class Server implements AutoCloseable {
        final BlockingQueue<Probe> accepted = new LinkedBlockingQueue<>();
        final Channel channel;

        Server(Supplier<ChannelHandler> noise, long expectedBytes) throws InterruptedException {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            Probe probe = new Probe(expectedBytes);
                            ch.pipeline().addLast("noise", noise.get()).addLast(probe);
                            accepted.add(probe);
                        }
                    })
                    .bind("127.0.0.1", 0)
                    .sync()
                    .channel();
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        Probe next() throws InterruptedException {
            Probe p = accepted.poll(20, TimeUnit.SECONDS);
            assertThat(p).as("accepted connection").isNotNull();
            return p;
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
        }
    }

    static Probe dial(int port, ChannelHandler noise, ChannelHandler... before) throws InterruptedException {
        Probe probe = new Probe();
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(before).addLast("noise", noise).addLast(probe);
                    }
                })
                .connect("127.0.0.1", port)
                .sync();
        return probe;
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    static PeerId peerId(PrivateKey key) {
        return PeerId.fromPublicKey(key.publicKey());
    }

    static Stream<Arguments> keyTypePairs() {
        return Stream.of(KeyType.values())
                .flatMap(a -> Stream.of(KeyType.values()).map(b -> Arguments.of(a, b)));
    }

    @ParameterizedTest(name = "initiator {0}, responder {1}")
    @MethodSource("keyTypePairs")
    void handshakeAuthenticatesBothSidesForEveryKeyType(KeyType initiatorType, KeyType responderType) throws Exception {
        PrivateKey initiatorKey = KEYS.get(initiatorType);
        PrivateKey responderKey = KEYS.get(responderType);
        try (Server server = new Server(() -> Noise.handler(responderKey, false, null, TIMEOUT), 5)) {
            Probe client = dial(server.port(), Noise.handler(initiatorKey, true, peerId(responderKey), TIMEOUT));
            Probe accepted = server.next();

            SecureSession c = await(client.session);
            SecureSession s = await(accepted.session);
            assertThat(c.remotePeer()).isEqualTo(peerId(responderKey));
            assertThat(c.remoteKey().marshal())
                    .isEqualTo(responderKey.publicKey().marshal());
            assertThat(c.localPeer()).isEqualTo(peerId(initiatorKey));
            assertThat(c.initiator()).isTrue();
            assertThat(s.remotePeer()).isEqualTo(peerId(initiatorKey));
            assertThat(s.remoteKey().type()).isEqualTo(initiatorType);
            assertThat(s.localPeer()).isEqualTo(peerId(responderKey));
            assertThat(s.initiator()).isFalse();

            // The transport keys work in both directions.
            client.channel
                    .writeAndFlush(Unpooled.wrappedBuffer("hello".getBytes()))
                    .sync();
            assertThat(await(accepted.digestWhenComplete))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest("hello".getBytes()));
            assertThat(accepted.channel
                            .writeAndFlush(Unpooled.wrappedBuffer(new byte[] {7}))
                            .sync()
                            .isSuccess())
                    .isTrue();
            assertThat(client.error).isNotDone();
            client.channel.close().sync();
        }
    }

    @Test
    void aDialedPeerIdThatDoesNotMatchIsRejected() throws Exception {
        PrivateKey responderKey = KEYS.get(KeyType.ED25519);
        PeerId someoneElse = peerId(Keys.generate(KeyType.ED25519));
        try (Server server = new Server(() -> Noise.handler(responderKey, false, null, TIMEOUT), -1)) {
            Probe client = dial(server.port(), Noise.handler(KEYS.get(KeyType.SECP256K1), true, someoneElse, TIMEOUT));
            Probe accepted = server.next();
            assertThat(await(client.error)).isInstanceOf(NoiseException.class).hasMessageContaining("peer id mismatch");
            await(client.closed);
            assertThat(await(accepted.error)).isInstanceOf(NoiseException.class);
            await(accepted.closed);
            assertThat(client.session).isNotDone();
            assertThat(accepted.session).isNotDone();
        }
    }

    /** A peer whose payload signature does not cover its static key (forged, or lifted from another session). */
    static ChannelHandler forger(PrivateKey identity, boolean initiator, boolean wrongKey) {
        LocalIdentity honest = LocalIdentity.create(identity);
        byte[] signature = wrongKey
                ? identity.sign(LocalIdentity.signedData(
                        X25519KeyPair.generate(LocalIdentity.RANDOM).publicKey()))
                : honest.signature();
        if (!wrongKey) {
            signature[signature.length / 2] ^= 1;
        }
        LocalIdentity forged = new LocalIdentity(
                honest.staticKey(), honest.identityKey(), signature, honest.publicKey(), honest.peerId());
        return new NoiseHandshakeHandler(forged, initiator, null, TIMEOUT, java.util.List.of());
    }

    @ParameterizedTest(name = "forging initiator={0}, signature for another static key={1}")
    @org.junit.jupiter.params.provider.CsvSource({"true,false", "true,true", "false,false", "false,true"})
    void aPayloadSignatureThatDoesNotVerifyIsRejected(boolean forgerInitiates, boolean wrongKey) throws Exception {
        PrivateKey honestKey = KEYS.get(KeyType.ECDSA);
        PrivateKey forgerKey = KEYS.get(KeyType.ED25519);
        Supplier<ChannelHandler> serverNoise = forgerInitiates
                ? () -> Noise.handler(honestKey, false, null, TIMEOUT)
                : () -> forger(forgerKey, false, wrongKey);
        try (Server server = new Server(serverNoise, -1)) {
            ChannelHandler clientNoise =
                    forgerInitiates ? forger(forgerKey, true, wrongKey) : Noise.handler(honestKey, true, null, TIMEOUT);
            Probe client = dial(server.port(), clientNoise);
            Probe accepted = server.next();
            Probe honest = forgerInitiates ? accepted : client;
            assertThat(await(honest.error))
                    .isInstanceOf(NoiseException.class)
                    .hasMessageContaining("signature over the static Noise key does not verify");
            await(client.closed);
            await(accepted.closed);
            assertThat(honest.session).isNotDone();
        }
    }

    @Test
    void garbageInsteadOfAHandshakeClosesTheConnection() throws Exception {
        try (Server server = new Server(() -> Noise.handler(KEYS.get(KeyType.ED25519), false, null, TIMEOUT), -1);
                Socket socket = new Socket("127.0.0.1", server.port())) {
            // A well-framed message too short to hold an ephemeral key.
            socket.getOutputStream().write(new byte[] {0, 5, 'h', 'e', 'l', 'l', 'o'});
            Probe accepted = server.next();
            assertThat(await(accepted.error)).isInstanceOf(NoiseException.class).hasMessageContaining("truncated");
            await(accepted.closed);
            socket.setSoTimeout(20_000);
            assertThat(socket.getInputStream().read()).as("EOF from the server").isEqualTo(-1);
        }
    }

    @Test
    void anHttpRequestInsteadOfAHandshakeClosesTheConnection() throws Exception {
        try (Server server = new Server(() -> Noise.handler(KEYS.get(KeyType.ED25519), false, null, TIMEOUT), -1);
                Socket socket = new Socket("127.0.0.1", server.port())) {
            // "GE" announces an 18245-byte message: random 32 bytes parse as a key, the rest is a clear payload,
            // so the responder answers with message 2 and then the client's next bytes fail authentication.
            byte[] request = new byte[2 + 18245];
            new Random(3).nextBytes(request);
            request[0] = 'G';
            request[1] = 'E';
            OutputStream out = socket.getOutputStream();
            out.write(request);
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(20_000);
            int len = (in.read() << 8) | in.read();
            assertThat(in.readNBytes(len)).hasSize(len); // message 2: e, encrypted s, encrypted payload
            out.write(new byte[] {0, 64});
            out.write(new byte[64]);
            Probe accepted = server.next();
            assertThat(await(accepted.error)).isInstanceOf(NoiseException.class);
            await(accepted.closed);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aTruncatedHandshakeFrameTimesOut() throws Exception {
        Duration shortTimeout = Duration.ofMillis(300);
        try (Server server = new Server(() -> Noise.handler(KEYS.get(KeyType.ED25519), false, null, shortTimeout), -1);
                Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(new byte[] {0, 32, 1, 2, 3}); // 3 of 32 announced bytes
            Probe accepted = server.next();
            long start = System.nanoTime();
            assertThat(await(accepted.error)).isInstanceOf(NoiseException.class).hasMessageContaining("timed out");
            await(accepted.closed);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aTruncatedHandshakeFrameFollowedByCloseFails() throws Exception {
        try (Server server = new Server(() -> Noise.handler(KEYS.get(KeyType.ED25519), false, null, TIMEOUT), -1)) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write(new byte[] {0, 32, 1, 2, 3});
            }
            Probe accepted = server.next();
            assertThat(await(accepted.error)).isInstanceOf(NoiseException.class).hasMessageContaining("closed during");
            await(accepted.closed);
        }
    }

    @Test
    void aSilentResponderTimesTheInitiatorOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Probe client = dial(
                    silent.getLocalPort(),
                    Noise.handler(KEYS.get(KeyType.ED25519), true, null, Duration.ofMillis(300)));
            try (Socket accepted = silent.accept()) {
                assertThat(await(client.error))
                        .isInstanceOf(NoiseException.class)
                        .hasMessageContaining("timed out");
                await(client.closed);
                accepted.setSoTimeout(20_000);
                assertThat(accepted.getInputStream().readNBytes(34)).hasSize(34); // it did send "-> e"
            }
        }
    }

    /** Flips one bit of the next outbound ciphertext once armed; sits between the socket and Noise. */
    static final class BitFlipper extends ChannelDuplexHandler {
        volatile boolean armed;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (armed && msg instanceof ByteBuf buf && buf.readableBytes() > 10) {
                armed = false;
                int i = buf.readerIndex() + 5;
                buf.setByte(i, buf.getByte(i) ^ 0x10);
            }
            ctx.write(msg, promise);
        }
    }

    @Test
    void aCiphertextBitFlipAfterTheHandshakeClosesTheConnection() throws Exception {
        try (Server server = new Server(() -> Noise.handler(KEYS.get(KeyType.ED25519), false, null, TIMEOUT), -1)) {
            BitFlipper flipper = new BitFlipper();
            Probe client =
                    dial(server.port(), Noise.handler(KEYS.get(KeyType.SECP256K1), true, null, TIMEOUT), flipper);
            Probe accepted = server.next();
            await(client.session);
            await(accepted.session);
            client.channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[100])).sync();
            flipper.armed = true;
            client.channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));
            assertThat(await(accepted.error)).isInstanceOf(NoiseException.class).hasMessageContaining("authentication");
            await(accepted.closed);
            await(client.closed);
            assertThat(accepted.received.get()).isEqualTo(100);
        }
    }

    @Test
    void writesBeforeTheSessionExistsAreRefused() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Probe client = dial(silent.getLocalPort(), Noise.handler(KEYS.get(KeyType.ED25519), true, null, TIMEOUT));
            try (Socket accepted = silent.accept()) {
                Throwable cause = client.channel
                        .writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}))
                        .await()
                        .cause();
                assertThat(cause)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("before the Noise handshake");
                accepted.setSoTimeout(20_000);
                byte[] first = accepted.getInputStream().readNBytes(34);
                assertThat(first[0]).isEqualTo((byte) 0);
                assertThat(first[1]).isEqualTo((byte) 32); // only "-> e" went out
                client.channel.close().sync();
            }
        }
    }

    @Test
    void sixtyFourMebibytesArriveIntactInBothDirections() throws Exception {
        long total = 64L << 20;
        try (Server server = new Server(() -> Noise.handler(KEYS.get(KeyType.ED25519), false, null, TIMEOUT), total)) {
            Probe client = new Probe(total);
            new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(Noise.handler(KEYS.get(KeyType.ED25519), true, null, TIMEOUT))
                                    .addLast(client);
                        }
                    })
                    .connect("127.0.0.1", server.port())
                    .sync();
            Probe accepted = server.next();
            await(client.session);
            await(accepted.session);
            CompletableFuture<byte[]> sentByClient = send(client.channel, total, 11);
            CompletableFuture<byte[]> sentByServer = send(accepted.channel, total, 12);
            assertThat(await(accepted.digestWhenComplete)).isEqualTo(await(sentByClient));
            assertThat(await(client.digestWhenComplete)).isEqualTo(await(sentByServer));
            assertThat(accepted.maxChunk.get()).isLessThanOrEqualTo(Noise.MAX_PLAINTEXT_FRAME);
            assertThat(client.error).isNotDone();
            assertThat(accepted.error).isNotDone();
            client.channel.close().sync();
        }
    }

    /** Writes {@code total} random bytes in odd-sized chunks, one chunk in flight at a time; completes with their SHA-256. */
    static CompletableFuture<byte[]> send(Channel ch, long total, long seed) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        MessageDigest digest = Probe.sha256();
        Random random = new Random(seed);
        Runnable[] next = new Runnable[1];
        long[] sent = {0};
        next[0] = () -> {
            if (sent[0] == total) {
                done.complete(digest.digest());
                return;
            }
            int size = (int) Math.min(total - sent[0], 1 + random.nextInt(300_000));
            byte[] chunk = new byte[size];
            random.nextBytes(chunk);
            digest.update(chunk);
            sent[0] += size;
            ch.writeAndFlush(Unpooled.wrappedBuffer(chunk)).addListener(f -> {
                if (f.isSuccess()) {
                    next[0].run();
                } else {
                    done.completeExceptionally(f.cause());
                }
            });
        };
        ch.eventLoop().execute(next[0]);
        return done;
    }
}
