package dev.hyperj.p2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.protocol.Loopback;
import dev.hyperj.p2p.protocol.VarintFrames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Identify's writer and reader handlers over real loopback TCP, with honest and hostile answerers. */
class IdentifyHandlersTest {
    private final Loopback loopback = new Loopback();

    @AfterEach
    void shutdown() {
        loopback.close();
    }

    private Channel serve(Consumer<Channel> init) throws InterruptedException {
        return loopback.serve(init);
    }

    private CompletableFuture<IdentifyMessage> read(Channel server, Duration timeout) throws InterruptedException {
        CompletableFuture<IdentifyMessage> result = new CompletableFuture<>();
        loopback.dial(server, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                // as the host does for a stream: handlers go on once it is open
                ctx.pipeline()
                        .addLast(VarintFrames.decoder(Identify.MAX_MESSAGE_SIZE), new IdentifyReader(timeout, result));
                ctx.fireChannelActive();
            }
        });
        return result;
    }

    private static IdentifyMessage message(int protocols) {
        List<String> ps = new ArrayList<>();
        for (int i = 0; i < protocols; i++) {
            ps.add("/hyperj/test-protocol-with-a-long-name/" + i + "/1.0.0");
        }
        return new IdentifyMessage(
                Identify.PROTOCOL_VERSION,
                "hyperj/test",
                new byte[] {8, 1, 18, 0},
                List.of(new byte[] {4, 127, 0, 0, 1, 6, 15, (byte) 0xa1}),
                new byte[] {4, 127, 0, 0, 1},
                ps,
                null);
    }

    @Test
    void aSplitAnswerIsReadAndMergedBack() throws Exception {
        IdentifyMessage big = message(400); // ~20 KiB of protocols: three messages of at most 8 KiB
        List<IdentifyMessage> parts = big.split(Identify.MAX_MESSAGE_SIZE);
        assertThat(parts).hasSizeGreaterThan(1);
        Channel server = serve(ch -> ch.pipeline().addLast(new IdentifyWriter(parts)));
        IdentifyMessage got = read(server, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(got.protocols()).isEqualTo(big.protocols());
        assertThat(got.agentVersion()).isEqualTo("hyperj/test");
        assertThat(got.encode()).isEqualTo(big.encode());
        server.close().sync();
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("identify succeeded");
    }

    private Channel answering(Consumer<ChannelHandlerContext> answer) throws InterruptedException {
        return serve(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                answer.accept(ctx);
            }
        }));
    }

    @Test
    void anOversizedMessageFailsIdentifyAtItsLength() throws Exception {
        Channel server = answering(ctx -> {
            ByteBuf b = ctx.alloc().buffer();
            VarintFrames.writeLength(b, Identify.MAX_MESSAGE_SIZE + 1);
            ctx.writeAndFlush(b);
        });
        assertThat(failure(read(server, Duration.ofSeconds(5))))
                .isInstanceOf(IdentifyException.class)
                .hasMessageContaining("exceeds the maximum");
        server.close().sync();
    }

    @Test
    void garbageFailsIdentify() throws Exception {
        Channel server = answering(ctx ->
                ctx.writeAndFlush(VarintFrames.encode(ctx.alloc(), new byte[] {(byte) 0xff, (byte) 0xff, 0x07})));
        assertThat(failure(read(server, Duration.ofSeconds(5))))
                .isInstanceOf(IdentifyException.class)
                .hasMessageContaining("malformed");
        server.close().sync();
    }

    @Test
    void anEndlessStreamOfMessagesIsCutAfterTheMaximum() throws Exception {
        Channel server = answering(ctx -> {
            for (int i = 0; i < 1000; i++) {
                ctx.write(VarintFrames.encode(
                        ctx.alloc(), message(1).withAgent("agent-" + i).encode()));
            }
            ctx.flush(); // and never closes
        });
        IdentifyMessage got = read(server, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(got.agentVersion()).isEqualTo("agent-" + (Identify.MAX_MESSAGES - 1));
        server.close().sync();
    }

    @Test
    void aSilentPeerTimesOutAndAnEmptyAnswerFails() throws Exception {
        Channel silent = answering(ctx -> {});
        assertThat(failure(read(silent, Duration.ofMillis(300))))
                .hasMessageContaining("no identify message within 300 ms");
        Channel closing = answering(ChannelHandlerContext::close);
        assertThat(failure(read(closing, Duration.ofSeconds(5)))).hasMessageContaining("without a message");
        silent.close().sync();
        closing.close().sync();
    }
}
