package dev.hyperj.overwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeartbeatShareTest {
    static java.util.function.LongFunction<Set<Integer>> heard(Map<Long, Set<Integer>> m) {
        return e -> m.getOrDefault(e, Set.of());
    }

    @Test
    void countsRecentEpochsAfterJoiningAndTheCurrentOneOnceAQuarterThrough() {
        var h = heard(Map.of(11L, Set.of(1, 2), 12L, Set.of(1), 13L, Set.of(1, 2), 14L, Set.of(2)));
        // joined in 10: epochs 11..13 count, 14 not yet (10% through)
        assertThat(SubnetProbe.heartbeatShare(1, h, 10, 14, 0.1)).contains(1.0);
        assertThat(SubnetProbe.heartbeatShare(2, h, 10, 14, 0.1)).contains(2.0 / 3);
        // 14 counts once a quarter through; only the last 4 epochs (11..14)
        assertThat(SubnetProbe.heartbeatShare(1, h, 10, 14, 0.5)).contains(0.75);
        assertThat(SubnetProbe.heartbeatShare(3, h, 10, 14, 0.5)).contains(0.0);
    }

    @Test
    void silenceWhileTheMeshFormsIsNotHeldAgainstNodesButLaterItIs() {
        var nothing = heard(Map.of());
        assertThat(SubnetProbe.heartbeatShare(1, nothing, 10, 13, 0.9)).isEmpty();
        assertThat(SubnetProbe.heartbeatShare(1, nothing, 10, 16, 0.9)).contains(0.0);
        // joined in 10; epochs 11 and 12 silent (mesh forming), 13 heard node 2 only
        var forming = heard(Map.of(13L, Set.of(2)));
        assertThat(SubnetProbe.heartbeatShare(1, forming, 10, 13, 0.9)).contains(0.0);
        assertThat(SubnetProbe.heartbeatShare(2, forming, 10, 13, 0.9)).contains(1.0);
    }
}
