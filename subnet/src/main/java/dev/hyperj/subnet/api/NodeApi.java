package dev.hyperj.subnet.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.kad.KadDht;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.reqresp.RequestResponseException;
import dev.hyperj.subnet.api.forward.ApiAnswer;
import dev.hyperj.subnet.api.forward.ApiCall;
import dev.hyperj.subnet.api.forward.ApiProtocol;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.metrics.Metrics;
import dev.hyperj.subnet.metrics.NodeMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The node's own routes of the network API and the dispatch to an application's ({@link ApiRoutes}):
 * {@code GET /v1/status}, {@code GET /v1/peers}, {@code POST /v1/publish}, {@code POST /v1/request}
 * (the bridge to a peer's API-protocol route), {@code GET /v1/openapi.json} and {@code GET /metrics}.
 */
public final class NodeApi implements ApiHandler {
    /** The parts of a node the API reads. {@code extra} adds fields to /v1/status (e.g. DAG heads). */
    public record Parts(
            int subnetId,
            Host host,
            GossipSub gossip,
            KadDht dht,
            EpochTracker epochs,
            ApiRoutes routes,
            Metrics metrics,
            NodeMetrics nodeMetrics,
            Supplier<Map<String, Object>> extra) {}

    private record Builtin(String method, String path, String summary, ApiHandler handler) {}

    /** How long a bridged call may take at most, and the largest answer it takes. */
    static final Duration MAX_BRIDGE_TIMEOUT = Duration.ofSeconds(60);

    static final int MAX_BRIDGE_ANSWER = 8 << 20;

    private final Parts parts;
    private final List<Builtin> builtins;

    public NodeApi(Parts parts) {
        this.parts = parts;
        this.builtins = List.of(
                new Builtin(
                        "GET",
                        "/v1/status",
                        "The node: peer id, subnet, node id and class, epoch, peers, meshes",
                        this::status),
                new Builtin(
                        "GET", "/v1/peers", "Connected peers with their addresses and connection details", this::peers),
                new Builtin(
                        "POST",
                        "/v1/publish",
                        "Publish a gossip message: {\"topic\", \"data\" (text) or \"data_base64\"}",
                        this::publish),
                new Builtin(
                        "POST",
                        "/v1/request",
                        "Bridge: send the body to a subnet peer's API-protocol route (?route=/name&peer=ID&method=POST&timeout_ms=N) and return its answer",
                        this::bridge),
                new Builtin("GET", "/v1/openapi.json", "This document", r -> ApiResponse.json(openapi())),
                new Builtin("GET", "/metrics", "Prometheus metrics", this::metrics));
    }

    @Override
    public ApiResponse handle(ApiRequest r) throws Exception {
        long start = System.nanoTime();
        String label = "other";
        ApiResponse out;
        try {
            Optional<Builtin> b =
                    builtins.stream().filter(x -> x.path().equals(r.path())).findFirst();
            if (b.isPresent()) {
                label = b.get().path();
                out = b.get().method().equals(r.method())
                        ? b.get().handler().handle(r)
                        : methodNotAllowed(r, List.of(b.get().method()));
            } else {
                Optional<ApiRoute> app = parts.routes().find(r.method(), r.path());
                if (app.isPresent()) {
                    label = app.get().path();
                    out = app.get().handler().handle(r);
                } else if (parts.routes().hasPath(r.path())) {
                    label = r.path();
                    out = methodNotAllowed(
                            r,
                            parts.routes().routes().stream()
                                    .filter(x -> x.path().equals(r.path()))
                                    .map(ApiRoute::method)
                                    .toList());
                } else {
                    out = ApiResponse.error(404, "not_found", "no route " + clip(r.path()) + "; see /v1/openapi.json");
                }
            }
        } catch (ApiException e) {
            out = e.toResponse();
        }
        if (parts.nodeMetrics() != null) parts.nodeMetrics().served(label, out.status(), System.nanoTime() - start);
        return out;
    }

    private static ApiResponse methodNotAllowed(ApiRequest r, List<String> allowed) {
        return ApiResponse.error(405, "method_not_allowed", r.path() + " takes " + String.join(", ", allowed))
                .withHeader("allow", String.join(", ", allowed));
    }

    // ------------------------------------------------------------------ routes

    private ApiResponse status(ApiRequest r) {
        Map<String, Object> s = new LinkedHashMap<>();
        String me = parts.host().peerId().toBase58();
        s.put("peer_id", me);
        s.put("subnet_id", parts.subnetId());
        var ev = parts.epochs().current();
        var node = ev.flatMap(e -> e.snapshot().nodeByPeerId(me));
        s.put("subnet_node_id", node.map(n -> (Object) n.node().id()).orElse(null));
        s.put("class", node.map(n -> (Object) n.node().nodeClass().name()).orElse(null));
        var pos = parts.epochs().position();
        s.put("block", pos.map(p -> (Object) p.block()).orElse(null));
        s.put("subnet_epoch", pos.map(p -> (Object) p.epoch()).orElse(null));
        s.put("epoch_progress", pos.map(p -> (Object) p.progress()).orElse(null));
        s.put("connected_peers", parts.host().connections().connectedPeers().size());
        s.put(
                "listen",
                parts.host().listenAddresses().stream().map(Object::toString).toList());
        s.put("mesh", meshSizes());
        s.put("dht_routing_table", parts.dht().stats().routingTableSize());
        s.put(
                "app_routes",
                parts.routes().routes().stream()
                        .map(x -> x.method() + " " + x.path())
                        .toList());
        s.putAll(parts.extra().get());
        return ApiResponse.json(s);
    }

    private Map<String, Integer> meshSizes() {
        try {
            return parts.gossip()
                    .call(rt -> {
                        Map<String, Integer> m = new TreeMap<>();
                        for (String t : rt.subscriptions())
                            m.put(t, rt.meshPeers(t).size());
                        return m;
                    })
                    .get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Collections.emptyMap();
        }
    }

    private ApiResponse peers(ApiRequest r) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<PeerId, List<Connection>> byPeer = new TreeMap<>(java.util.Comparator.comparing(PeerId::toBase58));
        for (Connection c : parts.host().connections().connections())
            byPeer.computeIfAbsent(c.remotePeer(), k -> new ArrayList<>()).add(c);
        byPeer.forEach((p, cs) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("peer_id", p.toBase58());
            m.put(
                    "connections",
                    cs.stream()
                            .map(c -> Map.of(
                                    "remote", c.remoteAddress().toString(),
                                    "direction", c.isInitiator() ? "outbound" : "inbound",
                                    "security", c.securityProtocol(),
                                    "muxer", c.muxerProtocol(),
                                    "streams", c.streamCount()))
                            .toList());
            m.put(
                    "protocols",
                    parts.host().peerStore().protocols(p).stream().sorted().toList());
            out.add(m);
        });
        return ApiResponse.json(Map.of("peers", out));
    }

    private ApiResponse publish(ApiRequest r) throws Exception {
        JsonNode body = r.bodyAs(JsonNode.class);
        String topic = text(body, "topic").orElseThrow(() -> ApiException.badRequest("\"topic\" is required"));
        if (topic.isEmpty() || topic.length() > 256) throw ApiException.badRequest("a topic has 1..256 characters");
        byte[] data;
        if (body.hasNonNull("data_base64")) {
            try {
                data = Base64.getDecoder().decode(body.get("data_base64").asText());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("\"data_base64\" is not base64");
            }
        } else {
            data = text(body, "data")
                    .orElseThrow(() -> ApiException.badRequest("\"data\" (text) or \"data_base64\" is required"))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            var id = parts.gossip().publish(topic, data).get(10, TimeUnit.SECONDS);
            return ApiResponse.json(
                    Map.of("topic", topic, "message_id", HexFormat.of().formatHex(id.bytes())));
        } catch (ExecutionException e) {
            throw new ApiException(
                    422,
                    "publish_failed",
                    "not published: " + String.valueOf(e.getCause().getMessage()));
        }
    }

    private ApiResponse bridge(ApiRequest r) throws Exception {
        long start = System.nanoTime();
        String route = r.query("route").orElseThrow(() -> ApiException.badRequest("?route=/name is required"));
        String method = r.query("method").orElse("POST").toUpperCase(Locale.ROOT);
        Duration timeout = Duration.ofMillis(parseLong(r.query("timeout_ms").orElse("30000"), "timeout_ms"));
        if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(MAX_BRIDGE_TIMEOUT) > 0)
            throw ApiException.badRequest("timeout_ms is 1.." + MAX_BRIDGE_TIMEOUT.toMillis());
        List<PeerId> targets = new ArrayList<>();
        Optional<String> peer = r.query("peer");
        if (peer.isPresent()) {
            try {
                targets.add(PeerId.parse(peer.get()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("peer is not a peer id: " + clip(peer.get()));
            }
        } else {
            targets.addAll(servingPeers());
            if (targets.isEmpty())
                throw new ApiException(
                        503, "no_peer", "no connected peer serves " + ApiProtocol.ID + "; name one with ?peer=");
            Collections.shuffle(targets);
        }
        List<ApiCall.Header> headers = new ArrayList<>();
        r.header("content-type").ifPresent(v -> headers.add(new ApiCall.Header("content-type", v)));
        r.header("accept").ifPresent(v -> headers.add(new ApiCall.Header("accept", v)));
        r.header("x-request-id").ifPresent(v -> headers.add(new ApiCall.Header("x-request-id", v)));
        ApiCall call = new ApiCall(route, method, headers, r.body());
        // without a named peer, a peer that cannot be reached is skipped (up to three tries)
        ApiException last = null;
        for (PeerId target : targets.subList(0, Math.min(3, targets.size()))) {
            try {
                ApiAnswer a = ApiProtocol.call(parts.host(), target, call, timeout, MAX_BRIDGE_ANSWER)
                        .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                ApiResponse out;
                if (a.isError()) {
                    out = ApiResponse.error(a.status(), a.error(), a.message());
                } else {
                    Map<String, String> h = new LinkedHashMap<>();
                    for (ApiCall.Header x : a.headers()) h.merge(x.name(), x.value(), (p, q) -> p + ", " + q);
                    out = new ApiResponse(a.status(), h, a.body());
                }
                bridged(a.isError() ? a.error() : "ok", start);
                return out.withHeader("x-hyperj-peer", target.toBase58());
            } catch (ExecutionException e) {
                String reason = e.getCause() instanceof RequestResponseException rre
                        ? rre.reason().name().toLowerCase(Locale.ROOT)
                        : "failed";
                last = reason.equals("timeout")
                        ? new ApiException(
                                504,
                                "peer_timeout",
                                "peer " + target + " did not answer within " + timeout.toMillis() + " ms")
                        : new ApiException(502, "peer_unreachable", "peer " + target + ": " + reason);
                if (peer.isPresent()) break;
            } catch (TimeoutException e) {
                last = new ApiException(
                        504, "peer_timeout", "peer " + target + " did not answer within " + timeout.toMillis() + " ms");
                if (peer.isPresent()) break;
            }
        }
        bridged(last.code(), start);
        throw last;
    }

    private void bridged(String outcome, long start) {
        if (parts.nodeMetrics() != null) parts.nodeMetrics().bridged(outcome, System.nanoTime() - start);
    }

    private List<PeerId> servingPeers() {
        List<PeerId> out = new ArrayList<>();
        for (PeerId p : parts.host().connections().connectedPeers()) {
            if (parts.host().peerStore().protocols(p).contains(ApiProtocol.ID)) out.add(p);
        }
        return out;
    }

    private ApiResponse metrics(ApiRequest r) {
        if (parts.nodeMetrics() != null) parts.nodeMetrics().refresh();
        return ApiResponse.bytes(
                200, Metrics.CONTENT_TYPE, parts.metrics().scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An OpenAPI 3.1 document of every route, the application's included. */
    public Map<String, Object> openapi() {
        Map<String, Object> paths = new TreeMap<>();
        for (Builtin b : builtins) operation(paths, b.path(), b.method(), b.summary(), "node");
        for (ApiRoute a : parts.routes().routes())
            operation(paths, a.path(), a.method(), a.description(), "application");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "HyperJ subnet node API (subnet " + parts.subnetId() + ")", "version", "1"));
        doc.put("paths", paths);
        doc.put(
                "components",
                Map.of(
                        "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
                        "schemas",
                                Map.of(
                                        "Error",
                                        Map.of(
                                                "type",
                                                "object",
                                                "properties",
                                                Map.of(
                                                        "error",
                                                        Map.of(
                                                                "type",
                                                                "object",
                                                                "properties",
                                                                Map.of(
                                                                        "code", Map.of("type", "string"),
                                                                        "message", Map.of("type", "string"))))))));
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static void operation(Map<String, Object> paths, String path, String method, String summary, String tag) {
        Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(path, k -> new TreeMap<>());
        item.put(
                method.toLowerCase(Locale.ROOT),
                Map.of(
                        "summary", summary,
                        "tags", List.of(tag),
                        "responses",
                                Map.of(
                                        "200", Map.of("description", "OK"),
                                        "default",
                                                Map.of(
                                                        "description",
                                                        "An error",
                                                        "content",
                                                        Map.of(
                                                                "application/json",
                                                                Map.of(
                                                                        "schema",
                                                                        Map.of(
                                                                                "$ref",
                                                                                "#/components/schemas/Error")))))));
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? Optional.empty() : Optional.of(v.asText());
    }

    private static long parseLong(String s, String name) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " is not a number");
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
