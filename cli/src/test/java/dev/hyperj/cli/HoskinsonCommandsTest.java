package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.TestPeers;
import dev.hyperj.chain.substrate.Chopsticks;
import dev.hyperj.chain.substrate.HypertensorChainClient;
import dev.hyperj.chain.substrate.NetworkApi;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperj query}, {@code hyperj tx} and {@code hyperj node} given a Hypertensor node's URL
 * (Hoskinson's runtime under Chopsticks) exactly as they are given the dev chain's: the client is
 * picked by asking the node what it is.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HoskinsonCommandsTest {
    static final BigInteger TENSOR = BigInteger.TEN.pow(18);

    @TempDir
    Path dir;

    static OperatorFindingsTest.Run run(String... args) {
        return OperatorFindingsTest.run(args);
    }

    static String tensor(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).stripTrailingZeros().toPlainString();
    }

    @Test
    void queryTxAndNodeTakeAHypertensorNodesUrl() throws Exception {
        try (Chopsticks chain = Chopsticks.start("Instant");
                HypertensorChainClient c = HypertensorChainClient.connect(chain.ws())) {
            String rpc = chain.ws().toString();

            // a transfer through hyperj tx, with its event; the balance through hyperj query
            var transfer = run("tx", "transfer", "baltathar", "1000", "--from", "alith", "--rpc", rpc);
            assertThat(transfer.exit()).as(transfer.err()).isZero();
            assertThat(transfer.out()).contains("Transfer ok in block #").contains("\"name\":\"Transfer\"");
            var balance = run("query", "balance", "baltathar", "--rpc", rpc);
            assertThat(balance.exit()).as(balance.err()).isZero();
            assertThat(balance.out()).contains("\"free\" : \"" + c.balance(DevAccounts.BALTATHAR.account()) + "\"");

            // a subnet (its initial coldkeys are Hoskinson's, so the owner registers it through the client)
            Secp256k1 owner = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
            TxResult reg = c.registerSubnet(
                            owner,
                            TENSOR.multiply(BigInteger.TEN),
                            new Model.SubnetRegistrationData(
                                    "hyperj-cli",
                                    "https://example.org/hyperj-cli",
                                    "hyperj commands on Hoskinson",
                                    "",
                                    TENSOR.multiply(BigInteger.valueOf(100)),
                                    TENSOR.multiply(BigInteger.valueOf(1000)),
                                    TENSOR.divide(BigInteger.TEN),
                                    Map.of(),
                                    Map.of(TestPeers.peerId(99), TestPeers.multiaddr(40099))),
                            // Hoskinson wants at least MinSubnetNodes (3) initial coldkeys
                            Map.of(
                                    DevAccounts.BALTATHAR.account(),
                                    1,
                                    DevAccounts.CHARLETH.account(),
                                    1,
                                    DevAccounts.DOROTHY.account(),
                                    1))
                    .get(150, TimeUnit.SECONDS);
            assertThat(reg.ok()).as(reg.message().orElse("")).isTrue();
            int sid = reg.events(Event.SubnetRegistered.class).get(0).subnetId();
            var subnets = run("query", "subnets", "--rpc", rpc);
            assertThat(subnets.exit()).as(subnets.err()).isZero();
            assertThat(subnets.out()).contains("\"name\" : \"hyperj-cli\"").contains("\"id\" : " + sid);

            // a node registered with hyperj tx register-node: the signer's coldkey owns it (no validator)
            PrivateKey identity = Keys.generate(KeyType.ED25519);
            String peer = PeerId.fromPublicKey(identity.publicKey()).toBase58();
            Secp256k1 hotkey = Secp256k1.generate(new SecureRandom());
            var node = run(
                    "tx",
                    "register-node",
                    "--validator-id",
                    "0",
                    "--subnet",
                    Integer.toString(sid),
                    "--peer-id",
                    peer,
                    "--hotkey",
                    hotkey.account().toString(),
                    "--stake",
                    "100",
                    "--max-burn",
                    "100",
                    "--from",
                    "baltathar",
                    "--rpc",
                    rpc);
            assertThat(node.exit()).as(node.err()).isZero();
            assertThat(node.out()).contains("\"name\":\"SubnetNodeRegistered\"").contains("\"name\":\"StakeAdded\"");
            var nodes = run("query", "nodes", Integer.toString(sid), "--rpc", rpc);
            assertThat(nodes.out())
                    .contains(peer)
                    .containsIgnoringCase(hotkey.account().toString());

            // delegate stake through hyperj tx, read back through hyperj query stakes
            BigInteger min = (BigInteger) ((Map<?, ?>)
                            ((Optional<?>) new NetworkApi(c.node()).call("get_subnet_info", (long) sid)).orElseThrow())
                    .get("current_min_delegate_stake");
            var delegate = run(
                    "tx",
                    "delegate",
                    "add",
                    Integer.toString(sid),
                    tensor(min.add(TENSOR)),
                    "--from",
                    "alith",
                    "--rpc",
                    rpc);
            assertThat(delegate.exit()).as(delegate.err()).isZero();
            assertThat(delegate.out()).contains("\"name\":\"SubnetDelegateStakeAdded\"");
            var stakes = run("query", "stakes", "alith", "--rpc", rpc);
            assertThat(stakes.out()).contains("\"poolId\" : " + sid);

            // what Hoskinson lacks: one line that says so, nothing sent, no stack trace
            long nonce = c.nextNonce(owner.account());
            var validator = run("tx", "validator-delegate", "add", "1", "5", "--from", "alith", "--rpc", rpc);
            assertThat(validator.exit()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(validator.err().strip())
                    .contains("has no validator layer")
                    .doesNotContain("\n")
                    .doesNotContain("Exception");
            assertThat(c.nextNonce(owner.account())).isEqualTo(nonce);

            // hyperj node on the same URL: it finds the subnet and itself among its nodes
            Path key = dir.resolve("node.key");
            Files.write(key, identity.marshal());
            Path signer = dir.resolve("hotkey.hex");
            Files.writeString(signer, HexFormat.of().formatHex(hotkey.privateKey()));
            Path out = dir.resolve("node.stdout");
            Path err = dir.resolve("node.stderr");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "node",
                    "--subnet-id",
                    Integer.toString(sid),
                    "--key",
                    key.toString(),
                    "--signer",
                    signer.toString(),
                    "--chain",
                    rpc,
                    "--api",
                    "off",
                    "--storage",
                    dir.resolve("node-data").toString()));
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            try {
                JsonNode started = new ObjectMapper().readTree(awaitLine(p, out, err, "\"event\":\"started\""));
                assertThat(started.get("peerId").asText()).isEqualTo(peer);
                assertThat(started.get("registered").asBoolean()).isTrue();
                assertThat(started.get("signer").asText())
                        .isEqualToIgnoringCase(hotkey.account().toString());
                p.destroy();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                awaitLine(p, out, err, "\"event\":\"stopped\"");
            } finally {
                if (p.isAlive()) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The first stdout line containing {@code needle}; fails with what was printed if the process ends first. */
    static String awaitLine(Process p, Path out, Path err, String needle) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            boolean alive = p.isAlive();
            for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) if (l.contains(needle)) return l;
            if (!alive)
                throw new AssertionError("hyperj node exited " + p.exitValue() + " without " + needle + "; stderr "
                        + Files.readString(err));
            p.waitFor(200, TimeUnit.MILLISECONDS); // stdout goes to a file: no event but the process ending
        }
        throw new AssertionError("no " + needle + " within 90 s; stdout " + Files.readString(out));
    }
}
