package dev.hyperj.bench.noise;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Noise transport cost for 64 KiB application writes (each becomes a 65535-byte and a 33-byte frame),
 * next to the JDK's one-piece ChaCha20-Poly1305 on the same 64 KiB (the codec assembles the AEAD
 * from the JDK's ChaCha20 and its own Poly1305 instead, which is faster on CPUs without AVX-512). Scores are operations
 * per second: multiply by 65536 bytes for throughput; on a busy machine, prefer
 * ops * 65536 / cpuMicros from {@link CpuCounters} (bytes per CPU-microsecond = MB per CPU-second).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NoiseTransportBenchmark {
    static final int WRITE_SIZE = 64 * 1024;

    private NoisePair pair;
    private ByteBuf payload;
    private byte[] plain;
    private byte[] sealed;
    private Cipher cipher;
    private SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    private long counter;

    @Setup
    public void setUp() throws GeneralSecurityException {
        pair = new NoisePair(Keys.generate(KeyType.ED25519), Keys.generate(KeyType.ED25519));
        pair.handshake();
        plain = new byte[WRITE_SIZE];
        new Random(1).nextBytes(plain);
        payload = Unpooled.wrappedBuffer(plain);
        sealed = new byte[WRITE_SIZE + 16];
        cipher = Cipher.getInstance("ChaCha20-Poly1305");
        byte[] k = new byte[32];
        new Random(2).nextBytes(k);
        key = new SecretKeySpec(k, "ChaCha20");
    }

    @TearDown
    public void tearDown() {
        pair.close();
    }

    /** Encryption only: one 64 KiB write through the codec, frames dropped. */
    @Benchmark
    public int encrypt(CpuCounters cpu) {
        cpu.done();
        pair.initiator.writeOutbound(payload.retainedDuplicate());
        int bytes = 0;
        for (ByteBuf frame; (frame = pair.initiator.readOutbound()) != null; ) {
            bytes += frame.readableBytes();
            frame.release();
        }
        return bytes;
    }

    /**
     * Encryption of what the Yamux session actually hands Noise: a composite of a 12-byte direct
     * header and a 64 KiB heap payload slice, four times per op (256 KiB, Yamux's largest batch).
     */
    @Benchmark
    public int encryptMuxerComposite(CpuCounters cpu) {
        cpu.done();
        CompositeByteBuf batch = Unpooled.compositeBuffer(8);
        for (int i = 0; i < 4; i++) {
            batch.addComponent(true, Unpooled.directBuffer(12).writeZero(12));
            batch.addComponent(true, payload.retainedSlice());
        }
        pair.initiator.writeOutbound(batch);
        int bytes = 0;
        for (ByteBuf frame; (frame = pair.initiator.readOutbound()) != null; ) {
            bytes += frame.readableBytes();
            frame.release();
        }
        return bytes;
    }

    /** Both ends: encrypt on one channel, decrypt the frames on the other. */
    @Benchmark
    public long encryptAndDecrypt(CpuCounters cpu) {
        cpu.done();
        pair.initiator.writeOutbound(payload.retainedDuplicate());
        NoisePair.shuttle(pair.initiator, pair.responder);
        return pair.responderSink.bytes;
    }

    /** For comparison: the JDK's one-piece AEAD sealing the same 64 KiB in one call, fresh nonce each time. */
    @Benchmark
    public int rawJdkChaCha20Poly1305(CpuCounters cpu) throws GeneralSecurityException {
        cpu.done();
        long n = counter++;
        for (int i = 4; i < 12; i++) {
            nonce[i] = (byte) n;
            n >>>= 8;
        }
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
        return cipher.doFinal(plain, 0, plain.length, sealed, 0);
    }
}
