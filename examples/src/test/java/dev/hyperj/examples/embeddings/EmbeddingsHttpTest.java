package dev.hyperj.examples.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.api.NodeApiConfig;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/embeddings} on a real running node: a staked embeddings node on a dev chain, its
 * network API on a loopback port, asked by the JDK's HTTP client over real sockets. The OpenAI
 * shape and the model's vectors; hostile input answered with the right status and a clear JSON
 * error, after which the node still serves.
 */
@Timeout(180)
class EmbeddingsHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static DevChain chain;
    static SubnetNode node;
    static HttpClient http;
    static URI url;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startANode() throws Exception {
        chain = DevChain.start(20);
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
        node = SubnetNode.start(
                SubnetNodeConfig.builder(sid, keys.get(0), DevChain.hotkey(1), dir.resolve("n0"))
                        .api(NodeApiConfig.loopback(0))
                        .build(),
                chain.client,
                new EmbeddingsApp());
        url = URI.create(node.apiUrl().orElseThrow() + OpenAiEmbeddings.PATH);
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stop() {
        if (http != null) http.close();
        if (node != null) node.close();
        if (chain != null) chain.close();
    }

    static HttpResponse<String> post(byte[] body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("content-type", contentType);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    static float[] embedding(JsonNode d) {
        float[] v = new float[d.path("embedding").size()];
        for (int j = 0; j < v.length; j++) v[j] = d.path("embedding").get(j).floatValue();
        return v;
    }

    @Test
    void aListWithTheModelsNameIsAnsweredInTheOpenAiShapeWithTheReferenceVectors() throws Exception {
        List<String> texts = List.of("A man is eating food.", "Crème brûlée in 東京, naïvely.", "x");
        HttpResponse<String> r = post(JSON.writeValueAsString(Map.of("input", texts, "model", "all-MiniLM-L6-v2")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode b = JSON.readTree(r.body());
        assertThat(b.path("object").asText()).isEqualTo("list");
        assertThat(b.path("model").asText()).isEqualTo(OpenAiEmbeddings.MODEL);
        assertThat(b.path("data")).hasSize(texts.size());
        float[][] served = Models.fp32().embed(texts);
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            JsonNode d = b.path("data").get(i);
            assertThat(d.path("object").asText()).isEqualTo("embedding");
            assertThat(d.path("index").asInt()).isEqualTo(i);
            float[] got = embedding(d);
            assertThat(got).hasSize(Embedder.DIMENSIONS).containsExactly(served[i]);
            assertThat(Vectors.maxAbsDiff(got, Models.CACHED_REFERENCE.embed(List.of(texts.get(i)))[0]))
                    .as("text %d against the pure-Java reference", i)
                    .isLessThan(1e-4);
            tokens += Models.tokenizer().encode(texts.get(i)).length;
        }
        assertThat(b.path("usage").path("prompt_tokens").asInt()).isEqualTo(tokens);
        assertThat(b.path("usage").path("total_tokens").asInt()).isEqualTo(tokens);
    }

    @Test
    void aSingleStringWithoutModelOrWithTheLongNameIsOneEmbedding() throws Exception {
        float[] expected = Models.fp32().embed(List.of("hello world"))[0];
        for (String body : List.of(
                "{\"input\":\"hello world\"}",
                "{\"input\":\"hello world\",\"model\":\"sentence-transformers/all-MiniLM-L6-v2\"}",
                "{\"input\":[\"hello world\"],\"model\":null,\"encoding_format\":\"float\"}")) {
            HttpResponse<String> r = post(body);
            assertThat(r.statusCode()).as(body).isEqualTo(200);
            JsonNode data = JSON.readTree(r.body()).path("data");
            assertThat(data).as(body).hasSize(1);
            assertThat(data.get(0).path("index").asInt()).isZero();
            assertThat(embedding(data.get(0))).as(body).containsExactly(expected);
        }
        // no content type at all is taken as JSON (clients that send none still work)
        assertThat(post("{\"input\":\"hello world\"}".getBytes(StandardCharsets.UTF_8), null)
                        .statusCode())
                .isEqualTo(200);
    }

    record Case(String name, byte[] body, String contentType, int status, String code, String message) {}

    static Case json(String name, String body, int status, String code, String message) {
        return new Case(name, body.getBytes(StandardCharsets.UTF_8), "application/json", status, code, message);
    }

    @Test
    void hostileInputIsAnsweredWithTheRightStatusAndAClearJsonErrorAndTheNodeKeepsServing() throws Exception {
        String tenThousand = JSON.writeValueAsString(Map.of("input", Collections.nCopies(10_000, "x")));
        String megabyteText = JSON.writeValueAsString(Map.of("input", "a".repeat(1_000_000)));
        byte[] oversized = JSON.writeValueAsBytes(Map.of("input", "a".repeat(2 << 20)));
        byte[] badUtf8 = {'{', '"', 'i', 'n', 'p', 'u', 't', '"', ':', '"', 'c', 'a', 'f', (byte) 0xE9, '"', '}'};
        List<Case> cases = List.of(
                json("no body", "", 400, "invalid_request", "JSON body is required"),
                json("empty text", "{\"input\":\"\"}", 400, "invalid_request", "empty string"),
                json("empty list", "{\"input\":[]}", 400, "invalid_request", "input is empty"),
                json("no input", "{\"model\":\"all-MiniLM-L6-v2\"}", 400, "invalid_request", "input is required"),
                json("10,000 texts", tenThousand, 413, "too_large", "10000 texts"),
                json("a megabyte of text", megabyteText, 413, "too_large", "1000000 bytes"),
                new Case("invalid UTF-8", badUtf8, "application/json", 400, "invalid_request", "not valid UTF-8"),
                json("bad JSON", "{\"input\": \"a\"", 400, "invalid_request", "not valid JSON"),
                json("JSON not an object", "[\"a\"]", 400, "invalid_request", "not a JSON object"),
                json("input a number", "{\"input\":42}", 400, "invalid_request", "not number"),
                json("input an object", "{\"input\":{\"a\":1}}", 400, "invalid_request", "not object"),
                json("token arrays", "{\"input\":[1,2,3]}", 400, "invalid_request", "token arrays"),
                json("mixed list", "{\"input\":[\"a\",3]}", 400, "invalid_request", "input[1] is not a string"),
                json("model a number", "{\"input\":\"a\",\"model\":7}", 400, "invalid_request", "model must be"),
                json(
                        "unknown model",
                        "{\"input\":\"a\",\"model\":\"text-embedding-3-small\"}",
                        400,
                        "invalid_request",
                        "model must be \"all-MiniLM-L6-v2\""),
                json("lone surrogate", "{\"input\":\"\\ud800\"}", 400, "invalid_request", "unpaired surrogate"),
                new Case(
                        "text/plain",
                        "{\"input\":\"a\"}".getBytes(StandardCharsets.UTF_8),
                        "text/plain",
                        415,
                        "unsupported_media_type",
                        "content-type: application/json"),
                new Case(
                        "a form (curl -d without -H)",
                        "input=a".getBytes(StandardCharsets.UTF_8),
                        "application/x-www-form-urlencoded",
                        415,
                        "unsupported_media_type",
                        "not application/x-www-form-urlencoded"),
                new Case(
                        "a body over the API's 1 MiB",
                        oversized,
                        "application/json",
                        413,
                        "body_too_large",
                        "exceeds 1048576 bytes"));
        for (Case c : cases) {
            HttpResponse<String> r = post(c.body(), c.contentType());
            assertThat(r.statusCode()).as("%s: %s", c.name(), r.body()).isEqualTo(c.status());
            assertThat(r.headers().firstValue("content-type"))
                    .as(c.name())
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode e = JSON.readTree(r.body()).path("error");
            assertThat(e.path("code").asText()).as(c.name()).isEqualTo(c.code());
            assertThat(e.path("message").asText()).as(c.name()).contains(c.message());
        }
        HttpResponse<String> get =
                http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(get.body()).path("error").path("code").asText())
                .isEqualTo("method_not_allowed");

        // still serving, the right vectors
        HttpResponse<String> ok = post("{\"input\":\"still serving\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(embedding(JSON.readTree(ok.body()).path("data").get(0)))
                .containsExactly(Models.fp32().embed(List.of("still serving"))[0]);
    }
}
