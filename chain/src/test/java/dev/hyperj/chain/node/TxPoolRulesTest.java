package dev.hyperj.chain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.chain.tx.Transaction;
import dev.hyperj.chain.tx.TxException;
import dev.hyperj.chain.tx.TxException.Reason;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pool's rules: expiry of transactions that cannot become ready, Substrate's replacement rule, no stuck nonce gap, next index. */
class TxPoolRulesTest {
    static final Secp256k1 ALITH = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
    static final Secp256k1 BALTATHAR = Secp256k1.fromPrivateKey(DevAccounts.BALTATHAR.privateKey());

    private static Transaction transfer(ChainNode n, Secp256k1 from, long nonce, BigInteger amount) {
        return Transaction.sign(
                from, n.chainId(), n.genesisHash(), nonce, new Call.Transfer(DevAccounts.CHARLETH.account(), amount));
    }

    private static TxException refusal(Throwable t) {
        Throwable c = t instanceof ExecutionException ? t.getCause() : t;
        assertThat(c).isInstanceOf(TxException.class);
        return (TxException) c;
    }

    @Test
    void aTransactionThatCannotBecomeReadyWithinTheBlockLimitIsDroppedWithTheMissingNonce() throws Exception {
        // time limit far away: only blocks count here
        try (ChainNode n =
                ChainNode.start(NodeConfig.dev(20).withInstantSeal(true).withFutureTtl(3, 600_000))) {
            CompletableFuture<Included> stuck = n.submit(transfer(n, ALITH, 1, U128.tensor(1)));
            n.produceBlocks(2);
            assertThat(stuck).isNotDone();
            assertThat(n.pendingCount()).isEqualTo(1);
            n.produceBlocks(1);
            assertThatThrownBy(() -> stuck.get(30, TimeUnit.SECONDS)).satisfies(e -> {
                TxException t = refusal(e);
                assertThat(t.reason()).isEqualTo(Reason.Expired);
                assertThat(t.getMessage())
                        .contains("dropped")
                        .contains("nonce 0 never arrived")
                        .contains("3 blocks");
            });
            assertThat(n.pendingCount()).isZero();
            // the slot is free: nonce 0 and 1 go through now
            assertThat(n.submit(transfer(n, ALITH, 0, U128.tensor(1)))
                            .get(30, TimeUnit.SECONDS)
                            .result()
                            .ok())
                    .isTrue();
            assertThat(n.submit(transfer(n, ALITH, 1, U128.tensor(1)))
                            .get(30, TimeUnit.SECONDS)
                            .result()
                            .ok())
                    .isTrue();
        }
    }

