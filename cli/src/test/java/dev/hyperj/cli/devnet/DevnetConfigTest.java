package dev.hyperj.cli.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.subnet.node.SubnetApplication;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DevnetConfigTest {
    @Test
    void eachCopyChangesItsSettingAndKeepsEveryOther() {
        DevnetConfig d = DevnetConfig.defaults(4);
        Function<Integer, SubnetApplication> app = i -> DevnetConfig.DEFAULT_APPLICATION.apply(i);
        GossipConfig g = GossipConfig.defaults();
        Consumer<DevnetProgress> progress = p -> {};
        DevnetConfig changed = d.withNodes(5)
                .withBlockTimeMs(700)
                .withEpochLength(12)
                .withBasePath(Path.of("/tmp/devnet"))
                .withRpcPort(9944)
                .withApplication(app)
                .withGossip(g)
                .withProgress(progress)
                .withShared(false);
        assertEquals(
                new DevnetConfig(5, 700, 12, Optional.of(Path.of("/tmp/devnet")), 9944, app, g, progress, false),
                changed);
        assertEquals(d, d.toBuilder().build());
        assertEquals(Optional.empty(), changed.withBasePath(null).basePath());
    }

    @Test
    void theBuilderValidatesLikeTheConstructor() {
        DevnetConfig d = DevnetConfig.defaults(4);
        assertThrows(IllegalArgumentException.class, () -> d.withNodes(2));
        assertThrows(IllegalArgumentException.class, () -> d.withEpochLength(7));
        assertThrows(IllegalArgumentException.class, () -> d.withRpcPort(70000));
        assertThrows(NullPointerException.class, () -> d.withGossip(null));
    }
}
