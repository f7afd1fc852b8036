package dev.hyperj.chain.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.rpc.RpcException;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.NetworkReads.DelegateStake;
import dev.hyperj.chain.runtime.NetworkReads.ElectedValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.OverwatchNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorStake;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import dev.hyperj.chain.scale.Bytes;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.chain.tx.Transaction;
import dev.hyperj.chain.tx.TxException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** {@link ChainClient} over a node's JSON-RPC on one WebSocket (java.net.http). Thread-safe. */
final class RemoteChainClient implements ChainClient {
    private static final ObjectMapper JSON = ChainJson.mapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_MESSAGE_CHARS = 64 << 20;

    private record PendingCall(CompletableFuture<JsonNode> result, Consumer<JsonNode> subscriptionHandler) {}

    private final HttpClient http;
    private final WebSocket ws;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> subscriptions = new ConcurrentHashMap<>();
    /** Submitted transactions still waiting for their block, failed at once if the connection drops. */
    private final Map<Long, CompletableFuture<TxResult>> watches = new ConcurrentHashMap<>();
    private final Nonces nonces = new Nonces();
    /**
     * Each watched transaction is a subscription on the node, which allows 64 per connection: more
     * would be refused after their nonces were taken, leaving gaps. So submit waits for a slot.
     */
    private final java.util.concurrent.Semaphore watchSlots = new java.util.concurrent.Semaphore(MAX_WATCHED);
    static final int MAX_WATCHED = 56;
    private final String chainId;
    private final byte[] genesisHash;
    private volatile boolean closed;
    private CompletableFuture<WebSocket> lastSend;

    private RemoteChainClient(HttpClient http, URI uri) {
        this.http = http;
        try {
            this.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, new Listener()).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainClientException("interrupted while connecting to " + uri, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ChainClientException("cannot connect to the chain at " + uri + ": " + (e.getCause() == null ? e : e.getCause()).getMessage()
                    + " (is 'hyperj chain --dev' running there?)", e);
        }
        this.lastSend = CompletableFuture.completedFuture(ws);
        this.chainId = call("system_chain").asText();
        this.genesisHash = ChainJson.unhex(call("chain_getGenesisHash").asText());
    }

