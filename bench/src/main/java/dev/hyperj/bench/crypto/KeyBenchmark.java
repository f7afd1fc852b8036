package dev.hyperj.bench.crypto;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.crypto.PublicKey;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Signing, verification and public-key decoding per libp2p key type, over a 256-byte message. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KeyBenchmark {
    @Param({"ED25519", "SECP256K1", "ECDSA", "RSA"})
    public KeyType type;

    private PrivateKey key;
    private PublicKey publicKey;
    private byte[] message;
    private byte[] signature;
    private byte[] marshalledPublicKey;

    @Setup
    public void setup() {
        SecureRandom random = new SecureRandom();
        key = Keys.generate(type, random);
        publicKey = key.publicKey();
        message = new byte[256];
        random.nextBytes(message);
        signature = key.sign(message);
        marshalledPublicKey = publicKey.marshal();
    }

    @Benchmark
    public byte[] sign() {
        return key.sign(message);
    }

    @Benchmark
    public boolean verify() {
        return publicKey.verify(message, signature);
    }

    @Benchmark
    public PublicKey unmarshalPublicKey() {
        return Keys.unmarshalPublicKey(marshalledPublicKey);
    }
}
