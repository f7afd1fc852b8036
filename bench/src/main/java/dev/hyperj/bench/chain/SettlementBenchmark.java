package dev.hyperj.bench.chain;

import dev.hyperj.chain.runtime.BlockResult;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.NetworkReads;
import dev.hyperj.chain.runtime.Runtime;
import dev.hyperj.chain.storage.StateRoot;
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

/**
 * One subnet epoch settlement with 256 Validator-class nodes, all scored and all attesting: the
 * subnet's slot block (settle e-1: rewards for 256 nodes, reputations, graduation checks; elect e;
 * queue; burn rate) including the block's state root. Pure: the base state is never modified.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SettlementBenchmark {
    private ChainFixture f;
    private long slotBlock;

    @Setup
    public void setup() {
        f = new ChainFixture(1, 256);
        f.runEpochs(2);
        int slot = new NetworkReads(f.base)
                .getSubnetInfo(f.subnetIds.get(0))
                .orElseThrow()
                .subnet()
                .slot();
        // run up to just before the next slot block: the previous epoch has a submission with 256 attestations
        long next = (f.number / ChainFixture.EPOCH + 1) * ChainFixture.EPOCH + slot;
        if (next - ChainFixture.EPOCH > f.number) next -= ChainFixture.EPOCH;
        while (f.number < next - 1) f.commit(f.consensusCalls(f.base, f.number + 1));
        slotBlock = next;
        BlockResult check = settle();
        long paid = check.events().stream()
                .filter(e -> e instanceof Event.NodeReward)
                .count();
        if (paid != 256) throw new IllegalStateException("expected 256 node rewards, got " + paid);
    }

    private BlockResult settle() {
        return Runtime.executeBlock(f.base, slotBlock, ChainFixture.parent(slotBlock), null, List.of());
    }

    @Benchmark
    public BlockResult settlementOf256Nodes() {
        return settle();
    }

    /** The part of every block that is the state root (a full scan and hash of this ~1-subnet state). */
    @Benchmark
    public byte[] stateRootOfThisState() {
        return StateRoot.compute(f.base);
    }
}
