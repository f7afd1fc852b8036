package dev.hyperj.bench.chain;

import dev.hyperj.chain.runtime.BlockResult;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Runtime;
import dev.hyperj.chain.runtime.SignedCall;
import dev.hyperj.chain.storage.Overlay;
import java.util.ArrayList;
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
 * A whole epoch (20 blocks) of a dev chain with 17 subnets x 256 nodes: 17 settlements and
 * elections, 17 proposals with 256 scores, 17 x 255 attestations (4,352 calls), the epoch
 * preliminaries and the weights block, and a state root after every block.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class EpochBenchmark {
    private ChainFixture f;
    private final List<List<SignedCall>> blocks = new ArrayList<>();
    private long first;

    @Setup
    public void setup() {
        f = new ChainFixture(17, 256);
        f.runEpochs(1);
        while (f.number % ChainFixture.EPOCH != 0) f.commit(f.consensusCalls(f.base, f.number + 1));
        first = f.number + 1;
        // dry run to learn each block's calls (elections replay identically: parent hashes depend on the number only)
        Overlay acc = new Overlay(f.base);
        int settlements = 0;
        for (long n = first; n < first + ChainFixture.EPOCH; n++) {
            List<SignedCall> calls = f.consensusCalls(acc, n);
            BlockResult r = Runtime.executeBlock(acc, n, ChainFixture.parent(n), null, calls);
            if (r.callResults().stream().anyMatch(c -> !c.ok()))
                throw new IllegalStateException("a call failed in block " + n);
            settlements += (int) r.events().stream()
                    .filter(e -> e instanceof Event.SubnetRewards)
                    .count();
            ChainFixture.applyTo(acc, r.changes());
            blocks.add(calls);
        }
        if (settlements != 17) throw new IllegalStateException("expected 17 settlements, got " + settlements);
    }

    @Benchmark
    public Overlay epochOf17SubnetsX256Nodes() {
        Overlay acc = new Overlay(f.base);
        for (int i = 0; i < blocks.size(); i++) {
            long n = first + i;
            BlockResult r = Runtime.executeBlock(acc, n, ChainFixture.parent(n), null, blocks.get(i));
            ChainFixture.applyTo(acc, r.changes());
        }
        return acc;
    }
}
