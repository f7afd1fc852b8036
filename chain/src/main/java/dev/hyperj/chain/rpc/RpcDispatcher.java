package dev.hyperj.chain.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.chain.client.ErrorHints;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.db.BlockOutcome;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.Included;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.NetworkReads;
import dev.hyperj.chain.tx.TxException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over a {@link ChainNode}, independent of the transport. Every failure becomes a
 * JSON-RPC error object; nothing a client sends can throw out of {@link #handle}.
 */
final class RpcDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RpcDispatcher.class);
    private static final ObjectMapper JSON = ChainJson.mapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    interface Method {
        Object call(Params p, Session s, List<Runnable> after);
    }

    private final ChainNode node;
    private final int maxBatch;
    private final Map<String, Method> methods = new LinkedHashMap<>();

    RpcDispatcher(ChainNode node, int maxBatch) {
        this.node = node;
        this.maxBatch = maxBatch;
        register();
    }

    /** Handles a request or batch; returns the response text, or null when nothing is to be answered (notifications only). */
    String handle(String text, Session session, List<Runnable> after) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            return write(
                    error(null, new RpcException(RpcException.PARSE_ERROR, "parse error: the body is not valid JSON")));
        }
        if (root == null || root.isMissingNode())
            return write(error(null, new RpcException(RpcException.PARSE_ERROR, "parse error: empty body")));
        if (root.isArray()) {
            if (root.isEmpty())
                return write(error(null, new RpcException(RpcException.INVALID_REQUEST, "empty batch")));
            if (root.size() > maxBatch)
                return write(error(
                        null,
                        new RpcException(
                                RpcException.INVALID_REQUEST, "batch of " + root.size() + " exceeds " + maxBatch)));
            ArrayNode out = F.arrayNode();
            for (JsonNode r : root) {
                ObjectNode resp = one(r, session, after);
                if (resp != null) out.add(resp);
            }
            return out.isEmpty() ? null : write(out);
        }
        ObjectNode resp = one(root, session, after);
        return resp == null ? null : write(resp);
    }

    private ObjectNode one(JsonNode req, Session session, List<Runnable> after) {
        JsonNode id = req.get("id");
        if (!req.isObject()
                || !"2.0".equals(req.path("jsonrpc").asText(null))
                || !req.path("method").isTextual()
                || (id != null && !(id.isTextual() || id.isNumber() || id.isNull()))) {
            return error(
                    id,
                    new RpcException(
                            RpcException.INVALID_REQUEST,
                            "invalid request: expected {\"jsonrpc\":\"2.0\",\"method\":...,\"params\":[...],\"id\":...}"));
        }
        String name = req.get("method").asText();
        Method m = methods.get(name);
        boolean notification = id == null;
        if (m == null)
            return notification
                    ? null
                    : error(id, new RpcException(RpcException.METHOD_NOT_FOUND, "method not found: " + name));
        JsonNode params = req.get("params");
        if (params != null && !params.isArray() && !params.isNull()) {
            return notification
                    ? null
                    : error(id, new RpcException(RpcException.INVALID_PARAMS, "params must be an array (positional)"));
        }
        try {
            Object result = m.call(
                    new Params(params == null || params.isNull() ? F.arrayNode() : (ArrayNode) params), session, after);
            if (notification) return null;
            ObjectNode o = F.objectNode();
            o.put("jsonrpc", "2.0");
            o.set("result", JSON.valueToTree(result));
            o.set("id", id);
            return o;
        } catch (RpcException e) {
            return notification ? null : error(id, e);
        } catch (TxException e) {
            return notification
                    ? null
                    : error(
                            id,
                            new RpcException(
                                    RpcException.INVALID_TRANSACTION,
                                    "invalid transaction: " + e.getMessage(),
                                    e.reason().name()));
        } catch (IllegalArgumentException e) {
            return notification
                    ? null
                    : error(id, new RpcException(RpcException.INVALID_PARAMS, "invalid params: " + e.getMessage()));
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException && node.isClosed()) {
                return notification
                        ? null
                        : error(
                                id,
                                new RpcException(
                                        RpcException.INTERNAL,
                                        "the node is shutting down; retry against a running node"));
            }
            log.warn("{} failed: {}", name, e.toString(), e);
            return notification
                    ? null
                    : error(id, new RpcException(RpcException.INTERNAL, "internal error: " + e.getMessage()));
        }
    }

    static ObjectNode error(JsonNode id, RpcException e) {
        ObjectNode o = F.objectNode();
        o.put("jsonrpc", "2.0");
        ObjectNode err = o.putObject("error");
        err.put("code", e.code());
        err.put("message", e.getMessage());
        if (e.data() != null) err.set("data", JSON.valueToTree(e.data()));
        o.set("id", id == null ? F.nullNode() : id);
        return o;
    }

    static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Positional params with typed, bounded accessors; every problem is an invalid-params error naming the position. */
    static final class Params {
        private final ArrayNode a;

        Params(ArrayNode a) {
            this.a = a;
        }

        int size() {
            return a.size();
        }

        private JsonNode need(int i, String what) {
            JsonNode n = a.get(i);
            if (n == null || n.isNull()) throw bad(i, what);
            return n;
        }

        boolean has(int i) {
            return a.get(i) != null && !a.get(i).isNull();
        }

        int int32(int i, String what) {
            JsonNode n = need(i, what);
            if (n.canConvertToInt() && n.isIntegralNumber()) return n.intValue();
            if (n.isTextual()) {
                try {
                    return Integer.parseInt(n.asText());
                } catch (NumberFormatException e) {
                    throw bad(i, what);
                }
            }
            throw bad(i, what);
        }

        long int64(int i, String what) {
            JsonNode n = need(i, what);
            if (n.isIntegralNumber() && n.canConvertToLong()) return n.longValue();
            if (n.isTextual()) {
                try {
                    return Long.parseLong(n.asText());
                } catch (NumberFormatException e) {
                    throw bad(i, what);
                }
            }
            throw bad(i, what);
        }

        BigInteger u128(int i, String what) {
            JsonNode n = need(i, what);
            try {
                BigInteger v =
                        n.isTextual() ? new BigInteger(n.asText()) : n.isIntegralNumber() ? n.bigIntegerValue() : null;
                if (v == null || v.signum() < 0 || v.bitLength() > 128) throw bad(i, what);
                return v;
            } catch (NumberFormatException e) {
                throw bad(i, what);
            }
        }

        String text(int i, String what, int maxLength) {
            JsonNode n = need(i, what);
            if (!n.isTextual() || n.asText().length() > maxLength) throw bad(i, what);
            return n.asText();
        }

        AccountId account(int i) {
            try {
                return AccountId.fromHex(text(i, "an account (0x + 40 hex digits)", 42));
            } catch (IllegalArgumentException e) {
                throw bad(i, "an account (0x + 40 hex digits)");
            }
        }

        byte[] hex(int i, String what, int maxBytes) {
            try {
                byte[] b = ChainJson.unhex(text(i, what, 2 + 2 * maxBytes));
                return b;
            } catch (IllegalArgumentException e) {
                throw bad(i, what);
            }
        }

        static RpcException bad(int i, String what) {
            return new RpcException(RpcException.INVALID_PARAMS, "invalid params: param " + i + " must be " + what);
        }
    }

    private void reg(String name, Method m) {
        methods.put(name, m);
    }

    private void read(String name, Function<Params, Function<NetworkReads, Object>> m) {
        methods.put(name, (p, s, after) -> {
            Function<NetworkReads, Object> f = m.apply(p);
            return node.read(r -> f.apply(r));
        });
    }

    private BlockHeader headerAt(Params p, int i) {
        if (!p.has(i)) return node.bestHeader();
        JsonNode raw = p.a.get(i);
        if (raw.isIntegralNumber())
            return node.store().header(blockNumber(p, i)).orElse(null);
        byte[] hash = p.hex(i, "a block hash (0x + 64 hex digits)", 32);
        if (hash.length != 32) throw Params.bad(i, "a block hash (0x + 64 hex digits)");
        return node.store().header(hash).orElse(null);
    }

    private static long blockNumber(Params p, int i) {
        long n = p.int64(i, "a block number");
        if (n < 0) throw Params.bad(i, "a block number (0 or more)");
        return n;
    }

    Map<String, Object> inBlock(Included inc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blockNumber", inc.blockNumber());
        m.put("blockHash", ChainJson.hex(inc.blockHash()));
        m.put("txHash", ChainJson.hex(inc.txHash()));
        m.put("ok", inc.result().ok());
        inc.result().error().ifPresent(e -> {
            m.put("error", e.name());
            m.put("message", ErrorHints.describe(e));
        });
        m.put("events", inc.result().events());
        return m;
    }

    private void register() {
        reg("rpc_methods", (p, s, a) -> Map.of("methods", List.copyOf(methods.keySet())));
        reg("system_health", (p, s, a) -> Map.of("peers", 0, "isSyncing", false, "shouldHavePeers", false));
        reg("system_chain", (p, s, a) -> node.chainId());
        reg("system_name", (p, s, a) -> "hyperj");
        reg("system_version", (p, s, a) -> "0.1.0");
        reg("system_accountNextIndex", (p, s, a) -> node.nextNonce(p.account(0)));
        reg("chain_getGenesisHash", (p, s, a) -> ChainJson.hex(node.genesisHash()));
        reg("chain_getHeader", (p, s, a) -> {
            BlockHeader h = headerAt(p, 0);
            return h == null ? null : ChainJson.header(h);
        });
        reg("chain_getBlock", (p, s, a) -> {
            BlockHeader h = headerAt(p, 0);
            if (h == null) return null;
            List<String> xts = node.store().body(h.hash()).orElse(List.of()).stream()
                    .map(ChainJson::hex)
                    .toList();
            return Map.of("block", Map.of("header", ChainJson.header(h), "extrinsics", xts));
        });
        reg("chain_getBlockHash", (p, s, a) -> {
            long n = p.has(0) ? blockNumber(p, 0) : node.bestHeader().number();
            return node.store().hashOf(n).map(ChainJson::hex).orElse(null);
        });
        reg(
                "chain_getFinalizedHead",
                (p, s, a) -> ChainJson.hex(node.bestHeader().hash())); // instant finality: one producer
        reg("chain_subscribeNewHeads", (p, s, a) -> subscribeHeads(s, a));
        reg("chain_subscribeFinalizedHeads", (p, s, a) -> subscribeHeads(s, a));
        reg("chain_unsubscribeNewHeads", (p, s, a) -> s.unsubscribe(p.text(0, "a subscription id", 64)));
        reg("chain_unsubscribeFinalizedHeads", (p, s, a) -> s.unsubscribe(p.text(0, "a subscription id", 64)));
        reg("state_getEvents", (p, s, a) -> {
            BlockHeader h = headerAt(p, 0);
            if (h == null) return null;
            BlockOutcome o = node.store().outcome(h.number()).orElse(BlockOutcome.EMPTY);
            List<Map<String, Object>> results = new ArrayList<>();
            o.results().forEach(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", r.index());
                m.put("ok", r.ok());
                r.error().ifPresent(e -> {
                    m.put("error", e.name());
                    m.put("message", ErrorHints.describe(e));
                });
                results.add(m);
            });
            return Map.of(
                    "blockNumber",
                    h.number(),
                    "blockHash",
                    ChainJson.hex(h.hash()),
                    "events",
                    o.events(),
                    "results",
                    results);
        });
        reg("author_submitExtrinsic", (p, s, a) -> {
            byte[] tx =
                    p.hex(0, "a SCALE-encoded signed transaction as hex", dev.hyperj.chain.tx.Transaction.MAX_BYTES);
            CompletableFuture<Included> f = node.submit(tx);
            f.exceptionally(e -> null);
            return ChainJson.hex(dev.hyperj.chain.crypto.Hashing.blake2b256(tx));
        });
        reg("author_pendingExtrinsics", (p, s, a) -> node.pendingCount());
        reg("author_submitAndWatchExtrinsic", (p, s, a) -> {
            if (!s.supportsSubscriptions())
                throw new RpcException(
                        RpcException.METHOD_NOT_FOUND, "author_submitAndWatchExtrinsic needs a WebSocket connection");
            byte[] tx =
                    p.hex(0, "a SCALE-encoded signed transaction as hex", dev.hyperj.chain.tx.Transaction.MAX_BYTES);
            CompletableFuture<Included> f = node.submit(tx);
            String id = s.subscribe(() -> {});
            a.add(() -> {
                s.notify("author_extrinsicUpdate", id, "ready");
                f.whenComplete((inc, err) -> {
                    if (err != null)
                        s.notify("author_extrinsicUpdate", id, Map.of("dropped", String.valueOf(err.getMessage())));
                    else s.notify("author_extrinsicUpdate", id, Map.of("inBlock", inBlock(inc)));
                    s.unsubscribe(id);
                });
            });
            return id;
        });
        reg("author_unwatchExtrinsic", (p, s, a) -> s.unsubscribe(p.text(0, "a subscription id", 64)));
        reg("dev_produceBlocks", (p, s, a) -> {
            if (!node.config().instantSeal())
                throw new RpcException(
                        RpcException.METHOD_NOT_FOUND, "dev_produceBlocks is only available with --instant-seal");
            int n = p.int32(0, "a block count in [1, 10000]");
            if (n < 1 || n > 10_000) throw Params.bad(0, "a block count in [1, 10000]");
            return node.produceBlocks(n);
        });
        // --- network reads (CHAIN.md Read API)
        read("network_getSubnetInfo", p -> {
            int id = p.int32(0, "a subnet id");
            return r -> r.getSubnetInfo(id).orElse(null);
        });
        read("network_getAllSubnetsInfo", p -> NetworkReads::getAllSubnetsInfo);
        read("network_getSubnetNodeInfo", p -> {
            int sid = p.int32(0, "a subnet id");
            int nid = p.int32(1, "a subnet node id");
            return r -> r.getSubnetNodeInfo(sid, nid).orElse(null);
        });
        read("network_getSubnetNodesInfo", p -> {
            int sid = p.int32(0, "a subnet id");
            return r -> r.getSubnetNodesInfo(sid);
        });
        read("network_getAllSubnetNodesInfo", p -> NetworkReads::getAllSubnetNodesInfo);
        read("network_getBootnodes", p -> {
            int sid = p.int32(0, "a subnet id");
            return r -> r.getBootnodes(sid);
        });
        read("network_getValidatorSubnetNodesInfo", p -> {
            int vid = p.int32(0, "a validator id");
            return r -> r.getValidatorSubnetNodesInfo(vid);
        });
        read("network_getValidatorStakes", p -> {
            int vid = p.int32(0, "a validator id");
            return r -> r.getValidatorStakes(vid);
        });
        read("network_getDelegateStakes", p -> {
            AccountId acc = p.account(0);
            return r -> r.getDelegateStakes(acc);
        });
        read("network_getElectedValidatorInfo", p -> {
            int sid = p.int32(0, "a subnet id");
            long e = p.int64(1, "a subnet epoch");
            return r -> r.getElectedValidatorInfo(sid, e).orElse(null);
        });
        read("network_getValidatorsAndAttestors", p -> {
            int sid = p.int32(0, "a subnet id");
            long e = p.int64(1, "a subnet epoch");
            return r -> r.getValidatorsAndAttestors(sid, e).orElse(null);
        });
        read("network_getAllOverwatchNodesInfo", p -> NetworkReads::getAllOverwatchNodesInfo);
        read("network_getOverwatchCommitsForEpochAndNode", p -> {
            long e = p.int64(0, "an overwatch epoch");
            int id = p.int32(1, "an overwatch node id");
            return r -> r.getOverwatchCommitsForEpochAndNode(e, id);
        });
        read("network_getOverwatchRevealsForEpochAndNode", p -> {
            long e = p.int64(0, "an overwatch epoch");
            int id = p.int32(1, "an overwatch node id");
            return r -> r.getOverwatchRevealsForEpochAndNode(e, id);
        });
        read("network_proofOfStake", p -> {
            int sid = p.int32(0, "a subnet id");
            String peer = p.text(1, "a peer id", 128);
            NodeClass c;
            try {
                c = p.has(2)
                        ? NodeClass.valueOf(p.text(2, "a node class (Registered, Idle, Included, Validator)", 16))
                        : NodeClass.Validator;
            } catch (IllegalArgumentException e) {
                throw Params.bad(2, "a node class (Registered, Idle, Included, Validator)");
            }
            Optional<BigInteger> min =
                    p.has(3) ? Optional.of(p.u128(3, "a minimum stake (u128 decimal string)")) : Optional.empty();
            return r -> r.proofOfStake(sid, peer, c, min);
        });
        read("network_getValidatorInfo", p -> {
            int vid = p.int32(0, "a validator id");
            return r -> r.getValidatorInfo(vid).orElse(null);
        });
        read("network_getValidatorIdByColdkey", p -> {
            AccountId acc = p.account(0);
            return r -> r.validatorIdOf(acc).orElse(null);
        });
        read("network_getBalance", p -> {
            AccountId acc = p.account(0);
            return r -> r.freeBalance(acc);
        });
        read("network_getUnbondings", p -> {
            AccountId acc = p.account(0);
            return r -> r.unbondings(acc);
        });
        read(
                "network_getEpochInfo",
                p -> r -> Map.of(
                        "blockNumber",
                        r.blockNumber(),
                        "epoch",
                        r.epoch(),
                        "epochLength",
                        r.params().epochLength(),
                        "overwatchEpochLengthMultiplier",
                        r.params().overwatchEpochLengthMultiplier()));
        read("network_getSubnetEpoch", p -> {
            int sid = p.int32(0, "a subnet id");
            return r -> r.subnetEpoch(sid);
        });
        read("network_getRegistrationCost", p -> NetworkReads::registrationCost);
        read("network_getSupply", p -> NetworkReads::supply);
        read("network_getParams", p -> NetworkReads::params);
    }

    private String subscribeHeads(Session s, List<Runnable> after) {
        if (!s.supportsSubscriptions())
            throw new RpcException(RpcException.METHOD_NOT_FOUND, "subscriptions need a WebSocket connection");
        String[] id = new String[1];
        AutoCloseable[] handle = new AutoCloseable[1];
        id[0] = s.subscribe(() -> {
            if (handle[0] != null) handle[0].close();
        });
        after.add(() -> handle[0] = node.onBlock(b -> s.notify("chain_newHead", id[0], ChainJson.header(b.header()))));
        return id[0];
    }
}