    static RemoteChainClient connect(URI uri) {
        return new RemoteChainClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), uri);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buf = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (buf.length() + data.length() > MAX_MESSAGE_CHARS) {
                webSocket.abort();
                failAll(new ChainClientException(0, "the node sent a message over " + MAX_MESSAGE_CHARS + " characters"));
                return null;
            }
            buf.append(data);
            if (last) {
                String text = buf.toString();
                buf.setLength(0);
                try {
                    dispatch(JSON.readTree(text));
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(RemoteChainClient.class).warn("bad message from the node: {}", e.toString());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failAll(new ChainClientException(0, "the node closed the connection (" + statusCode + " " + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failAll(new ChainClientException("connection to the node failed: " + error.getMessage(), error));
        }
    }

    private void dispatch(JsonNode msg) {
        if (msg.has("id") && !msg.get("id").isNull()) {
            PendingCall p = pending.remove(msg.get("id").asLong());
            if (p == null) return;
            if (msg.has("error")) {
                JsonNode e = msg.get("error");
                p.result().completeExceptionally(rpcError(e));
            } else {
                JsonNode result = msg.get("result");
                if (p.subscriptionHandler() != null && result != null && result.isTextual()) subscriptions.put(result.asText(), p.subscriptionHandler());
                p.result().complete(result);
            }
        } else if (msg.has("method") && msg.has("params")) {
            JsonNode params = msg.get("params");
            Consumer<JsonNode> h = subscriptions.get(params.path("subscription").asText());
            if (h != null) h.accept(params.get("result"));
        }
    }

    private static RuntimeException rpcError(JsonNode e) {
        int code = e.path("code").asInt();
        String message = e.path("message").asText();
        if (code == RpcException.INVALID_TRANSACTION) {
            TxException.Reason reason;
            try {
                reason = TxException.Reason.valueOf(e.path("data").asText());
            } catch (IllegalArgumentException x) {
                reason = TxException.Reason.Malformed;
            }
            return new TxException(reason, message.replaceFirst("^invalid transaction: ", ""));
        }
        return new ChainClientException(code, message);
    }

    private void failAll(RuntimeException e) {
        closed = true;
        pending.values().forEach(p -> p.result().completeExceptionally(e));
        pending.clear();
        watches.values().forEach(f -> f.completeExceptionally(e));
        watches.clear();
    }

    private CompletableFuture<JsonNode> send(String method, Consumer<JsonNode> subscriptionHandler, Object... params) {
        if (closed) return CompletableFuture.failedFuture(new ChainClientException(0, "the connection to the node is closed"));
        long id = ids.incrementAndGet();
        PendingCall p = new PendingCall(new CompletableFuture<>(), subscriptionHandler);
        pending.put(id, p);
        if (closed) {
            // failAll may have run between the check above and the put: it sets closed before draining pending
            pending.remove(id);
            return CompletableFuture.failedFuture(new ChainClientException(0, "the connection to the node is closed"));
        }
        ObjectNode req = JSON.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("id", id);
        req.put("method", method);
        req.set("params", JSON.valueToTree(Arrays.asList(params)));
        String text;
        try {
            text = JSON.writeValueAsString(req);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            pending.remove(id);
            return CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            // java.net.http.WebSocket allows one outstanding text send: chain them, never block the caller
            lastSend = lastSend.thenCompose(w -> w.sendText(text, true));
            lastSend.whenComplete((w, e) -> {
                if (e != null) {
                    pending.remove(id);
                    p.result().completeExceptionally(new ChainClientException("cannot send " + method + " to the node: " + e.getMessage(), e));
                }
            });
        }
        return p.result();
    }

    /** A blocking call; RPC errors become {@link ChainClientException}s (or TxException for refused transactions). */
    JsonNode call(String method, Object... params) {
        try {
            return send(method, null, params).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainClientException("interrupted during " + method, e);
        } catch (TimeoutException e) {
            throw new ChainClientException("no answer to " + method + " within " + TIMEOUT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new ChainClientException(method + " failed: " + e.getCause(), e.getCause());
        }
    }

    private <T> T call(TypeReference<T> type, String method, Object... params) {
        JsonNode n = call(method, params);
        return JSON.convertValue(n, type);
    }

    private <T> Optional<T> optional(Class<T> type, String method, Object... params) {
        JsonNode n = call(method, params);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(JSON.convertValue(n, type));
    }

    public String chainId() {
        return chainId;
    }

    public byte[] genesisHash() {
        return genesisHash.clone();
    }

    public BlockHeader bestHeader() {
        return ChainJson.header(call("chain_getHeader"));
    }

    public Optional<BlockHeader> header(long number) {
        JsonNode n = call("chain_getHeader", number);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(ChainJson.header(n));
    }

    public EpochInfo epochInfo() {
        return JSON.convertValue(call("network_getEpochInfo"), EpochInfo.class);
    }

    public long subnetEpoch(int subnetId) {
        return call("network_getSubnetEpoch", subnetId).asLong();
    }

    public BigInteger balance(AccountId a) {
        return new BigInteger(call("network_getBalance", a.toHex()).asText());
    }

    public Map<Long, BigInteger> unbondings(AccountId a) {
        return call(new TypeReference<Map<Long, BigInteger>>() {}, "network_getUnbondings", a.toHex());
    }

    public long nextNonce(AccountId a) {
        return call("system_accountNextIndex", a.toHex()).asLong();
    }

    public BigInteger registrationCost() {
        return new BigInteger(call("network_getRegistrationCost").asText());
    }

    public Optional<SubnetInfo> subnet(int id) {
        return optional(SubnetInfo.class, "network_getSubnetInfo", id);
    }

    public List<SubnetInfo> subnets() {
        return call(new TypeReference<List<SubnetInfo>>() {}, "network_getAllSubnetsInfo");
    }

    public Optional<SubnetNodeInfo> subnetNode(int s, int n) {
        return optional(SubnetNodeInfo.class, "network_getSubnetNodeInfo", s, n);
    }

    public List<SubnetNodeInfo> subnetNodes(int s) {
        return call(new TypeReference<List<SubnetNodeInfo>>() {}, "network_getSubnetNodesInfo", s);
    }

    public Map<Integer, List<SubnetNodeInfo>> allSubnetNodes() {
        return call(new TypeReference<Map<Integer, List<SubnetNodeInfo>>>() {}, "network_getAllSubnetNodesInfo");
    }

    public Map<String, Optional<Bytes>> bootnodes(int s) {
        return call(new TypeReference<Map<String, Optional<Bytes>>>() {}, "network_getBootnodes", s);
    }

    public List<SubnetNodeInfo> validatorSubnetNodes(int v) {
        return call(new TypeReference<List<SubnetNodeInfo>>() {}, "network_getValidatorSubnetNodesInfo", v);
    }

    public Optional<ValidatorInfo> validator(int v) {
        return optional(ValidatorInfo.class, "network_getValidatorInfo", v);
    }

    public Optional<Integer> validatorIdOf(AccountId coldkey) {
        return optional(Integer.class, "network_getValidatorIdByColdkey", coldkey.toHex());
    }

    public List<ValidatorStake> validatorStakes(int v) {
        return call(new TypeReference<List<ValidatorStake>>() {}, "network_getValidatorStakes", v);
    }

    public List<DelegateStake> delegateStakes(AccountId a) {
        return call(new TypeReference<List<DelegateStake>>() {}, "network_getDelegateStakes", a.toHex());
    }

    public Optional<ElectedValidatorInfo> electedValidator(int s, long e) {
        return optional(ElectedValidatorInfo.class, "network_getElectedValidatorInfo", s, e);
    }

    public Optional<ValidatorsAndAttestors> validatorsAndAttestors(int s, long e) {
        return optional(ValidatorsAndAttestors.class, "network_getValidatorsAndAttestors", s, e);
    }

    public List<OverwatchNodeInfo> overwatchNodes() {
        return call(new TypeReference<List<OverwatchNodeInfo>>() {}, "network_getAllOverwatchNodesInfo");
    }

    public Map<Integer, Bytes> overwatchCommits(long e, int id) {
        return call(new TypeReference<Map<Integer, Bytes>>() {}, "network_getOverwatchCommitsForEpochAndNode", e, id);
    }

    public Map<Integer, BigInteger> overwatchReveals(long e, int id) {
        return call(new TypeReference<Map<Integer, BigInteger>>() {}, "network_getOverwatchRevealsForEpochAndNode", e, id);
    }

    public boolean proofOfStake(int s, String peerId, NodeClass minClass, Optional<BigInteger> minStake) {
        return call("network_proofOfStake", s, peerId, minClass.name(), minStake.map(BigInteger::toString).orElse(null)).asBoolean();
    }

    /** Produces blocks on an instant-seal node ({@code dev_produceBlocks}); returns the new best number. */
    long produceBlocks(int count) {
        return call("dev_produceBlocks", count).asLong();
    }

    public AutoCloseable subscribeNewHeads(Consumer<BlockHeader> listener) {
        String id = join(send("chain_subscribeNewHeads", n -> listener.accept(ChainJson.header(n)))).asText();
        return () -> {
            subscriptions.remove(id);
            if (!closed) send("chain_unsubscribeNewHeads", null, id);
        };
    }

    private static JsonNode join(CompletableFuture<JsonNode> f) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainClientException("interrupted", e);
        } catch (TimeoutException e) {
            throw new ChainClientException("no answer from the node", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new ChainClientException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    public CompletableFuture<TxResult> submit(Signer signer, Call call) {
        try {
            if (!watchSlots.tryAcquire(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(new ChainClientException(0, MAX_WATCHED + " transactions of this client are still waiting for their block"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new ChainClientException("interrupted", e));
        }
        CompletableFuture<TxResult> out = new CompletableFuture<>();
        out.whenComplete((r, e) -> watchSlots.release());
        long watchId = ids.incrementAndGet();
        watches.put(watchId, out);
        out.whenComplete((r, e) -> watches.remove(watchId));
        if (closed) out.completeExceptionally(new ChainClientException(0, "the connection to the node is closed"));
        long nonce;
        try {
            nonce = nonces.take(signer.account(), this::nextNonce);
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
            return out;
        }
        String hex = ChainJson.hex(Transaction.sign(signer, chainId, genesisHash, nonce, call).encode());
        String[] sub = new String[1];
        CompletableFuture<JsonNode> sent;
        try {
            sent = send("author_submitAndWatchExtrinsic", update -> onUpdate(update, out, sub[0]), hex);
        } catch (RuntimeException e) {
            out.completeExceptionally(new ChainClientException("cannot send to the node: " + e.getMessage(), e));
            return out;
        }
        sent.whenComplete((id, err) -> {
            if (err != null) {
                nonces.reset(signer.account());
                out.completeExceptionally(err instanceof java.util.concurrent.CompletionException c ? c.getCause() : err);
            } else {
                sub[0] = id.asText();
            }
        });
        return out;
    }

    private void onUpdate(JsonNode update, CompletableFuture<TxResult> out, String id) {
        if (update == null || update.isTextual()) return; // "ready"
        if (update.has("inBlock")) {
            JsonNode b = update.get("inBlock");
            List<Event> events = new ArrayList<>();
            for (JsonNode e : b.path("events")) events.add(JSON.convertValue(e, Event.class));
            out.complete(new TxResult(b.get("blockNumber").asLong(), ChainJson.unhex(b.get("blockHash").asText()), ChainJson.unhex(b.get("txHash").asText()),
                    b.hasNonNull("error") ? Optional.of(b.get("error").asText()) : Optional.empty(),
                    b.hasNonNull("message") ? Optional.of(b.get("message").asText()) : Optional.empty(), events));
        } else if (update.has("dropped")) {
            out.completeExceptionally(new ChainClientException(0, "the node dropped the transaction: " + update.get("dropped").asText()));
        }
        if (out.isDone() && id != null) subscriptions.remove(id);
    }

    public void close() {
        if (closed) return;
        closed = true;
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the connection is already gone or stuck: abort below
        }
        ws.abort();
        failAll(new ChainClientException(0, "the client was closed"));
        http.close();
    }
}
