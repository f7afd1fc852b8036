package dev.hyperj.examples.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.examples.TestHosts;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import dev.hyperj.subnet.overwatch.OverwatchCheck;
import dev.hyperj.subnet.overwatch.OverwatchChecks;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embeddings subnet's overwatch check against real hosts over TCP: it passes a node serving
 * the fp32 model and fails one serving int8, one signing with a key not its own, one answering
 * junk and one not speaking the protocol.
 */
@Timeout(120)
class EmbeddingsCheckTest {
    static Host host() throws Exception {
        return TestHosts.loopback();
    }

    static OverwatchCheck.Verdict check(Host agent, Host node, long seed) throws Exception {
        agent.connect(node.listenAddresses().get(0).withPeerId(node.peerId())).get(10, TimeUnit.SECONDS);
        return new EmbeddingsCheck()
                .check(agent, node.peerId(), new Random(seed))
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void passesTheSubnetsModelAndFailsAnotherModelAForgedSignatureJunkAndSilence() throws Exception {
        try (Host agent = host();
                Host honest = host();
                Host int8 = host();
                Host forger = host();
                Host junk = host();
                Host silent = host()) {
            EmbeddingsProtocol.serve(honest, new EmbeddingService(Models.fp32(), honest.identity()));
            EmbeddingsProtocol.serve(int8, new EmbeddingService(Models.int8(), int8.identity()));
            // the right vectors, signed by a key that is not the forger's own
            EmbeddingService other = new EmbeddingService(Models.fp32(), Keys.generate(KeyType.ED25519));
            RequestResponse.register(
                    forger,
                    EmbeddingsProtocol.ID,
                    (ctx, bytes) -> Wire.encode(EmbeddingsProtocol.answer(other, bytes, ctx.peer())),
                    EmbeddingsProtocol.OPTIONS);
            RequestResponse.register(
                    junk, EmbeddingsProtocol.ID, (ctx, bytes) -> "not json".getBytes(StandardCharsets.UTF_8));

            for (long seed = 1; seed <= 2; seed++) {
                OverwatchCheck.Verdict ok = check(agent, honest, seed);
                assertThat(ok.passed()).as(ok.detail()).isTrue();
            }
            OverwatchCheck.Verdict wrong = check(agent, int8, 1);
            assertThat(wrong.passed()).isFalse();
            assertThat(wrong.detail()).startsWith("wrong embeddings");
            OverwatchCheck.Verdict forged = check(agent, forger, 1);
            assertThat(forged.passed()).isFalse();
            assertThat(forged.detail()).contains("signature not its own");
            assertThat(check(agent, junk, 1).passed()).isFalse();
            OverwatchCheck.Verdict none = check(agent, silent, 1);
            assertThat(none.passed()).isFalse();
            assertThat(none.detail()).startsWith("no embeddings");
        }
    }

    @Test
    void theQuestionIsFreshEachTime() {
        assertThat(SpotChecker.randomTexts(new Random(1), EmbeddingsCheck.TEXTS))
                .hasSize(EmbeddingsCheck.TEXTS)
                .isNotEqualTo(SpotChecker.randomTexts(new Random(2), EmbeddingsCheck.TEXTS));
    }

    @Test
    void theEmbeddingsAppDeclaresItAndTheClassPathProvidesIt() {
        String id = new EmbeddingsApp().overwatchCheck().orElseThrow();
        assertThat(id).isEqualTo(EmbeddingsCheck.ID);
        assertThat(OverwatchChecks.load().forMisc("owner text " + OverwatchChecks.declaration(id)))
                .get()
                .isInstanceOf(EmbeddingsCheck.class)
                .satisfies(c -> assertThat(c.protocols()).containsExactly(EmbeddingsProtocol.ID));
    }
}
