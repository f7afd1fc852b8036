package dev.hyperj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hyperj keyview}: shows what identity a key file holds. */
@Command(
        name = "keyview",
        mixinStandardHelpOptions = true,
        description =
                "Show a private key file's key type, peer id (base58 and CID) and public key (hex of the libp2p protobuf PublicKey).")
final class KeyviewCommand implements Callable<Integer> {
    @Option(
            names = "--path",
            paramLabel = "FILE",
            defaultValue = KeygenCommand.DEFAULT_PATH,
            description = "The key file (default: ${DEFAULT-VALUE} in the current directory).")
    Path path;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        byte[] bytes = KeyFiles.readBytes(path);
        PrivateKey key = KeyFiles.parse(path, bytes);
        PeerId id = PeerId.fromPublicKey(key.publicKey());
        Map<String, String> view = new LinkedHashMap<>();
        view.put("keyType", KeyTypeOption.of(key.type()).displayName);
        view.put("peerId", id.toBase58());
        view.put("peerIdCid", id.toCid());
        view.put("publicKey", HexFormat.of().formatHex(key.publicKey().marshal()));
        view.put(
                "fileFormat",
                key.type() != KeyType.ED25519
                        ? "libp2p"
                        : bytes.length == 36
                                ? "template (seed only, 36 bytes)"
                                : "libp2p (seed + public key, " + bytes.length + " bytes)");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper()
                    .disable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(view));
        } else {
            out.println("key type:      " + view.get("keyType"));
            out.println("peer id:       " + view.get("peerId"));
            out.println("peer id (CID): " + view.get("peerIdCid"));
            out.println("public key:    " + view.get("publicKey"));
            out.println("file format:   " + view.get("fileFormat"));
        }
        out.flush();
        return 0;
    }
}
