package dev.hyperj.chain.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.chain.tx.Transaction;
import dev.hyperj.chain.tx.TxException;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChainClient} over a node's JSON-RPC: the dev node's typed calls on a {@link JsonRpcSocket}
 * (the WebSocket transport: calls with timeouts, subscriptions, bounded messages, keep-alive pings,
 * fail-everything-on-loss), plus this client's policy on top. Thread-safe.
 *
 * <p>Connection loss: every call waiting for an answer, and every submitted transaction waiting
 * for its block, fails at once with a {@link ChainClientException}; calls made while disconnected
 * fail at once too. The client then reconnects to the same URI with exponential backoff (100 ms
 * doubling to 3 s), checks that the node still runs the same chain (same genesis), and
 * re-establishes its new-head subscriptions: subscribers keep receiving heads, never a duplicate
 * and never a lower number than one they already saw. A node that stops answering without
 * closing the connection (a frozen process, a lost network) is detected with WebSocket pings:
 * silence for {@value #SILENCE_LIMIT_SECONDS} s counts as a lost connection.
 *
 * <p>User callbacks (new-head listeners, dependents of {@link #submit}'s future) never run on the
 * connection's own thread, so a listener that makes a blocking call on this client does not wait on
 * itself.
 */
final class RemoteChainClient implements ChainClient {
    private static final Logger log = LoggerFactory.getLogger(RemoteChainClient.class);
    private static final ObjectMapper JSON = ChainJson.mapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final int SILENCE_LIMIT_SECONDS = JsonRpcSocket.SILENCE_LIMIT_SECONDS;
    private static final long FIRST_BACKOFF_MS = 100, MAX_BACKOFF_MS = 3_000;
    /**
     * Each watched transaction is a subscription on the node, which allows 64 per connection: more
     * would be refused after their nonces were taken, leaving gaps. So submit waits for a slot.
     */
    static final int MAX_WATCHED = 56;
    /** One timer for every client's keep-alive checks. */
    private static final ScheduledExecutorService KEEP_ALIVE = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hyperj-chain-client-keepalive");
        t.setDaemon(true);
        return t;
    });

    private final URI uri;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();
    /** The live connection; null while reconnecting. */
    private volatile JsonRpcSocket conn;

    private final Map<Long, HeadSubscription> heads = new ConcurrentHashMap<>();
    private final Nonces nonces = new Nonces();
    private final Semaphore watchSlots = new Semaphore(MAX_WATCHED);
    /** Runs user callbacks off the connection's thread. */
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();

    private final ScheduledFuture<?> keepAlive;
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean started;
    private final Object reconnectLock = new Object();
    private Thread reconnecting; // guarded by reconnectLock
    private final String chainId;
    private final byte[] genesisHash;
    private volatile boolean closed;
    /** Why the client gave up for good (another chain at the URI), or null. */
    private volatile String fatal;
    /** How many times this client reconnected (0 until its first connection was lost and replaced). */
    private final AtomicLong generation = new AtomicLong();

    private RemoteChainClient(HttpClient http, URI uri) {
        this.uri = uri;
        this.http = http;
        JsonRpcSocket c;
        try {
            c = open();
        } catch (ChainClientException e) {
            throw new ChainClientException(
                    "cannot connect to the chain at " + uri + ": " + e.getMessage()
                            + " (is 'hyperj chain --dev' running there?)",
                    e);
        }
        this.conn = c;
        try {
            this.chainId = c.call("system_chain").asText();
            this.genesisHash = ChainJson.unhex(c.call("chain_getGenesisHash").asText());
        } catch (RuntimeException e) {
            closed = true;
            c.close();
            http.close();
            throw e;
        }
        this.keepAlive = KEEP_ALIVE.scheduleWithFixedDelay(this::checkAlive, 1, 1, TimeUnit.SECONDS);
        started = true;
        if (!c.isOpen()) connectionLost(c, "lost while connecting");
    }

    static RemoteChainClient connect(URI uri) {
        return new RemoteChainClient(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), uri);
    }

    /** A connection whose loss starts this client's reconnect. */
    private JsonRpcSocket open() {
        AtomicReference<JsonRpcSocket> self = new AtomicReference<>();
        JsonRpcSocket s = JsonRpcSocket.open(
                uri, http, TIMEOUT, JSON, RemoteChainClient::rpcError, why -> connectionLost(self.get(), why));
        self.set(s);
        return s;
    }

    long reconnections() {
        return generation.get();
    }

    /** Pongs received on the current connection: the node answers the keep-alive pings. */
    long pongsReceived() {
        JsonRpcSocket c = conn;
        return c == null ? 0 : c.pongs();
    }

    /** True while a connection to the node is up (false while reconnecting, and after close). */
    boolean isConnected() {
        JsonRpcSocket c = conn;
        return c != null && c.isOpen() && !closed;
    }

    private void checkAlive() {
        JsonRpcSocket c = conn;
        if (c != null && !closed) c.checkAlive();
    }

    private ChainClientException notConnected() {
        if (closed) return new ChainClientException(0, fatal != null ? fatal : "the client was closed");
        return new ChainClientException(0, "not connected to the node at " + uri + " (reconnecting); retry shortly");
    }

    private static void complete(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("a chain client callback failed: {}", e.toString());
        }
    }

    private void callbacks(Runnable r) {
        try {
            callbacks.execute(() -> complete(r));
        } catch (RejectedExecutionException e) {
            complete(r); // closing: run it here rather than lose it
        }
    }

    /** {@code c} is gone (null: it went while it was being opened): reconnect unless closed. */
    private void connectionLost(JsonRpcSocket c, String why) {
        synchronized (reconnectLock) {
            if (conn == c || (conn != null && !conn.isOpen())) conn = null;
            if (closed || !started) return;
            log.warn("lost the connection to the chain at {}: {}; reconnecting", uri, why);
            nonces.resetAll(); // the node may have lost its pool: ask it again
            if (reconnecting == null)
                reconnecting =
                        Thread.ofVirtual().name("hyperj-chain-client-reconnect").start(this::reconnect);
        }
    }

    private void reconnect() {
        long backoff = FIRST_BACKOFF_MS;
        int attempt = 0;
        while (!closed) {
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            attempt++;
            JsonRpcSocket c;
            try {
                c = open();
            } catch (ChainClientException e) {
                if (attempt == 1 || attempt % 10 == 0)
                    log.info("chain at {} not back yet (attempt {}): {}", uri, attempt, e.getMessage());
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
                continue;
            }
            try {
                byte[] genesis = ChainJson.unhex(c.call("chain_getGenesisHash").asText());
                if (!Arrays.equals(genesis, genesisHash)) {
                    fatal = "the node at " + uri + " now runs another chain (genesis 0x" + ChainJson.hex(genesis)
                            + ", was 0x" + ChainJson.hex(genesisHash) + "); connect a new client";
                    log.error(fatal);
                    closed = true;
                    c.close();
                    break;
                }
                for (HeadSubscription s : heads.values()) s.subscribeOn(c);
                synchronized (reconnectLock) {
                    if (!c.isOpen() || closed) {
                        c.close();
                        continue;
                    }
                    conn = c;
                    reconnecting = null;
                }
                log.info("reconnected to the chain at {} after {} attempt(s)", uri, attempt);
                generation.incrementAndGet();
                try {
                    // heads produced while we were away: give subscribers the newest at once
                    BlockHeader best = ChainJson.header(c.call("chain_getHeader"));
                    for (HeadSubscription s : heads.values()) s.offer(best);
                } catch (RuntimeException e) {
                    // lost again already: that loss started the next reconnect
                }
                return;
            } catch (RuntimeException e) {
                log.info("reconnecting to {} failed: {}", uri, e.getMessage());
                c.close();
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
        synchronized (reconnectLock) {
            reconnecting = null;
        }
    }

    /**
     * A new-heads subscription that survives reconnections: headers reach the listener in order,
     * on their own (virtual) thread, only when newer than the last one delivered.
     */
    private final class HeadSubscription {
        private final Consumer<BlockHeader> listener;
        private final ArrayDeque<BlockHeader> queue = new ArrayDeque<>(); // guarded by this
        private long lastOffered = -1; // guarded by this
        private boolean draining; // guarded by this
        private volatile boolean cancelled;
        private volatile String serverId;
        private volatile JsonRpcSocket on;
        private final Object subscribing = new Object();

        HeadSubscription(Consumer<BlockHeader> listener) {
            this.listener = listener;
        }

        /** Subscribes on {@code c} unless already subscribed there (the caller and a reconnect may race). */
        void subscribeOn(JsonRpcSocket c) {
            synchronized (subscribing) {
                if (on == c || cancelled) return;
                serverId = c.subscribe(
                        "chain_subscribeNewHeads",
                        new JsonRpcSocket.Subscriber(n -> offer(ChainJson.header(n)), lost -> {}));
                on = c;
            }
        }

        void offer(BlockHeader h) {
            if (cancelled) return;
            synchronized (this) {
                if (h.number() <= lastOffered) return; // a duplicate, or older than what the subscriber saw
                lastOffered = h.number();
                if (queue.size() >= 1024) queue.pollFirst(); // a stalled listener: keep the newest heads
                queue.addLast(h);
                if (draining) return;
                draining = true;
            }
            callbacks(this::drain);
        }

        private void drain() {
            while (true) {
                BlockHeader h;
                synchronized (this) {
                    h = queue.pollFirst();
                    if (h == null) {
                        draining = false;
                        return;
                    }
                }
                if (cancelled) continue;
                try {
                    listener.accept(h);
                } catch (RuntimeException e) {
                    log.warn("new-head listener failed at #{}: {}", h.number(), e.toString());
                }
            }
        }

        void cancel() {
            cancelled = true;
            JsonRpcSocket c = on;
            String id = serverId;
            if (c != null && id != null) {
                c.forget(id);
                if (c.isOpen()) c.send("chain_unsubscribeNewHeads", id);
            }
        }
    }

    /** The dev node's JSON-RPC errors: a refused transaction as a {@link TxException} with its reason. */
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

    /** The live connection, or a {@link ChainClientException} while there is none. */
    private JsonRpcSocket connection() {
        JsonRpcSocket c = conn;
        if (c == null || closed || !c.isOpen()) throw notConnected();
        return c;
    }

    /** A blocking call; RPC errors become {@link ChainClientException}s (or TxException for refused transactions). */
    JsonNode call(String method, Object... params) {
        return connection().call(method, params);
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
        return call(
                new TypeReference<Map<Integer, BigInteger>>() {}, "network_getOverwatchRevealsForEpochAndNode", e, id);
    }

    public boolean proofOfStake(int s, String peerId, NodeClass minClass, Optional<BigInteger> minStake) {
        return call(
                        "network_proofOfStake",
                        s,
                        peerId,
                        minClass.name(),
                        minStake.map(BigInteger::toString).orElse(null))
                .asBoolean();
    }

    /** Produces blocks on an instant-seal node ({@code dev_produceBlocks}); returns the new best number. */
    long produceBlocks(int count) {
        return call("dev_produceBlocks", count).asLong();
    }

    public AutoCloseable subscribeNewHeads(Consumer<BlockHeader> listener) {
        if (closed) throw notConnected();
        HeadSubscription s = new HeadSubscription(listener);
        long key = ids.incrementAndGet();
        // registered first: a reconnect from now on subscribes it too (subscribeOn is once per connection)
        heads.put(key, s);
        JsonRpcSocket c = conn;
        if (c != null) {
            try {
                s.subscribeOn(c);
            } catch (ChainClientException e) {
                // the connection went meanwhile: the reconnect will subscribe it
                if (c.isOpen()) {
                    heads.remove(key);
                    throw e;
                }
            }
        }
        return () -> {
            heads.remove(key);
            s.cancel();
        };
    }

    public CompletableFuture<TxResult> submit(Signer signer, Call call) {
        try {
            if (!watchSlots.tryAcquire(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(new ChainClientException(
                        0, MAX_WATCHED + " transactions of this client are still waiting for their block"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new ChainClientException("interrupted", e));
        }
        CompletableFuture<TxResult> out = new CompletableFuture<>();
        out.whenComplete((r, e) -> watchSlots.release());
        JsonRpcSocket c;
        long nonce;
        try {
            c = connection();
            nonce = nonces.take(signer.account(), this::nextNonce);
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
            return out;
        }
        String hex = ChainJson.hex(
                Transaction.sign(signer, chainId, genesisHash, nonce, call).encode());
        String[] sub = new String[1];
        JsonRpcSocket.Subscriber watch = new JsonRpcSocket.Subscriber(
                update -> onUpdate(c, update, out, sub[0], signer.account()),
                // whether such a transaction was included is unknown: the caller must check (nonce, events)
                lost -> callbacks(() -> out.completeExceptionally(new ChainClientException(
                        0, lost.getMessage() + " (a transaction waiting for its block may or may not be included)"))));
        c.subscribeAsync("author_submitAndWatchExtrinsic", watch, hex).whenComplete((id, err) -> {
            if (err != null) {
                nonces.reset(signer.account());
                Throwable cause = err instanceof CompletionException ce ? ce.getCause() : err;
                callbacks(() -> out.completeExceptionally(cause));
            } else {
                sub[0] = id;
            }
        });
        return out;
    }

    private void onUpdate(
            JsonRpcSocket c, JsonNode update, CompletableFuture<TxResult> out, String id, AccountId sender) {
        if (update == null || update.isTextual()) return; // "ready"
        if (update.has("inBlock")) {
            JsonNode b = update.get("inBlock");
            List<Event> events = new ArrayList<>();
            for (JsonNode e : b.path("events")) events.add(JSON.convertValue(e, Event.class));
            TxResult r = new TxResult(
                    b.get("blockNumber").asLong(),
                    ChainJson.unhex(b.get("blockHash").asText()),
                    ChainJson.unhex(b.get("txHash").asText()),
                    b.hasNonNull("error") ? Optional.of(b.get("error").asText()) : Optional.empty(),
                    b.hasNonNull("message") ? Optional.of(b.get("message").asText()) : Optional.empty(),
                    events);
            callbacks(() -> out.complete(r));
        } else if (update.has("dropped")) {
            String why = update.get("dropped").asText();
            nonces.reset(sender); // its nonce is free again: the next submit asks the node and fills the gap
            callbacks(() ->
                    out.completeExceptionally(new ChainClientException(0, "the node dropped the transaction: " + why)));
        } else {
            return;
        }
        if (id != null) c.forget(id);
    }

    public void close() {
        if (!closeCalled.compareAndSet(false, true)) return;
        JsonRpcSocket c;
        synchronized (reconnectLock) {
            closed = true;
            c = conn;
            conn = null;
            if (reconnecting != null) reconnecting.interrupt();
        }
        keepAlive.cancel(false);
        if (c != null) c.close(); // fails calls and transaction watches waiting on it
        heads.clear();
        callbacks.shutdown();
        http.close();
    }
}
