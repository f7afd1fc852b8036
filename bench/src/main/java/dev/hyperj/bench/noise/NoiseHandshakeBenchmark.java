package dev.hyperj.bench.noise;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.noise.SecureSession;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A full libp2p Noise XX handshake between two Ed25519 identities, both sides on one thread through
 * the real Netty handlers (in-memory channels), so the score is the time of both sides together:
 * halve it for the cost per side; {@link CpuCounters} gives the CPU time, robust to a busy machine.
 * Each handshake uses fresh ephemeral keys; the static Noise key and its identity signature are
 * made once per identity, as the handler does in production.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NoiseHandshakeBenchmark {
    private PrivateKey alice;
    private PrivateKey bob;

    @Setup
    public void setUp() {
        alice = Keys.generate(KeyType.ED25519);
        bob = Keys.generate(KeyType.ED25519);
    }

    @Benchmark
    public SecureSession handshakeBothSides(CpuCounters cpu) {
        NoisePair pair = new NoisePair(alice, bob);
        try {
            return pair.handshake();
        } finally {
            pair.close();
            cpu.done();
        }
    }
}
