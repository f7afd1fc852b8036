package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.scale.Scale;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.chain.storage.MemoryBackend;
import dev.hyperj.chain.storage.StateBackend;
import dev.hyperj.chain.storage.StateRoot;
import dev.hyperj.chain.storage.StateView;
import java.util.List;

/**
 * A chain held in memory: genesis, then one block per {@link #produce} call. For tests, benchmarks
 * and tools; the real node (issue 7) wraps the same {@link Runtime} over RocksDB.
 */
public final class InMemoryChain {
    private final StateBackend backend;
    private long number;
    private byte[] headHash;

    public InMemoryChain(GenesisConfig genesis) {
        this(new MemoryBackend(), genesis);
    }

    public InMemoryChain(StateBackend emptyBackend, GenesisConfig genesis) {
        this.backend = emptyBackend;
        backend.apply(Runtime.genesis(genesis));
        this.number = 0;
        this.headHash = blockHash(0, new byte[32], StateRoot.compute(backend), List.of());
    }

    /** blake2b-256 of SCALE(number u64, parent hash, state root, calls hash). */
    public static byte[] blockHash(long number, byte[] parent, byte[] stateRoot, List<SignedCall> calls) {
        ScaleWriter callsW = new ScaleWriter().compact(calls.size());
        for (SignedCall sc : calls) callsW.raw(sc.origin().bytes()).raw(Scale.encode(Call.class, sc.call()));
        return Hashing.blake2b256(new ScaleWriter()
                .u64(number)
                .raw(parent)
                .raw(stateRoot)
                .raw(Hashing.blake2b256(callsW.toByteArray()))
                .toByteArray());
    }

    public BlockResult produce(List<SignedCall> calls) {
        return produce(null, calls);
    }

    public BlockResult produce(AccountId author, List<SignedCall> calls) {
        BlockResult r = Runtime.executeBlock(backend, number + 1, headHash, author, calls);
        backend.apply(r.changes());
        number = r.blockNumber();
        headHash = blockHash(number, headHash, r.stateRoot(), calls);
        return r;
    }

    /** Produces empty blocks up to and including {@code target}. */
    public void advanceTo(long target) {
        while (number < target) produce(List.of());
    }

    public long blockNumber() {
        return number;
    }

    public byte[] headHash() {
        return headHash.clone();
    }

    public StateView state() {
        return backend;
    }

    public byte[] stateRoot() {
        return StateRoot.compute(backend);
    }
}
