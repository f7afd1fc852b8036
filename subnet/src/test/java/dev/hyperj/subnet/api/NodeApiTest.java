package dev.hyperj.subnet.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.api.forward.ApiAnswer;
import dev.hyperj.subnet.api.forward.ApiCall;
import dev.hyperj.subnet.api.forward.ApiProtocol;
import dev.hyperj.subnet.api.forward.ForwardRoute;
import dev.hyperj.subnet.node.NodeContext;
import dev.hyperj.subnet.node.SubnetApplication;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two staked nodes on a dev chain: A serves the network API, B serves API-protocol routes to a real
 * local HTTP service. A user's program calls A's {@code /v1/request}; A asks B; B asks the service.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;

    private DevChain chain;
    private HttpServer service;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private SubnetNode a, b;
    private ApiServer collectorServer;
    private dev.hyperj.subnet.telemetry.TelemetryCollector collector;
    private HttpClient http;
    private String api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        service.createContext("/echo", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            x.getResponseHeaders().add("content-type", x.getRequestHeaders().getFirst("content-type"));
            x.getResponseHeaders().add("x-service", "echo " + x.getRequestMethod());
            x.sendResponseHeaders(201, body.length == 0 ? -1 : body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        service.createContext("/slow", x -> {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        service.createContext("/big", x -> {
            x.sendResponseHeaders(200, 10_000);
            x.getResponseBody().write(new byte[10_000]);
            x.close();
        });
        service.createContext("/hold", x -> {
            holding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        service.start();
        String base = "http://127.0.0.1:" + service.getAddress().getPort();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        List<ForwardRoute> routes = List.of(
                ForwardRoute.of("/echo", URI.create(base + "/echo"))
                        .withMethods(java.util.Set.of("POST", "PUT"))
                        .withBodyLimits(1024, 4096),
                ForwardRoute.of("/strict", URI.create(base + "/echo")).withHeaders(java.util.Set.of("accept")),
                ForwardRoute.of("/slow", URI.create(base + "/slow")).withTimeout(Duration.ofMillis(300)),
                ForwardRoute.of("/big", URI.create(base + "/big")).withBodyLimits(1024, 1000),
                ForwardRoute.of("/hold", URI.create(base + "/hold")).withMaxConcurrent(1),
                ForwardRoute.of("/down", URI.create("http://127.0.0.1:" + closedPort + "/")));

        chain = DevChain.start(20);
        List<PrivateKey> keys =
                List.of(Keys.generate(KeyType.ED25519), Keys.generate(KeyType.ED25519), Keys.generate(KeyType.ED25519));
        List<Integer> vs = chain.registerValidators(3);
        int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
        // activation needs three nodes; the third does not run
        for (int i = 0; i < 3; i++)
            chain.registerNode(
                    DevChain.COLDKEYS.get(i),
                    vs.get(i),
                    sid,
                    PeerId.fromPublicKey(keys.get(i).publicKey()).toBase58());
        chain.activate(sid);
        collector = dev.hyperj.subnet.telemetry.TelemetryCollector.forChain(chain.client);
        collectorServer = ApiServer.start(ApiServerConfig.loopback(0), collector::receive);
        b = SubnetNode.start(
                SubnetNodeConfig.builder(sid, keys.get(1), DevChain.hotkey(2), dir.resolve("b"))
                        .api(NodeApiConfig.disabled().withRoutes(routes))
                        .build(),
                chain.client,
                new SubnetApplication() {});
        a = SubnetNode.start(
                SubnetNodeConfig.builder(sid, keys.get(0), DevChain.hotkey(1), dir.resolve("a"))
                        .bootstrap(List.of(
                                b.context().host().listenAddresses().get(0).withPeerId(b.peerId())))
                        .api(NodeApiConfig.loopback(0)
                                .withTelemetry(URI.create(collectorServer.url() + "/v1/telemetry")))
                        .build(),
                chain.client,
                new SubnetApplication() {
                    @Override
                    public void setup(NodeContext ctx) {
                        ctx.api()
                                .route(
                                        "GET",
                                        "/v1/hello",
                                        "says hello",
                                        r -> ApiResponse.json(
                                                Map.of("hello", r.query("name").orElse("world"))));
                    }
                });
        http = HttpClient.newHttpClient();
        api = a.apiUrl().orElseThrow();
    }

    @AfterAll
    void stop() {
        release.countDown();
        if (http != null) http.close();
        if (a != null) a.close();
        if (collectorServer != null) collectorServer.close();
        if (b != null) b.close();
        if (chain != null) chain.close();
        if (service != null) service.stop(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> bridge(String query, String contentType, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(api + "/v1/request?" + query))
                        .header("content-type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String peerB() {
        return "&peer=" + b.peerId().toBase58();
    }

    @Test
    void statusPeersOpenapiMetricsAndAppRoutes() throws Exception {
        JsonNode status = JSON.readTree(get("/v1/status").body());
        assertThat(status.get("peer_id").asText()).isEqualTo(a.peerId().toBase58());
        assertThat(status.get("subnet_id").asInt()).isEqualTo(a.context().subnetId());
        assertThat(status.get("connected_peers").asInt()).isEqualTo(1);
        assertThat(status.get("app_routes").toString()).contains("GET /v1/hello");
        assertThat(status.has("mesh")).isTrue();
        assertThat(status.get("dag_heads").isArray()).isTrue();
        assertThat(status.get("dag_nodes").asLong()).isGreaterThanOrEqualTo(0);

        JsonNode peers = JSON.readTree(get("/v1/peers").body()).get("peers");
        assertThat(peers).hasSize(1);
        assertThat(peers.get(0).get("peer_id").asText()).isEqualTo(b.peerId().toBase58());
        assertThat(peers.get(0).get("protocols").toString()).contains(ApiProtocol.ID);

        JsonNode doc = JSON.readTree(get("/v1/openapi.json").body());
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.at("/paths/~1v1~1hello/get/summary").asText()).isEqualTo("says hello");
        assertThat(doc.at("/paths/~1v1~1request/post").isMissingNode()).isFalse();

        assertThat(get("/v1/hello?name=ada").body()).isEqualTo("{\"hello\":\"ada\"}");
        HttpResponse<String> wrongMethod = http.send(
                HttpRequest.newBuilder(URI.create(api + "/v1/hello"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).contains("GET");
        assertThat(get("/v1/nothing").statusCode()).isEqualTo(404);

        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("hyperj_p2p_connections 1.0")
                .contains("hyperj_gate_decisions_total{decision=\"allowed\"}")
                .contains("hyperj_dht_routing_table_peers")
                .contains("hyperj_dag_ingested_total{outcome=\"accepted\"}")
                .contains("jvm_memory_used_bytes");
        dev.hyperj.subnet.Promtool.check(metrics.body());
    }

    @Test
    void theNodesSignedTelemetryReachesTheCollectorVerifiedAgainstTheChain() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (collector.recent().stream().noneMatch(e -> e.get("type").equals("peer_connected"))
                && System.nanoTime() < deadline) Thread.sleep(50); // events are pushed asynchronously; no hook
        Map<String, Object> e = collector.recent().stream()
                .filter(x -> x.get("type").equals("peer_connected"))
                .findFirst()
                .orElseThrow();
        assertThat(e.get("peerId")).isEqualTo(a.peerId().toBase58());
        assertThat(e.get("subnetId")).isEqualTo(a.context().subnetId());
        assertThat(collector.refusals()).isEmpty();
        // another key claiming to be node a
        HttpResponse<String> forged = http.send(
                HttpRequest.newBuilder(URI.create(collectorServer.url() + "/v1/telemetry"))
                        .POST(HttpRequest.BodyPublishers.ofString(new dev.hyperj.subnet.telemetry.TelemetryEvent(
                                        "peer_connected",
                                        a.peerId().toBase58(),
                                        a.context().subnetId(),
                                        1,
                                        System.currentTimeMillis(),
                                        null)
                                .sign(Keys.generate(KeyType.ED25519))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(forged, 403, "key_mismatch");
    }

    @Test
    void publishSendsAGossipMessageAndRefusesBadInput() throws Exception {
        CompletableFuture<String> got = new CompletableFuture<>();
        b.context()
                .gossip()
                .subscribe("api-test", d -> got.complete(new String(d.message().data())));
        a.context().gossip().subscribe("api-test", d -> {});
        // a mesh takes a heartbeat or two to form; publish until b hears it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!got.isDone() && System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(api + "/v1/publish"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"api-test\",\"data\":\"hi b\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isIn(200, 422);
            try {
                got.get(500, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not yet: the mesh is forming
            }
        }
        assertThat(got.get(1, TimeUnit.SECONDS)).isEqualTo("hi b");
        HttpResponse<String> bad = http.send(
                HttpRequest.newBuilder(URI.create(api + "/v1/publish"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":\"x\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("topic");
    }

    @Test
    void theBridgeForwardsToThePeersLocalServiceAndBack() throws Exception {
        HttpResponse<String> r = bridge("route=/echo" + peerB(), "application/json", "{\"x\":1}".getBytes());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("{\"x\":1}");
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        assertThat(r.headers().firstValue("x-service")).contains("echo POST");
        assertThat(r.headers().firstValue("x-hyperj-peer")).contains(b.peerId().toBase58());
        // without a peer, one that serves the protocol is chosen
        HttpResponse<String> any = bridge("route=/echo&method=PUT", "text/plain", "any".getBytes());
        assertThat(any.statusCode()).isEqualTo(201);
        assertThat(any.headers().firstValue("x-service")).contains("echo PUT");
        assertThat(b.metrics().scrape()).contains("hyperj_api_forward_seconds_count{outcome=\"ok\",route=\"/echo\"}");
        assertThat(get("/metrics").body()).contains("hyperj_api_bridge_seconds_count{outcome=\"ok\"}");
    }

    @Test
    void eachRouteLimitAnswersWithItsTypedError() throws Exception {
        assertError(bridge("route=/nope" + peerB(), "text/plain", new byte[0]), 404, "unknown_route");
        assertError(
                bridge("route=/echo&method=DELETE" + peerB(), "text/plain", new byte[0]), 405, "method_not_allowed");
        assertError(bridge("route=/strict" + peerB(), "text/plain", "x".getBytes()), 400, "header_not_allowed");
        assertError(bridge("route=/echo" + peerB(), "text/plain", new byte[2000]), 413, "body_too_large");
        long t0 = System.nanoTime();
        assertError(bridge("route=/slow" + peerB(), "text/plain", new byte[0]), 504, "service_timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        assertError(bridge("route=/big" + peerB(), "text/plain", new byte[0]), 502, "response_too_large");
        assertError(bridge("route=/down" + peerB(), "text/plain", new byte[0]), 502, "service_unavailable");
        assertError(bridge("peer=nonsense&route=/echo", "text/plain", new byte[0]), 400, "bad_request");
        assertError(bridge(peerB().substring(1), "text/plain", new byte[0]), 400, "bad_request");
    }

    @Test
    void aDisallowedHeaderAndGarbageAreRefusedAtTheProtocolToo() throws Exception {
        ApiAnswer ans = ApiProtocol.call(
                        a.context().host(),
                        b.peerId(),
                        new ApiCall("/echo", "POST", List.of(new ApiCall.Header("authorization", "x")), new byte[0]),
                        Duration.ofSeconds(10),
                        1 << 20)
                .get(15, TimeUnit.SECONDS);
        assertThat(ans.error()).isEqualTo("header_not_allowed");
        byte[] raw = dev.hyperj.p2p.protocol.reqresp.RequestResponse.request(
                        a.context().host(), b.peerId(), ApiProtocol.ID, new byte[] {0x7f, 0x7f, 0x7f})
                .get(15, TimeUnit.SECONDS);
        assertThat(ApiAnswer.decode(raw).error()).isEqualTo("bad_call");
    }

    @Test
    void theConcurrencyLimitAnswersBusyAndSlotsAreGivenBack() throws Exception {
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(
                HttpRequest.newBuilder(URI.create(api + "/v1/request?route=/hold" + peerB()))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(holding.await(20, TimeUnit.SECONDS)).isTrue();
        assertError(bridge("route=/hold" + peerB(), "text/plain", new byte[0]), 503, "route_busy");
        release.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        // every slot is back once the calls are answered (nothing held by refusals, timeouts or errors)
        List<String> busy = new ArrayList<>();
        for (String r : List.of("/echo", "/slow", "/big", "/hold", "/down", "/strict")) {
            if (forwarder().running(r) != 0) busy.add(r);
        }
        assertThat(busy).isEmpty();
    }

    private dev.hyperj.subnet.api.forward.Forwarder forwarder() {
        return b.forwarder().orElseThrow();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo(code);
    }
}
