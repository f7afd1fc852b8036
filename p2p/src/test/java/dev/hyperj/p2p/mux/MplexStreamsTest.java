package dev.hyperj.p2p.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** mplex over real loopback TCP: the common contract plus its buffer bound and go-away. */
@Timeout(120)
class MplexStreamsTest extends MuxStreamsContract {

    @Override
    MuxerProtocol protocol() {
        return MuxerProtocol.MPLEX;
    }

    @Test
    void aReaderThatFallsBehindTheBufferBoundIsReset() throws Exception {
        CompletableFuture<Channel> inbound = new CompletableFuture<>();
        int bound = 64 * 1024;
        try (MuxPeers peers = MuxPeers.builder()
                .protocol(protocol())
                .serverConfig(MuxerConfig.defaults().withMaxBufferedPerStream(bound))
                .serverInit(ch -> {
                    if (inbound.isDone()) {
                        ch.pipeline().addLast(new TestHandlers.Echo());
                    } else {
                        ch.config().setAutoRead(false);
                        inbound.complete(ch);
                    }
                })
                .connect()) {
            TestHandlers.Collector c = new TestHandlers.Collector(false);
            Channel s = peers.openClientStream(c);
            for (int i = 0; i < 16; i++) s.write(Unpooled.wrappedBuffer(new byte[16 * 1024]));
            s.flush();
            c.resetSeen.get(10, TimeUnit.SECONDS);
            Channel in = inbound.get(10, TimeUnit.SECONDS);
            assertThat(in.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(peers.onLoop(peers.serverConn, () -> ((StreamChannel) in).inboundBytes))
                    .isZero();
            // Only that stream paid: the connection carries on.
            TestHandlers.Collector echo = new TestHandlers.Collector(true);
            Channel other = peers.openClientStream(echo);
            other.writeAndFlush(Unpooled.copiedBuffer(new byte[] {7})).sync();
            ((MuxedStream) other).closeWrite();
            assertThat(echo.done.get(10, TimeUnit.SECONDS).data()).containsExactly(7);
        }
    }

    @Test
    void goAwayRefusesNewStreamsAndKeepsOpenOnes() throws Exception {
        try (MuxPeers peers = MuxPeers.connect(protocol())) {
            Channel open = peers.openClientStream();
            TestHandlers.Collector c = new TestHandlers.Collector(true);
            open.pipeline().addLast(c);
            awaitServerStreams(peers, 1);
            peers.server.goAway();
            assertThatThrownBy(() -> peers.server.openStream().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(MuxerException.class);
            // mplex cannot tell the remote, so its new streams are reset.
            peers.onLoop(peers.serverConn, () -> null);
            TestHandlers.Collector r = new TestHandlers.Collector(false);
            peers.openClientStream(r);
            r.resetSeen.get(10, TimeUnit.SECONDS);
            open.writeAndFlush(Unpooled.copiedBuffer(new byte[] {1, 2})).sync();
            ((MuxedStream) open).closeWrite();
            assertThat(c.done.get(10, TimeUnit.SECONDS).data()).containsExactly(1, 2);
        }
    }
}
