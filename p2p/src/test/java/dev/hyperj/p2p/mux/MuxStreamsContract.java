package dev.hyperj.p2p.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every muxer must do over real loopback TCP: echo, 1000 concurrent streams, a 64 MiB transfer,
 * half-close, reset, connection close, stream limits. Subclasses pick the protocol.
 */
@Timeout(120)
abstract class MuxStreamsContract {

    abstract MuxerProtocol protocol();

    @Test
    void echoesAndClosesStreamsOpenedByEitherSide() throws Exception {
        try (MuxPeers peers = MuxPeers.connect(protocol())) {
            for (boolean fromClient : new boolean[] {true, false}) {
                Channel s = fromClient ? peers.openClientStream() : peers.openServerStream();
                assertThat(s.isActive()).isTrue();
                assertThat(((MuxedStream) s).isInitiator()).isTrue();
                if (protocol() == MuxerProtocol.YAMUX) {
                    assertThat(((MuxedStream) s).streamId() % 2).isEqualTo(fromClient ? 1 : 0);
                }
                TestHandlers.Collector c = new TestHandlers.Collector(true);
                s.pipeline().addLast(c);
                s.writeAndFlush(Unpooled.copiedBuffer(new byte[] {1, 2, 3, 4, 5}))
                        .sync();
                ((MuxedStream) s).closeWrite().sync();
                TestHandlers.Received r = c.done.get(10, TimeUnit.SECONDS);
                assertThat(r.eof()).isTrue();
                assertThat(r.data()).containsExactly(1, 2, 3, 4, 5);
                // Both directions closed: the stream closes and both sides forget it.
                assertThat(s.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
                awaitOpenStreams(peers, 0);
            }
        }
    }

    /** Waits until the server has accepted {@code expected} streams (its side of our opens landed). */
    static void awaitServerStreams(MuxPeers peers, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (peers.onLoop(peers.serverConn, peers.server::openStreams) != expected) {
            if (System.nanoTime() > deadline) throw new AssertionError("server never had " + expected + " streams");
            peers.onLoop(peers.clientConn, () -> null);
        }
    }

    static void awaitOpenStreams(MuxPeers peers, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int c = peers.onLoop(peers.clientConn, peers.client::openStreams);
            int s = peers.onLoop(peers.serverConn, peers.server::openStreams);
            if (c == expected && s == expected) return;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("open streams client=" + c + " server=" + s + ", expected " + expected);
            }
            // Each round trip through both event loops lets in-flight FINs land.
            peers.onLoop(peers.clientConn, () -> null);
            peers.onLoop(peers.serverConn, () -> null);
        }
    }

    @Test
    void thousandConcurrentStreamsEchoTheirData() throws Exception {
        try (MuxPeers peers = MuxPeers.connect(protocol())) {
            int streams = 1000;
            List<TestHandlers.Collector> collectors = new ArrayList<>();
            List<TestHandlers.Sender> senders = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                Channel s = peers.openClientStream();
                TestHandlers.Collector c = new TestHandlers.Collector(false);
                TestHandlers.Sender snd = new TestHandlers.Sender(16 * 1024 + i, 4096, i, true);
                s.pipeline().addLast(c, snd);
                collectors.add(c);
                senders.add(snd);
            }
            for (int i = 0; i < streams; i++) {
                long crc = senders.get(i).sent.get(60, TimeUnit.SECONDS);
                TestHandlers.Received r = collectors.get(i).done.get(60, TimeUnit.SECONDS);
                assertThat(r.eof()).isTrue();
                assertThat(r.bytes()).isEqualTo(16 * 1024 + i);
                assertThat(r.crc()).isEqualTo(crc);
            }
            awaitOpenStreams(peers, 0);
        }
    }

    @Test
    void transfers64MiBOnOneStreamWithMatchingChecksum() throws Exception {
        CompletableFuture<TestHandlers.Collector> sink = new CompletableFuture<>();
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(protocol())
                .serverInit(ch -> {
                    TestHandlers.Collector c = new TestHandlers.Collector(false);
                    ch.pipeline().addLast(c);
                    sink.complete(c);
                })
                .connect()) {
            Channel s = peers.openClientStream();
            long total = 64L * 1024 * 1024;
            TestHandlers.Sender sender = new TestHandlers.Sender(total, 64 * 1024, 42, true);
            s.pipeline().addLast(sender);
            long crc = sender.sent.get(100, TimeUnit.SECONDS);
            TestHandlers.Received r = sink.get(10, TimeUnit.SECONDS).done.get(100, TimeUnit.SECONDS);
            assertThat(r.bytes()).isEqualTo(total);
            assertThat(r.crc()).isEqualTo(crc);
            assertThat(r.eof()).isTrue();
        }
    }

    @Test
    void halfCloseLetsTheOtherSideKeepWriting() throws Exception {
        CompletableFuture<Void> serverSawEof = new CompletableFuture<>();
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(protocol())
                .serverInit(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    int seen;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        seen += ((io.netty.buffer.ByteBuf) msg).readableBytes();
                        ((io.netty.buffer.ByteBuf) msg).release();
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt == ChannelInputShutdownEvent.INSTANCE) {
                            serverSawEof.complete(null);
                            // Reply after the request ended, then finish our side too.
                            ctx.writeAndFlush(Unpooled.copiedBuffer(("got " + seen).getBytes()))
                                    .addListener(f -> ((MuxedStream) ctx.channel()).closeWrite());
                        }
                    }
                }))
                .connect()) {
            Channel s = peers.openClientStream();
            TestHandlers.Collector c = new TestHandlers.Collector(true);
            s.pipeline().addLast(c);
            s.writeAndFlush(Unpooled.copiedBuffer(new byte[1000])).sync();
            ((MuxedStream) s).closeWrite().sync();
            serverSawEof.get(10, TimeUnit.SECONDS);
            // Our write side is closed: further writes fail, reads still work.
            ChannelFuture late = s.writeAndFlush(Unpooled.copiedBuffer(new byte[1]));
            assertThat(late.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(late.isSuccess()).isFalse();
            TestHandlers.Received r = c.done.get(10, TimeUnit.SECONDS);
            assertThat(new String(r.data())).isEqualTo("got 1000");
            assertThat(r.eof()).isTrue();
            assertThat(s.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void writesAfterCloseWriteFail() throws Exception {
        try (MuxPeers peers = MuxPeers.connect(protocol())) {
            Channel s = peers.openClientStream();
            ((MuxedStream) s).closeWrite().sync();
            ChannelFuture f = s.writeAndFlush(Unpooled.copiedBuffer(new byte[1]));
            assertThat(f.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(f.cause()).isInstanceOf(ClosedChannelException.class);
        }
    }

    @Test
    void resetAbortsBothSides() throws Exception {
        CompletableFuture<TestHandlers.Collector> serverSide = new CompletableFuture<>();
        CompletableFuture<Channel> serverStream = new CompletableFuture<>();
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(protocol())
                .serverInit(ch -> {
                    TestHandlers.Collector c = new TestHandlers.Collector(false);
                    ch.pipeline().addLast(c);
                    serverSide.complete(c);
                    serverStream.complete(ch);
                })
                .connect()) {
            Channel s = peers.openClientStream();
            s.writeAndFlush(Unpooled.copiedBuffer(new byte[10])).sync();
            Channel in = serverStream.get(10, TimeUnit.SECONDS);
            ((MuxedStream) s).reset();
            assertThat(s.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            serverSide.get().resetSeen.get(10, TimeUnit.SECONDS);
            assertThat(in.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            ChannelFuture late = in.writeAndFlush(Unpooled.copiedBuffer(new byte[1]));
            assertThat(late.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(late.isSuccess()).isFalse();
            awaitOpenStreams(peers, 0);
            // The connection is unaffected.
            Channel again = peers.openClientStream();
            assertThat(again.writeAndFlush(Unpooled.copiedBuffer(new byte[] {9}))
                            .await(10, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(((MuxedStream) again).closeWrite().await(10, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(peers.clientConn.isActive()).isTrue();
        }
    }

    @Test
    void closingTheConnectionClosesEveryStream() throws Exception {
        try (MuxPeers peers = MuxPeers.connect(protocol())) {
            List<Channel> streams = new ArrayList<>();
            for (int i = 0; i < 20; i++) streams.add(peers.openClientStream());
            ChannelFuture pendingWrite = streams.get(0).writeAndFlush(Unpooled.wrappedBuffer(new byte[4 << 20]));
            peers.serverConn.close().sync();
            for (Channel s : streams)
                assertThat(s.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pendingWrite.await(10, TimeUnit.SECONDS)).isTrue();
            // Yamux holds what is beyond the window, which the close fails; mplex hands all to TCP.
            if (protocol() == MuxerProtocol.YAMUX)
                assertThat(pendingWrite.isSuccess()).isFalse();
            assertThatThrownBy(() -> peers.client.openStream().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void streamLimitsRefuseInboundExcessWithReset() throws Exception {
        List<Channel> accepted = new ArrayList<>();
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(protocol())
                .serverConfig(MuxerConfig.defaults().withMaxStreams(3))
                .serverInit(accepted::add)
                .connect()) {
            for (int i = 0; i < 3; i++) {
                peers.openClientStream()
                        .writeAndFlush(Unpooled.copiedBuffer(new byte[] {1}))
                        .sync();
            }
            // The fourth is over the server's limit: it answers the SYN with RST.
            TestHandlers.Collector c = new TestHandlers.Collector(false);
            Channel fourth = peers.openClientStream(c);
            c.resetSeen.get(10, TimeUnit.SECONDS);
            assertThat(fourth.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(peers.onLoop(peers.serverConn, () -> accepted.size())).isEqualTo(3);
            assertThat(peers.clientConn.isActive()).isTrue();
        }
    }

    @Test
    void streamLimitFailsOutboundOpensLocally() throws Exception {
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(protocol())
                .clientConfig(MuxerConfig.defaults().withMaxStreams(2))
                .connect()) {
            Channel first = peers.openClientStream();
            peers.openClientStream();
            assertThatThrownBy(() -> peers.client.openStream().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(MuxerException.class)
                    .hasMessageContaining("stream limit");
            // Closing one frees a slot once the remote has closed its side too (echo handler).
            ((MuxedStream) first).closeWrite();
            assertThat(first.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            awaitOpenStreams(peers, 1);
            assertThat(peers.openClientStream().isActive()).isTrue();
        }
    }

    @Test
    void aConnectionNobodyReadsHoldsWritesInTheStreamNotInMemoryBelow() throws Exception {
        CompletableFuture<TestHandlers.Collector> sink = new CompletableFuture<>();
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(protocol())
                // The server does not read its socket at all until told to.
                .serverBeforeMuxer(p -> p.channel().config().setAutoRead(false))
                .serverInit(ch -> {
                    TestHandlers.Collector c = new TestHandlers.Collector(false);
                    ch.pipeline().addLast(c);
                    sink.complete(c);
                })
                .connect()) {
            Channel s = peers.openClientStream();
            long total = 32L << 20;
            List<ChannelFuture> writes = new ArrayList<>();
            for (int i = 0; i < total / 65536; i++) writes.add(s.write(Unpooled.wrappedBuffer(new byte[65536])));
            s.flush();
            assertThat(s.isWritable()).isFalse();
            // Let the writer push whatever it can; then what sits below the stream is bounded by
            // socket buffers plus one batch, while the stream's own buffer holds the rest.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long below;
            long previous = -1;
            while (true) {
                below = peers.onLoop(
                        peers.clientConn,
                        () -> peers.clientConn.unsafe().outboundBuffer().totalPendingWriteBytes());
                long held = peers.onLoop(
                        peers.clientConn, () -> s.unsafe().outboundBuffer().totalPendingWriteBytes());
                if (held == previous) break;
                previous = held;
                assertThat(System.nanoTime()).isLessThan(deadline);
                CompletableFuture<Void> tick = new CompletableFuture<>();
                peers.clientConn.eventLoop().schedule(() -> tick.complete(null), 50, TimeUnit.MILLISECONDS);
                tick.get(10, TimeUnit.SECONDS);
            }
            assertThat(below).as("bytes queued on the TCP channel").isLessThan(2L << 20);
            assertThat(previous).as("bytes held by the stream").isGreaterThan(total - (16L << 20));
            // Reading resumes: everything arrives.
            peers.serverConn.config().setAutoRead(true);
            for (ChannelFuture f : writes)
                assertThat(f.await(60, TimeUnit.SECONDS) && f.isSuccess()).isTrue();
            ((MuxedStream) s).closeWrite().sync();
            assertThat(sink.get(10, TimeUnit.SECONDS)
                            .done
                            .get(60, TimeUnit.SECONDS)
                            .bytes())
                    .isEqualTo(total);
        }
    }

    @Test
    void closingFromAWriteListenerSendsTheDataBeforeTheFin() throws Exception {
        byte[] reply = TestHandlers.randomBytes(300_000, 11);
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(protocol())
                .serverInit(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ((io.netty.buffer.ByteBuf) msg).release();
                        // The usual Netty idiom: answer, then close once the answer is written.
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply)).addListener(ChannelFutureListener.CLOSE);
                    }
                }))
                .connect()) {
            for (int i = 0; i < 5; i++) {
                TestHandlers.Collector c = new TestHandlers.Collector(true);
                Channel s = peers.openClientStream(c);
                s.writeAndFlush(Unpooled.copiedBuffer(new byte[] {1})).sync();
                TestHandlers.Received r = c.done.get(10, TimeUnit.SECONDS);
                assertThat(r.eof()).isTrue();
                assertThat(r.data()).isEqualTo(reply);
            }
            assertThat(peers.client.failure()).isNull();
            assertThat(peers.clientConn.isActive()).isTrue();
        }
    }
}
