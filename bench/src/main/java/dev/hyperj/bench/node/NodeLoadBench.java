package dev.hyperj.bench.node;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.GenesisConfig;
import dev.hyperj.chain.tx.Secp256k1;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole-node load: a dev node (RocksDB in a temp dir, real block production on a timer) with its
 * JSON-RPC on loopback; {@code clients} WebSocket clients, each with its own funded key, keep
 * {@code window} transfers in flight for {@code seconds}; one more client reads balances the whole
 * time. Reports transactions included per second (measured by their in-block results) and the
 * read latency p50/p99 under that load.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.hyperj.bench.node.NodeLoadBench [clients=8] [seconds=20] [blockTimeMs=500] [window=32]</pre>
 */
public final class NodeLoadBench {
    private NodeLoadBench() {}

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long blockTimeMs = args.length > 2 ? Long.parseLong(args[2]) : 500;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        List<Secp256k1> keys = new ArrayList<>();
        List<GenesisConfig.Balance> balances = new ArrayList<>();
        for (DevAccounts a : DevAccounts.values())
            balances.add(new GenesisConfig.Balance(a.account(), GenesisConfig.DEV_BALANCE));
        for (int i = 0; i < clients; i++) {
            byte[] k = new byte[32];
            k[0] = 0x22;
            k[31] = (byte) (i + 1);
            keys.add(Secp256k1.fromPrivateKey(k));
            balances.add(new GenesisConfig.Balance(keys.get(i).account(), U128.tensor(1_000_000)));
        }
        NodeConfig cfg = NodeConfig.dev(20)
                .withGenesis(GenesisConfig.dev(20).withBalances(balances))
                .withBlockTimeMs(blockTimeMs)
                .withPoolBounds(clients * window * 2 + 64, window * 2);
        try (ChainNode node = ChainNode.start(cfg);
                RpcServer server =
                        RpcServer.start(node, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults())) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port());
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong included = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            ConcurrentLinkedQueue<Long> readNanos = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int i = 0; i < clients; i++) {
                Secp256k1 key = keys.get(i);
                threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                    try (ChainClient c = ChainClient.connect(uri)) {
                        Semaphore inFlight = new Semaphore(window);
                        while (running.get()) {
                            inFlight.acquire();
                            CompletableFuture<TxResult> f =
                                    c.submit(key, new Call.Transfer(DevAccounts.FAITH.account(), U128.of(1000)));
                            f.whenComplete((r, e) -> {
                                inFlight.release();
                                if (System.nanoTime() < warmupEnd) return;
                                if (e == null && r.ok()) {
                                    included.incrementAndGet();
                                } else if (failed.incrementAndGet() <= 3) {
                                    System.out.println("failed: "
                                            + (e != null ? e : r.message().orElse("?")));
                                }
                            });
                        }
                        inFlight.tryAcquire(window, 60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            threads.add(Thread.ofPlatform().name("reader").start(() -> {
                try (ChainClient c = ChainClient.connect(uri)) {
                    while (running.get()) {
                        long t = System.nanoTime();
                        c.balance(DevAccounts.FAITH.account());
                        if (t > warmupEnd) readNanos.add(System.nanoTime() - t);
                    }
                }
            }));
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) + 2000); // the measured interval itself
            running.set(false);
            long measuredMs = TimeUnit.SECONDS.toMillis(seconds);
            long done = included.get();
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(90));
            long[] lat = readNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(
                    "clients=%d window=%d blockTimeMs=%d seconds=%d%n", clients, window, blockTimeMs, seconds);
            System.out.printf(
                    "included transactions: %d (%.1f tx/s), failed or refused: %d, best block #%d%n",
                    done,
                    done * 1000.0 / measuredMs,
                    failed.get(),
                    node.bestHeader().number());
            if (lat.length > 0) {
                System.out.printf(
                        "network_getBalance over WebSocket under load: %d reads, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        lat.length,
                        lat[lat.length / 2] / 1e6,
                        lat[(int) Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)] / 1e6,
                        lat[lat.length - 1] / 1e6);
            }
        }
    }
}
