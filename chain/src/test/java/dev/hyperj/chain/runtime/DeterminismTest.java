package dev.hyperj.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.chain.scale.Scale;
import dev.hyperj.chain.storage.StateRoot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeterminismTest {
    @Test
    void replayingTheSameBlocksGivesTheSameStateRoots() {
        List<String> first = ReplayMain.roots();
        List<String> second = ReplayMain.roots();
        assertThat(first).hasSize(13);
        // every block changed the state; the last line is the root recomputed from the backend after applying the block
        assertThat(first.subList(0, 12)).doesNotHaveDuplicates();
        assertThat(first.get(12)).isEqualTo(first.get(11));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aFreshProcessComputesTheSameStateRoots() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ReplayMain.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().toList();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("child output %s", lines).isZero();
        assertThat(lines).isEqualTo(ReplayMain.roots());
    }

    @Test
    void genesisIsDataThatRoundTripsThroughJson() throws Exception {
        GenesisConfig g = GenesisConfig.dev();
        ObjectMapper json = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());
        String text = json.writeValueAsString(g);
        assertThat(text).contains("\"epochLength\":20").contains("0xf24ff3a9cf04c71dbc94d0b566f7a27b94566cac");
        GenesisConfig back = json.readValue(text, GenesisConfig.class);
        assertThat(back).isEqualTo(g);
        Call.RegisterSubnet call = new Call.RegisterSubnet(
                java.math.BigInteger.TEN, Scenario.subnetData("json", java.util.Map.of(1, 1, 2, 1, 3, 1)));
        assertThat(json.readValue(json.writeValueAsString(call), Call.RegisterSubnet.class))
                .isEqualTo(call);
        InMemoryChain a = new InMemoryChain(g), b = new InMemoryChain(back);
        assertThat(a.stateRoot()).isEqualTo(b.stateRoot());
        assertThat(StateRoot.compute(a.state())).isEqualTo(a.stateRoot());
    }

    @Test
    void callsHaveStableScaleIndicesAndRoundTrip() {
        assertThat(Scale.variantIndex(Call.class, new Call.Transfer(Scenario.account("a"), java.math.BigInteger.ONE)))
                .isZero();
        assertThat(Scale.variantIndex(
                        Call.class,
                        new Call.RegisterValidator(
                                Scenario.account("a"),
                                java.math.BigInteger.ONE,
                                java.util.Optional.empty(),
                                Model.ValidatorIdentity.named("x"))))
                .isEqualTo(1);
        Scenario sc = new Scenario();
        List<Call> calls = List.of(
                sc.nodeCall(1, 128001, 5),
                new Call.ClaimUnbondings(),
                new Call.ProposeAttestation(
                        128001,
                        2,
                        List.of(new Model.NodeScore(1, java.math.BigInteger.TEN)),
                        java.util.Optional.of(3),
                        java.util.Optional.empty(),
                        java.util.Optional.of(dev.hyperj.p2p.bytes.Bytes.utf8("args")),
                        java.util.Optional.empty()),
                new Call.RegisterSubnet(
                        java.math.BigInteger.TEN, Scenario.subnetData("codec", java.util.Map.of(1, 1, 2, 1, 3, 1))));
        for (Call c : calls) {
            byte[] enc = Scale.encode(Call.class, c);
            assertThat(Scale.decode(Call.class, enc)).isEqualTo(c);
        }
    }
}
