package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** Runs the real {@code hyperj} command line in-process, capturing its output. */
class KeyCommandsTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The contract for every failure: non-zero exit, exactly one line on stderr, no stack trace. */
    static void assertOneLineError(Run r, int exitCode, String... mentions) {
        assertThat(r.exitCode()).isEqualTo(exitCode);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).doesNotContain("\tat ", "Exception:");
        for (String m : mentions) {
            assertThat(r.err()).contains(m);
        }
    }

    @Test
    void keygenWritesTheTemplateFormByDefaultOwnerOnly() throws Exception {
        Path file = dir.resolve("node.key");
        Run r = run("keygen", "--path", file.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(36).startsWith(0x08, 0x01, 0x12, 0x20);
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        PrivateKey key = Keys.unmarshalPrivateKey(bytes);
        assertThat(r.out()).contains("peer id: " + PeerId.fromPublicKey(key.publicKey()));
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void keygenLibp2pFormIs68Bytes() throws Exception {
        Path file = dir.resolve("k");
        assertThat(run("keygen", "--path", file.toString(), "--format", "libp2p")
                        .exitCode())
                .isZero();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(68).startsWith(0x08, 0x01, 0x12, 0x40);
        Run view = run("keyview", "--path", file.toString());
        assertThat(view.out()).contains("libp2p (seed + public key, 68 bytes)");
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void keyviewShowsWhatKeygenWrote(KeyType type) throws Exception {
        Path file = dir.resolve(type + ".key");
        Run gen = run("keygen", "--key-type", type.name().toLowerCase(), "--path", file.toString());
        assertThat(gen.exitCode()).isZero();
        PrivateKey key = Keys.unmarshalPrivateKey(Files.readAllBytes(file));
        assertThat(key.type()).isEqualTo(type);
        PeerId id = PeerId.fromPublicKey(key.publicKey());

        Run text = run("keyview", "--path", file.toString());
        assertThat(text.exitCode()).isZero();
        assertThat(text.out())
                .contains(
                        "peer id:       " + id.toBase58(),
                        "peer id (CID): " + id.toCid(),
                        "public key:    "
                                + HexFormat.of().formatHex(key.publicKey().marshal()));

        Run json = run("keyview", "--path", file.toString(), "--json");
        assertThat(json.exitCode()).isZero();
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertThat(node.get("keyType").asText()).isEqualTo(KeyTypeOption.of(type).displayName);
        assertThat(node.get("peerId").asText()).isEqualTo(id.toBase58());
        assertThat(node.get("peerIdCid").asText()).isEqualTo(id.toCid());
        assertThat(node.get("publicKey").asText())
                .isEqualTo(HexFormat.of().formatHex(key.publicKey().marshal()));
    }

    @Test
    void keyviewReadsTheSpecVectorWrittenByOtherImplementations() throws Exception {
        Path file = dir.resolve("go.key");
        Files.write(
                file,
                HexFormat.of()
                        .parseHex(
                                "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"));
        Run r = run("keyview", "--path", file.toString(), "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("publicKey").asText())
                .isEqualTo("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
    }

    @Test
    void keygenRefusesToOverwriteUnlessAsked() throws Exception {
        Path file = dir.resolve("node.key");
        Files.write(file, new byte[] {1, 2, 3});
        assertOneLineError(
                run("keygen", "--path", file.toString()), Main.EXIT_FAILURE, "already exists", "--overwrite");
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
        assertThat(run("keygen", "--path", file.toString(), "--overwrite").exitCode())
                .isZero();
        assertThat(Files.readAllBytes(file)).hasSize(36);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void malformedInputGetsOneLineAndANonZeroExit() throws Exception {
        assertOneLineError(
                run("keyview", "--path", dir.resolve("missing.key").toString()),
                Main.EXIT_FAILURE,
                "no key file",
                "hyperj keygen");

        Path garbage = dir.resolve("garbage.key");
        Files.writeString(garbage, "this is not a key\n");
        assertOneLineError(
                run("keyview", "--path", garbage.toString()), Main.EXIT_FAILURE, "not a libp2p private key file");

        Path unknownType = dir.resolve("type7.key");
        Files.write(unknownType, new byte[] {0x08, 0x07, 0x12, 0x01, 0x00});
        assertOneLineError(
                run("keyview", "--path", unknownType.toString()), Main.EXIT_FAILURE, "unknown key type code 7");

        Path truncated = dir.resolve("short.key");
        Files.write(truncated, new byte[] {0x08, 0x01, 0x12, 0x20, 1, 2, 3});
        assertOneLineError(
                run("keyview", "--path", truncated.toString()), Main.EXIT_FAILURE, "not a libp2p private key file");

        Path empty = dir.resolve("empty.key");
        Files.write(empty, new byte[0]);
        assertOneLineError(run("keyview", "--path", empty.toString()), Main.EXIT_FAILURE, "is empty");

        assertOneLineError(run("keyview", "--path", dir.toString()), Main.EXIT_FAILURE, "is a directory");
        assertOneLineError(
                run("keygen", "--path", dir.resolve("no/such/dir/k").toString()), Main.EXIT_FAILURE, "does not exist");

        assertOneLineError(
                run("keygen", "--key-type", "dsa", "--path", dir.resolve("x").toString()),
                Main.EXIT_USAGE,
                "--key-type",
                "dsa",
                "ed25519");
        assertOneLineError(run("keygen", "--format", "pem"), Main.EXIT_USAGE, "--format");
        assertOneLineError(run("keyview", "--bogus"), Main.EXIT_USAGE, "--bogus");
        assertOneLineError(run("nosuchcommand"), Main.EXIT_USAGE, "nosuchcommand");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        Path garbage = dir.resolve("garbage.key");
        Files.writeString(garbage, "xx");
        Run r = run("keyview", "--path", garbage.toString(), "--verbose");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err()).contains("\tat dev.hyperj.cli.");
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("keygen", "keyview");
        assertThat(run("keygen", "--help").out())
                .contains("--key-type", "--path", "--overwrite", "--format", "node.key");
    }
}
