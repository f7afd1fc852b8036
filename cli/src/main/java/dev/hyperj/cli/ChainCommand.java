package dev.hyperj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.runtime.GenesisConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hyperj chain --dev}: a dev chain node with JSON-RPC (HTTP and WebSocket) on one port. */
@Command(
        name = "chain",
        mixinStandardHelpOptions = true,
        description = "Run a dev chain node with JSON-RPC over HTTP and WebSocket.")
public final class ChainCommand implements Runnable {
    @picocli.CommandLine.Mixin
    ConfigFile config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--dev",
            required = true,
            description = "Run a development chain (dev accounts funded, Alith authors and is sudo).")
    boolean dev;

    @Option(names = "--base-path", description = "Database directory (default: a temporary directory deleted on exit).")
    Path basePath;

    @Option(
            names = "--rpc-port",
            defaultValue = "9944",
            description = "JSON-RPC port (HTTP and WebSocket), default ${DEFAULT-VALUE}.")
    int rpcPort;

    @Option(
            names = "--rpc-host",
            defaultValue = "127.0.0.1",
            description = "JSON-RPC bind address, default ${DEFAULT-VALUE}.")
    String rpcHost;

    @Option(
            names = "--block-time-ms",
            defaultValue = "6000",
            description = "Block time in milliseconds, default ${DEFAULT-VALUE}.")
    long blockTimeMs;

    @Option(
            names = "--epoch-length",
            defaultValue = "20",
            description = "Blocks per epoch on the dev genesis, default ${DEFAULT-VALUE}.")
    int epochLength;

    @Option(names = "--genesis", description = "Genesis config as JSON (replaces the dev genesis).")
    Path genesis;

    @Option(
            names = "--instant-seal",
            description = "Seal a block as soon as a transaction arrives (tests); enables dev_produceBlocks.")
    boolean instantSeal;

    @Option(
            names = "--chain-id",
            defaultValue = NodeConfig.DEV_CHAIN_ID,
            description = "Chain id signed into transactions, default ${DEFAULT-VALUE}.")
    String chainId;

    @Override
    public void run() {
        if (blockTimeMs < 1) throw new CliException("--block-time-ms must be positive");
        if (rpcPort < 0 || rpcPort > 65535) throw new CliException("--rpc-port must be in [0, 65535]");
        GenesisConfig g;
        try {
            g = genesis == null ? GenesisConfig.dev(epochLength) : readGenesis(genesis);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid genesis: " + e.getMessage());
        }
        checkPortFree();
        NodeConfig cfg;
        try {
            cfg = NodeConfig.dev(epochLength)
                    .withGenesis(g)
                    .withChainId(chainId)
                    .withBasePath(basePath)
                    .withBlockTimeMs(blockTimeMs)
                    .withInstantSeal(instantSeal);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        ChainNode node;
        try {
            node = ChainNode.start(cfg);
        } catch (IllegalStateException
                | IllegalArgumentException
                | java.io.UncheckedIOException
                | dev.hyperj.chain.db.StoreException e) {
            throw new CliException(e.getMessage());
        }
        RpcServer server;
        try {
            server = RpcServer.start(node, new InetSocketAddress(rpcHost, rpcPort), RpcServer.Limits.defaults());
        } catch (RuntimeException e) {
            node.close();
            throw new CliException("cannot serve JSON-RPC on " + rpcHost + ":" + rpcPort + ": " + e.getMessage()
                    + " (is the port in use? try --rpc-port)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            node.close();
                            stopped.countDown();
                        },
                        "hyperj-chain-shutdown"));
        var out = spec.commandLine().getOut();
        out.println("chain " + cfg.chainId() + " at block #" + node.bestHeader().number() + ", genesis "
                + ChainJson.hex(node.genesisHash()));
        out.println("JSON-RPC on http://" + rpcHost + ":" + server.port() + " and ws://" + rpcHost + ":" + server.port()
                + (instantSeal ? " (instant seal)" : " (block time " + blockTimeMs + " ms)"));
        out.println("data in " + node.directory() + (basePath == null ? " (temporary, deleted on exit)" : ""));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A busy port is found before the database opens (and is locked) rather than after. */
    private void checkPortFree() {
        if (rpcPort == 0) return;
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new InetSocketAddress(rpcHost, rpcPort));
        } catch (java.net.BindException e) {
            throw new CliException("port " + rpcPort + " on " + rpcHost
                    + " is in use (another node?); stop it or choose another --rpc-port");
        } catch (IOException e) {
            throw new CliException("cannot serve JSON-RPC on " + rpcHost + ":" + rpcPort + ": " + e.getMessage());
        }
    }

    static GenesisConfig readGenesis(Path file) {
        if (!Files.exists(file)) {
            throw new CliException("genesis file " + file.toAbsolutePath() + " does not exist");
        }
        try {
            if (Files.size(file) > 16 << 20) throw new CliException("genesis file " + file + " is over 16 MiB");
            return new ObjectMapper()
                    .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
                    .readValue(file.toFile(), GenesisConfig.class);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new CliException("invalid genesis " + file + ": " + why.getMessage());
        } catch (IOException e) {
            throw new CliException("cannot read genesis " + file + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
