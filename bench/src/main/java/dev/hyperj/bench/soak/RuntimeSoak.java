package dev.hyperj.bench.soak;

import dev.hyperj.chain.runtime.NetworkReads;
import dev.hyperj.chain.runtime.RandomRuntime;
import java.util.Map;
import java.util.Random;

/**
 * A long run of the runtime (in memory, no database: the chain soak covers RocksDB) under random
 * calls: {@link RandomRuntime}'s steps, drawn from one seed, over {@code --epochs} epochs, with
 * conservation (free + staked + delegated + unbonding + overwatch + swap queue + burned = genesis +
 * minted; issuance = genesis + minted - burned) checked after every block. Prints supply and memory
 * a number of times over the run and the first vs last quarter of memory at the end; exits 1 at the
 * first block that breaks conservation, naming the seed and step to replay.
 *
 * <pre>
 * java -Xmx1g -cp bench/target/benchmarks.jar dev.hyperj.bench.soak.RuntimeSoak [--epochs 10000] [--seed 1] [--samples 20]
 * </pre>
 */
public final class RuntimeSoak {
    private RuntimeSoak() {}

    public static void main(String[] args) {
        long epochs = 10_000, seed = 1;
        int samples = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long wall = System.nanoTime();
        RandomRuntime runtime = new RandomRuntime();
        long start = runtime.blockNumber(), end = start + epochs * RandomRuntime.EPOCH;
        long every = Math.max(1, (end - start) / samples), next = start + every, steps = 0;
        Random random = new Random(seed);
        MemorySamples memory = new MemorySamples();
        System.out.printf(
                "runtime soak: %,d epochs of %d blocks of random calls, seed %d, conservation checked every block%n",
                epochs, RandomRuntime.EPOCH, seed);
        while (runtime.blockNumber() < end) {
            RandomRuntime.Action a = RandomRuntime.Action.random(random);
            try {
                runtime.step(a);
            } catch (IllegalStateException e) {
                System.out.printf(
                        "CONSERVATION BROKEN at step %,d (seed %d, %s): %s%n", steps, seed, a, e.getMessage());
                System.exit(1);
            }
            steps++;
            if (runtime.blockNumber() >= next || runtime.blockNumber() >= end) {
                next += every;
                MemorySamples.Sample m = memory.take();
                NetworkReads.Supply s = runtime.reads().supply();
                double secs = (System.nanoTime() - wall) / 1e9;
                System.out.printf(
                        "  epoch %,d (#%,d): %,d calls (%,d failed), %.0f s, %.0f blocks/s; minted %s, burned %s,"
                                + " subnets %d; heap after GC %d MiB, RSS %d MiB%n",
                        (runtime.blockNumber() - start) / RandomRuntime.EPOCH,
                        runtime.blockNumber(),
                        steps,
                        runtime.failedCalls(),
                        secs,
                        (runtime.blockNumber() - start) / secs,
                        s.minted(),
                        s.burned(),
                        runtime.reads().getAllSubnetsInfo().size(),
                        m.heapMiB(),
                        m.rssMiB());
            }
        }
        System.out.printf(
                "done: %,d epochs, %,d blocks each checked, %,d random calls (%,d failed) in %.0f s; conserved throughout; %s%n",
                (runtime.blockNumber() - start) / RandomRuntime.EPOCH,
                runtime.blocksChecked(),
                steps,
                runtime.failedCalls(),
                (System.nanoTime() - wall) / 1e9,
                memory.summary());
        System.out.println("random calls by outcome:");
        runtime.outcomes().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf("  %,9d  %s%n", e.getValue(), e.getKey()));
    }
}
