package dev.hyperj.p2p.protocol.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.protocol.Loopback;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ping handlers over real loopback TCP sockets (the full host stack is tested with the Host). */
class PingHandlersTest {
    private final Loopback loopback = new Loopback();

    @AfterEach
    void shutdown() {
        loopback.close();
    }

    private Channel serve(Consumer<Channel> init) throws InterruptedException {
        return loopback.serve(init);
    }

    private Channel dial(Channel server) throws InterruptedException {
        return loopback.dial(server);
    }

    @Test
    void repeatedPingsOnOneStreamMeasureRoundTrips() throws Exception {
        Channel server = serve(Ping::respond);
        Channel client = dial(server);
        List<Duration> rtts = Ping.run(client, 5, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(rtts).hasSize(5).allSatisfy(d -> assertThat(d).isPositive().isLessThan(Duration.ofSeconds(5)));
        client.closeFuture().await(5, TimeUnit.SECONDS);
        assertThat(client.isActive())
                .as("the initiator closes its stream when done")
                .isFalse();
        server.close().sync();
    }

    @Test
    void aWrongEchoFailsThePing() throws Exception {
        Channel server = serve(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                ByteBuf out = ctx.alloc().buffer(in.readableBytes());
                while (in.isReadable()) {
                    out.writeByte(~in.readByte());
                }
                in.release();
                ctx.writeAndFlush(out);
            }
        }));
        Channel client = dial(server);
        assertThatThrownBy(() -> Ping.run(client, 1, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(PingException.class)
                .hasMessageContaining("does not match");
        server.close().sync();
    }

    @Test
    void aSilentPeerTimesOut() throws Exception {
        Channel server = serve(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
            }
        }));
        Channel client = dial(server);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Ping.run(client, 1, Duration.ofMillis(300)).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(PingException.class)
                .hasMessageContaining("no pong within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        server.close().sync();
    }

    @Test
    void theResponderEchoesBytesInPingSizedPiecesWhateverTheSlicing() throws Exception {
        Channel server = serve(Ping::respond);
        java.util.concurrent.CompletableFuture<byte[]> echoed = new java.util.concurrent.CompletableFuture<>();
        ByteBuf received = io.netty.buffer.Unpooled.buffer();
        Channel client = loopback.dial(server, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.writeBytes((ByteBuf) msg);
                ((ByteBuf) msg).release();
                if (received.readableBytes() >= 64) {
                    echoed.complete(io.netty.buffer.ByteBufUtil.getBytes(received));
                }
            }
        });
        byte[] sent = new byte[70]; // two full pings and 6 bytes of a third, which must not be echoed
        new java.util.Random(1).nextBytes(sent);
        for (int i = 0; i < sent.length; i += 7) {
            client.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(sent, i, Math.min(7, sent.length - i)))
                    .sync();
        }
        assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo(java.util.Arrays.copyOf(sent, 64));
        client.close().sync();
        server.close().sync();
        received.release();
    }
}
