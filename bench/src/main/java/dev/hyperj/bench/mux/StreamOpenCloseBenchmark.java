package dev.hyperj.bench.mux;

import dev.hyperj.p2p.mux.MuxedStream;
import dev.hyperj.p2p.mux.MuxerProtocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stream open/close rate over loopback TCP: open a stream, half-close it, the remote half-closes
 * back, both sides forget it. {@code sequential}: one at a time (round-trip bound);
 * {@code batch100}: 100 in flight. ops/s = streams per second.
 *
 * <pre>java -jar bench/target/benchmarks.jar StreamOpenCloseBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
public class StreamOpenCloseBenchmark {
    @Param({"yamux", "mplex"})
    public String protocol;

    private LoopbackPair pair;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pair = LoopbackPair.muxed(
                protocol.equals("yamux") ? MuxerProtocol.YAMUX : MuxerProtocol.MPLEX,
                ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt == ChannelInputShutdownEvent.INSTANCE) ((MuxedStream) ctx.channel()).closeWrite();
                        ctx.fireUserEventTriggered(evt);
                    }
                }));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pair.close();
    }

    private CompletableFuture<Void> openAndClose() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pair.clientMuxer.openStream().addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
                return;
            }
            Channel s = (Channel) f.getNow();
            s.closeFuture().addListener(c -> done.complete(null));
            ((MuxedStream) s).closeWrite();
        });
        return done;
    }

    @Benchmark
    public void sequential() throws Exception {
        openAndClose().get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public void batch100() throws Exception {
        CompletableFuture<?>[] all = new CompletableFuture<?>[100];
        for (int i = 0; i < all.length; i++) all[i] = openAndClose();
        CompletableFuture.allOf(all).get(10, TimeUnit.SECONDS);
    }
}
