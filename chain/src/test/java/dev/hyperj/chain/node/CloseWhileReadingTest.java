package dev.hyperj.chain.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.TxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Reads, nonce lookups, header reads and submits hammer a node on several threads while it closes:
 * before the fix this crashed the JVM in RocksDB (SIGSEGV). Now every call either answers or throws
 * the node's own "closed" error, and close waits for the reads in flight.
 */
class CloseWhileReadingTest {
    static final Secp256k1 ALITH = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());

    @RepeatedTest(5)
    void hammeringReadsWhileClosingNeverCrashesAndFailsClearly() throws Exception {
        ChainNode n = ChainNode.start(NodeConfig.dev(20).withInstantSeal(true));
        n.produceBlocks(3);
        ChainClient client = ChainClient.embedded(n);
        int threads = 6;
        CountDownLatch started = new CountDownLatch(threads);
        CountDownLatch answered = new CountDownLatch(200);
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> closedErrors = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int kind = t % 3;
            workers.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                while (true) {
                    try {
                        switch (kind) {
                            case 0 ->
                                n.read(r -> r.getAllSubnetsInfo().size()
                                        + r.freeBalance(ALITH.account()).bitLength());
                            case 1 -> {
                                n.nextNonce(ALITH.account());
                                n.store().header(1);
                            }
                            default -> client.balance(DevAccounts.BALTATHAR.account());
                        }
                        answered.countDown();
                    } catch (IllegalStateException e) {
                        closedErrors.add(e.getMessage());
                        return;
                    } catch (ChainClientException e) {
                        closedErrors.add(e.getMessage());
                        return;
                    } catch (Throwable e) {
                        unexpected.add(e);
                        return;
                    }
                }
            }));
        }
        // a submitter too: its futures must all end (included, or NodeStopped)
        List<java.util.concurrent.CompletableFuture<?>> submitted = new ArrayList<>();
        Thread submitter = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 1_000; i++) {
                var f = client.submit(ALITH, new Call.Transfer(DevAccounts.CHARLETH.account(), U128.tensor(1)));
                synchronized (submitted) {
                    submitted.add(f);
                }
                if (f.isCompletedExceptionally()) return;
            }
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(answered.await(30, TimeUnit.SECONDS))
                .as("200 reads answered before the close")
                .isTrue();
        n.close();
        for (Thread w : workers)
            assertThat(w.join(java.time.Duration.ofSeconds(30))).isTrue();
        assertThat(submitter.join(java.time.Duration.ofSeconds(30))).isTrue();
        assertThat(unexpected).isEmpty();
        assertThat(closedErrors).hasSize(threads).allSatisfy(m -> assertThat(m).contains("closed"));
        synchronized (submitted) {
            for (var f : submitted) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOfAny(TxException.class, ChainClientException.class);
                    assertThat(e.getCause().getMessage()).containsAnyOf("stopped", "shutting down", "closed");
                }
            }
        }
    }
}
