package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.rpc.RpcServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hyperj tx} and {@code hyperj query} against a real node over loopback RPC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainCommandsTest {
    private ChainNode node;
    private RpcServer server;
    private String rpc;

    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        node = ChainNode.start(NodeConfig.dev(20).withInstantSeal(true));
        server = RpcServer.start(node, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
        rpc = "ws://127.0.0.1:" + server.port();
    }

    @AfterAll
    void stop() {
        server.close();
        node.close();
    }

    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void transferThenQueryBalance() throws Exception {
        BigInteger before = node.read(r -> r.freeBalance(DevAccounts.DOROTHY.account()));
        Run tx = run("tx", "transfer", "dorothy", "2.5", "--from", "alith", "--rpc", rpc);
        assertThat(tx.exit()).as(tx.err()).isZero();
        assertThat(tx.out()).contains("Transfer ok in block #").contains("\"name\":\"Transfer\"");
        BigInteger after = node.read(r -> r.freeBalance(DevAccounts.DOROTHY.account()));
        assertThat(after).isEqualTo(before.add(U128.tensor(2)).add(U128.ONE_E18.divide(BigInteger.TWO)));
        Run q = run("query", "balance", "dorothy", "--rpc", rpc);
        assertThat(q.exit()).as(q.err()).isZero();
        assertThat(q.out()).contains("\"free\" : \"" + after + "\"");
        Run epoch = run("query", "epoch", "--rpc", rpc);
        assertThat(epoch.out()).contains("\"epochLength\" : 20");
    }

    @Test
    void runtimeErrorsPrintTheErrorNameAndWhatToDoWithoutAStackTrace() throws Exception {
        Path key = dir.resolve("poor.key");
        Files.writeString(key, "0x" + "11".repeat(32));
        Run r = run("tx", "transfer", "alith", "5", "--from", key.toString(), "--rpc", rpc);
        assertThat(r.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err())
                .contains("Transfer failed in block #")
                .containsPattern("(InsufficientBalance|NotEnoughBalance): ")
                .doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void badArgumentsAndUnreachableNodesAreOneLineErrors() {
        Run badFrom = run("tx", "transfer", "alith", "1", "--from", "nobody", "--rpc", rpc);
        assertThat(badFrom.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(badFrom.err()).contains("neither a dev account");
        Run badAmount = run("tx", "transfer", "alith", "lots", "--from", "alith", "--rpc", rpc);
        assertThat(badAmount.err()).contains("is not an amount");
        Run noNode = run("query", "subnets", "--rpc", "ws://127.0.0.1:1");
        assertThat(noNode.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(noNode.err()).contains("cannot connect").doesNotContain("\tat ");
        Run unknown = run("query", "planets", "--rpc", rpc);
        assertThat(unknown.err()).contains("unknown query");
        Run noSubnet = run("query", "subnet", "424242", "--rpc", rpc);
        assertThat(noSubnet.err()).contains("no subnet 424242");
    }
}
