package dev.hyperj.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.examples.embeddings.EmbeddingsApp;
import dev.hyperj.examples.embeddings.EmbeddingsException;
import dev.hyperj.examples.embeddings.EmbeddingsProtocol;
import dev.hyperj.examples.embeddings.Models;
import dev.hyperj.examples.embeddings.OpenAiEmbeddings;
import dev.hyperj.examples.embeddings.Receipt;
import dev.hyperj.examples.embeddings.Vectors;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import dev.hyperj.subnet.api.ApiRequest;
import dev.hyperj.subnet.api.ApiResponse;
import dev.hyperj.subnet.node.SubnetNode;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperj devnet --app embeddings --faulty 1}: four nodes, the last serving the int8 model.
 * Users get the model's embeddings from every honest node; the int8 node is caught by the spot
 * checks (evidence every honest node checked) and by the challenge, is scored out in epochs that
 * reach consensus, and loses reputation.
 */
@Timeout(300)
class DevnetEmbeddingsTest {
    static final int FAULTY = 3;
    static final List<String> TEXTS = List.of("A man is eating food.", "Sentence embeddings for semantic search.");

    @TempDir
    Path dir;

    @Test
    void honestNodesServeUsersTheInt8NodeIsCaughtScoredOutAndLosesReputation() throws Exception {
        Map<Integer, EmbeddingsApp> apps = new java.util.concurrent.ConcurrentHashMap<>();
        DevnetConfig cfg = DevnetConfig.defaults(4)
                .withBasePath(dir.resolve("devnet"))
                .withApplication(i -> {
                    EmbeddingsApp app = i == FAULTY ? EmbeddingsApp.faulty() : new EmbeddingsApp();
                    apps.put(i, app);
                    return app;
                });
        try (Devnet devnet = Devnet.start(cfg)) {
            int faultyId = devnet.node(FAULTY).subnetNodeId();
            usersAreServedByEveryNode(devnet);

            // two consecutive epochs of consensus whose scores leave the int8 node out and keep the others
            List<EpochReport> run = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
            long next = devnet.firstReportEpoch();
            while (run.size() < 2) {
                assertThat(System.nanoTime())
                        .as(
                                "2 consecutive epochs of consensus without the int8 node; reports so far %s",
                                devnet.reports())
                        .isLessThan(deadline);
                EpochReport r = devnet.reportFor(next).get(120, TimeUnit.SECONDS);
                next = r.subnetEpoch() + 1;
                boolean right = r.consensus()
                        && r.nodes().stream().allMatch(n -> n.score().isPresent() == (n.index() != FAULTY));
                if (right && (run.isEmpty() || run.get(run.size() - 1).subnetEpoch() == r.subnetEpoch() - 1))
                    run.add(r);
                else if (right) run = new ArrayList<>(List.of(r));
                else run.clear();
            }
            EpochReport last = run.get(1);
            for (EpochReport r : run) assertThat(r.attestationRatio()).isGreaterThanOrEqualTo(0.66);

            // the int8 node lost reputation; the honest ones did not
            EpochReport first = devnet.reports().get(0);
            BigInteger before = first.node(faultyId).orElseThrow().reputation();
            assertThat(last.node(faultyId).orElseThrow().reputation()).isLessThan(before);
            for (DevnetNode n : devnet.nodes())
                if (n.index() != FAULTY)
                    assertThat(last.node(n.subnetNodeId()).orElseThrow().reputationRatio())
                            .as("reputation of honest node %d", n.subnetNodeId())
                            .isGreaterThanOrEqualTo(
                                    first.node(n.subnetNodeId()).orElseThrow().reputationRatio());

            // every honest node holds checked evidence against the int8 node and none against the others,
            // and heard its wrong challenge answer
            String right = apps.get(0).rightAnswer(devnet.subnetId(), last.subnetEpoch() - 1);
            for (DevnetNode n : devnet.nodes()) {
                EmbeddingsApp app = apps.get(n.index());
                assertThat(app.caught().values().stream().flatMap(java.util.Set::stream))
                        .as("node %d's evidence", n.subnetNodeId())
                        .contains(faultyId)
                        .containsOnly(faultyId);
                Map<Integer, String> heard = app.challengeAnswers(last.subnetEpoch() - 1);
                assertThat(heard.get(faultyId)).isNotNull().isNotEqualTo(right);
                for (DevnetNode h : devnet.nodes())
                    if (h.index() != FAULTY)
                        assertThat(heard.get(h.subnetNodeId())).isEqualTo(right);
            }
        }
    }

    /** Through each node's POST /v1/embeddings route, and from node 0 to the others over the peer protocol. */
    private static void usersAreServedByEveryNode(Devnet devnet) throws Exception {
        ObjectMapper json = new ObjectMapper();
        float[][] reference = Models.reference().embed(TEXTS);
        byte[] body = json.writeValueAsBytes(Map.of("input", TEXTS, "model", OpenAiEmbeddings.MODEL));
        for (DevnetNode n : devnet.nodes()) {
            SubnetNode node = n.subnetNode().orElseThrow();
            var route = node.context().api().find("POST", OpenAiEmbeddings.PATH).orElseThrow();
            ApiResponse r = route.handler()
                    .handle(new ApiRequest(
                            "POST",
                            OpenAiEmbeddings.PATH,
                            Map.of(),
                            Map.of(),
                            body,
                            new InetSocketAddress("127.0.0.1", 1)));
            assertThat(r.status()).isEqualTo(200);
            JsonNode data = json.readTree(r.body()).path("data");
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] got = new float[384];
                for (int j = 0; j < 384; j++)
                    got[j] = data.get(i).path("embedding").get(j).floatValue();
                double diff = Vectors.maxAbsDiff(got, reference[i]);
                if (n.index() == FAULTY)
                    assertThat(diff).as("the int8 node's vector").isGreaterThan(1e-3);
                else assertThat(diff).as("node %d's vector", n.index()).isLessThan(1e-4);
            }
        }
        Host asker = devnet.node(0).subnetNode().orElseThrow().context().host();
        for (DevnetNode n : devnet.nodes().subList(1, 4)) {
            Receipt r = EmbeddingsProtocol.embed(asker, n.peerId(), 1, TEXTS).get(30, TimeUnit.SECONDS);
            assertThat(r.signedBy(n.peerId())).isTrue();
            assertThat(r.wrong(Models.CACHED_REFERENCE, 1e-3))
                    .isEqualTo(n.index() == FAULTY ? List.of(0, 1) : List.of());
        }
        // hostile input over the peer protocol is answered with an error, and the node keeps serving
        var honest = devnet.node(1).peerId();
        byte[] junk = RequestResponse.request(
                        asker,
                        honest,
                        EmbeddingsProtocol.ID,
                        "{\"epoch\":1,\"texts\":[\"\\ud800\"]}".getBytes(StandardCharsets.UTF_8),
                        EmbeddingsProtocol.OPTIONS)
                .get(30, TimeUnit.SECONDS);
        assertThat(new String(junk, StandardCharsets.UTF_8)).contains("error").contains("unpaired surrogate");
        assertThatThrownBy(() -> EmbeddingsProtocol.embed(asker, honest, 1, List.of()))
                .isInstanceOf(EmbeddingsException.class);
        assertThat(EmbeddingsProtocol.embed(asker, honest, 1, List.of("still serving"))
                        .get(30, TimeUnit.SECONDS)
                        .vectors())
                .hasDimensions(1, 384);
    }
}
