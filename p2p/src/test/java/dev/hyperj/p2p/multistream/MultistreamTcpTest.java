package dev.hyperj.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both roles over real loopback TCP: a Netty listener that echoes after negotiation. */
class MultistreamTcpTest {
    static EventLoopGroup group;
    static Channel server;

    @BeforeAll
    static void startServer() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(MultistreamSelect.listener(
                                        Set.of("/echo/1.0.0", "/other/1"),
                                        Duration.ofMillis(500),
                                        new MultistreamSelect.Outcome() {
                                            @Override
                                            public void selected(Channel channel, String protocol) {
                                                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                                    @Override
                                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                                        ctx.writeAndFlush(msg);
                                                    }
                                                });
                                            }
                                        }));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The protocol's side on a negotiated channel: writes {@code request}, completes {@code reply} with the first bytes back. */
    private static void request(Channel channel, String request, CompletableFuture<String> reply) {
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                reply.complete(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
        });
        channel.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
    }

    @Test
    void nettyDialerNegotiatesWithFallbackAndEchoes() throws Exception {
        CompletableFuture<String> selected = new CompletableFuture<>();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        Channel ch = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline()
                                .addLast(MultistreamSelect.dialer(
                                        List.of("/missing/1", "/echo/1.0.0"),
                                        Duration.ofSeconds(5),
                                        (channel, protocol) -> {
                                            selected.complete(protocol);
                                            request(channel, "ping", echoed);
                                        }));
                    }
                })
                .connect("127.0.0.1", port())
                .sync()
                .channel();
        try {
            assertThat(selected.get(5, TimeUnit.SECONDS)).isEqualTo("/echo/1.0.0");
            assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("ping");
        } finally {
            ch.close().sync();
        }
    }

    /** Records the direction of each read ('R') and write ('W') of bytes, runs collapsed: the conversation's turns. */
    static final class Turns extends ChannelDuplexHandler {
        private final StringBuilder turns = new StringBuilder();

        private synchronized void note(char c) {
            if (turns.isEmpty() || turns.charAt(turns.length() - 1) != c) {
                turns.append(c);
            }
        }

        synchronized String turns() {
            return turns.toString();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            note('R');
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            note('W');
            ctx.write(msg, promise);
        }
    }

    /**
     * The dialer's side of the conversation for one request and its echo: lazily negotiated it is
     * one write turn and one read turn (one round trip); fully negotiated, two of each.
     */
    @ParameterizedTest(name = "lazy={0}")
    @CsvSource({"true,WR", "false,WRWR"})
    void lazyNegotiationSavesOneRoundTrip(boolean lazy, String expectedTurns) throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        Turns turns = new Turns();
        MultistreamSelect.Outcome app = (channel, protocol) -> request(channel, "request", echoed);
        Channel ch = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline()
                                .addLast(turns)
                                .addLast(
                                        lazy
                                                ? MultistreamSelect.lazyDialer(
                                                        "/echo/1.0.0", Duration.ofSeconds(5), app)
                                                : MultistreamSelect.dialer(
                                                        List.of("/echo/1.0.0"), Duration.ofSeconds(5), app));
                    }
                })
                .connect("127.0.0.1", port())
                .sync()
                .channel();
        try {
            assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("request");
            assertThat(turns.turns()).isEqualTo(expectedTurns);
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void rawClientPipelinesHeaderProtocolAndDataInOneWrite() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(5000);
            ByteBuf out = Unpooled.buffer();
            MultistreamCodec.write(out, MultistreamSelect.PROTOCOL_ID);
            MultistreamCodec.write(out, "/echo/1.0.0");
            out.writeBytes("lazy-data".getBytes(StandardCharsets.UTF_8));
            OutputStream os = s.getOutputStream();
            os.write(ByteBufUtilBytes.of(out));
            os.flush();
            ByteBuf expected = Unpooled.buffer();
            MultistreamCodec.write(expected, MultistreamSelect.PROTOCOL_ID);
            MultistreamCodec.write(expected, "/echo/1.0.0");
            expected.writeBytes("lazy-data".getBytes(StandardCharsets.UTF_8));
            byte[] want = ByteBufUtilBytes.of(expected);
            byte[] got = s.getInputStream().readNBytes(want.length);
            assertThat(got).isEqualTo(want);
        }
    }

    @Test
    void oversizedMessageFromRawClientIsClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(5000);
            ByteBuf out = Unpooled.buffer();
            MultistreamCodec.writeVarint(out, 100_000);
            out.writeBytes(new byte[2000]);
            s.getOutputStream().write(ByteBufUtilBytes.of(out));
            InputStream in = s.getInputStream();
            assertThat(readUntilEof(in)).as("nothing answered, then EOF").isEqualTo(0);
        }
    }

    @Test
    void silentClientIsTimedOut() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(5000);
            ByteBuf out = Unpooled.buffer();
            MultistreamCodec.write(out, MultistreamSelect.PROTOCOL_ID);
            s.getOutputStream().write(ByteBufUtilBytes.of(out));
            long start = System.nanoTime();
            int answered = readUntilEof(s.getInputStream());
            assertThat(answered).as("only the header comes back").isEqualTo(out.readableBytes());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    private static int readUntilEof(InputStream in) throws Exception {
        int total = 0;
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0; ) {
            total += n;
        }
        return total;
    }

    static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf b) {
            byte[] bytes = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), bytes);
            return bytes;
        }
    }
}
