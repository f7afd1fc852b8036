package dev.hyperj.bench.mux;

import dev.hyperj.p2p.mux.MuxerProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
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
 * Single-stream throughput over loopback TCP, plaintext: raw TCP (the ceiling) vs one Yamux / mplex
 * stream. One operation = 1 MiB delivered to the receiver, so ops/s reads as MiB/s.
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar MuxThroughputBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
public class MuxThroughputBenchmark {
    static final int MIB = 1024 * 1024;
    static final int TRANSFER_MIB = 64;

    @Param({"raw", "yamux", "mplex"})
    public String transport;

    private LoopbackPair pair;
    private ByteBuf payload;
    private BulkHandlers.Sink rawSink;
    private BulkHandlers.Sink streamSink;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024).writeZero(64 * 1024);
        if (transport.equals("raw")) {
            rawSink = new BulkHandlers.Sink();
            pair = LoopbackPair.raw(() -> rawSink, new io.netty.channel.ChannelInboundHandlerAdapter());
        } else {
            pair = LoopbackPair.muxed(
                    transport.equals("yamux") ? MuxerProtocol.YAMUX : MuxerProtocol.MPLEX,
                    ch -> ch.pipeline().addLast(streamSink));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pair.close();
        payload.release();
    }

    @Benchmark
    @OperationsPerInvocation(TRANSFER_MIB)
    public long transfer64MiB() throws Exception {
        long total = (long) TRANSFER_MIB * MIB;
        if (transport.equals("raw")) {
            rawSink.expect(total);
            BulkHandlers.Pump pump = new BulkHandlers.Pump(payload, total, false);
            pair.client.pipeline().addLast(pump);
            long got = rawSink.done.get(60, TimeUnit.SECONDS);
            pair.client
                    .eventLoop()
                    .submit(() -> pair.client.pipeline().remove(pump))
                    .get(10, TimeUnit.SECONDS);
            return got;
        }
        streamSink = new BulkHandlers.Sink();
        BulkHandlers.Pump pump = new BulkHandlers.Pump(payload, total, true);
        BulkHandlers.Sink sink = streamSink;
        Channel stream = pair.clientMuxer.openStream().get(10, TimeUnit.SECONDS);
        stream.pipeline().addLast(pump);
        long got = sink.done.get(60, TimeUnit.SECONDS);
        if (got != total) throw new IllegalStateException("received " + got + " of " + total);
        return got;
    }
}
