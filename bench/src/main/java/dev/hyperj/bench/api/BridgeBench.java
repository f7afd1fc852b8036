package dev.hyperj.bench.api;

import com.sun.net.httpserver.HttpServer;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.api.NodeApiConfig;
import dev.hyperj.subnet.api.forward.ForwardRoute;
import dev.hyperj.subnet.node.SubnetApplication;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API bridge's cost: {@code concurrency} clients POST a small body for {@code seconds} to a
 * local HTTP service directly, then through node A's {@code /v1/request} (HTTP to A, the API
 * protocol over a Noise+Yamux libp2p connection to node B, HTTP from B to the same service, and
 * back), in the same run. Two staked nodes on an in-process dev chain; everything on loopback.
 * Reports requests/s and p50/p99 latency of each, and their ratios.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.hyperj.bench.api.BridgeBench [concurrency=16] [seconds=10] [bodyBytes=256]</pre>
 */
public final class BridgeBench {
    private BridgeBench() {}

    record Result(String name, long requests, double seconds, long p50Micros, long p99Micros, long errors) {
        double rps() {
            return requests / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int bodyBytes = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        HttpServer service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        service.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        service.createContext("/echo", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            x.getResponseHeaders().add("content-type", "application/octet-stream");
            x.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        service.start();
        String direct = "http://127.0.0.1:" + service.getAddress().getPort() + "/echo";
        Path dir = Files.createTempDirectory("bridge-bench-");
        try (DevChain chain = DevChain.start(20)) {
            List<PrivateKey> keys = new ArrayList<>();
            for (int i = 0; i < 3; i++) keys.add(Keys.generate(KeyType.ED25519));
            List<Integer> vs = chain.registerValidators(3);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
            for (int i = 0; i < 3; i++)
                chain.registerNode(
                        DevChain.COLDKEYS.get(i),
                        vs.get(i),
                        sid,
                        PeerId.fromPublicKey(keys.get(i).publicKey()).toBase58());
            chain.activate(sid);
            ForwardRoute route =
                    ForwardRoute.of("/echo", URI.create(direct)).withMaxConcurrent(Math.max(32, concurrency * 2));
            try (SubnetNode b = SubnetNode.start(
                            SubnetNodeConfig.builder(sid, keys.get(1), DevChain.hotkey(2), dir.resolve("b"))
                                    .api(NodeApiConfig.disabled().withRoutes(List.of(route)))
                                    .build(),
                            chain.client,
                            new SubnetApplication() {});
                    SubnetNode a = SubnetNode.start(
                            SubnetNodeConfig.builder(sid, keys.get(0), DevChain.hotkey(1), dir.resolve("a"))
                                    .bootstrap(List.of(b.context()
                                            .host()
                                            .listenAddresses()
                                            .get(0)
                                            .withPeerId(b.peerId())))
                                    .api(NodeApiConfig.loopback(0))
                                    .build(),
                            chain.client,
                            new SubnetApplication() {});
                    HttpClient http = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .build()) {
                String bridged = a.apiUrl().orElseThrow() + "/v1/request?route=/echo&peer="
                        + b.peerId().toBase58();
                byte[] body = new byte[bodyBytes];
                Arrays.fill(body, (byte) 'x');
                run(http, "warm-up direct", direct, body, concurrency, 2);
                run(http, "warm-up bridge", bridged, body, concurrency, 2);
                Result d = run(http, "direct", direct, body, concurrency, seconds);
                Result br = run(http, "bridge", bridged, body, concurrency, seconds);
                System.out.printf(
                        Locale.ROOT, "%n%-8s %10s %10s %10s %8s%n", "path", "req/s", "p50 us", "p99 us", "errors");
                for (Result r : List.of(d, br))
                    System.out.printf(
                            Locale.ROOT,
                            "%-8s %10.0f %10d %10d %8d%n",
                            r.name(),
                            r.rps(),
                            r.p50Micros(),
                            r.p99Micros(),
                            r.errors());
                System.out.printf(
                        Locale.ROOT,
                        "bridge/direct: throughput %.2fx, p50 %.2fx, p99 %.2fx (concurrency %d, %d-byte bodies, %d s each)%n",
                        br.rps() / d.rps(),
                        (double) br.p50Micros() / d.p50Micros(),
                        (double) br.p99Micros() / d.p99Micros(),
                        concurrency,
                        bodyBytes,
                        seconds);
            }
        } finally {
            service.stop(0);
        }
    }

    static Result run(HttpClient http, String name, String url, byte[] body, int concurrency, int seconds)
            throws InterruptedException {
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            ts.add(Thread.ofVirtual().start(() -> {
                List<Long> mine = new ArrayList<>();
                HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200 || r.body().length != body.length) errors.incrementAndGet();
                        else mine.add(System.nanoTime() - s);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                samples.add(mine.stream().mapToLong(Long::longValue).toArray());
            }));
        }
        for (Thread t : ts) t.join();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (all.length == 0) return new Result(name, 0, elapsed, 0, 0, errors.get());
        return new Result(
                name,
                all.length,
                elapsed,
                all[all.length / 2] / 1000,
                all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1000,
                errors.get());
    }
}
