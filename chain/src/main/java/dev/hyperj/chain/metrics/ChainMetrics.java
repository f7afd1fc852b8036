package dev.hyperj.chain.metrics;

import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.rpc.RpcServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A chain node's meters: best block, blocks and extrinsics imported, events, the transaction pool
 * and JSON-RPC latencies by method. The node is read through a supplier, so a node restarted in
 * place (the devnet does that) is followed.
 */
public final class ChainMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<AutoCloseable> handles = new ArrayList<>();

    private ChainMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds the gauges of {@code node} (read at scrape) to {@code registry}. */
    public static ChainMetrics bind(MeterRegistry registry, Supplier<ChainNode> node) {
        ChainMetrics m = new ChainMetrics(registry);
        // supplier gauges hold their supplier strongly; object gauges hold it weakly and read NaN once it is collected
        Gauge.builder(
                        "hyperj_chain_best_block",
                        () -> live(node) ? node.get().bestHeader().number() : Double.NaN)
                .description("Number of the best block")
                .register(registry);
        Gauge.builder(
                        "hyperj_chain_txpool_pending",
                        () -> live(node) ? node.get().pendingCount() : Double.NaN)
                .description("Transactions waiting in the pool")
                .register(registry);
        return m;
    }

    private static boolean live(Supplier<ChainNode> n) {
        ChainNode c = n.get();
        return c != null && !c.isClosed();
    }

    /** Counts blocks, extrinsics and events as {@code node} commits them (until closed). */
    public ChainMetrics countBlocks(ChainNode node) {
        Counter blocks = Counter.builder("hyperj_chain_blocks_imported_total")
                .description("Blocks committed")
                .register(registry);
        Counter extrinsics = Counter.builder("hyperj_chain_extrinsics_total")
                .description("Extrinsics included in committed blocks")
                .register(registry);
        Counter failed = Counter.builder("hyperj_chain_extrinsics_failed_total")
                .description("Included extrinsics whose call failed")
                .register(registry);
        Counter events = Counter.builder("hyperj_chain_events_total")
                .description("Runtime events emitted")
                .register(registry);
        handles.add(node.onBlock(b -> {
            blocks.increment();
            extrinsics.increment(b.outcome().results().size());
            failed.increment(b.outcome().results().stream().filter(r -> !r.ok()).count());
            events.increment(b.outcome().events().size());
        }));
        return this;
    }

    /** Times {@code server}'s JSON-RPC calls by method and outcome. */
    public ChainMetrics timeRpc(RpcServer server) {
        handles.add(server.observe((method, ok, nanos) -> Timer.builder("hyperj_rpc_request_seconds")
                .description("JSON-RPC calls, by method and outcome")
                .tags("method", method, "outcome", ok ? "ok" : "error")
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS)));
        return this;
    }

    @Override
    public void close() {
        for (AutoCloseable h : handles) {
            try {
                h.close();
            } catch (Exception e) {
                // listener handles do not fail
            }
        }
    }
}
