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
        return toBuilder().nodes(n).build();
    }

    public DevnetConfig withBlockTimeMs(long ms) {
        return toBuilder().blockTimeMs(ms).build();
    }

    public DevnetConfig withEpochLength(int blocks) {
        return toBuilder().epochLength(blocks).build();
    }

    public DevnetConfig withBasePath(Path p) {
        return toBuilder().basePath(p).build();
    }

    public DevnetConfig withRpcPort(int port) {
        return toBuilder().rpcPort(port).build();
    }

    public DevnetConfig withApplication(Function<Integer, SubnetApplication> app) {
        return toBuilder().application(app).build();
    }

    public DevnetConfig withGossip(GossipConfig g) {
        return toBuilder().gossip(g).build();
    }

    /** Whether nodes share one chain view and their threads (default) or each have their own; see the record's doc. */
    public DevnetConfig withShared(boolean share) {
        return toBuilder().shared(share).build();
    }

    public DevnetConfig withProgress(Consumer<DevnetProgress> p) {
        return toBuilder().progress(p).build();
    }

    /** A builder holding this configuration; {@link Builder#build()} validates like the constructor. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings of a configuration; the record's constructor validates the result. */
    public static final class Builder {
        private int nodes;
        private long blockTimeMs;
        private int epochLength;
        private Optional<Path> basePath;
        private int rpcPort;
        private Function<Integer, SubnetApplication> application;
        private GossipConfig gossip;
        private Consumer<DevnetProgress> progress;
        private boolean shared;

        private Builder(DevnetConfig c) {
            nodes = c.nodes;
            blockTimeMs = c.blockTimeMs;
            epochLength = c.epochLength;
            basePath = c.basePath;
            rpcPort = c.rpcPort;
            application = c.application;
            gossip = c.gossip;
            progress = c.progress;
            shared = c.shared;
        }

        public Builder nodes(int n) {
            nodes = n;
            return this;
        }

        public Builder blockTimeMs(long ms) {
            blockTimeMs = ms;
            return this;
        }

        public Builder epochLength(int blocks) {
            epochLength = blocks;
            return this;
        }

        /** The directory for the chain and the nodes; null = a temporary one deleted at close. */
        public Builder basePath(Path p) {
            basePath = Optional.ofNullable(p);
            return this;
        }

        public Builder rpcPort(int port) {
            rpcPort = port;
            return this;
        }

        public Builder application(Function<Integer, SubnetApplication> app) {
            application = app;
            return this;
        }

        public Builder gossip(GossipConfig g) {
            gossip = g;
            return this;
        }

        public Builder progress(Consumer<DevnetProgress> p) {
            progress = p;
            return this;
        }

        public Builder shared(boolean share) {
            shared = share;
            return this;
        }

        public DevnetConfig build() {
            return new DevnetConfig(
                    nodes, blockTimeMs, epochLength, basePath, rpcPort, application, gossip, progress, shared);
        }
    }
}
