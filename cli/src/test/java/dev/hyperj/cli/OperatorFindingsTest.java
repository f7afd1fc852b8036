package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 19's findings in the commands, each a one-line error that says what to do. */
class OperatorFindingsTest {
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

    static void assertOneLineError(Run r, String expected) {
        assertThat(r.exit()).as(r.err()).isNotZero();
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(expected).doesNotContain("Exception").doesNotContain("null");
    }

    @Test
    void epochLengthZeroGetsTheRangeMessage() {
        assertOneLineError(run("chain", "--dev", "--epoch-length", "0"), "EpochLength must be in [4, 10000]: 0");
    }

    @Test
    void genesisWithoutParamsOrWhitelistSaysWhatIsMissing() throws Exception {
        Path g = dir.resolve("genesis.json");
        Files.writeString(g, "{}");
        assertOneLineError(run("chain", "--dev", "--genesis", g.toString()), "genesis needs \"params\"");
        Path missing = dir.resolve("nope.json");
        assertOneLineError(
                run("chain", "--dev", "--genesis", missing.toString()),
                "genesis file " + missing.toAbsolutePath() + " does not exist");
    }

    @Test
    void aSignerFileOfRandomBytesSaysWhatItShouldHold() throws Exception {
        Path key = dir.resolve("random.key");
        byte[] junk = new byte[64];
        new java.util.Random(1).nextBytes(junk);
        Files.write(key, junk);
        Path nodeKey = dir.resolve("node.key");
        assertThat(run("keygen", "--path", nodeKey.toString()).exit()).isZero();
        assertOneLineError(
                run("node", "--subnet-id", "1", "--key", nodeKey.toString(), "--signer", key.toString()),
                "key file " + key + " must hold a secp256k1 private key as 64 hex digits");
        assertOneLineError(
                run("node", "--subnet-id", "1", "--key", nodeKey.toString(), "--signer", "nosuch"),
                "--signer nosuch is neither a dev account");
    }

    @Test
    void aBusyRpcPortIsReportedBeforeTheDatabaseOpens() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path db = dir.resolve("db");
            Run r = run(
                    "chain", "--dev", "--rpc-port", String.valueOf(busy.getLocalPort()), "--base-path", db.toString());
            assertOneLineError(r, "port " + busy.getLocalPort() + " on 127.0.0.1 is in use");
            assertThat(db).doesNotExist();
        }
    }

    @Test
    void configFileOptionsAreDefaultsThatFlagsOverride() throws Exception {
        Path nodeKey = dir.resolve("node.key");
        assertThat(run("keygen", "--path", nodeKey.toString()).exit()).isZero();
        Path conf = dir.resolve("node.conf");
        // every required option from the file; an unreachable chain so the node stops at its first call
        Files.writeString(
                conf,
                "subnet-id = 1\nkey = " + nodeKey.toString().replace("\\", "\\\\")
                        + "\nsigner = alith\nchain = ws://127.0.0.1:1\n");
        Run fromFile = run("node", "--config", conf.toString());
        assertThat(fromFile.exit()).as(fromFile.err()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(fromFile.err()).contains("ws://127.0.0.1:1");
        Run overridden = run("node", "--config", conf.toString(), "--chain", "ws://127.0.0.1:2");
        assertThat(overridden.err()).contains("ws://127.0.0.1:2").doesNotContain("127.0.0.1:1");

        Files.writeString(conf, "subnet-id = 1\nrpc-port = 5\n");
        assertOneLineError(run("node", "--config", conf.toString()), "unknown key 'rpc-port' for hyperj node");
        assertOneLineError(
                run("chain", "--config", dir.resolve("none.conf").toString()),
                "config file " + dir.resolve("none.conf").toAbsolutePath() + " does not exist");
    }

    @Test
    void nodeStorageDefaultsToNothingInTheWorkingDirectory() {
        CommandLine node = Main.commandLine().getSubcommands().get("node");
        assertThat(node.getCommandSpec().findOption("--storage").defaultValue()).isNull();
    }
}
