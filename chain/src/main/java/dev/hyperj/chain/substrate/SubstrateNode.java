package dev.hyperj.chain.substrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.client.JsonRpcSocket;
import dev.hyperj.chain.client.Nonces;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.scale.ScaleException;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.chain.tx.Signer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Substrate node over JSON-RPC on WebSocket, typed by its own runtime metadata: storage reads,
 * constants, runtime API calls ({@code state_call}), and signed extrinsics submitted and watched
 * until they are in a block, with their events and their error by name.
 *
 * <p>Connection loss fails the calls in flight and the extrinsics waiting for their block (their
 * inclusion is then unknown); the next call reconnects, and refuses a node that now runs another
 * chain (another genesis hash). The metadata is reloaded when the runtime's spec version changes.
 */
public final class SubstrateNode implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_KEYS = 100_000;
    private static final ScheduledExecutorService KEEP_ALIVE = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hyperj-substrate-keepalive");
        t.setDaemon(true);
        return t;
    });

    private final URI uri;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Nonces nonces = new Nonces();
    private final byte[] genesisHash;
    private final ScheduledFuture<?> keepAlive;
    private volatile JsonRpcSocket socket;
    private volatile Runtime runtime;
    private volatile boolean closed;

    /** The runtime the node runs: its version, metadata, and a codec over the metadata's types. */
    public record Runtime(RuntimeVersion version, Metadata metadata, ScaleCodec codec, StorageKeys keys) {}

    private SubstrateNode(URI uri, Optional<byte[]> expectedGenesis) {
        this.uri = uri;
        this.socket = open();
        try {
            JsonNode g = substrateCall(socket, "chain_getBlockHash", 0);
            if (g == null || !g.isTextual())
                throw new ChainClientException(0, "the node at " + uri + " has no block 0: not a Substrate node");
            this.genesisHash = ChainJson.unhex(g.asText());
            if (expectedGenesis.isPresent() && !Arrays.equals(expectedGenesis.get(), genesisHash))
                throw new ChainClientException(
                        0,
                        "the node at " + uri + " runs another chain: genesis " + ChainJson.hex(genesisHash)
                                + ", expected " + ChainJson.hex(expectedGenesis.get()));
            this.runtime = loadRuntime(socket);
        } catch (RuntimeException e) {
            socket.close();
            http.close();
            throw e;
        }
        this.keepAlive = KEEP_ALIVE.scheduleWithFixedDelay(
                () -> {
                    JsonRpcSocket s = socket;
                    if (s != null) s.checkAlive();
                },
                1,
                1,
                TimeUnit.SECONDS);
    }

    /** Connects and loads the runtime; fails with a sentence when the node is not a Substrate node. */
    public static SubstrateNode connect(URI uri) {
        return new SubstrateNode(uri, Optional.empty());
    }

    /** As {@link #connect(URI)}, refusing a node whose genesis hash is not {@code genesis}. */
    public static SubstrateNode connect(URI uri, byte[] genesis) {
        return new SubstrateNode(uri, Optional.of(genesis.clone()));
    }

    private JsonRpcSocket open() {
        return JsonRpcSocket.open(uri, http, TIMEOUT, why -> nonces.resetAll());
    }

    private JsonRpcSocket socket() {
        JsonRpcSocket s = socket;
        if (s != null && s.isOpen()) return s;
        if (closed) throw new ChainClientException(0, "the client was closed");
        synchronized (this) {
            s = socket;
            if (s != null && s.isOpen()) return s;
            JsonRpcSocket fresh = open();
            byte[] g = ChainJson.unhex(fresh.call("chain_getBlockHash", 0).asText());
            if (!Arrays.equals(g, genesisHash)) {
                fresh.close();
                throw new ChainClientException(
                        0,
                        "the node at " + uri + " now runs another chain (genesis " + ChainJson.hex(g) + ", was "
                                + ChainJson.hex(genesisHash) + "); connect a new client");
            }
            socket = fresh;
            return fresh;
        }
    }

    /** One raw JSON-RPC call (reconnecting first if the connection was lost). */
    public JsonNode call(String method, Object... params) {
        return socket().call(method, params);
    }

    /** A call only a Substrate node answers: "Method not found" means the URL is some other JSON-RPC server. */
    private JsonNode substrateCall(JsonRpcSocket s, String method, Object... params) {
        try {
            return s.call(method, params);
        } catch (ChainClientException e) {
            if (e.code() == -32601)
                throw new ChainClientException(
                        e.code(),
                        "the node at " + uri + " does not answer " + method
                                + ": not a Substrate node (a HyperJ dev chain is reached the same way, by its own client)");
            throw e;
        }
    }

    Runtime loadRuntime(JsonRpcSocket s) {
        RuntimeVersion v = RuntimeVersion.of(substrateCall(s, "state_getRuntimeVersion"));
        Metadata md = Metadata.decode(fetchMetadata(s));
        ScaleCodec codec = new ScaleCodec(md.types());
        return new Runtime(v, md, codec, new StorageKeys(codec));
    }

    /** V15 through the Metadata runtime API where the runtime offers it, else {@code state_getMetadata} (V14). */
    private byte[] fetchMetadata(JsonRpcSocket s) {
        try {
            byte[] versions = ChainJson.unhex(
                    s.call("state_call", "Metadata_metadata_versions", "0x").asText());
            dev.hyperj.chain.scale.ScaleReader r = new dev.hyperj.chain.scale.ScaleReader(versions);
            int n = r.length(r.remaining() / 4);
            boolean v15 = false;
            for (int i = 0; i < n; i++) v15 |= r.u32() == 15;
            if (v15) {
                byte[] opt = ChainJson.unhex(s.call("state_call", "Metadata_metadata_at_version", "0x0f000000")
                        .asText());
                r = new dev.hyperj.chain.scale.ScaleReader(opt);
                if (r.u8() == 1) return r.bytes(Metadata.MAX_BYTES);
            }
        } catch (ChainClientException | IllegalArgumentException e) {
            // an older runtime without the versioned metadata API: fall back to V14
        }
        JsonNode m = substrateCall(s, "state_getMetadata");
        if (m == null || !m.isTextual())
            throw new MetadataException("the node answered state_getMetadata without metadata");
        try {
            return ChainJson.unhex(m.asText());
        } catch (IllegalArgumentException e) {
            throw new MetadataException("the node's metadata is not hex: " + e.getMessage());
        }
    }

    public URI uri() {
        return uri;
    }

    public Runtime runtime() {
        return runtime;
    }

    public Metadata metadata() {
        return runtime.metadata();
    }

    public ScaleCodec codec() {
        return runtime.codec();
    }

    public byte[] genesisHash() {
        return genesisHash.clone();
    }

    /** Re-reads the runtime version and reloads the metadata if the spec version changed (a runtime upgrade). */
    public Runtime refreshRuntime() {
        RuntimeVersion v = RuntimeVersion.of(call("state_getRuntimeVersion"));
        if (v.specVersion() != runtime.version().specVersion()
                || !v.specName().equals(runtime.version().specName())) runtime = loadRuntime(socket());
        return runtime;
    }

    // ---- blocks

    public long bestNumber() {
        return Long.decode(call("chain_getHeader").get("number").asText());
    }

    public JsonNode header(Optional<byte[]> hash) {
        return hash.isPresent() ? call("chain_getHeader", ChainJson.hex(hash.get())) : call("chain_getHeader");
    }

    public Optional<byte[]> blockHash(long number) {
        JsonNode h = call("chain_getBlockHash", number);
        return h == null || h.isNull() ? Optional.empty() : Optional.of(ChainJson.unhex(h.asText()));
    }

    // ---- storage

    /** The value of a storage item at the best block (or at {@code at}), empty when absent (the item's default applies). */
    public Optional<Object> storage(String pallet, String item, Object... keys) {
        return storageAt(Optional.empty(), pallet, item, keys);
    }

    public Optional<Object> storageAt(Optional<byte[]> at, String pallet, String item, Object... keys) {
        Runtime rt = runtime;
        Metadata.StorageEntry e = rt.metadata().storage(pallet, item);
        if (keys.length != e.hashers().size())
            throw new MetadataException(
                    pallet + "." + item + " takes " + e.hashers().size() + " key(s), got " + keys.length);
        byte[] key = rt.keys().key(e, keys);
        JsonNode v = at.isPresent()
                ? call("state_getStorage", ChainJson.hex(key), ChainJson.hex(at.get()))
                : call("state_getStorage", ChainJson.hex(key));
        if (v == null || v.isNull()) return Optional.empty();
        return Optional.of(decode(rt, e.value(), ChainJson.unhex(v.asText()), pallet + "." + item));
    }

    /** The value, or the item's declared default when absent. */
    public Object storageOrDefault(String pallet, String item, Object... keys) {
        Runtime rt = runtime;
        Metadata.StorageEntry e = rt.metadata().storage(pallet, item);
        return storage(pallet, item, keys)
                .orElseGet(() -> decode(rt, e.value(), e.defaultValue(), pallet + "." + item));
    }

    /** Every entry of a map item under the given leading keys: the full key parts and the value. */
    public List<Map.Entry<List<Object>, Object>> storageEntries(String pallet, String item, Object... prefixKeys) {
        Runtime rt = runtime;
        Metadata.StorageEntry e = rt.metadata().storage(pallet, item);
        String prefix = ChainJson.hex(rt.keys().key(e, prefixKeys));
        List<Map.Entry<List<Object>, Object>> out = new ArrayList<>();
        String start = null;
        while (true) {
            JsonNode page = start == null
                    ? call("state_getKeysPaged", prefix, 1000)
                    : call("state_getKeysPaged", prefix, 1000, start);
            if (page == null || !page.isArray() || page.isEmpty()) break;
            for (JsonNode k : page) {
                JsonNode v = call("state_getStorage", k.asText());
                if (v == null || v.isNull()) continue;
                byte[] key = ChainJson.unhex(k.asText());
                out.add(Map.entry(
                        rt.keys().decodeKey(e, key),
                        decode(rt, e.value(), ChainJson.unhex(v.asText()), pallet + "." + item)));
                if (out.size() > MAX_KEYS)
                    throw new ChainClientException(0, pallet + "." + item + " has over " + MAX_KEYS + " entries");
            }
            if (page.size() < 1000) break;
            start = page.get(page.size() - 1).asText();
        }
        return out;
    }

    public Object constant(String pallet, String name) {
        Runtime rt = runtime;
        Metadata.Constant c = rt.metadata().constant(pallet, name);
        return decode(rt, c.type(), c.value(), pallet + "." + name);
    }

    private static Object decode(Runtime rt, int type, byte[] bytes, String what) {
        try {
            return rt.codec().decodeAll(type, bytes);
        } catch (ScaleException | MetadataException e) {
            throw new MetadataException("cannot decode " + what + " as the metadata says: " + e.getMessage(), e);
        }
    }

    // ---- runtime API

    /** {@code state_call} of a runtime API function with SCALE-encoded arguments; the SCALE-encoded answer. */
    public byte[] stateCall(String function, byte[] args) {
        JsonNode r = call("state_call", function, ChainJson.hex(args));
        if (r == null || !r.isTextual()) throw new ChainClientException(0, function + " returned no bytes");
        return ChainJson.unhex(r.asText());
    }

    // ---- events and errors

    /** {@code System.Events} of a block, decoded. */
    public List<ChainEvent> events(byte[] blockHash) {
        Object v = storageAt(Optional.of(blockHash), "System", "Events").orElse(List.of());
        List<ChainEvent> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            Map<?, ?> record = (Map<?, ?>) o;
            EnumValue phase = (EnumValue) record.get("phase");
            EnumValue outer = (EnumValue) record.get("event");
            EnumValue inner = (EnumValue) outer.value();
            Optional<Integer> index = phase.name().equals("ApplyExtrinsic")
                    ? Optional.of(((Number) phase.value()).intValue())
                    : Optional.empty();
            out.add(new ChainEvent(outer.name(), inner.name(), fields(inner.value()), index));
        }
        return out;
    }

    static Map<String, Object> fields(Object v) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (v == null) return out;
        if (v instanceof Map<?, ?> m) m.forEach((k, x) -> out.put(String.valueOf(k), x));
        else if (v instanceof List<?> l) for (int i = 0; i < l.size(); i++) out.put(String.valueOf(i), l.get(i));
        else out.put("0", v);
        return out;
    }

    /** A {@code DispatchError} named: a module error with its pallet, name and docs, or the dispatch error's kind. */
    public ModuleError dispatchError(Object dispatchError) {
        Metadata md = runtime.metadata();
        if (dispatchError instanceof EnumValue ev && ev.name().equals("Module") && ev.value() instanceof Map<?, ?> m) {
            int index = ((Number) m.get("index")).intValue();
            Object err = m.get("error");
            int code = err instanceof byte[] b ? b[0] & 0xff : ((Number) err).intValue();
            return moduleError(md, index, code);
        }
        if (dispatchError instanceof EnumValue ev)
            return new ModuleError("System", ev.value() == null ? ev.name() : ev.name() + "." + ev.value(), List.of());
        return new ModuleError("System", String.valueOf(dispatchError), List.of());
    }

    static ModuleError moduleError(Metadata md, int palletIndex, int errorIndex) {
        Optional<Metadata.Pallet> p = md.palletByIndex(palletIndex);
        if (p.isEmpty() || p.get().errors().isEmpty())
            return new ModuleError("pallet#" + palletIndex, "error#" + errorIndex, List.of());
        return md.types()
                .enumOf(p.get().errors().get())
                .byIndex(errorIndex)
                .map(v -> new ModuleError(p.get().name(), v.name(), v.docs()))
                .orElse(new ModuleError(p.get().name(), "error#" + errorIndex, List.of()));
    }

    // ---- extrinsics

    public long nextNonce(AccountId account) {
        return call("system_accountNextIndex", account.toHex()).asLong();
    }

    /** Signs and submits an immortal extrinsic with no tip; see {@link #submit(Signer, String, String, Map, Optional)}. */
    public CompletableFuture<ExtrinsicResult> submit(Signer signer, String pallet, String call, Map<String, ?> args) {
        return submit(signer, pallet, call, args, Optional.empty());
    }

    /**
     * Encodes the call (a wrong pallet, call or argument fails here, before a nonce is taken or
     * anything signed), signs it with the signer's next nonce (mortal for about {@code mortalBlocks}
     * when given) and submits it; the future completes when it is in a block.
     */
    public CompletableFuture<ExtrinsicResult> submit(
            Signer signer, String pallet, String call, Map<String, ?> args, Optional<Integer> mortalBlocks) {
        Runtime rt = runtime;
        byte[] callBytes = Extrinsics.call(rt.metadata(), rt.codec(), pallet, call, args);
        Extrinsics.checkEthereumAccounts(rt.metadata(), rt.codec());
        Era era = Era.IMMORTAL;
        byte[] eraHash = genesisHash;
        if (mortalBlocks.isPresent()) {
            long best = bestNumber();
            era = Era.mortal(mortalBlocks.get(), best);
            eraHash = blockHash(era.birth(best))
                    .orElseThrow(() -> new ChainClientException(0, "no block hash for the era's start"));
        }
        JsonRpcSocket s = socket();
        AccountId who = signer.account();
        long nonce = nonces.take(who, this::nextNonce);
        byte[] xt = Extrinsics.sign(
                rt.metadata(),
                rt.codec(),
                signer,
                callBytes,
                new Extrinsics.Context(
                        rt.version().specVersion(),
                        rt.version().transactionVersion(),
                        genesisHash,
                        era,
                        eraHash,
                        nonce,
                        BigInteger.ZERO));
        return watch(s, xt, who, pallet + "." + call);
    }

    /** Submits an already signed extrinsic and watches it into a block. */
    private CompletableFuture<ExtrinsicResult> watch(JsonRpcSocket s, byte[] xt, AccountId who, String what) {
        CompletableFuture<ExtrinsicResult> out = new CompletableFuture<>();
        String hex = ChainJson.hex(xt);
        byte[] xtHash = Hashing.blake2b256(xt);
        String[] subId = new String[1];
        JsonRpcSocket.Subscriber sub = new JsonRpcSocket.Subscriber(
                update -> {
                    if (out.isDone() || update == null) return;
                    String status = update.isTextual()
                            ? update.asText()
                            : update.fieldNames().hasNext()
                                    ? update.fieldNames().next()
                                    : "";
                    switch (status) {
                        case "inBlock" -> {
                            byte[] block = ChainJson.unhex(update.get("inBlock").asText());
                            // off the connection's thread: reading the block and its events are calls on this
                            // connection
                            Thread.ofVirtual().start(() -> {
                                try {
                                    out.complete(result(block, hex, xtHash));
                                } catch (RuntimeException e) {
                                    out.completeExceptionally(e);
                                }
                            });
                        }
                        case "dropped", "invalid", "usurped" -> {
                            nonces.reset(who); // its nonce is free again: the next submit asks the node
                            out.completeExceptionally(new ChainClientException(0, "the node " + status + " " + what));
                        }
                        default -> {
                            return; // ready, future, broadcast: still on its way
                        }
                    }
                    if (subId[0] != null) s.forget(subId[0]);
                },
                lost -> out.completeExceptionally(new ChainClientException(
                        0, lost.getMessage() + " (" + what + " was submitted and may or may not be included)")));
        try {
            subId[0] = s.subscribe("author_submitAndWatchExtrinsic", sub, hex);
        } catch (ChainClientException e) {
            nonces.reset(who);
            out.completeExceptionally(
                    new ChainClientException(e.code(), "the node refused " + what + ": " + e.getMessage()));
        }
        return out;
    }

    private ExtrinsicResult result(byte[] blockHash, String hex, byte[] xtHash) {
        JsonNode block = call("chain_getBlock", ChainJson.hex(blockHash)).get("block");
        long number = Long.decode(block.get("header").get("number").asText());
        int index = -1;
        JsonNode xts = block.get("extrinsics");
        for (int i = 0; i < xts.size(); i++) if (xts.get(i).asText().equalsIgnoreCase(hex)) index = i;
        if (index < 0) throw new ChainClientException(0, "the extrinsic is not in the block the node reported");
        List<ChainEvent> mine = new ArrayList<>();
        Optional<ModuleError> error = Optional.empty();
        for (ChainEvent e : events(blockHash)) {
            if (e.extrinsicIndex().orElse(-1) != index) continue;
            mine.add(e);
            if (e.is("System", "ExtrinsicFailed"))
                error = Optional.of(dispatchError(e.fields().get("dispatch_error")));
        }
        return new ExtrinsicResult(number, blockHash, xtHash, error, mine);
    }

    /** A SCALE writer, for runtime API arguments. */
    public static ScaleWriter args() {
        return new ScaleWriter();
    }

    @Override
    public void close() {
        closed = true;
        if (keepAlive != null) keepAlive.cancel(false);
        JsonRpcSocket s = socket;
        if (s != null) s.close();
        http.close();
    }
}
