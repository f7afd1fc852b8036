package dev.hyperj.chain.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.chain.client.TestChain;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.tx.Transaction;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Hostile and wrong requests over real HTTP and WebSocket: each gets its JSON-RPC error, and the node keeps serving. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcBadInputTest {
    private ChainNode node;
    private RpcServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        node = ChainNode.start(TestChain.instantSeal().withPoolBounds(100, 8));
        server = RpcServer.start(
                node, new InetSocketAddress("127.0.0.1", 0), new RpcServer.Limits(64 * 1024, 10, 3, 256, 60));
    }

    @AfterAll
    void stop() {
        server.close();
        node.close();
        http.close();
    }

    HttpResponse<String> post(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode rpc(String body) throws Exception {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).isEqualTo(200);
        return ChainJson.mapper().readTree(r.body());
    }

    JsonNode call(String method, String paramsJson) throws Exception {
        return rpc("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
    }

    static int code(JsonNode resp) {
        assertThat(resp.has("error")).as("error in %s", resp).isTrue();
        return resp.get("error").get("code").asInt();
    }

    void stillServes() throws Exception {
        assertThat(call("system_chain", "[]").get("result").asText()).isEqualTo(node.chainId());
    }

    String submit(Transaction tx) throws Exception {
        JsonNode r = call("author_submitExtrinsic", "[\"" + ChainJson.hex(tx.encode()) + "\"]");
        return r.has("error")
                ? r.get("error").get("code").asInt() + ":"
                        + r.get("error").path("data").asText() + ":"
                        + r.get("error").get("message").asText()
                : "ok";
    }

    @Test
    void malformedJsonUnknownMethodsAndBadParams() throws Exception {
        assertThat(code(rpc("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"))).isEqualTo(-32700);
        assertThat(code(rpc("\u0000\u00ff garbage"))).isEqualTo(-32700);
        assertThat(code(rpc("{\"id\":1,\"method\":\"system_chain\"}"))).isEqualTo(-32600);
        assertThat(code(rpc("[]"))).isEqualTo(-32600);
        assertThat(code(rpc("[" + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system_chain\"},".repeat(10) + "{}]")))
                .isEqualTo(-32600);
        assertThat(code(call("no_suchMethod", "[]"))).isEqualTo(-32601);
        assertThat(code(call("network_getSubnetInfo", "[\"not a number\"]"))).isEqualTo(-32602);
        assertThat(code(call("network_getSubnetInfo", "{\"subnetId\":1}"))).isEqualTo(-32602);
        assertThat(code(call("network_getBalance", "[\"0x1234\"]"))).isEqualTo(-32602);
        assertThat(code(call("network_proofOfStake", "[1, \"x\", \"NoSuchClass\"]")))
                .isEqualTo(-32602);
        assertThat(code(call("author_submitExtrinsic", "[\"0xzz\"]"))).isEqualTo(-32602);
        assertThat(call("author_submitExtrinsic", "[\"0x0102\"]")
                        .get("error")
                        .get("data")
                        .asText())
                .isEqualTo("Malformed");
        assertThat(code(call("chain_subscribeNewHeads", "[]")))
                .as("subscriptions need WebSocket")
                .isEqualTo(-32601);
        // a batch mixing good and bad calls answers each
        JsonNode batch = rpc(
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system_chain\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"}]");
        assertThat(batch).hasSize(2);
        assertThat(batch.get(0).get("result").asText()).isEqualTo(node.chainId());
        assertThat(code(batch.get(1))).isEqualTo(-32601);
        // typed reads: u128 as decimal strings
        JsonNode bal = call("network_getBalance", "[\"" + TestChain.ALITH.account() + "\"]")
                .get("result");
        assertThat(bal.isTextual()).isTrue();
        assertThat(new java.math.BigInteger(bal.asText())).isPositive();
        stillServes();
    }

    @Test
    void oversizedBodiesAreRefusedWithAJsonRpcError() throws Exception {
        HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system_chain\",\"params\":[\""
                + "a".repeat(70 * 1024) + "\"]}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(code(ChainJson.mapper().readTree(r.body()))).isEqualTo(-32600);
        assertThat(r.body()).contains("exceeds");
        stillServes();
    }

    @Test
    void wrongSignaturesReplaysFutureNoncesAndOtherChainsAreRefused() throws Exception {
        Call c = new Call.Transfer(TestChain.CHARLETH.account(), U128.tensor(1));
        var signer = TestChain.key(77);
        // fund the fresh key so that its transactions could succeed
        node.submit(Transaction.sign(
                        TestChain.ALITH,
                        node.chainId(),
                        node.genesisHash(),
                        node.nextNonce(TestChain.ALITH.account()),
                        new Call.Transfer(signer.account(), U128.tensor(100))))
                .get(30, TimeUnit.SECONDS);
        Transaction good = Transaction.sign(signer, node.chainId(), node.genesisHash(), 0, c);
        Transaction forged = new Transaction(
                good.chainId(), good.genesisHash(), TestChain.BALTATHAR.account(), 0, c, good.signature());
        assertThat(submit(forged)).startsWith("1010:BadSignature:");
        assertThat(submit(Transaction.sign(signer, "some-other-chain", node.genesisHash(), 0, c)))
                .startsWith("1010:WrongChain:");
        assertThat(submit(Transaction.sign(signer, node.chainId(), new byte[32], 0, c)))
                .startsWith("1010:WrongGenesis:");
        assertThat(submit(Transaction.sign(signer, node.chainId(), node.genesisHash(), 8, c)))
                .startsWith("1010:FutureNonceLimit:");
        assertThat(submit(good)).isEqualTo("ok");
        // instant seal includes it; producing blocks until its nonce is used is bounded, then replay it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.store().nonce(signer.account()) == 0 && System.nanoTime() < deadline) node.produceBlocks(1);
        assertThat(submit(good)).startsWith("1010:StaleNonce:").contains("already used");
        // a future nonce within the bound is held, and runs once the gap is filled
        assertThat(submit(Transaction.sign(signer, node.chainId(), node.genesisHash(), 2, c)))
                .isEqualTo("ok");
        assertThat(node.pendingCount()).isEqualTo(1);
        assertThat(submit(Transaction.sign(signer, node.chainId(), node.genesisHash(), 1, c)))
                .isEqualTo("ok");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.store().nonce(signer.account()) < 3 && System.nanoTime() < deadline) node.produceBlocks(1);
        assertThat(node.store().nonce(signer.account())).isEqualTo(3);
        stillServes();
    }

    @Test
    void webSocketBoundsAndMalformedFrames() throws Exception {
        LinkedBlockingQueue<String> in = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port()), new WebSocket.Listener() {
                    final StringBuilder sb = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        sb.append(data);
                        if (last) {
                            in.add(sb.toString());
                            sb.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                })
                .get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("{not json", true).get(5, TimeUnit.SECONDS);
            assertThat(code(ChainJson.mapper().readTree(in.poll(10, TimeUnit.SECONDS))))
                    .isEqualTo(-32700);
            for (int i = 0; i < 4; i++)
                ws.sendText(
                                "{\"jsonrpc\":\"2.0\",\"id\":" + (10 + i)
                                        + ",\"method\":\"chain_subscribeNewHeads\",\"params\":[]}",
                                true)
                        .get(5, TimeUnit.SECONDS);
            int ok = 0, refused = 0;
            for (int i = 0; i < 4; i++) {
                JsonNode r = ChainJson.mapper().readTree(in.poll(10, TimeUnit.SECONDS));
                if (r.has("result")) ok++;
                else if (r.get("error").get("code").asInt() == -32006) refused++;
            }
            assertThat(ok).isEqualTo(3);
            assertThat(refused).isEqualTo(1);
            ws.sendText("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"system_health\",\"params\":[]}", true)
                    .get(5, TimeUnit.SECONDS);
            JsonNode health = null;
            for (int i = 0; i < 10 && health == null; i++) {
                JsonNode m = ChainJson.mapper().readTree(in.poll(10, TimeUnit.SECONDS));
                if (m.path("id").asInt() == 99) health = m;
            }
            assertThat(health).isNotNull();
            assertThat(health.get("result").get("isSyncing").asBoolean()).isFalse();
        } finally {
            ws.abort();
        }
        stillServes();
    }
}
