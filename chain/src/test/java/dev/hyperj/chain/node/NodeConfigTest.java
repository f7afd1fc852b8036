package dev.hyperj.chain.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyperj.chain.crypto.DevAccounts;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
    @Test
    void eachCopyChangesItsSettingAndKeepsEveryOther() {
        NodeConfig base = NodeConfig.dev(20).toBuilder()
                .author(DevAccounts.BALTATHAR.account())
                .maxBlockTxs(7)
                .futureTtl(9, 900)
                .build();
        NodeConfig changed = base.withBasePath(Path.of("/tmp/x"))
                .withBlockTimeMs(250)
                .withInstantSeal(true)
                .withChainId("other")
                .withPoolBounds(100, 8);
        assertEquals(
                new NodeConfig(
                        "other",
                        base.genesis(),
                        Optional.of(Path.of("/tmp/x")),
                        250,
                        true,
                        DevAccounts.BALTATHAR.account(),
                        100,
                        8,
                        7,
                        9,
                        900),
                changed);
        assertEquals(base, base.toBuilder().build());
        assertEquals(Optional.empty(), changed.withBasePath(null).basePath());
    }

    @Test
    void theBuilderValidatesLikeTheConstructor() {
        NodeConfig dev = NodeConfig.dev(20);
        assertThrows(IllegalArgumentException.class, () -> dev.withBlockTimeMs(0));
        assertThrows(IllegalArgumentException.class, () -> dev.withChainId(""));
        assertThrows(IllegalArgumentException.class, () -> dev.withPoolBounds(0, 1));
        assertThrows(IllegalArgumentException.class, () -> dev.withFutureTtl(1, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> dev.toBuilder().maxBlockTxs(0).build());
    }
}
