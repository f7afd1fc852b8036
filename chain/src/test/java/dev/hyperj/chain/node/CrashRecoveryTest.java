package dev.hyperj.chain.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TestChain;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.db.ChainStore;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.NetworkReads;
import dev.hyperj.chain.storage.StateRoot;
import dev.hyperj.chain.tx.Secp256k1;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a node process at random moments while it produces blocks and takes transactions,
 * repeated: after each kill the database holds a consistent last block (state root recomputed from
 * the state equals the header's), balances match the committed nonces, and every block an RPC client
 * saw a transaction in is still there with the same hash.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    private Process startNode() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashNodeMain.class.getName(),
                        dir.toString(),
                        "30")
                .redirectErrorStream(true)
                .start();
        return p;
    }

    private static int awaitPort(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("PORT "))
                        return Integer.parseInt(line.substring(5).trim());
                }
                throw new IllegalStateException("the node process exited before serving");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        int n = port.get(60, TimeUnit.SECONDS);
        // keep draining its output so that it never blocks on a full pipe
        Thread.ofVirtual().start(() -> {
            try {
                while (r.readLine() != null) {
                    // discard
                }
            } catch (java.io.IOException ignored) {
                // the process died
            }
        });
        return n;
    }

    @Test
    @Timeout(300)
    void killDashNineDuringBlockProductionLosesNothingAnyoneSaw() throws Exception {
        Secp256k1 sender = TestChain.ETHAN;
        Secp256k1 receiver = TestChain.key(4242);
        ConcurrentLinkedQueue<TxResult> seen = new ConcurrentLinkedQueue<>();
        java.util.concurrent.Semaphore inBlock = new java.util.concurrent.Semaphore(0);
        Random random = new Random(7);
        ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor();
        List<CompletableFuture<?>> running = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            Process p = startNode();
            try {
                int port = awaitPort(p);
                ChainClient client = ChainClient.connect(URI.create("ws://127.0.0.1:" + port));
                for (int w = 0; w < 3; w++) {
                    running.add(CompletableFuture.runAsync(
                            () -> {
                                try {
                                    while (true) {
                                        seen.add(client.submit(
                                                        sender, new Call.Transfer(receiver.account(), U128.tensor(1)))
                                                .get(30, TimeUnit.SECONDS));
                                        inBlock.release();
                                    }
                                } catch (Exception expectedWhenKilled) {
                                    // the node died under us
                                }
                            },
                            submitters));
                }
                // kill at a random moment once this round saw 1 to 4 transactions in blocks (however loaded the machine
                // is)
                assertThat(inBlock.tryAcquire(1 + random.nextInt(4), 120, TimeUnit.SECONDS))
                        .as("transactions in blocks in round %d", round)
                        .isTrue();
                Thread.sleep(
                        random.nextInt(300)); // the kill moment itself is what is random here, not a synchronisation
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // closing the client fails whatever it still waits for, whether or not it noticed the death yet
                // closing the client fails what it still waits for; a submitter that lingers can only see a dead node,
                // so the checks below need not wait for it (it ends on its own timeout)
                client.close();
            } finally {
                p.destroyForcibly();
            }
            inBlock.drainPermits();
            // with the process dead, open its database directly: a consistent last block
            try (ChainStore store = ChainStore.open(dir.resolve("db"))) {
                long best = store.bestNumber().orElseThrow();
                BlockHeader head = store.header(best).orElseThrow();
                assertThat(StateRoot.compute(store.state()))
                        .as("state root after kill in round %d", round)
                        .isEqualTo(head.stateRoot());
                assertThat(new NetworkReads(store.state()).blockNumber()).isEqualTo(best);
                long included = store.nonce(sender.account());
                assertThat(new NetworkReads(store.state()).freeBalance(receiver.account()))
                        .isEqualTo(U128.tensor(included));
                for (TxResult r : seen) {
                    assertThat(r.blockNumber()).isLessThanOrEqualTo(best);
                    assertThat(store.hashOf(r.blockNumber()).orElseThrow())
                            .as("block %d seen in-block", r.blockNumber())
                            .isEqualTo(r.blockHash());
                }
                for (long n = 1; n <= best; n++)
                    assertThat(store.header(n).orElseThrow().parentHash())
                            .isEqualTo(store.hashOf(n - 1).orElseThrow());
            }
        }
        running.forEach(f -> f.cancel(true));
        submitters.shutdownNow();
        assertThat(seen).as("transactions seen in blocks across rounds").hasSizeGreaterThanOrEqualTo(4);
        // a final restart resumes from the last block
        Process p = startNode();
        try {
            int port = awaitPort(p);
            try (ChainClient client = ChainClient.connect(URI.create("ws://127.0.0.1:" + port))) {
                long n = client.nextNonce(sender.account());
                TxResult r = client.submit(sender, new Call.Transfer(receiver.account(), U128.tensor(1)))
                        .get(60, TimeUnit.SECONDS);
                assertThat(r.ok()).isTrue();
                assertThat(client.balance(receiver.account())).isEqualTo(U128.tensor(n + 1));
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
