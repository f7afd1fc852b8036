package dev.hyperj.subnet.dag.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncConfigTest {
    @Test
    void eachCopyChangesItsNumbersAndKeepsEveryOther() {
        SyncConfig d = SyncConfig.defaults();
        SyncConfig changed = d
                .withAnnounceEvery(Duration.ofSeconds(9))
                .withRate(7.5, 11)
                .withCatchUps(2, 5)
                .withMaxAnnouncedHeads(64)
                .toBuilder()
                .requestTimeout(Duration.ofSeconds(4))
                .catchUpBackoff(Duration.ofSeconds(1))
                .build();
        assertEquals(
                new SyncConfig(
                        d.batch(),
                        d.maxAncestorDepth(),
                        d.maxResponseNodes(),
                        d.maxResponseBytes(),
                        7.5,
                        11,
                        Duration.ofSeconds(9),
                        Duration.ofSeconds(4),
                        2,
                        5,
                        Duration.ofSeconds(1),
                        64),
                changed);
        assertEquals(d, d.toBuilder().build());
    }

    @Test
    void theBuilderValidatesLikeTheConstructor() {
        SyncConfig d = SyncConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withRate(0, 1));
        assertThrows(IllegalArgumentException.class, () -> d.withCatchUps(0, 1));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxAnnouncedHeads(1025));
    }
}
