package dev.hyperj.examples.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.subnet.api.ApiRequest;
import dev.hyperj.subnet.api.ApiResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/embeddings}: the OpenAI shape, the model's vectors, and clear errors for hostile input. */
class OpenAiEmbeddingsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final OpenAiEmbeddings api = new OpenAiEmbeddings(
            new EmbeddingService(Models.fp32(), Keys.generate(KeyType.ED25519)), Models.tokenizer(), () -> 7);

    static ApiRequest post(byte[] body) {
        return new ApiRequest(
                "POST", OpenAiEmbeddings.PATH, Map.of(), Map.of(), body, new InetSocketAddress("127.0.0.1", 1));
    }

    static ApiRequest post(String body) {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(ApiResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void aListIsAnsweredInTheOpenAiShapeWithTheModelsVectors() throws Exception {
        List<String> texts = List.of("A man is eating food.", "Crème brûlée 東京");
        ApiResponse r = api.handle(post(JSON.writeValueAsString(Map.of("input", texts, "model", "all-MiniLM-L6-v2"))));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("content-type", "application/json");
        JsonNode b = json(r);
        assertThat(b.path("object").asText()).isEqualTo("list");
        assertThat(b.path("model").asText()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(b.path("data")).hasSize(2);
        float[][] expected = Models.fp32().embed(texts);
        int tokens = 0;
        for (int i = 0; i < 2; i++) {
            JsonNode d = b.path("data").get(i);
            assertThat(d.path("object").asText()).isEqualTo("embedding");
            assertThat(d.path("index").asInt()).isEqualTo(i);
            float[] got = new float[d.path("embedding").size()];
            for (int j = 0; j < got.length; j++)
                got[j] = d.path("embedding").get(j).floatValue();
            assertThat(got).containsExactly(expected[i]); // floats survive JSON exactly
            assertThat(Vectors.maxAbsDiff(got, Models.reference().embed(texts.get(i))))
                    .isLessThan(1e-4);
            tokens += Models.tokenizer().encode(texts.get(i)).length;
        }
        assertThat(b.path("usage").path("prompt_tokens").asInt()).isEqualTo(tokens);
        assertThat(b.path("usage").path("total_tokens").asInt()).isEqualTo(tokens);
    }

    @Test
    void aSingleStringWithoutModelIsOneEmbedding() throws Exception {
        ApiResponse r = api.handle(post("{\"input\":\"hello world\"}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).path("data")).hasSize(1);
        assertThat(json(r).path("data").get(0).path("embedding")).hasSize(384);
    }

    @Test
    void hostileInputIsAnsweredWithClearErrorsAndTheNodeKeepsServing() throws Exception {
        String many = JSON.writeValueAsString(Map.of("input", java.util.Collections.nCopies(10_000, "x")));
        String megabyteText = JSON.writeValueAsString(Map.of("input", "a".repeat(1_000_000)));
        String megabyteBody = JSON.writeValueAsString(Map.of("input", "a".repeat(1_100_000)));
        byte[] badUtf8 = "{\"input\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1); // a lone 0xE9 byte
        Object[][] cases = {
            {"", 400, "JSON body is required"},
            {"{\"input\":\"\"}", 400, "empty string"},
            {"{\"input\":[]}", 400, "input is empty"},
            {"{\"input\":[\"ok\",\"\"]}", 400, "input[1] is an empty string"},
            {"{}", 400, "input is required"},
            {many, 413, "10000 texts"},
            {megabyteText, 413, "1000000 bytes"},
            {megabyteBody, 413, "at most 1048576"},
            {badUtf8, 400, "not valid UTF-8"},
            {"not json", 400, "not valid JSON"},
            {"[\"a\"]", 400, "not a JSON object"},
            {"{\"input\":42}", 400, "not number"},
            {"{\"input\":{\"a\":1}}", 400, "not object"},
            {"{\"input\":[1,2,3]}", 400, "token arrays"},
            {"{\"input\":[\"a\",3]}", 400, "input[1] is not a string"},
            {"{\"input\":\"a\",\"model\":\"text-embedding-3-small\"}", 400, "model must be"},
            {"{\"input\":\"a\",\"model\":7}", 400, "model must be"},
            {"{\"input\":\"a\",\"encoding_format\":\"base64\"}", 400, "encoding_format"},
            {"{\"input\":\"a\",\"dimensions\":128}", 400, "dimensions must be 384"},
            {"{\"input\":\"a\",\"temperature\":1}", 400, "unknown field"},
            {"{\"input\":\"\\ud800\"}", 400, "unpaired surrogate"},
        };
        for (Object[] c : cases) {
            byte[] body = c[0] instanceof byte[] b ? b : ((String) c[0]).getBytes(StandardCharsets.UTF_8);
            ApiResponse r = api.handle(post(body));
            String shown = body.length > 60
                    ? new String(body, 0, 60, StandardCharsets.UTF_8) + "..."
                    : new String(body, StandardCharsets.UTF_8);
            assertThat(r.status()).as(shown).isEqualTo(c[1]);
            JsonNode e = json(r).path("error");
            assertThat(e.path("code").asText())
                    .as(shown)
                    .isEqualTo((int) c[1] == 413 ? "too_large" : "invalid_request");
            assertThat(e.path("message").asText()).as(shown).contains((String) c[2]);
        }
        assertThat(api.handle(new ApiRequest("GET", OpenAiEmbeddings.PATH, Map.of(), Map.of(), new byte[0], null))
                        .status())
                .isEqualTo(405);
        // still serving
        assertThat(api.handle(post("{\"input\":\"still here\"}")).status()).isEqualTo(200);
    }

    @Test
    void pastItsConcurrencyTheServiceAnswersBusyInsteadOfQueueingForever() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(EmbeddingService.MAX_IN_FLIGHT);
        Embedder slow = new Embedder() {
            @Override
            public float[][] embed(List<String> texts) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Models.fp32().embed(texts);
            }

            @Override
            public String describe() {
                return "slow";
            }
        };
        OpenAiEmbeddings busy = new OpenAiEmbeddings(
                new EmbeddingService(slow, Keys.generate(KeyType.ED25519), 200), Models.tokenizer(), () -> 1);
        ExecutorService pool = Executors.newFixedThreadPool(EmbeddingService.MAX_IN_FLIGHT);
        try {
            List<Future<ApiResponse>> running = new ArrayList<>();
            for (int i = 0; i < EmbeddingService.MAX_IN_FLIGHT; i++)
                running.add(pool.submit(() -> busy.handle(post("{\"input\":\"wait\"}"))));
            assertThat(entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            ApiResponse refused = busy.handle(post("{\"input\":\"one more\"}"));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(json(refused).path("error").path("code").asText()).isEqualTo("busy");
            release.countDown();
            for (Future<ApiResponse> f : running) assertThat(f.get().status()).isEqualTo(200);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
