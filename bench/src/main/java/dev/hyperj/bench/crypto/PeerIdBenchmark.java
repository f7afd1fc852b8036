package dev.hyperj.bench.crypto;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Peer id text forms: parsing (which, for identity ids, also decodes and validates the inlined key)
 * and printing; and a typical multiaddr parse. ED25519 ids are identity ids, RSA ids sha2-256.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PeerIdBenchmark {
    @Param({"ED25519", "RSA"})
    public KeyType type;

    private byte[] bytes;
    private String base58;
    private String cid;
    private String multiaddr;

    @Setup
    public void setup() {
        PeerId id = PeerId.fromPublicKey(Keys.generate(type).publicKey());
        bytes = id.bytes();
        base58 = id.toBase58();
        cid = id.toCid();
        multiaddr = "/ip4/192.168.10.20/tcp/4001/p2p/" + base58;
    }

    @Benchmark
    public PeerId parseBase58() {
        return PeerId.parse(base58);
    }

    @Benchmark
    public PeerId parseCid() {
        return PeerId.parse(cid);
    }

    @Benchmark
    public String printBase58() {
        // a fresh id each time: toBase58() caches its result
        return PeerId.fromBytes(bytes).toBase58();
    }

    @Benchmark
    public String printCid() {
        return PeerId.fromBytes(bytes).toCid();
    }

    @Benchmark
    public PeerId fromBytes() {
        return PeerId.fromBytes(bytes);
    }

    @Benchmark
    public Multiaddr parseMultiaddr() {
        return Multiaddr.parse(multiaddr);
    }
}
