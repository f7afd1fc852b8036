package dev.hyperj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.overwatch.AgentEvent;
import dev.hyperj.overwatch.Enrollment;
import dev.hyperj.overwatch.OverwatchAgent;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hyperj overwatch}: an overwatch node. Registers it for the signer's validator if it has
 * none, puts its peer id on chain for every active subnet, then each overwatch epoch measures the
 * subnets, commits their weights and reveals them; JSON lines say what it measured, committed,
 * revealed and earned. Stops cleanly on SIGTERM / Ctrl-C; a restart reveals what was committed.
 */
@Command(
        name = "overwatch",
        mixinStandardHelpOptions = true,
        description = {
            "Run an overwatch node: judge every active subnet each overwatch epoch and commit/reveal its weights on chain.",
            "Registers the overwatch node for --signer's validator if it has none (the coldkey must be whitelisted and qualified).",
            "Prints JSON lines: registered, peer_id, measured (per subnet and node), committed, revealed, earned, missed, problem."
        })
public final class OverwatchCommand implements Callable<Integer> {
    @Option(
            names = "--key",
            required = true,
            description = "The agent's libp2p key file (hyperj keygen): its peer id in every subnet.")
    Path key;

    @Option(
            names = "--signer",
            required = true,
            description =
                    "The validator's coldkey (registers the overwatch node): a dev account name or a hex key file.")
    String signer;

    @Option(
            names = "--chain",
            defaultValue = ChainArgs.DEFAULT_RPC,
            description = "Chain RPC URL, default ${DEFAULT-VALUE}.")
    String chain;

    @Option(
            names = "--storage",
            defaultValue = "overwatch-data",
            description = "Directory for the commit journal and the hotkey, default ${DEFAULT-VALUE}.")
    Path storage;

    @Option(
            names = "--hotkey",
            description =
                    "The overwatch node's hotkey (signs commits and reveals), a hex key file; default: <storage>/hotkey, created if absent.")
    Path hotkey;

    @Option(
            names = "--stake",
            defaultValue = "100",
            description = "Stake (TENSOR) to register with, default ${DEFAULT-VALUE} (the chain's minimum).")
    String stake;

    @Option(
            names = "--listen",
            defaultValue = "/ip4/0.0.0.0/tcp/0",
            description = "Listen address of the agent's subnet hosts, default ${DEFAULT-VALUE}.")
    String listen;

    @Option(
            names = "--measure-at",
            defaultValue = "0.5",
            description = "How far through each overwatch epoch to measure, in [0, 0.8), default ${DEFAULT-VALUE}.")
    double measureAt;

    @Override
    public Integer call() throws Exception {
        DevnetCommand.quietLogs();
        PrivateKey identity = KeyFiles.parse(key, KeyFiles.readBytes(key));
        Secp256k1 coldkey = ChainArgs.signer(signer);
        if (!(measureAt >= 0 && measureAt < 0.8)) throw new CliException("--measure-at must lie in [0, 0.8)");
        Multiaddr listenAddr;
        try {
            listenAddr = Multiaddr.parse(listen);
        } catch (IllegalArgumentException e) {
            throw new CliException("--listen " + listen + " is not a multiaddr: " + e.getMessage());
        }
        Files.createDirectories(storage);
        Secp256k1 hot = hotkey != null ? ChainArgs.signer(hotkey.toString()) : storedHotkey(storage.resolve("hotkey"));
        JsonLines lines = new JsonLines(System.out);
        ObjectMapper json = new ObjectMapper();
        java.util.function.Consumer<AgentEvent> emit = e -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", e.event());
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = json.convertValue(e, Map.class);
            line.putAll(fields);
            lines.emit(line);
        };
        ChainClient client = ChainArgs.connect(chain);
        OverwatchAgent agent;
        try {
            int id = Enrollment.ensureRegistered(client, coldkey, hot, ChainArgs.amount(stake), emit);
            agent = OverwatchAgent.start(
                    OverwatchAgent.Config.of(client, identity, hot, id, storage)
                            .withListen(listenAddr)
                            .withMeasureAt(measureAt),
                    emit);
        } catch (Enrollment.EnrollmentException e) {
            client.close();
            throw new CliException(e.getMessage());
        } catch (ChainClientException e) {
            client.close();
            throw new CliException(e.getMessage());
        } catch (Exception e) {
            client.close();
            throw new CliException("the overwatch agent did not start: " + JsonLines.rootMessage(e));
        }
        lines.emit(
                "started",
                "peerId",
                agent.peerId().toBase58(),
                "hotkey",
                hot.account().toString(),
                "chain",
                chain);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            agent.close();
                            client.close();
                            lines.emit("stopped", "peerId", agent.peerId().toBase58());
                            stopped.countDown();
                        },
                        "hyperj-overwatch-shutdown"));
        stopped.await();
        return 0;
    }

    /** The hotkey kept in the storage directory: read, or created (0600) on first run. */
    static Secp256k1 storedHotkey(Path file) {
        if (!Files.exists(file)) {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            KeyFiles.write(file, HexFormat.of().formatHex(k).getBytes(StandardCharsets.UTF_8), false);
        }
        return ChainArgs.signer(file.toString());
    }
}
