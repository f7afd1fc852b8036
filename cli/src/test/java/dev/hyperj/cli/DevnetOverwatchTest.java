package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.math.U128;
import dev.hyperj.cli.devnet.Devnet;
import dev.hyperj.cli.devnet.DevnetConfig;
import dev.hyperj.cli.devnet.DevnetOverwatch;
import dev.hyperj.overwatch.AgentEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyperj devnet --overwatch 1}: the agent qualifies, commits, reveals and is paid within a devnet's lifetime. */
@Timeout(180)
class DevnetOverwatchTest {
    @TempDir
    Path dir;

    @Test
    void anOverwatchAgentQualifiesCommitsRevealsAndIsPaid() throws Exception {
        // 8-block epochs of 250 ms: overwatch epochs of 16 subnet epochs (32 s); the registration phase (10
        // epochs, 20 s) leaves a loaded machine time to start the nodes
        DevnetConfig cfg =
                DevnetConfig.defaults(3).withBlockTimeMs(250).withEpochLength(8).withBasePath(dir.resolve("devnet"));
        try (Devnet devnet = Devnet.start(cfg)) {
            DevnetOverwatch ow = devnet.startOverwatch(1);
            List<AgentEvent> events = new CopyOnWriteArrayList<>();
            CompletableFuture<AgentEvent.Earned> paid = new CompletableFuture<>();
            ow.onEvent(e -> {
                events.add(e);
                if (e instanceof AgentEvent.Earned r && r.reward().signum() > 0) paid.complete(r);
            });
            AgentEvent.Earned earned = paid.get(120, TimeUnit.SECONDS);
            long epoch = earned.overwatchEpoch();
            DevnetOverwatch.Status s = ow.statuses().get(0);
            assertThat(s.overwatchNodeId()).isPresent();
            AgentEvent.Revealed revealed = s.revealed().orElseThrow();
            assertThat(revealed.overwatchEpoch()).isEqualTo(epoch);
            // the devnet's subnet declares the inference check, and the agent used it
            assertThat(events)
                    .filteredOn(e -> e instanceof AgentEvent.Measured m && m.overwatchEpoch() == epoch)
                    .singleElement()
                    .satisfies(e -> {
                        AgentEvent.Measured m = (AgentEvent.Measured) e;
                        assertThat(m.check()).isEqualTo("hyperj-inference/1");
                        assertThat(m.nodes()).hasSize(3).allMatch(n -> Boolean.TRUE.equals(n.checkPassed()));
                    });
            assertThat(devnet.chain()
                            .overwatchReveals(epoch, s.overwatchNodeId().get()))
                    .isEqualTo(revealed.weights())
                    .containsOnlyKeys(devnet.subnetId());
            // every node served right answers (service 1), so the weight is at least half, whatever the
            // subnet's consensus did in such short epochs on a busy machine
            assertThat(U128.toRatio(revealed.weights().get(devnet.subnetId()))).isGreaterThanOrEqualTo(0.5);

            StringWriter table = new StringWriter();
            DevnetCommand.overwatchTable(new PrintWriter(table, true), ow.statuses());
            assertThat(table.toString())
                    .contains("overwatch ow0 (n0's validator, node "
                            + s.overwatchNodeId().get() + ")")
                    .contains("committed ow-epoch")
                    .contains("revealed ow-epoch " + epoch)
                    .contains("earned +");
        }
    }
}
