package dev.hyperj.chain.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ChainMetricsTest {
    @Test
    void gaugesFollowTheNodeAndCountersCountItsBlocks() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChainNode[] holder = new ChainNode[1];
        try (ChainNode node = ChainNode.start(NodeConfig.dev(20).withInstantSeal(true))) {
            holder[0] = node;
            try (ChainMetrics m = ChainMetrics.bind(registry, () -> holder[0]).countBlocks(node)) {
                System.gc(); // the gauges hold their suppliers strongly: a collection must not turn them into NaN
                node.produceBlocks(3);
                assertThat(registry.get("hyperj_chain_best_block").gauge().value())
                        .isEqualTo(node.bestHeader().number())
                        .isGreaterThanOrEqualTo(3);
                assertThat(registry.get("hyperj_chain_blocks_imported_total")
                                .counter()
                                .count())
                        .isEqualTo(3);
                assertThat(registry.get("hyperj_chain_txpool_pending").gauge().value())
                        .isZero();
            }
        }
        assertThat(registry.get("hyperj_chain_best_block").gauge().value())
                .as("a closed node reads as NaN, not as a stale number")
                .isNaN();
    }
}
