package dev.hyperj.cli;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hyperj keygen}: writes a new node identity key. */
@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        description = {
            "Generate a node identity key and write it as a libp2p protobuf PrivateKey, readable only by you (mode 0600).",
            "Prints the new peer id."
        },
        footer = {"", "Examples:", "  hyperj keygen", "  hyperj keygen --key-type secp256k1 --path keys/node2.key"})
final class KeygenCommand implements Callable<Integer> {
    static final String DEFAULT_PATH = "node.key";

    enum Format {
        template,
        libp2p
    }

    @Option(
            names = "--key-type",
            paramLabel = "TYPE",
            defaultValue = "ed25519",
            description =
                    "Key type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). RSA keys are 2048 bits, ECDSA keys P-256.")
    KeyTypeOption keyType;

    @Option(
            names = "--path",
            paramLabel = "FILE",
            defaultValue = DEFAULT_PATH,
            description = "Where to write the key (default: ${DEFAULT-VALUE} in the current directory).")
    Path path;

    @Option(
            names = "--overwrite",
            description = "Replace FILE if it exists (without this, an existing file is never touched).")
    boolean overwrite;

    @Option(
            names = "--format",
            paramLabel = "FORM",
            defaultValue = "template",
            description = {
                "Ed25519 file form: 'template' (default) writes 36 bytes, 08 01 12 20 + the 32-byte seed, as the "
                        + "Hypertensor Python template does; 'libp2p' writes 68 bytes, seed + public key, as go-libp2p and js-libp2p do. "
                        + "Both are read by every hyperj command. Other key types have a single form."
            })
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrivateKey key = Keys.generate(keyType.type);
        byte[] file = key.type() == KeyType.ED25519 && format == Format.template
                ? Keys.marshalEd25519Seed(key)
                : key.marshal();
        KeyFiles.write(path, file, overwrite);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Wrote " + keyType.displayName + " key (" + file.length + " bytes, mode 0600) to "
                + path.toAbsolutePath());
        out.println("peer id: " + PeerId.fromPublicKey(key.publicKey()));
        out.flush();
        return 0;
    }
}
