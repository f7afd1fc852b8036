package dev.hyperj.bench.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.examples.embeddings.EmbeddingService;
import dev.hyperj.examples.embeddings.EmbeddingsApp;
import dev.hyperj.examples.embeddings.EmbeddingsProtocol;
import dev.hyperj.examples.embeddings.MiniLm;
import dev.hyperj.examples.embeddings.Models;
import dev.hyperj.examples.embeddings.OnnxEmbedder;
import dev.hyperj.examples.embeddings.OpenAiEmbeddings;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.api.NodeApiConfig;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The embeddings subnet's serving path, measured in one run so the figures compare:
 *
 * <ol>
 *   <li>ONNX Runtime called directly (one text per call, {@code --concurrency} callers);
 *   <li>the same texts through the HTTP bridge: a staked {@link EmbeddingsApp} node on an in-process
 *       dev chain, its network API on a loopback port, asked {@code POST /v1/embeddings} by the
 *       JDK's HTTP client (JSON in, 384 floats as JSON out, a signed receipt inside the node);
 *   <li>the same texts through a node: a second host on loopback asks {@value EmbeddingsProtocol#ID}
 *       over TCP, Noise and Yamux, the node embeds with the same ONNX Runtime session and signs a
 *       receipt; texts/s and p50/p99 latency per request;
 *   <li>ONNX Runtime directly again: the machine may be shared, so the ratios of the node paths are
 *       to the mean of the direct runs before and after them;
 *   <li>the pure-Java reference forward pass against ONNX Runtime on a short sentence and on a
 *       256-token paragraph (medians of {@code --reps} single-threaded runs, the two alternated).
 * </ol>
 *
 * Usage: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.hyperj.bench.examples.EmbeddingsBench [--requests 400] [--concurrency 4] [--reps 5]}
 */
public final class EmbeddingsBench {
    public static void main(String[] args) throws Exception {
        int requests = 400, concurrency = 4, reps = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        List<String> texts = texts(requests);
        OnnxEmbedder ort = Models.fp32();
        MiniLm java = Models.reference();
        System.out.printf(
                Locale.ROOT,
                "embeddings bench: %d requests of 1 text, %d at once, %d cores%n",
                requests,
                concurrency,
                Runtime.getRuntime().availableProcessors());

        // warm-up of both paths
        for (int i = 0; i < 20; i++) ort.embed(List.of(texts.get(i)));

        Result direct = run(texts, concurrency, t -> ort.embed(List.of(t)));
        Result http;
        try (HttpNode node = HttpNode.start()) {
            for (int i = 0; i < 20; i++) node.embed(texts.get(i));
            http = run(texts, concurrency, node::embed);
        }

        Result libp2p;
        try (Host node = host();
                Host user = host()) {
            EmbeddingsProtocol.serve(node, new EmbeddingService(ort, node.identity()));
            user.connect(node.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++)
                EmbeddingsProtocol.embed(user, node.peerId(), 1, List.of(texts.get(i)))
                        .get(30, TimeUnit.SECONDS);
            libp2p = run(texts, concurrency, t -> join(EmbeddingsProtocol.embed(user, node.peerId(), 1, List.of(t))));
        }
        // the machine is shared: direct calls before and after the node paths, their mean the base of the ratios
        Result again = run(texts, concurrency, t -> ort.embed(List.of(t)));
        Result base = new Result(
                (direct.textsPerSecond() + again.textsPerSecond()) / 2,
                (direct.p50ms() + again.p50ms()) / 2,
                (direct.p99ms() + again.p99ms()) / 2);
        print("ONNX Runtime direct", direct, base);
        print("through a node (HTTP API)", http, base);
        print("through a node (libp2p)", libp2p, base);
        print("ONNX Runtime direct, again", again, base);

        String shortText = "A man is eating food.";
        String longText = "The decentralized network pays for useful work that others can check. ".repeat(40);
        for (int i = 0; i < 2; i++) java.embed(shortText);
        for (String[] c : new String[][] {{"short (8 tokens)", shortText}, {"long (256 tokens)", longText}}) {
            double[] ortMs = new double[reps], javaMs = new double[reps];
            for (int i = 0; i < reps; i++) { // alternated, so that both see the same load
                ortMs[i] = millis(() -> ort.embed(List.of(c[1])));
                javaMs[i] = millis(() -> java.embed(c[1]));
            }
            System.out.printf(
                    Locale.ROOT,
                    "pure-Java forward pass, %-18s %8.1f ms vs ONNX Runtime %7.1f ms: %.1fx (medians of %d)%n",
                    c[0],
                    median(javaMs),
                    median(ortMs),
                    median(javaMs) / median(ortMs),
                    reps);
        }
        System.exit(0);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Result(double textsPerSecond, double p50ms, double p99ms) {}

    private static Result run(List<String> texts, int concurrency, Consumer<String> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long[] nanos = new long[texts.size()];
        long start = System.nanoTime();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                int workers = concurrency;
                fs.add(pool.submit(() -> {
                    for (int i = worker; i < texts.size(); i += workers) {
                        long t0 = System.nanoTime();
                        call.accept(texts.get(i));
                        nanos[i] = System.nanoTime() - t0;
                    }
                }));
            }
            for (Future<?> f : fs) f.get(10, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Result(
                texts.size() / seconds,
                sorted[(int) (sorted.length * 0.50)] / 1e6,
                sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6);
    }

    private static void print(String what, Result r, Result base) {
        System.out.printf(
                Locale.ROOT,
                "%-27s %7.1f texts/s  p50 %6.1f ms  p99 %6.1f ms%s%n",
                what,
                r.textsPerSecond(),
                r.p50ms(),
                r.p99ms(),
                base == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "  vs direct: throughput %.2fx, p50 %.2fx, p99 %.2fx",
                                r.textsPerSecond() / base.textsPerSecond(),
                                r.p50ms() / base.p50ms(),
                                r.p99ms() / base.p99ms()));
    }

