package dev.hyperj.bench.gossipsub;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.MessageSigning;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.gossipsub.RpcCodec;
import dev.hyperj.p2p.gossipsub.RpcLimits;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Per-message CPU costs of the pubsub path: RPC encode/decode of a 1 KiB message, sign, verify. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class GossipCodecBenchmark {
    private final RpcCodec codec = new RpcCodec(RpcLimits.defaults());
    private PrivateKey key;
    private Rpc.Message message;
    private Rpc rpc;
    private byte[] encoded;

    @Setup
    public void setup() {
        key = Keys.ed25519FromSeed(new byte[32]);
        message = MessageSigning.sign(key, "bench", new byte[1024], 1);
        rpc = Rpc.ofMessages(List.of(message));
        encoded = codec.encode(rpc);
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(rpc);
    }

    @Benchmark
    public Rpc decode() {
        return codec.decode(encoded);
    }

    @Benchmark
    public Rpc.Message sign() {
        return MessageSigning.sign(key, "bench", new byte[1024], 2);
    }

    @Benchmark
    public MessageSigning.Failure verify() {
        return MessageSigning.verify(message);
    }
}
