package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.tx.Secp256k1;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hyperj overwatch}'s refusals, each one line that says what to do. */
class OverwatchCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void refusesAColdkeyWithoutValidatorOrQualification() throws Exception {
        try (ChainNode node = ChainNode.start(NodeConfig.dev(20).withInstantSeal(true));
                RpcServer server =
                        RpcServer.start(node, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
                ChainClient chain = ChainClient.embedded(node)) {
            String rpc = "ws://127.0.0.1:" + server.port();
            Path key = dir.resolve("ow.key");
            assertThat(run("keygen", "--path", key.toString()).exit()).isZero();
            Path storage = dir.resolve("ow-data");

            Run noValidator = run(
                    "overwatch",
                    "--key",
                    key.toString(),
                    "--signer",
                    "dorothy",
                    "--chain",
                    rpc,
                    "--storage",
                    storage.toString());
            assertThat(noValidator.exit()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(noValidator.err().strip())
                    .startsWith("hyperj overwatch: coldkey ")
                    .contains("has no validator")
                    .doesNotContain("\n")
                    .doesNotContain("Exception");
            // the hotkey it made on the way is the operator's: kept, owner-only
            Path hotkey = storage.resolve("hotkey");
            assertThat(Files.getPosixFilePermissions(hotkey))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

            Secp256k1 dorothy = Secp256k1.fromPrivateKey(DevAccounts.DOROTHY.privateKey());
            chain.submit(
                            dorothy,
                            new Call.RegisterValidator(
                                    Secp256k1.fromPrivateKey(new byte[] {
                                                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                                                21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
                                            })
                                            .account(),
                                    dev.hyperj.chain.math.U128.percent(10),
                                    Optional.empty(),
                                    ValidatorIdentity.named("dorothy")))
                    .get(30, TimeUnit.SECONDS);
            Run notWhitelisted = run(
                    "overwatch",
                    "--key",
                    key.toString(),
                    "--signer",
                    "dorothy",
                    "--chain",
                    rpc,
                    "--storage",
                    storage.toString());
            assertThat(notWhitelisted.exit()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(notWhitelisted.err())
                    .contains("RegisterOverwatchNode")
                    .contains("ColdkeyNotOverwatchQualified")
                    .contains("hyperj tx collective overwatch-eligibility");

            Run badMeasure = run(
                    "overwatch", "--key", key.toString(), "--signer", "dorothy", "--chain", rpc, "--measure-at", "0.9");
            assertThat(badMeasure.err()).contains("--measure-at must lie in [0, 0.8)");
        }
    }

    @Test
    void aGenesisFileWithoutOverwatchThresholdsGetsTheDefaultsAndOneWithThemKeepsThem() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());
        dev.hyperj.chain.runtime.GenesisConfig plain = dev.hyperj.chain.runtime.GenesisConfig.dev(20);
        com.fasterxml.jackson.databind.node.ObjectNode tree = json.valueToTree(plain);
        tree.remove("overwatchQualification");
        Path old = dir.resolve("old-genesis.json");
        json.writeValue(old.toFile(), tree);
        assertThat(ChainCommand.readGenesis(old)).isEqualTo(plain);

        dev.hyperj.chain.runtime.GenesisConfig easy =
                plain.withOverwatchQualification(new dev.hyperj.chain.runtime.GenesisConfig.OverwatchQualification(
                        dev.hyperj.chain.math.U128.percent(50),
                        dev.hyperj.chain.math.U128.percent(25),
                        java.math.BigInteger.ZERO));
        Path lowered = dir.resolve("easy-genesis.json");
        json.writeValue(lowered.toFile(), easy);
        assertThat(ChainCommand.readGenesis(lowered)).isEqualTo(easy);
    }
}