    private static double millis(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Varied sentences of 8 to 30 words, as users would send. */
    private static List<String> texts(int n) {
        List<String> words = Models.tokenizer().words();
        java.util.Random r = new java.util.Random(42);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder s = new StringBuilder();
            int len = 8 + r.nextInt(23);
            for (int w = 0; w < len; w++) s.append(w == 0 ? "" : " ").append(words.get(r.nextInt(words.size())));
            out.add(s.append('.').toString());
        }
        return out;
    }

    /** One staked embeddings node with its network API on a loopback port, and an HTTP client for it. */
    private record HttpNode(DevChain chain, SubnetNode node, HttpClient http, URI url, Path dir)
            implements AutoCloseable {
        static HttpNode start() throws Exception {
            Path dir = Files.createTempDirectory("embeddings-bench-");
            DevChain chain = DevChain.start(20);
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
            SubnetNode node = SubnetNode.start(
                    SubnetNodeConfig.builder(sid, keys.get(0), DevChain.hotkey(1), dir.resolve("n0"))
                            .api(NodeApiConfig.loopback(0))
                            .build(),
                    chain.client,
                    new EmbeddingsApp());
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            return new HttpNode(
                    chain, node, http, URI.create(node.apiUrl().orElseThrow() + OpenAiEmbeddings.PATH), dir);
        }

        void embed(String text) {
            try {
                HttpResponse<byte[]> r = http.send(
                        HttpRequest.newBuilder(url)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(
                                        JSON.writeValueAsBytes(Map.of("input", text, "model", OpenAiEmbeddings.MODEL))))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200
                        || JSON.readTree(r.body())
                                        .path("data")
                                        .path(0)
                                        .path("embedding")
                                        .size()
                                != 384)
                    throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            http.close();
            node.close();
            chain.close();
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Host host() throws Exception {
        Host h = Host.builder()
                .identity(Keys.generate(KeyType.ED25519))
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build();
        h.start().get(10, TimeUnit.SECONDS);
        return h;
    }
}
