package dev.hyperj.cli.devnet;

import dev.hyperj.examples.inference.InferenceApp;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.subnet.node.SubnetApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How a {@link Devnet} runs.
 *
 * @param nodes        subnet nodes started with the devnet (at least 3, the chain's minimum of initial validators)
 * @param blockTimeMs  block production period of the dev chain
 * @param epochLength  blocks per epoch (the subnet's attest window is the first quarter of it)
 * @param basePath     directory for the chain database and the nodes' storage; empty = a temporary
 *                     directory deleted by {@link Devnet#close}
 * @param rpcPort      JSON-RPC port on 127.0.0.1 (0 = any free port, kept across {@link Devnet#restartChain})
 * @param application  the application of node {@code i}
 * @param gossip       the nodes' GossipSub parameters
 * @param progress     told what the devnet is doing while it starts and until its first epoch report
 * @param shared       true (the default): the nodes share one view of the chain (one head subscription,
 *                     each read once per block, see {@link dev.hyperj.chain.client.SharedChain}) and
 *                     their I/O and worker threads ({@link dev.hyperj.subnet.node.NodeThreads});
 *                     false: each node has its own RPC connection and threads, as separate processes
 *                     would (what a devnet cost before sharing; past ~100 nodes it loses consensus)
 */
public record DevnetConfig(
        int nodes,
        long blockTimeMs,
        int epochLength,
        Optional<Path> basePath,
        int rpcPort,
        Function<Integer, SubnetApplication> application,
        GossipConfig gossip,
        Consumer<DevnetProgress> progress,
        boolean shared) {
    /** The application every node runs unless told otherwise: the example inference subnet. */
    public static final Function<Integer, SubnetApplication> DEFAULT_APPLICATION = i -> new InferenceApp();

    public DevnetConfig {
        if (nodes < 3)
            throw new IllegalArgumentException(
                    "a devnet needs at least 3 nodes (the chain's minimum of initial validators)");
        if (blockTimeMs < 1) throw new IllegalArgumentException("block time must be positive");
        if (epochLength < 8)
            throw new IllegalArgumentException("epoch length must be at least 8 blocks (slots 0..2 are reserved)");
        if (rpcPort < 0 || rpcPort > 65535) throw new IllegalArgumentException("rpc port must be in [0, 65535]");
        Objects.requireNonNull(basePath, "basePath");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(gossip, "gossip");
        Objects.requireNonNull(progress, "progress");
    }

    /**
     * {@code nodes} nodes, {@link #defaultBlockTimeMs} blocks (500 ms up to 64 nodes), 20-block epochs, a temporary directory, any free RPC
     * port, the default application, gossip heartbeats every 500 ms.
     */
    public static DevnetConfig defaults(int nodes) {
        GossipConfig g = GossipConfig.defaults().toBuilder()
                .heartbeat(Duration.ofMillis(500), Duration.ofMillis(100))
                .build();
        return new DevnetConfig(
                nodes, defaultBlockTimeMs(nodes), 20, Optional.empty(), 0, DEFAULT_APPLICATION, g, p -> {}, true);
    }

    /**
     * The block time a devnet of {@code nodes} runs well with on a small (2-core) machine: 500 ms up
     * to 64 nodes, then in proportion to the nodes (1000 ms at 128, 2000 at 256). Each epoch every
     * node checks every other node's heartbeat and challenge answer, so an epoch's work grows with
     * the square of the nodes; the attest window (a quarter of the epoch) must hold the proposal and
     * the attestations after it.
     */
    public static long defaultBlockTimeMs(int nodes) {
        return 500L * Math.max(1, (nodes + 63) / 64);
    }

    public DevnetConfig withNodes(int n) {
        return new DevnetConfig(n, blockTimeMs, epochLength, basePath, rpcPort, application, gossip, progress, shared);
    }

    public DevnetConfig withBlockTimeMs(long ms) {
        return new DevnetConfig(nodes, ms, epochLength, basePath, rpcPort, application, gossip, progress, shared);
    }

    public DevnetConfig withEpochLength(int blocks) {
        return new DevnetConfig(nodes, blockTimeMs, blocks, basePath, rpcPort, application, gossip, progress, shared);
    }

    public DevnetConfig withBasePath(Path p) {
        return new DevnetConfig(
                nodes,
                blockTimeMs,
                epochLength,
                Optional.ofNullable(p),
                rpcPort,
                application,
                gossip,
                progress,
                shared);
    }

    public DevnetConfig withRpcPort(int port) {
        return new DevnetConfig(nodes, blockTimeMs, epochLength, basePath, port, application, gossip, progress, shared);
    }

    public DevnetConfig withApplication(Function<Integer, SubnetApplication> app) {
        return new DevnetConfig(nodes, blockTimeMs, epochLength, basePath, rpcPort, app, gossip, progress, shared);
    }

    public DevnetConfig withGossip(GossipConfig g) {
        return new DevnetConfig(nodes, blockTimeMs, epochLength, basePath, rpcPort, application, g, progress, shared);
    }

    /** Whether nodes share one chain view and their threads (default) or each have their own; see the record's doc. */
    public DevnetConfig withShared(boolean share) {
        return new DevnetConfig(
                nodes, blockTimeMs, epochLength, basePath, rpcPort, application, gossip, progress, share);
    }

    public DevnetConfig withProgress(Consumer<DevnetProgress> p) {
        return new DevnetConfig(nodes, blockTimeMs, epochLength, basePath, rpcPort, application, gossip, p, shared);
    }
}
