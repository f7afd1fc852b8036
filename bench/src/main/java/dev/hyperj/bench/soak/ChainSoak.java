package dev.hyperj.bench.soak;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A long run of the dev chain: a {@link ChainNode} on RocksDB produces blocks as fast as it can
 * (compressed time: no block timer), with a transfer signed and included every {@code --tx-every}
 * blocks, and samples heap after GC, the process's resident memory and the database's size on
 * disk every {@code --sample} blocks, so a leak shows as a trend. At the end it closes the node,
 * opens the database again and checks the best block survived.
 *
 * <pre>
 * java -Xmx1g --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.hyperj.bench.soak.ChainSoak \
 *      [--blocks 1000000] [--sample 50000] [--tx-every 100] [--dir /tmp/chain-soak]
 * </pre>
 */
public final class ChainSoak {
    private ChainSoak() {}

    public static void main(String[] args) throws Exception {
        long blocks = 1_000_000;
        int sample = 50_000, txEvery = 100;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--blocks" -> blocks = Long.parseLong(args[++i]);
                case "--sample" -> sample = Integer.parseInt(args[++i]);
                case "--tx-every" -> txEvery = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        boolean temporary = dir == null;
        if (temporary) dir = Files.createTempDirectory("hyperj-chain-soak-");
        NodeConfig cfg = NodeConfig.dev(20).withBasePath(dir).withInstantSeal(true);
        Secp256k1 alith = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
        System.out.printf(
                "chain soak: %,d blocks, a transfer every %d, samples every %,d, in %s%n",
                blocks, txEvery, sample, dir);
        long wall = System.nanoTime(), txs = 0, firstDisk = -1;
        MemorySamples memory = new MemorySamples();
        long best;
        try (ChainNode node = ChainNode.start(cfg)) {
            long start = node.bestHeader().number();
            for (long done = 0; done < blocks; ) {
                int step = (int) Math.min(Math.min(txEvery, 10_000), blocks - done);
                node.submit(Transaction.sign(
                                alith,
                                node.chainId(),
                                node.genesisHash(),
                                node.nextNonce(alith.account()),
                                new Call.Transfer(DevAccounts.BALTATHAR.account(), U128.of(1000))))
                        .get();
                txs++;
                if (step > 1) node.produceBlocks(step - 1);
                done = node.bestHeader().number() - start;
                if (done % sample < step || done >= blocks) {
                    MemorySamples.Sample m = memory.take();
                    long disk = size(dir);
                    if (firstDisk < 0) firstDisk = disk;
                    double s = (System.nanoTime() - wall) / 1e9;
                    System.out.printf(
                            "  block #%,d: %.0f s, %.0f blocks/s; heap after GC %d MiB, RSS %d MiB, disk %d MiB (%.0f B/block)%n",
                            node.bestHeader().number(),
                            s,
                            done / s,
                            m.heapMiB(),
                            m.rssMiB(),
                            disk >> 20,
                            (double) disk / Math.max(1, done));
                }
            }
            best = node.bestHeader().number();
        }
        try (ChainNode again = ChainNode.start(cfg)) {
            if (again.bestHeader().number() != best)
                throw new IllegalStateException(
                        "reopened at #" + again.bestHeader().number() + ", closed at #" + best);
        }
        System.out.printf(
                "done: #%,d with %,d transfers in %.0f s; %s; disk %d MiB at the first sample, %d MiB at the end;"
                        + " reopened at the same best block%n",
                best, txs, (System.nanoTime() - wall) / 1e9, memory.summary(), firstDisk >> 20, size(dir) >> 20);
        if (temporary) deleteTree(dir);
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0; // compacted away meanwhile
                        }
                    })
                    .sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
