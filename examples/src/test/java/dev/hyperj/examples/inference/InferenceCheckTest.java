package dev.hyperj.examples.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.examples.TestHosts;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.protocol.reqresp.RequestResponse;
import dev.hyperj.subnet.overwatch.OverwatchCheck;
import dev.hyperj.subnet.overwatch.OverwatchChecks;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The inference subnet's overwatch check against real hosts: an honest node, a wrong model, a wrong answer format, no protocol. */
class InferenceCheckTest {
    static Host host() throws Exception {
        return TestHosts.loopback();
    }

    static OverwatchCheck.Verdict check(Host agent, Host node) throws Exception {
        agent.connect(node.listenAddresses().get(0).withPeerId(node.peerId())).get(10, TimeUnit.SECONDS);
        return new InferenceCheck().check(agent, node.peerId(), new Random(42)).get(20, TimeUnit.SECONDS);
    }

    @Test
    void passesTheReferenceModelAndFailsEverythingElse() throws Exception {
        try (Host agent = host();
                Host honest = host();
                Host wrongModel = host();
                Host garbage = host();
                Host silent = host()) {
            InferenceProtocol.serve(honest, InferenceModel.reference());
            InferenceProtocol.serve(wrongModel, InferenceModel.fromSeed(InferenceApp.FAULTY_SEED));
            RequestResponse.register(
                    garbage, InferenceProtocol.ID, (ctx, bytes) -> "not json".getBytes(StandardCharsets.UTF_8));

            assertThat(check(agent, honest).passed()).isTrue();
            OverwatchCheck.Verdict wrong = check(agent, wrongModel);
            assertThat(wrong.passed()).isFalse();
            assertThat(wrong.detail()).startsWith("wrong model output");
            assertThat(check(agent, garbage).passed()).isFalse();
            OverwatchCheck.Verdict none = check(agent, silent);
            assertThat(none.passed()).isFalse();
            assertThat(none.detail()).startsWith("no answer");
        }
    }

    @Test
    void theInferenceAppDeclaresItAndTheClassPathProvidesIt() {
        String id = new InferenceApp().overwatchCheck().orElseThrow();
        assertThat(OverwatchChecks.load().byId(id)).get().isInstanceOf(InferenceCheck.class);
        assertThat(OverwatchChecks.load().forMisc(OverwatchChecks.declaration(id)))
                .get()
                .satisfies(c -> assertThat(c.protocols()).containsExactly(InferenceProtocol.ID));
    }
}
