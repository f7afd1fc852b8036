package dev.hyperj.chain.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The WebSocket JSON-RPC transport against a scripted server: answers, errors, bounds, and the end of a connection. */
@Timeout(60)
class JsonRpcSocketTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> ownerHeard = new CopyOnWriteArrayList<>();
    private ScriptedRpcServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedRpcServer();
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    private JsonRpcSocket open(int maxMessageChars) {
        return JsonRpcSocket.open(server.uri(), http, Duration.ofSeconds(20), maxMessageChars, ownerHeard::add);
    }

    @Test
    void callsGetTheirResultsAndErrorsFailWithTheCodeMessageAndData() {
        server.answer("answer", 42);
        server.fail("refuse", -32602, "invalid params", "no subnet 9");
        try (JsonRpcSocket s = open(JsonRpcSocket.MAX_MESSAGE_CHARS)) {
            assertThat(s.call("answer").asInt()).isEqualTo(42);
            assertThatThrownBy(() -> s.call("refuse"))
                    .isInstanceOf(ChainClientException.class)
                    .hasMessage("invalid params: no subnet 9")
                    .extracting(e -> ((ChainClientException) e).code())
                    .isEqualTo(-32602);
            assertThat(s.isOpen())
                    .as("an error answer leaves the connection up")
                    .isTrue();
        }
    }

    @Test
    void aMessageOverTheBoundEndsTheConnectionAndFailsTheCallsWaitingOnIt() throws Exception {
        server.hold("slow");
        try (JsonRpcSocket s = open(1000)) {
            CompletableFuture<JsonNode> waiting = s.send("slow");
            server.awaitCall("slow");
            server.push("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"subscription\":\"x\",\"result\":\""
                    + "a".repeat(900) + "\"}}");
            assertThat(s.isOpen()).as("a message within the bound is taken").isTrue();
            server.push("x".repeat(1001));
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ChainClientException.class)
                    .hasMessageContaining("over 1000 characters");
            assertThat(s.isOpen()).isFalse();
            assertThat(ownerHeard).hasSize(1);
            assertThat(ownerHeard.get(0)).contains("over 1000 characters");
            assertThatThrownBy(() -> s.call("slow"))
                    .as("calls after the loss fail at once")
                    .isInstanceOf(ChainClientException.class)
                    .hasMessageContaining("lost the connection");
        }
    }

    @Test
    void notificationsReachTheirSubscriptionOnlyAndCloseEndsIt() throws Exception {
        server.answer("subscribe", "s1");
        BlockingQueue<JsonNode> notes = new LinkedBlockingQueue<>();
        CountDownLatch ended = new CountDownLatch(1);
        JsonRpcSocket s = open(JsonRpcSocket.MAX_MESSAGE_CHARS);
        assertThat(s.subscribe("subscribe", new JsonRpcSocket.Subscriber(notes::add, e -> ended.countDown())))
                .isEqualTo("s1");
        server.push(note("s2", 1)); // another subscription's: not ours
        server.push(note("s1", 7));
        JsonNode n = notes.poll(10, TimeUnit.SECONDS);
        assertThat(n).isNotNull();
        assertThat(n.asInt()).isEqualTo(7);
        assertThat(notes).isEmpty();
        s.close();
        assertThat(ended.await(10, TimeUnit.SECONDS))
                .as("a subscription hears that its connection ended, at close too")
                .isTrue();
        assertThat(ownerHeard)
                .as("close is the owner's own doing: not reported as a loss")
                .isEmpty();
    }

    @Test
    void aDroppedConnectionFailsCallsTellsSubscriptionsAndTheOwnerOnce() throws Exception {
        server.answer("subscribe", "s1");
        server.hold("slow");
        CountDownLatch ended = new CountDownLatch(1);
        try (JsonRpcSocket s = open(JsonRpcSocket.MAX_MESSAGE_CHARS)) {
            s.subscribe("subscribe", new JsonRpcSocket.Subscriber(n -> {}, e -> ended.countDown()));
            CompletableFuture<JsonNode> waiting = s.send("slow");
            server.awaitCall("slow");
            server.drop();
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(ChainClientException.class)
                    .hasMessageContaining("lost the connection");
            assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ownerHeard).hasSize(1);
        }
        assertThat(ownerHeard).as("close after a loss reports nothing more").hasSize(1);
    }

    private static String note(String subscription, int result) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"subscription\":\"" + subscription + "\",\"result\":"
                + result + "}}";
    }
}
