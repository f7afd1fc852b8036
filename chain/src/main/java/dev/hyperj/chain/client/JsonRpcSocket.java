package dev.hyperj.chain.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over one WebSocket (java.net.http): calls with a timeout, and subscriptions whose
 * notifications are routed by subscription id. Bounded: a message over {@link #MAX_MESSAGE_CHARS}
 * ends the connection. When the connection is lost (closed, failed, or silent for
 * {@value #SILENCE_LIMIT_SECONDS} s despite pings), every call waiting for an answer fails at once
 * with a {@link ChainClientException} and every subscription's {@code onLost} runs (at
 * {@link #close} too): what happens next (reconnect, give up) is the owner's policy, not this
 * class's. The dev chain's {@code RemoteChainClient} and the Substrate client both sit on it.
 */
public final class JsonRpcSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcSocket.class);
    public static final int MAX_MESSAGE_CHARS = 64 << 20;
    static final int SILENCE_LIMIT_SECONDS = 10;
    private static final long PING_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final ObjectMapper PLAIN = new ObjectMapper();

    /** A subscription's handlers: notifications, and the connection's end. */
    public record Subscriber(Consumer<JsonNode> onNotification, Consumer<ChainClientException> onLost) {}

    private final URI uri;
    private final HttpClient http;
    private final WebSocket ws;
    private final Duration timeout;
    private final ObjectMapper json;
    private final Function<JsonNode, RuntimeException> errors;
    private final int maxMessageChars;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, Subscriber> subscribing = new ConcurrentHashMap<>();
    private final Map<String, Subscriber> subscriptions = new ConcurrentHashMap<>();
    private final Consumer<String> onLost;
    private CompletableFuture<WebSocket> lastSend; // guarded by this
    private volatile boolean dead;
    private volatile String deathReason;
    private volatile long lastHeard = System.nanoTime();
    private volatile long lastPing;
    private final AtomicLong pongs = new AtomicLong();

    private JsonRpcSocket(
            URI uri,
            HttpClient http,
            Duration timeout,
            ObjectMapper json,
            Function<JsonNode, RuntimeException> errors,
            int maxMessageChars,
            Consumer<String> onLost) {
        this.uri = uri;
        this.http = http;
        this.timeout = timeout;
        this.json = json;
        this.errors = errors;
        this.maxMessageChars = maxMessageChars;
        this.onLost = onLost;
        try {
            this.ws = http.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(uri, new Listener())
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainClientException("interrupted while connecting to " + uri, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ChainClientException(
                    "cannot connect to " + uri + ": " + (cause.getMessage() == null ? cause : cause.getMessage()), e);
        }
        this.lastSend = CompletableFuture.completedFuture(ws);
    }

    /** Opens a connection; {@code onLost} runs once, with the reason, when it ends for any cause but {@link #close}. */
    public static JsonRpcSocket open(URI uri, HttpClient http, Duration timeout, Consumer<String> onLost) {
        return new JsonRpcSocket(uri, http, timeout, PLAIN, JsonRpcSocket::rpcError, MAX_MESSAGE_CHARS, onLost);
    }

    /** With a smaller bound on messages, for tests. */
    static JsonRpcSocket open(
            URI uri, HttpClient http, Duration timeout, int maxMessageChars, Consumer<String> onLost) {
        return new JsonRpcSocket(uri, http, timeout, PLAIN, JsonRpcSocket::rpcError, maxMessageChars, onLost);
    }

    /**
     * As {@link #open(URI, HttpClient, Duration, Consumer)}, with {@code json} writing the calls'
     * parameters and reading the answers, and {@code errors} turning a JSON-RPC error object into
     * the exception its call fails with.
     */
    public static JsonRpcSocket open(
            URI uri,
            HttpClient http,
            Duration timeout,
            ObjectMapper json,
            Function<JsonNode, RuntimeException> errors,
            Consumer<String> onLost) {
        return new JsonRpcSocket(uri, http, timeout, json, errors, MAX_MESSAGE_CHARS, onLost);
    }

    /** The default for JSON-RPC errors: a {@link ChainClientException} with the code, the message and any data. */
    public static ChainClientException rpcError(JsonNode err) {
        String data = err.hasNonNull("data")
                ? ": "
                        + (err.get("data").isTextual()
                                ? err.get("data").asText()
                                : err.get("data").toString())
                : "";
        return new ChainClientException(
                err.path("code").asInt(), err.path("message").asText() + data);
    }

    public URI uri() {
        return uri;
    }

    public boolean isOpen() {
        return !dead;
    }

    /** Sends a call; the future fails with a {@link ChainClientException} for an RPC error or a lost connection. */
    public CompletableFuture<JsonNode> send(String method, Object... params) {
        return send(method, null, params);
    }

    /**
     * Subscribes without waiting: the future gives the node's subscription id. From the moment the
     * node answers, notifications reach {@code subscriber}, on the connection's thread.
     */
    public CompletableFuture<String> subscribeAsync(String method, Subscriber subscriber, Object... params) {
        return send(method, Objects.requireNonNull(subscriber), params).thenApply(JsonNode::asText);
    }

    private CompletableFuture<JsonNode> send(String method, Subscriber subscriber, Object... params) {
        if (dead) return CompletableFuture.failedFuture(lostException());
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        if (subscriber != null) subscribing.put(id, subscriber);
        if (dead) { // lost() drains after setting dead: re-check so nothing is left behind
            pending.remove(id);
            subscribing.remove(id);
            return CompletableFuture.failedFuture(lostException());
        }
        String text;
        try {
            ObjectNode req = json.createObjectNode();
            req.put("jsonrpc", "2.0");
            req.put("id", id);
            req.put("method", method);
            req.set("params", json.valueToTree(Arrays.asList(params)));
            text = json.writeValueAsString(req);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            pending.remove(id);
            subscribing.remove(id);
            return CompletableFuture.failedFuture(
                    new ChainClientException("cannot write the parameters of " + method + ": " + e.getMessage(), e));
        }
        synchronized (this) {
            // java.net.http.WebSocket allows one outstanding send: chain them without blocking the caller
            lastSend = lastSend.thenCompose(w -> w.sendText(text, true));
            lastSend.whenComplete((w, e) -> {
                if (e != null) lost("sending " + method + " failed: " + e.getMessage());
            });
        }
        return f;
    }

    /** A blocking call: the result, or a {@link ChainClientException} (RPC error, timeout, lost connection). */
    public JsonNode call(String method, Object... params) {
        return await(send(method, params), method);
    }

    /** Subscribes; returns the node's subscription id. Notifications run on the connection's thread: keep them short. */
    public String subscribe(String method, Subscriber subscriber, Object... params) {
        return await(send(method, subscriber, params), method).asText();
    }

    /** Stops routing a subscription's notifications (the caller sends the node's unsubscribe call if it has one). */
    public void forget(String subscriptionId) {
        subscriptions.remove(subscriptionId);
    }

    private JsonNode await(CompletableFuture<JsonNode> f, String method) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainClientException("interrupted during " + method, e);
        } catch (TimeoutException e) {
            throw new ChainClientException(
                    0, "no answer to " + method + " from " + uri + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new ChainClientException(method + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Pings when quiet (at most every 2 s) and declares the connection lost after
     * {@value #SILENCE_LIMIT_SECONDS} s of silence; call it every second or so.
     */
    public void checkAlive() {
        if (dead) return;
        long now = System.nanoTime();
        long quiet = now - lastHeard;
        if (quiet > TimeUnit.SECONDS.toNanos(SILENCE_LIMIT_SECONDS)) {
            lost("no answer from the node for " + TimeUnit.NANOSECONDS.toSeconds(quiet) + " s");
        } else if (quiet > PING_AFTER_NANOS && now - lastPing > PING_AFTER_NANOS) {
            lastPing = now;
            try {
                synchronized (this) {
                    lastSend = lastSend.thenCompose(w -> w.sendPing(ByteBuffer.allocate(0)));
                }
            } catch (RuntimeException e) {
                lost("cannot ping the node: " + e.getMessage());
            }
        }
    }

    /** Pongs received: the node answers the keep-alive pings. */
    public long pongs() {
        return pongs.get();
    }

    private ChainClientException lostException() {
        return new ChainClientException(
                0, "lost the connection to the node at " + uri + (deathReason == null ? "" : ": " + deathReason));
    }

    private void lost(String why) {
        synchronized (this) {
            if (dead) return;
            deathReason = why;
            dead = true;
        }
        ws.abort();
        failEverything();
        if (onLost != null) guarded(() -> onLost.accept(why));
    }

    /**
     * Fails every call waiting for an answer and tells every subscription, each guarded so that a
     * failing dependent cannot leave the others waiting.
     */
    private void failEverything() {
        ChainClientException e = lostException();
        for (Long id : List.copyOf(pending.keySet())) {
            CompletableFuture<JsonNode> f = pending.remove(id);
            if (f != null) guarded(() -> f.completeExceptionally(e));
        }
        subscribing.clear();
        for (String id : List.copyOf(subscriptions.keySet())) {
            Subscriber s = subscriptions.remove(id);
            if (s != null && s.onLost() != null) guarded(() -> s.onLost().accept(e));
        }
    }

    private static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException x) {
            log.warn("a JSON-RPC callback failed: {}", x.toString());
        }
    }

    private void dispatch(JsonNode msg) {
        JsonNode idNode = msg.get("id");
        if (idNode != null && !idNode.isNull()) {
            long id = idNode.asLong();
            CompletableFuture<JsonNode> f = pending.remove(id);
            Subscriber s = subscribing.remove(id);
            if (f == null) return;
            if (msg.has("error")) {
                f.completeExceptionally(errors.apply(msg.get("error")));
            } else {
                JsonNode result = msg.get("result");
                if (s != null && result != null && (result.isTextual() || result.isNumber()))
                    subscriptions.put(result.asText(), s);
                f.complete(result);
            }
        } else if (msg.has("params")) {
            JsonNode params = msg.get("params");
            Subscriber s = subscriptions.get(params.path("subscription").asText());
            if (s != null) guarded(() -> s.onNotification().accept(params.get("result")));
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (dead) return;
            deathReason = "the client was closed";
            dead = true;
        }
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already gone or stuck
        }
        ws.abort();
        failEverything();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buf = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastHeard = System.nanoTime();
            if (buf.length() + data.length() > maxMessageChars) {
                buf.setLength(0);
                lost("the node sent a message over " + maxMessageChars + " characters");
                return null;
            }
            buf.append(data);
            if (last) {
                String text = buf.toString();
                buf.setLength(0);
                try {
                    dispatch(json.readTree(text));
                } catch (Exception e) {
                    lost("the node sent something that is not JSON-RPC: " + e.getMessage());
                    return null;
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime();
            pongs.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            lost("the node closed the connection (" + statusCode
                    + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            lost("connection failed: " + error);
        }
    }
}
