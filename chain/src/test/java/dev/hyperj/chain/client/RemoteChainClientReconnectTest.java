package dev.hyperj.chain.client;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.runtime.Call;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote client when its node goes away: calls in flight fail within seconds (never at the 60 s
 * call timeout), and when the node comes back on the same URI the client reconnects and its
 * new-head subscriptions resume without duplicates or going backwards.
 */
class RemoteChainClientReconnectTest {
    @TempDir
    Path dir;

    /** A node and its RPC server, restartable from the same base path on the same port. */
    private final class Chain implements AutoCloseable {
        ChainNode node;
        RpcServer server;
        int port;

        Chain start() {
            node = ChainNode.start(TestChain.instantSeal().withBasePath(dir.resolve("chain")));
            server = RpcServer.start(node, new InetSocketAddress("127.0.0.1", port), RpcServer.Limits.defaults());
            port = server.port();
            return this;
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + port);
        }

        @Override
        public void close() {
            if (server != null) server.close();
            if (node != null) node.close();
            server = null;
            node = null;
        }
    }

    /** Runs {@code threads} loops of reads until each sees a ChainClientException; returns each one's wait for it. */
    private static List<CompletableFuture<Long>> hammer(ChainClient c, int threads, CountDownLatch running) {
        List<CompletableFuture<Long>> out = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            CompletableFuture<Long> f = new CompletableFuture<>();
            out.add(f);
            Thread.ofVirtual().start(() -> {
                boolean counted = false;
                while (true) {
                    long t0 = System.nanoTime();
                    try {
                        c.subnets();
                        c.bestHeader();
                        if (!counted) {
                            running.countDown();
                            counted = true;
                        }
                    } catch (ChainClientException e) {
                        f.complete(System.nanoTime() - t0);
                        return;
                    } catch (RuntimeException e) {
                        f.completeExceptionally(e);
                        return;
                    }
                }
            });
        }
        return out;
    }

    @Test
    @Timeout(180)
    void callsInFlightFailWithinSecondsWhenTheNodeStops_repeatedly() throws Exception {
        // the 60 s hang was intermittent (about 1 run in 8): repeat stop/restart with calls in flight
        try (Chain chain = new Chain().start();
                RemoteChainClient c = RemoteChainClient.connect(chain.uri())) {
            for (int round = 0; round < 8; round++) {
                CountDownLatch running = new CountDownLatch(16);
                List<CompletableFuture<Long>> waits = hammer(c, 16, running);
                assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<TxResult> tx =
                        c.submit(TestChain.ALITH, new Call.Transfer(DevAccounts.BALTATHAR.account(), tensor(1)));
                long stopped = System.nanoTime();
                chain.close();
                for (CompletableFuture<Long> w : waits) {
                    long waited = w.get(10, TimeUnit.SECONDS);
                    assertThat(TimeUnit.NANOSECONDS.toSeconds(waited))
                            .as("round %d: a call in flight waited", round)
                            .isLessThan(5);
                }
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped))
                        .isLessThan(10);
                // the transaction either made its block before the stop or failed with the client's exception
                try {
                    assertThat(tx.get(10, TimeUnit.SECONDS).ok()).isTrue();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ChainClientException.class);
                }
                // while the node is down, calls fail at once with a clear message
                long t0 = System.nanoTime();
                assertThatThrownBy(c::bestHeader)
                        .isInstanceOf(ChainClientException.class)
                        .hasMessageContaining("127.0.0.1:" + chain.port);
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0))
                        .isLessThan(2);
                chain.start();
                awaitConnected(c);
                assertThat(c.bestHeader().number()).isGreaterThanOrEqualTo(0);
            }
            assertThat(c.reconnections()).isEqualTo(8);
        }
    }

    private static void awaitConnected(RemoteChainClient c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // the reconnect is the client's own background work with no event to await from outside: poll its state,
        // bounded
        while (!c.isConnected()) {
            assertThat(System.nanoTime()).as("reconnected within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    @Timeout(120)
    void afterARestartOnTheSameUriSubscriptionsResumeWithoutDuplicatesAndReadsWork() throws Exception {
        try (Chain chain = new Chain().start();
                RemoteChainClient c = RemoteChainClient.connect(chain.uri())) {
            BlockingQueue<BlockHeader> heads = new LinkedBlockingQueue<>();
            List<Long> seen = new CopyOnWriteArrayList<>();
            AtomicBoolean listenerBlockedOk = new AtomicBoolean(true);
            try (AutoCloseable sub = c.subscribeNewHeads(h -> {
                        seen.add(h.number());
                        heads.add(h);
                    });
                    AutoCloseable blocking = c.subscribeNewHeads(h -> {
                        // a listener making a blocking call on the same client must not wait on itself
                        try {
                            c.header(h.number());
                        } catch (ChainClientException e) {
                            // the node may be going away meanwhile: only a hang would be a failure
                        }
                    })) {
                long before = c.produceBlocks(3);
                awaitHead(heads, before);
                chain.close();
                // subscribing while the node is down: established when it is back
                BlockingQueue<BlockHeader> late = new LinkedBlockingQueue<>();
                AutoCloseable lateSub = c.subscribeNewHeads(late::add);
                chain.start(); // same base path, same port
                awaitConnected(c);
                assertThat(c.reconnections()).isEqualTo(1);
                assertThat(c.bestHeader().number()).isEqualTo(before); // the restarted node resumed from its last block
                long after = c.produceBlocks(2);
                assertThat(after).isEqualTo(before + 2);
                awaitHead(heads, after);
                awaitHead(late, after);
                lateSub.close();
                assertThat(c.balance(DevAccounts.BALTATHAR.account())).isPositive();
                TxResult r = c.submit(TestChain.ALITH, new Call.Transfer(DevAccounts.BALTATHAR.account(), tensor(1)))
                        .get(30, TimeUnit.SECONDS);
                assertThat(r.ok()).isTrue();
                awaitHead(heads, r.blockNumber());
            }
            assertThat(listenerBlockedOk).isTrue();
            assertThat(seen).doesNotHaveDuplicates().isSorted();
            assertThat(seen).contains(seen.get(0), seen.get(seen.size() - 1));
        }
    }

    private static void awaitHead(BlockingQueue<BlockHeader> heads, long number) throws InterruptedException {
        while (true) {
            BlockHeader h = heads.poll(30, TimeUnit.SECONDS);
            assertThat(h).as("head #%d within 30 s", number).isNotNull();
            if (h.number() >= number) return;
        }
    }

    @Test
    @Timeout(120)
    void aNodeBackWithAnotherGenesisIsRefusedWithAClearMessage() throws Exception {
        try (Chain chain = new Chain().start();
                RemoteChainClient c = RemoteChainClient.connect(chain.uri())) {
            int port = chain.port;
            chain.close();
            // another chain (another epoch length, so another genesis) on the same port
            ChainNode other =
                    ChainNode.start(dev.hyperj.chain.node.NodeConfig.dev(10).withInstantSeal(true));
            try (RpcServer s =
                    RpcServer.start(other, new InetSocketAddress("127.0.0.1", port), RpcServer.Limits.defaults())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (true) {
                    assertThat(System.nanoTime())
                            .as("the client noticed the other genesis within 30 s")
                            .isLessThan(deadline);
                    try {
                        c.bestHeader();
                        throw new AssertionError("read from a chain with another genesis");
                    } catch (ChainClientException e) {
                        if (e.getMessage().contains("another chain")) break;
                    }
                    Thread.sleep(50); // the client reconnects in the background: nothing to await from here
                }
                assertThat(c.isConnected()).isFalse();
                assertThatThrownBy(() -> c.submit(
                                        TestChain.ALITH, new Call.Transfer(DevAccounts.BALTATHAR.account(), tensor(1)))
                                .get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(ChainClientException.class)
                        .hasMessageContaining("another chain");
            } finally {
                other.close();
            }
        }
    }

    @Test
    @Timeout(120)
    void anIdleConnectionIsKeptByPingsAndNeverTakenForLost() throws Exception {
        try (Chain chain = new Chain().start();
                RemoteChainClient c = RemoteChainClient.connect(chain.uri())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // no calls, no subscriptions: only the keep-alive talks; past the silence limit the connection must still
            // be the first one
            while (c.pongsReceived() < 5) {
                assertThat(System.nanoTime())
                        .as("5 pongs within 60 s (got %d)", c.pongsReceived())
                        .isLessThan(deadline);
                Thread.sleep(100); // pongs are counted inside the client: no event to await from here
            }
            assertThat(c.reconnections()).isZero();
            assertThat(c.isConnected()).isTrue();
            assertThat(c.bestHeader().number()).isZero();
        }
    }

    @Test
    @Timeout(120)
    void aNodeThatStopsAnsweringWithoutClosingIsDetectedByPings() throws Exception {
        try (Chain chain = new Chain().start();
                FreezableProxy proxy = new FreezableProxy(chain.port);
                RemoteChainClient c = RemoteChainClient.connect(URI.create("ws://127.0.0.1:" + proxy.port()))) {
            assertThat(c.bestHeader().number()).isGreaterThanOrEqualTo(0);
            proxy.freeze(); // the TCP connection stays open, nothing passes any more
            long t0 = System.nanoTime();
            assertThatThrownBy(c::subnets)
                    .isInstanceOf(ChainClientException.class)
                    .hasMessageContaining("no answer from the node");
            long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertThat(waited).isLessThanOrEqualTo(RemoteChainClient.SILENCE_LIMIT_SECONDS + 5);
            proxy.thaw(); // new connections pass again: the client reconnects
            awaitConnected(c);
            assertThat(c.bestHeader().number()).isGreaterThanOrEqualTo(0);
        }
    }

    /** A loopback TCP proxy that can stop forwarding while keeping its connections open. */
    private static final class FreezableProxy implements AutoCloseable {
        private final ServerSocket listen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean frozen;
        private final Object lock = new Object();

        FreezableProxy(int upstream) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!listen.isClosed()) {
                    try {
                        Socket in = listen.accept();
                        Socket out = new Socket(InetAddress.getLoopbackAddress(), upstream);
                        sockets.add(in);
                        sockets.add(out);
                        pump(in, out);
                        pump(out, in);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return listen.getLocalPort();
        }

        void freeze() {
            frozen = true;
        }

        void thaw() {
            frozen = false;
            synchronized (lock) {
                lock.notifyAll();
            }
        }

        private void pump(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[16384];
                try (InputStream i = from.getInputStream();
                        OutputStream o = to.getOutputStream()) {
                    for (int n; (n = i.read(buf)) > 0; ) {
                        boolean wasFrozen = false;
                        synchronized (lock) {
                            while (frozen) {
                                wasFrozen = true;
                                lock.wait();
                            }
                        }
                        if (wasFrozen) return; // bytes held during a freeze are dropped with the connection
                        o.write(buf, 0, n);
                    }
                } catch (IOException | InterruptedException e) {
                    // the connection ended
                } finally {
                    try {
                        to.close();
                        from.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            listen.close();
            for (Socket s : sockets) s.close();
        }
    }
}