    @Test
    void withNoBlocksComingTheTimeLimitDropsItAndAWatcherOverRpcSeesDropped() throws Exception {
        try (ChainNode n =
                        ChainNode.start(NodeConfig.dev(20).withInstantSeal(true).withFutureTtl(1_000, 300));
                RpcServer server =
                        RpcServer.start(n, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
                ChainClient remote = ChainClient.connect(URI.create("ws://127.0.0.1:" + server.port()))) {
            // a future nonce submitted and watched over the real RPC
            Transaction future = transfer(n, BALTATHAR, 5, U128.tensor(1));
            CompletableFuture<String> dropped = new CompletableFuture<>();
            try (var ws = WsWatch.open(server.port(), future.encode(), dropped)) {
                String update = dropped.get(60, TimeUnit.SECONDS);
                assertThat(update)
                        .contains("dropped")
                        .contains("nonce 0 never arrived")
                        .contains("ms");
            }
            assertThat(n.pendingCount()).isZero();
            assertThat(remote.nextNonce(BALTATHAR.account())).isZero();
        }
    }

    @Test
    void sameSenderAndNonceIsRefusedAsDuplicateOrTooLowPriorityAndTheFirstStays() throws Exception {
        try (ChainNode n = ChainNode.start(NodeConfig.dev(20).withInstantSeal(true))) {
            Transaction first = transfer(n, ALITH, 1, U128.tensor(1));
            CompletableFuture<Included> f = n.submit(first);
            assertThatThrownBy(() -> n.submit(first))
                    .satisfies(e -> assertThat(refusal(e).reason()).isEqualTo(Reason.Duplicate));
            Transaction other = transfer(n, ALITH, 1, U128.tensor(7));
            assertThatThrownBy(() -> n.submit(other)).satisfies(e -> {
                assertThat(refusal(e).reason()).isEqualTo(Reason.TooLowPriority);
                assertThat(e.getMessage())
                        .contains("is taken by pending transaction 0x")
                        .contains("wait until it is in a block");
            });
            BigInteger before = n.read(r -> r.freeBalance(DevAccounts.CHARLETH.account()));
            n.submit(transfer(n, ALITH, 0, U128.tensor(1))).get(30, TimeUnit.SECONDS);
            assertThat(f.get(30, TimeUnit.SECONDS).txHash()).isEqualTo(first.hash());
            BigInteger after = n.read(r -> r.freeBalance(DevAccounts.CHARLETH.account()));
            assertThat(after).isEqualTo(before.add(U128.tensor(2)));
        }
    }

    @Test
    void accountNextIndexCountsConsecutivePendingTransactionsOverRpc() throws Exception {
        // block timer far away: nothing is included while we look
        try (ChainNode n = ChainNode.start(NodeConfig.dev(20).withBlockTimeMs(3_600_000));
                RpcServer server =
                        RpcServer.start(n, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults())) {
            n.submit(transfer(n, ALITH, 0, U128.tensor(1)));
            n.submit(transfer(n, ALITH, 1, U128.tensor(1)));
            n.submit(transfer(n, ALITH, 3, U128.tensor(1)));
            assertThat(nextIndexOverHttp(server.port(), ALITH.account())).isEqualTo(2);
            n.submit(transfer(n, ALITH, 2, U128.tensor(1)));
            assertThat(nextIndexOverHttp(server.port(), ALITH.account())).isEqualTo(4);
            n.produceBlocks(1);
            assertThat(n.pendingCount()).isZero();
            assertThat(nextIndexOverHttp(server.port(), ALITH.account())).isEqualTo(4);
        }
    }

    static long nextIndexOverHttp(int port, AccountId a) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body =
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system_accountNextIndex\",\"params\":[\"" + a + "\"]}";
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            var node = dev.hyperj.chain.rpc.ChainJson.mapper().readTree(r.body());
            assertThat(node.has("result")).as(r.body()).isTrue();
            return node.get("result").asLong();
        }
    }

    /**
     * A nonce slot taken by a client whose transaction the node then refused: the later nonce it
     * already submitted waits in the pool, the next submit fills the gap, and both are included.
     */
    @Test
    void aRefusedTransactionLeavesNoStuckGapTheNextSubmitFillsIt() throws Exception {
        try (ChainNode n = ChainNode.start(NodeConfig.dev(20).withInstantSeal(true))) {
            ChainClient client = ChainClient.embedded(n);
            CountDownLatch signing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // signs with the wrong key once, after the next transaction took nonce 1
            Signer forging = new Signer() {
                public AccountId account() {
                    return ALITH.account();
                }

                public byte[] sign(byte[] payload) {
                    signing.countDown();
                    try {
                        assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return BALTATHAR.sign(payload);
                }
            };
            CompletableFuture<CompletableFuture<TxResult>> refusedSubmit =
                    CompletableFuture.supplyAsync(() -> client.submit(forging, new Call.ClaimUnbondings()));
            assertThat(signing.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<TxResult> second =
                    client.submit(ALITH, new Call.Transfer(DevAccounts.DOROTHY.account(), U128.tensor(1)));
            release.countDown();
            CompletableFuture<TxResult> refused = refusedSubmit.get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(refusal(e).reason()).isEqualTo(Reason.BadSignature));
            assertThat(second).isNotDone();
            assertThat(n.nextNonce(ALITH.account()))
                    .as("the refused nonce is free again")
                    .isZero();
            TxResult third = client.submit(ALITH, new Call.Transfer(DevAccounts.DOROTHY.account(), U128.tensor(1)))
                    .get(30, TimeUnit.SECONDS);
            assertThat(third.ok()).isTrue();
            assertThat(second.get(30, TimeUnit.SECONDS).ok()).isTrue();
            assertThat(n.nextNonce(ALITH.account())).isEqualTo(2);
        }
    }

    @Test
    void readsAndSubmitsAfterCloseAreClearErrors() {
        ChainNode n = ChainNode.start(NodeConfig.dev(20).withInstantSeal(true));
        ChainClient client = ChainClient.embedded(n);
        n.close();
        assertThatThrownBy(() -> n.read(r -> r.freeBalance(ALITH.account())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> n.nextNonce(ALITH.account()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> n.store().header(0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> n.produceBlocks(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> n.submit(transfer(n, ALITH, 0, BigInteger.ONE)))
                .satisfies(e -> assertThat(refusal(e).reason()).isEqualTo(Reason.NodeStopped));
        assertThatThrownBy(() -> client.balance(ALITH.account()))
                .isInstanceOf(ChainClientException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(
                        () -> client.submit(ALITH, new Call.ClaimUnbondings()).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ChainClientException.class);
    }
}

/** Submits and watches one transaction over a raw JDK WebSocket; completes {@code dropped} with the first "dropped" update. */
final class WsWatch implements AutoCloseable {
    private final java.net.http.WebSocket ws;
    private final HttpClient http;

    private WsWatch(HttpClient http, java.net.http.WebSocket ws) {
        this.http = http;
        this.ws = ws;
    }

    static WsWatch open(int port, byte[] tx, CompletableFuture<String> dropped) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder buf = new StringBuilder();
        java.net.http.WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(
                            java.net.http.WebSocket w, CharSequence data, boolean last) {
                        buf.append(data);
                        if (last) {
                            String msg = buf.toString();
                            buf.setLength(0);
                            if (msg.contains("\"dropped\"")) dropped.complete(msg);
                            if (msg.contains("\"error\""))
                                dropped.completeExceptionally(new AssertionError("refused: " + msg));
                        }
                        w.request(1);
                        return null;
                    }
                })
                .get(30, TimeUnit.SECONDS);
        ws.sendText(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"author_submitAndWatchExtrinsic\",\"params\":[\""
                                + dev.hyperj.chain.rpc.ChainJson.hex(tx) + "\"]}",
                        true)
                .get(30, TimeUnit.SECONDS);
        return new WsWatch(http, ws);
    }

    @Override
    public void close() {
        ws.abort();
        http.close();
    }
}
