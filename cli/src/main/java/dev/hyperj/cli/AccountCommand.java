package dev.hyperj.cli;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.keys.Bip32;
import dev.hyperj.chain.keys.Bip39;
import dev.hyperj.chain.keys.Keystore;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hyperj account}: chain account keys as users hold them elsewhere: BIP39 mnemonics, the
 * Ethereum path m/44'/60'/0'/0/N, Ethereum keystore v3 files (or the plain hex files {@code --from}
 * has always read).
 */
@Command(
        name = "account",
        mixinStandardHelpOptions = true,
        description = {
            "Chain account keys: BIP39 mnemonics derived at m/44'/60'/0'/0/N (the addresses MetaMask, Moonbeam tools and "
                    + "Hypertensor's Python template give), kept as Ethereum keystore v3 files (scrypt, AES-128-CTR) or plain hex.",
            "Keystore passwords come from --password-file, else $HYPERJ_PASSWORD, else a prompt.",
            "Every file works with --from (a keystore is decrypted with the same password sources)."
        },
        subcommands = {
            AccountCommand.New.class,
            AccountCommand.Import.class,
            AccountCommand.ListKeys.class,
            AccountCommand.Show.class
        })
final class AccountCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".hyperj", "keys");
    }

    /** Options every subcommand that writes a key shares. */
    static class Store {
        @Option(names = "--dir", paramLabel = "DIR", description = "Key directory (default: ~/.hyperj/keys).")
        Path dir;

        @Option(
                names = "--plain",
                description = "Write the private key as 64 hex digits (mode 0600) instead of a keystore.")
        boolean plain;

        @Option(
                names = "--password-file",
                paramLabel = "FILE",
                description = "The keystore password, first line of FILE.")
        Path passwordFile;

        @Option(
                names = "--scrypt-n",
                paramLabel = "N",
                defaultValue = "262144",
                hidden = true,
                description = "scrypt cost of new keystores (default 2^18, as geth writes).")
        int scryptN;

        Path dir() {
            return dir != null ? dir : defaultDir();
        }

        /** Writes the key; returns the file. */
        Path write(byte[] privateKey) {
            AccountId a = AccountId.fromPrivateKey(privateKey);
            String hex = HexFormat.of().formatHex(a.bytes());
            try {
                Files.createDirectories(dir());
            } catch (IOException e) {
                throw new CliException("cannot create the key directory " + dir() + ": " + e.getMessage());
            }
            if (plain) {
                Path file = dir().resolve(hex + ".key");
                KeyFiles.write(
                        file, (HexFormat.of().formatHex(privateKey) + "\n").getBytes(StandardCharsets.US_ASCII), false);
                return file;
            }
            String password = password(Optional.ofNullable(passwordFile), true);
            Path file = dir().resolve(hex + ".json");
            try {
                KeyFiles.write(
                        file,
                        Keystore.encrypt(privateKey, password, scryptN, new SecureRandom())
                                .getBytes(StandardCharsets.UTF_8),
                        false);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            return file;
        }
    }

    /** --password-file, else $HYPERJ_PASSWORD, else a prompt (twice when choosing a new one). */
    static String password(Optional<Path> file, boolean confirm) {
        if (file.isPresent()) {
            try {
                List<String> lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty())
                    throw new CliException("the password file " + file.get() + " is empty");
                return lines.get(0);
            } catch (IOException e) {
                throw new CliException("cannot read the password file " + file.get() + ": " + e.getMessage());
            }
        }
        String env = System.getenv("HYPERJ_PASSWORD");
        if (env != null && !env.isEmpty()) return env;
        Console c = System.console();
        if (c == null)
            throw new CliException(
                    "a keystore needs a password: give --password-file FILE or set HYPERJ_PASSWORD (or use --plain)");
        char[] p = c.readPassword("Keystore password: ");
        if (p == null || p.length == 0) throw new CliException("no password given");
        if (confirm) {
            char[] again = c.readPassword("Repeat it: ");
            if (again == null || !java.util.Arrays.equals(p, again)) throw new CliException("the passwords differ");
        }
        return new String(p);
    }

    @Command(
            name = "new",
            mixinStandardHelpOptions = true,
            description =
                    "Create an account from a new BIP39 mnemonic; prints the mnemonic once: write it down, it is the only backup.",
            footer = {
                "",
                "Examples:",
                "  hyperj account new",
                "  HYPERJ_PASSWORD=... hyperj account new --words 24 --index 1"
            })
    static final class New implements Callable<Integer> {
        @Option(
                names = "--words",
                paramLabel = "N",
                defaultValue = "12",
                description = "Mnemonic length: 12, 15, 18, 21 or 24 (default 12).")
        int words;

        @Option(
                names = "--index",
                paramLabel = "N",
                defaultValue = "0",
                description = "Account index N in m/44'/60'/0'/0/N (default 0).")
        int index;

        @picocli.CommandLine.Mixin
        Store store = new Store();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String mnemonic;
            try {
                mnemonic = Bip39.generate(words, new SecureRandom());
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            byte[] key = Bip32.derive(Bip39.seed(mnemonic, ""), Bip32.ethereumPath(index));
            Path file = store.write(key);
            PrintWriter out = spec.commandLine().getOut();
            out.println("address:  " + AccountId.fromPrivateKey(key));
            out.println("path:     " + Bip32.ethereumPath(index));
            out.println("file:     " + file.toAbsolutePath());
            out.println("mnemonic: " + mnemonic);
            out.println(
                    "Write the mnemonic down and keep it offline: it restores this account (hyperj account import), "
                            + "and it is not stored anywhere.");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = "Import an account from a mnemonic, a private key or another tool's keystore file.",
            footer = {
                "",
                "Examples:",
                "  hyperj account import --mnemonic-file words.txt --index 0",
                "  hyperj account import --private-key-file alith.hex --plain",
                "  hyperj account import --keystore UTC--2026-...--f24f... --password-file pw"
            })
    static final class Import implements Callable<Integer> {
        @Option(names = "--mnemonic-file", paramLabel = "FILE", description = "A file holding the BIP39 mnemonic.")
        Path mnemonicFile;

        @Option(
                names = "--index",
                paramLabel = "N",
                defaultValue = "0",
                description = "Account index N in m/44'/60'/0'/0/N (default 0).")
        int index;

        @Option(
                names = "--private-key-file",
                paramLabel = "FILE",
                description = "A file holding the private key as 64 hex digits.")
        Path keyFile;

        @Option(
                names = "--keystore",
                paramLabel = "FILE",
                description = "A keystore v3 file (from geth, MetaMask, ethers, ...).")
        Path keystore;

        @picocli.CommandLine.Mixin
        Store store = new Store();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            int given = (mnemonicFile != null ? 1 : 0) + (keyFile != null ? 1 : 0) + (keystore != null ? 1 : 0);
            if (given != 1)
                throw new CliException("give exactly one of --mnemonic-file, --private-key-file, --keystore");
            byte[] key;
            if (mnemonicFile != null) {
                String words = new String(KeyFiles.readBytes(mnemonicFile), StandardCharsets.UTF_8);
                try {
                    key = Bip32.derive(Bip39.seed(words, ""), Bip32.ethereumPath(index));
                } catch (IllegalArgumentException e) {
                    throw new CliException("the mnemonic in " + mnemonicFile + " is not valid: " + e.getMessage());
                }
            } else if (keyFile != null) {
                key = ChainArgs.signer(keyFile.toString()).privateKey();
            } else {
                String json = new String(KeyFiles.readBytes(keystore), StandardCharsets.UTF_8);
                try {
                    key = Keystore.decrypt(json, password(Optional.ofNullable(store.passwordFile), false))
                            .privateKey();
                } catch (IllegalArgumentException e) {
                    throw new CliException(keystore + ": " + e.getMessage());
                }
            }
            Path file = store.write(key);
            PrintWriter out = spec.commandLine().getOut();
            out.println("address: " + AccountId.fromPrivateKey(key));
            out.println("file:    " + file.toAbsolutePath());
            out.flush();
            return 0;
        }
    }

    /** One key file found in the key directory. */
    record Entry(AccountId address, String kind, Path file) {}

    static List<Entry> scan(Path dir) {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                describe(f).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new CliException("cannot list " + dir + ": " + e.getMessage());
        }
        return out;
    }

    /** What a key file holds, without decrypting it. */
    static Optional<Entry> describe(Path f) {
        try {
            if (!Files.isRegularFile(f) || Files.size(f) > Keystore.MAX_FILE_BYTES) return Optional.empty();
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (Keystore.looksLikeKeystore(text)) return Keystore.address(text).map(a -> new Entry(a, "keystore", f));
            String hex = text.strip();
            if (hex.startsWith("0x")) hex = hex.substring(2);
            if (hex.matches("[0-9a-fA-F]{64}"))
                return Optional.of(
                        new Entry(AccountId.fromPrivateKey(HexFormat.of().parseHex(hex)), "plain", f));
        } catch (IOException | IllegalArgumentException e) {
            // not a key file
        }
        return Optional.empty();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts in the key directory.")
    static final class ListKeys implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", description = "Key directory (default: ~/.hyperj/keys).")
        Path dir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path d = dir != null ? dir : defaultDir();
            List<Entry> entries = scan(d);
            PrintWriter out = spec.commandLine().getOut();
            if (entries.isEmpty()) out.println("no accounts in " + d + " (hyperj account new creates one)");
            for (Entry e : entries) out.println(e.address() + "  " + e.kind() + "  " + e.file());
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description =
                    "Show an account's address and file: give the file, or an address found in the key directory.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "FILE|ADDRESS")
        String which;

        @Option(names = "--dir", paramLabel = "DIR", description = "Key directory (default: ~/.hyperj/keys).")
        Path dir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Optional<Entry> e;
            if (Files.isRegularFile(Path.of(which))) {
                e = describe(Path.of(which));
                if (e.isEmpty()) throw new CliException(which + " is neither a keystore v3 nor a plain hex key file");
            } else {
                AccountId a = ChainArgs.account(which);
                e = scan(dir != null ? dir : defaultDir()).stream()
                        .filter(x -> x.address().equals(a))
                        .findFirst();
                if (e.isEmpty())
                    throw new CliException("no key for " + a + " in " + (dir != null ? dir : defaultDir()));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("address: " + e.get().address());
            out.println("kind:    " + e.get().kind());
            out.println("file:    " + e.get().file().toAbsolutePath());
            out.flush();
            return 0;
        }
    }
}
