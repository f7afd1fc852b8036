package dev.hyperj.cli;

import static dev.hyperj.cli.KeyCommandsTest.assertOneLineError;
import static dev.hyperj.cli.KeyCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.DevAccounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyperj account}: new, import, list, show, through the real command line in-process. */
class AccountCommandTest {
    @TempDir
    Path dir;

    static String field(String out, String name) {
        return out.lines()
                .filter(l -> l.startsWith(name + ":"))
                .findFirst()
                .orElseThrow()
                .substring(name.length() + 1)
                .strip();
    }

    @Test
    void newPrintsAMnemonicThatImportsBackToTheSameAddress() throws Exception {
        KeyCommandsTest.Run r = run("account", "new", "--dir", dir.resolve("a").toString(), "--plain", "--index", "2");
        assertThat(r.exitCode()).isZero();
        String address = field(r.out(), "address");
        String mnemonic = field(r.out(), "mnemonic");
        assertThat(mnemonic.split(" ")).hasSize(12);
        assertThat(field(r.out(), "path")).isEqualTo("m/44'/60'/0'/0/2");
        Path words = dir.resolve("words.txt");
        Files.writeString(words, mnemonic);
        KeyCommandsTest.Run imp = run(
                "account",
                "import",
                "--mnemonic-file",
                words.toString(),
                "--index",
                "2",
                "--plain",
                "--dir",
                dir.resolve("b").toString());
        assertThat(imp.exitCode()).isZero();
        assertThat(field(imp.out(), "address")).isEqualTo(address);
        KeyCommandsTest.Run other = run(
                "account",
                "import",
                "--mnemonic-file",
                words.toString(),
                "--index",
                "3",
                "--plain",
                "--dir",
                dir.resolve("c").toString());
        assertThat(field(other.out(), "address")).isNotEqualTo(address);
        KeyCommandsTest.Run list =
                run("account", "list", "--dir", dir.resolve("b").toString());
        assertThat(list.out()).contains(address).contains("plain");
    }

    @Test
    void theMoonbeamDevMnemonicImportsAsAlith() throws Exception {
        Path words = dir.resolve("dev.txt");
        Files.writeString(words, "bottom drive obey lake curtain smoke basket hold race lonely fit walk\n");
        KeyCommandsTest.Run r =
                run("account", "import", "--mnemonic-file", words.toString(), "--plain", "--dir", dir.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(field(r.out(), "address"))
                .isEqualTo(DevAccounts.ALITH.account().toString());
        Path file = Path.of(field(r.out(), "file"));
        // the plain file is what --from reads
        assertThat(ChainArgs.signer(file.toString()).account()).isEqualTo(DevAccounts.ALITH.account());
    }

    @Test
    void keystoresAreWrittenListedShownAndImported() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "correct horse\n");
        Path key = dir.resolve("charleth.hex");
        Files.writeString(key, HexFormat.of().formatHex(DevAccounts.CHARLETH.privateKey()));
        Path ks = dir.resolve("ks");
        KeyCommandsTest.Run r = run(
                "account",
                "import",
                "--private-key-file",
                key.toString(),
                "--dir",
                ks.toString(),
                "--password-file",
                pw.toString(),
                "--scrypt-n",
                "1024");
        assertThat(r.exitCode()).isZero();
        Path file = Path.of(field(r.out(), "file"));
        assertThat(file.getFileName().toString()).endsWith(".json");
        assertThat(Files.readString(file))
                .contains("\"kdf\" : \"scrypt\"")
                .doesNotContain(HexFormat.of().formatHex(DevAccounts.CHARLETH.privateKey()));
        assertThat(run("account", "list", "--dir", ks.toString()).out())
                .contains(DevAccounts.CHARLETH.account().toString())
                .contains("keystore");
        KeyCommandsTest.Run show = run("account", "show", "charleth", "--dir", ks.toString());
        assertThat(field(show.out(), "file")).isEqualTo(file.toAbsolutePath().toString());

        KeyCommandsTest.Run back = run(
                "account",
                "import",
                "--keystore",
                file.toString(),
                "--password-file",
                pw.toString(),
                "--plain",
                "--dir",
                dir.resolve("plain").toString());
        assertThat(field(back.out(), "address"))
                .isEqualTo(DevAccounts.CHARLETH.account().toString());

        Files.writeString(pw, "wrong\n");
        assertOneLineError(
                run(
                        "account",
                        "import",
                        "--keystore",
                        file.toString(),
                        "--password-file",
                        pw.toString(),
                        "--plain",
                        "--dir",
                        dir.resolve("x").toString()),
                1,
                "wrong password");
    }

    @Test
    void aBadMnemonicIsOneLineThatSaysWhichWord() throws Exception {
        Path words = dir.resolve("bad.txt");
        Files.writeString(words, "bottom drive obey lake curtain smoke basket hold race lonely fit walks");
        assertOneLineError(
                run("account", "import", "--mnemonic-file", words.toString(), "--plain", "--dir", dir.toString()),
                1,
                "'walks'");
        assertOneLineError(run("account", "import", "--dir", dir.toString()), 1, "exactly one of");
    }
}
