package dev.hyperj.p2p.protocol.reqresp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.protocol.Loopback;
import dev.hyperj.p2p.protocol.VarintFrames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Request/response client and server handlers over real loopback TCP (the Host-level API is tested with hosts). */
class RequestResponseHandlersTest {
    private final Loopback loopback = new Loopback();
    private static final RequestContext CONTEXT = new RequestContext(null, "/test/1", null);

    @AfterEach
    void shutdown() {
        loopback.close();
    }

    private Channel serve(Consumer<Channel> init) throws InterruptedException {
        return loopback.serve(init);
    }

    private Channel serve(RequestHandler h, RequestOptions o) throws InterruptedException {
        RequestResponse.Server server = new RequestResponse.Server(h, o);
        return serve(ch -> server.serve(ch, CONTEXT));
    }

    private CompletableFuture<byte[]> ask(Channel server, byte[] request, RequestOptions o)
            throws InterruptedException {
        Channel client = loopback.dial(server);
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        RequestResponse.ask(client, request, o, System.nanoTime() + o.timeout().toNanos(), result);
        return result;
    }

    private static RequestResponseException.Reason reasonOf(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RequestResponseException.class);
            return ((RequestResponseException) e.getCause()).reason();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("request succeeded");
    }

    @Test
    void answersOnAVirtualThreadAndTheClientGetsTheResponse() throws Exception {
        CompletableFuture<Boolean> virtual = new CompletableFuture<>();
        Channel server = serve(
                (ctx, req) -> {
                    virtual.complete(Thread.currentThread().isVirtual());
                    byte[] out = new byte[req.length * 2];
                    System.arraycopy(req, 0, out, 0, req.length);
                    System.arraycopy(req, 0, out, req.length, req.length);
                    return out;
                },
                RequestOptions.defaults());
        byte[] response =
                ask(server, "ping".getBytes(), RequestOptions.defaults()).get(10, TimeUnit.SECONDS);
        assertThat(new String(response)).isEqualTo("pingping");
        assertThat(virtual.get()).isTrue();
        server.close().sync();
    }

    @Test
    void largeMessagesUpToTheMaximumFrameGoThrough() throws Exception {
        RequestOptions o = RequestOptions.defaults();
        Channel server = serve((ctx, req) -> req, o);
        byte[] big = new byte[o.maxFrame()];
        new java.util.Random(3).nextBytes(big);
        assertThat(ask(server, big, o).get(30, TimeUnit.SECONDS)).isEqualTo(big);
        server.close().sync();
    }

    @Test
    void aFailingHandlerGivesNoResponse() throws Exception {
        Channel server = serve(
                (ctx, req) -> {
                    throw new IllegalStateException("boom");
                },
                RequestOptions.defaults());
        assertThat(reasonOf(ask(server, new byte[] {1}, RequestOptions.defaults())))
                .isEqualTo(RequestResponseException.Reason.NO_RESPONSE);
        server.close().sync();
    }

    @Test
    void aSlowHandlerIsInterruptedAndTheClientTimesOut() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        RequestOptions o = RequestOptions.defaults().withTimeout(Duration.ofMillis(300));
        Channel server = serve(
                (ctx, req) -> {
                    try {
                        Thread.sleep(60_000); // stands for a handler stuck on I/O
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return req;
                },
                o);
        RequestResponseException.Reason reason =
                reasonOf(ask(server, new byte[] {1}, RequestOptions.defaults().withTimeout(Duration.ofSeconds(5))));
        // the server's own 300 ms deadline interrupts its handler and resets the stream first
        assertThat(reason).isEqualTo(RequestResponseException.Reason.NO_RESPONSE);
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        server.close().sync();
    }

    @Test
    void aSilentServerTimesTheClientOut() throws Exception {
        Channel server = serve(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
            }
        }));
        long start = System.nanoTime();
        assertThat(reasonOf(
                        ask(server, new byte[] {1}, RequestOptions.defaults().withTimeout(Duration.ofMillis(300)))))
                .isEqualTo(RequestResponseException.Reason.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        server.close().sync();
    }

    @Test
    void anOversizedResponseIsRejectedFromItsLengthAlone() throws Exception {
        // a hostile server announcing a 1 GiB response, then sending nothing more
        Channel server = serve(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                ByteBuf header = ctx.alloc().buffer();
                VarintFrames.writeLength(header, 1 << 30);
                ctx.writeAndFlush(header);
            }
        }));
        assertThat(reasonOf(ask(server, new byte[] {1}, RequestOptions.defaults())))
                .isEqualTo(RequestResponseException.Reason.BAD_FRAME);
        server.close().sync();
    }

    @Test
    void anOversizedRequestIsRefusedAndTheHandlerNeverRuns() throws Exception {
        CompletableFuture<byte[]> called = new CompletableFuture<>();
        Channel server = serve(
                (ctx, req) -> {
                    called.complete(req);
                    return req;
                },
                RequestOptions.defaults().withMaxFrame(1000));
        assertThat(reasonOf(ask(server, new byte[1001], RequestOptions.defaults())))
                .isEqualTo(RequestResponseException.Reason.NO_RESPONSE);
        assertThat(called).isNotDone();
        server.close().sync();
    }

    @Test
    void concurrencyAboveTheLimitIsRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        Channel server = serve(
                (ctx, req) -> {
                    running.countDown();
                    release.await();
                    return req;
                },
                RequestOptions.defaults().withMaxConcurrent(2));
        CompletableFuture<byte[]> a = ask(server, new byte[] {1}, RequestOptions.defaults());
        CompletableFuture<byte[]> b = ask(server, new byte[] {2}, RequestOptions.defaults());
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reasonOf(ask(server, new byte[] {3}, RequestOptions.defaults())))
                .isEqualTo(RequestResponseException.Reason.NO_RESPONSE);
        release.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS)).containsExactly(1);
        assertThat(b.get(5, TimeUnit.SECONDS)).containsExactly(2);
        server.close().sync();
    }

    @Test
    void typedJsonHandlersDecodeAndEncode() throws Exception {
        record Add(int a, int b) {}
        record Sum(int sum) {}
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Codec<Add> adds = Codec.json(json, Add.class);
        Codec<Sum> sums = Codec.json(json, Sum.class);
        Channel server =
                serve(RequestHandler.typed(adds, sums, (ctx, q) -> new Sum(q.a() + q.b())), RequestOptions.defaults());
        byte[] response = ask(server, adds.encode(new Add(2, 40)), RequestOptions.defaults())
                .get(10, TimeUnit.SECONDS);
        assertThat(sums.decode(response)).isEqualTo(new Sum(42));
        // a request the codec cannot decode never reaches the typed handler and gets no response
        assertThat(reasonOf(ask(server, "{not json".getBytes(), RequestOptions.defaults())))
                .isEqualTo(RequestResponseException.Reason.NO_RESPONSE);
        assertThatThrownBy(() -> sums.decode("[]".getBytes())).isInstanceOf(IllegalArgumentException.class);
        server.close().sync();
    }
}
