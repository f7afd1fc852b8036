package dev.hyperj.p2p.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Yamux over real loopback TCP: the common contract plus windows, back-pressure, GoAway, keep-alive. */
@Timeout(120)
class YamuxStreamsTest extends MuxStreamsContract {

    @Override
    MuxerProtocol protocol() {
        return MuxerProtocol.YAMUX;
    }

    @Test
    void slowReaderMakesTheSenderUnwritableAndBuffersStayWithinTheWindow() throws Exception {
        CompletableFuture<Channel> inbound = new CompletableFuture<>();
        CompletableFuture<TestHandlers.Collector> sink = new CompletableFuture<>();
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(MuxerProtocol.YAMUX)
                .serverInit(ch -> {
                    ch.config().setAutoRead(false);
                    TestHandlers.Collector c = new TestHandlers.Collector(false);
                    ch.pipeline().addLast(c);
                    sink.complete(c);
                    inbound.complete(ch);
                })
                .connect()) {
            Channel s = peers.openClientStream();
            CompletableFuture<Void> unwritable = new CompletableFuture<>();
            s.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                    if (!ctx.channel().isWritable()) unwritable.complete(null);
                }
            });
            // Write 4 MiB at once: far beyond the 256 KiB window.
            long total = 4L * 1024 * 1024;
            List<ChannelFuture> writes = new ArrayList<>();
            for (int i = 0; i < total / 65536; i++) writes.add(s.write(Unpooled.wrappedBuffer(new byte[65536])));
            s.flush();
            unwritable.get(10, TimeUnit.SECONDS);
            Channel in = inbound.get(10, TimeUnit.SECONDS);
            // The sender stops at the window: wait until its window is exhausted.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (peers.onLoop(peers.clientConn, () -> ((StreamChannel) s).sendWindow) > 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                peers.onLoop(peers.serverConn, () -> null);
            }
            // Let any frames in flight land, then check what the receiver holds.
            peers.onLoop(peers.clientConn, () -> null);
            long buffered = peers.onLoop(peers.serverConn, () -> ((StreamChannel) in).inboundBytes);
            assertThat(buffered).isLessThanOrEqualTo(MuxerConfig.YAMUX_DEFAULT_WINDOW);
            assertThat(s.isWritable()).isFalse();
            long pending = writes.stream().filter(f -> !f.isDone()).count();
            assertThat(pending).as("writes waiting for window").isGreaterThan(40);
            // The reader starts reading: everything arrives and the sender drains.
            in.config().setAutoRead(true);
            for (ChannelFuture f : writes)
                assertThat(f.await(30, TimeUnit.SECONDS) && f.isSuccess()).isTrue();
            ((MuxedStream) s).closeWrite().sync();
            TestHandlers.Received r = sink.get().done.get(30, TimeUnit.SECONDS);
            assertThat(r.bytes()).isEqualTo(total);
            assertThat(s.isWritable()).isTrue();
        }
    }

    @Test
    void goAwayStopsNewStreamsButLetsOpenOnesFinish() throws Exception {
        try (MuxPeers peers = MuxPeers.connect(MuxerProtocol.YAMUX)) {
            Channel open = peers.openClientStream();
            TestHandlers.Collector c = new TestHandlers.Collector(true);
            open.pipeline().addLast(c);
            open.writeAndFlush(Unpooled.copiedBuffer(new byte[] {1})).sync();
            MuxStreamsContract.awaitServerStreams(peers, 1);
            peers.server.goAway();
            // A server stream opened after goAway() fails locally...
            assertThatThrownBy(() -> peers.server.openStream().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(MuxerException.class);
            // ...and once the GoAway reached the client (frames are ordered: the echo of our next
            // message comes after it), the client refuses to open streams too.
            open.writeAndFlush(Unpooled.copiedBuffer(new byte[] {2})).sync();
            ((MuxedStream) open).closeWrite();
            TestHandlers.Received r = c.done.get(10, TimeUnit.SECONDS);
            assertThat(r.data()).containsExactly(1, 2);
            assertThat(peers.onLoop(peers.clientConn, () -> peers.client.remoteGoAway))
                    .isTrue();
            assertThatThrownBy(() -> peers.client.openStream().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(MuxerException.class)
                    .hasMessageContaining("going away");
            assertThat(peers.clientConn.isActive()).isTrue();
        }
    }

    @Test
    void keepAlivePingsMeasureRttAndKeepAHealthyConnectionOpen() throws Exception {
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(MuxerProtocol.YAMUX)
                .clientConfig(MuxerConfig.defaults().withKeepAliveInterval(Duration.ofMillis(50)))
                .connect()) {
            // Ten keep-alive intervals later the connection is still up and RTT is known.
            CompletableFuture<Void> later = new CompletableFuture<>();
            peers.clientConn.eventLoop().schedule(() -> later.complete(null), 500, TimeUnit.MILLISECONDS);
            later.get(10, TimeUnit.SECONDS);
            assertThat(peers.clientConn.isActive()).isTrue();
            assertThat(peers.onLoop(peers.clientConn, () -> ((YamuxSession) peers.client).rttNanos()))
                    .isPositive();
        }
    }

    @Test
    void keepAliveClosesADeadConnection() throws Exception {
        // The server's pipeline swallows everything before its muxer: pings are never answered.
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(MuxerProtocol.YAMUX)
                .clientConfig(MuxerConfig.defaults().withKeepAliveInterval(Duration.ofMillis(100)))
                .serverBeforeMuxer(p -> p.addLast(new ChannelDuplexHandler() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }
                }))
                .connect()) {
            assertThat(peers.clientConn.closeFuture().await(10, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(peers.client.failure())
                    .isInstanceOf(MuxerException.class)
                    .hasMessageContaining("keep-alive");
        }
    }

    @Test
    void windowGrowsWhenTheSenderIsRoundTripBound() throws Exception {
        CompletableFuture<Channel> inbound = new CompletableFuture<>();
        CompletableFuture<TestHandlers.Collector> sink = new CompletableFuture<>();
        // 5 ms of added latency on each direction makes 256 KiB per round trip the bottleneck.
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(MuxerProtocol.YAMUX)
                .serverBeforeMuxer(p -> p.addLast(new TestLatency(5)))
                .clientBeforeMuxer(p -> p.addLast(new TestLatency(5)))
                .serverInit(ch -> {
                    TestHandlers.Collector c = new TestHandlers.Collector(false);
                    ch.pipeline().addLast(c);
                    sink.complete(c);
                    inbound.complete(ch);
                })
                .connect()) {
            // Let the first ping measure the RTT.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (peers.onLoop(peers.serverConn, () -> ((YamuxSession) peers.server).rttNanos()) == 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                CompletableFuture<Void> tick = new CompletableFuture<>();
                peers.serverConn.eventLoop().schedule(() -> tick.complete(null), 5, TimeUnit.MILLISECONDS);
                tick.get();
            }
            Channel s = peers.openClientStream();
            TestHandlers.Sender sender = new TestHandlers.Sender(16L << 20, 64 * 1024, 7, true);
            s.pipeline().addLast(sender);
            long crc = sender.sent.get(60, TimeUnit.SECONDS);
            assertThat(sink.get().done.get(60, TimeUnit.SECONDS).crc()).isEqualTo(crc);
            int window = peers.onLoop(peers.serverConn, () -> ((StreamChannel) inbound.get()).recvWindow);
            assertThat(window).isGreaterThan(MuxerConfig.YAMUX_DEFAULT_WINDOW);
            assertThat(window).isLessThanOrEqualTo(MuxerConfig.defaults().maxWindow());
        }
    }
}
