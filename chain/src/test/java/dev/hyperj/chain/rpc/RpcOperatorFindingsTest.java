package dev.hyperj.chain.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.chain.client.TestChain;
import dev.hyperj.chain.node.ChainNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Issue 19's JSON-RPC findings, each reproduced over real HTTP, WebSocket and TCP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcOperatorFindingsTest {
    private ChainNode node;
    private RpcServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        node = ChainNode.start(TestChain.instantSeal());
        // a 1 s deadline per message so the trickle test is quick
        server = RpcServer.start(
                node, new InetSocketAddress("127.0.0.1", 0), new RpcServer.Limits(64 * 1024, 10, 3, 256, 60, 1));
    }

    @AfterAll
    void stop() {
        server.close();
        node.close();
        http.close();
    }

    JsonNode call(String method, String params) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method
                                + "\",\"params\":" + params + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return ChainJson.mapper().readTree(r.body());
    }

    @Test
    void negativeBlockNumbersAndShortHashesAreInvalidParams() throws Exception {
        assertThat(call("chain_getBlockHash", "[-1]").path("error").path("code").asInt())
                .isEqualTo(RpcException.INVALID_PARAMS);
        assertThat(call("state_getEvents", "[\"0x00\"]")
                        .path("error")
                        .path("code")
                        .asInt())
                .isEqualTo(RpcException.INVALID_PARAMS);
        assertThat(call("chain_getHeader", "[-5]").path("error").path("code").asInt())
                .isEqualTo(RpcException.INVALID_PARAMS);
        // well-formed but unknown stays a null result, as in Substrate
        assertThat(call("chain_getBlockHash", "[999999]").get("result").isNull())
                .isTrue();
        assertThat(call("state_getEvents", "[\"0x" + "00".repeat(32) + "\"]")
                        .get("result")
                        .isNull())
                .isTrue();
    }

    @Test
    @Timeout(20)
    void aBinaryWebSocketFrameIsAnsweredWithAClose() throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port()), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                        closed.complete(status + " " + reason);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                })
                .get(10, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo("1003 JSON-RPC is sent in text frames");
    }

    @Test
    @Timeout(20)
    void aConnectionTricklingARequestIsClosed() throws Exception {
        byte[] request = ("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n"
                        + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system_chain\",\"params\":[]}")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            int sent = 0;
            try {
                for (; sent < request.length; sent++) {
                    out.write(request[sent]);
                    out.flush();
                    Thread.sleep(100); // a byte every 100 ms: never idle, never done
                }
            } catch (java.net.SocketException closedByTheServer) {
                // expected
            }
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(read).as("connection closed").isEqualTo(-1);
            assertThat(sent).as("bytes sent before the close").isLessThan(request.length);
            assertThat(ms).isBetween(900L, 5000L);
        }
        // a prompt client on a fresh connection is unaffected
        assertThat(call("system_chain", "[]").get("result").asText()).isNotEmpty();
    }
}
