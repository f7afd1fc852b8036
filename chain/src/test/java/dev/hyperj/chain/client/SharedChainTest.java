package dev.hyperj.chain.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.tx.Secp256k1;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What sharing buys and what it must not change: one read per block for many nodes, never a stale answer. */
@Timeout(60)
class SharedChainTest {
    private ChainNode node;
    private RpcServer server;
    private RemoteChainClient upstream;
    private RemoteChainClient submitter;
    private SharedChain shared;

    @BeforeEach
    void start() {
        node = ChainNode.start(TestChain.instantSeal());
        server = RpcServer.start(node, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
        URI uri = URI.create("ws://127.0.0.1:" + server.port());
        upstream = (RemoteChainClient) ChainClient.connect(uri);
        submitter = (RemoteChainClient) ChainClient.connect(uri);
        shared = SharedChain.over(upstream);
    }

    @AfterEach
    void stop() {
        shared.close();
        submitter.close();
        upstream.close();
        server.close();
        node.close();
    }

    private long produce(int n) throws Exception {
        long best = upstream.produceBlocks(n);
        shared.announced(best, Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
        return best;
    }

    @Test
    void manyNodesReadingTheSameThingsInABlockCostTheChainOneReadEach() throws Exception {
        produce(1);
        List<ChainClient> views = new ArrayList<>();
        for (int i = 0; i < 64; i++) views.add(shared.client(submitter));
        long before = shared.upstreamReads();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (ChainClient v : views)
                fs.add(ex.submit(() -> {
                    v.subnets();
                    v.epochInfo();
                    return v.balance(TestChain.ALITH.account());
                }));
            for (Future<?> f : fs) assertThat(f.get(30, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(shared.upstreamReads() - before).isEqualTo(3);
        assertThat(shared.readCounts().get("balance")).isEqualTo(new SharedChain.ReadCount(64, 1));
        // the next block is a new generation: one more read each
        produce(1);
        for (ChainClient v : views) v.subnets();
        assertThat(shared.readCounts().get("subnets").upstream()).isEqualTo(2);
    }

    @Test
    void aReadAfterANewHeadNeverAnswersFromTheBlockBefore() throws Exception {
        ChainClient a = shared.client(submitter);
        ChainClient b = shared.client(submitter);
        Secp256k1 fresh = TestChain.key(900);
        assertThat(a.balance(fresh.account())).isZero(); // cached for this block
        // a transfer in the next block: b's listener reads in reaction to the head, as nodes do
        CompletableFuture<BigInteger> seenOnHead = new CompletableFuture<>();
        long[] target = {Long.MAX_VALUE};
        try (AutoCloseable sub = b.subscribeNewHeads(h -> {
            if (h.number() >= target[0]) seenOnHead.complete(b.balance(fresh.account()));
        })) {
            target[0] = a.blockNumber() + 1;
            TxResult r = a.submit(TestChain.ALITH, new Call.Transfer(fresh.account(), BigInteger.TEN.pow(18)))
                    .get(30, TimeUnit.SECONDS);
            assertThat(r.ok()).isTrue();
            // read your writes: once the submit completed, the transfer is visible to every view
            assertThat(a.balance(fresh.account())).isEqualTo(BigInteger.TEN.pow(18));
            assertThat(seenOnHead.get(30, TimeUnit.SECONDS)).isEqualTo(BigInteger.TEN.pow(18));
        }
    }

    @Test
    void eachViewGetsEveryHeadInOrderAndAClosedViewStops() throws Exception {
        ChainClient a = shared.client(submitter);
        ChainClient b = shared.client(submitter);
        List<Long> seenA = new CopyOnWriteArrayList<>();
        List<Long> seenB = new CopyOnWriteArrayList<>();
        CountDownLatch five = new CountDownLatch(5);
        a.subscribeNewHeads(h -> {
            seenA.add(h.number());
            five.countDown();
        });
        b.subscribeNewHeads(h -> seenB.add(h.number()));
        long first = a.blockNumber() + 1;
        produce(2);
        b.close();
        assertThatThrownBy(b::subnets).isInstanceOf(ChainClientException.class);
        assertThat(b.submit(
                        TestChain.ALITH, new Call.Transfer(TestChain.key(901).account(), BigInteger.ONE)))
                .failsWithin(Duration.ofSeconds(5));
        int bSaw = seenB.size();
        produce(3);
        assertThat(five.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seenA).containsExactly(first, first + 1, first + 2, first + 3, first + 4);
        assertThat(seenB).hasSize(bSaw).allMatch(n -> n < first + 2);
        // a's view is unaffected by b's close
        assertThat(a.blockNumber()).isEqualTo(first + 4);
    }

    @Test
    void aFailedReadIsNotCachedAndAnInterruptedAskerDoesNotFailTheOthers() throws Exception {
        produce(1);
        ChainClient a = shared.client(submitter);
        server.close(); // the chain stops answering: the read fails
        assertThatThrownBy(a::subnets).isInstanceOf(ChainClientException.class);
        assertThat(shared.readCounts().get("subnets").upstream()).isEqualTo(1);
        // the same read in the same block goes upstream again instead of replaying the failure
        assertThatThrownBy(a::subnets).isInstanceOf(ChainClientException.class);
        assertThat(shared.readCounts().get("subnets").upstream()).isEqualTo(2);
    }

    @Test
    void uncachedCountsEveryReadAsMadeOnTheChain() throws Exception {
        try (SharedChain counting = SharedChain.uncached(upstream)) {
            ChainClient v = counting.client(submitter);
            upstream.produceBlocks(1);
            for (int i = 0; i < 5; i++) v.subnets();
            assertThat(counting.readCounts().get("subnets")).isEqualTo(new SharedChain.ReadCount(5, 5));
        }
    }

    @Test
    void headsReachTheViewsAsBlocksComeFromTheOneSubscription() throws Exception {
        ChainClient v = shared.client(submitter);
        CompletableFuture<BlockHeader> got = new CompletableFuture<>();
        v.subscribeNewHeads(got::complete);
        long best = produce(1);
        assertThat(got.get(30, TimeUnit.SECONDS).number()).isEqualTo(best);
        assertThat(shared.block()).isEqualTo(best);
        assertThat(shared.heads()).isPositive();
    }
}
