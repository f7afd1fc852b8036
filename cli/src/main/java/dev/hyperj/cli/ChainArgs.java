package dev.hyperj.cli;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.bytes.Bytes;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Parsing the chain commands' arguments: signers, accounts, TENSOR amounts, percentages, multiaddrs, the RPC URL. */
final class ChainArgs {
    static final String DEFAULT_RPC = "ws://127.0.0.1:9944";

    private ChainArgs() {}

    /** A dev account name (alith, baltathar, ...), a file holding a secp256k1 private key as 64 hex digits, or a keystore v3 file. */
    static Secp256k1 signer(String from) {
        return signer("--from", from);
    }

    /** Like {@link #signer(String)}, naming {@code option} in errors. */
    static Secp256k1 signer(String option, String from) {
        for (DevAccounts a : DevAccounts.values()) {
            if (a.name().equalsIgnoreCase(from)) return Secp256k1.fromPrivateKey(a.privateKey());
        }
        Path p = Path.of(from);
        if (!Files.isRegularFile(p))
            throw new CliException(option + " " + from
                    + " is neither a dev account (alith, baltathar, charleth, dorothy, ethan, faith) nor a key file");
        try {
            if (Files.size(p) > 1024)
                throw new CliException("key file " + p + " is too large: it should hold 64 hex digits");
            // bytes, not UTF-8 text: a binary file must get the "64 hex digits" message below
            String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            if (dev.hyperj.chain.keys.Keystore.looksLikeKeystore(text)) return keystoreSigner(p, text);
            String hex = text.strip();
            if (hex.startsWith("0x")) hex = hex.substring(2);
            return Secp256k1.fromPrivateKey(java.util.HexFormat.of().parseHex(hex));
        } catch (IOException e) {
            throw new CliException("cannot read key file " + p + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException("key file " + p + " must hold a secp256k1 private key as 64 hex digits");
        }
    }

    /** A keystore v3 file, decrypted with the password from $HYPERJ_PASSWORD or a prompt. */
    private static Secp256k1 keystoreSigner(Path p, String json) {
        try {
            return Secp256k1.fromPrivateKey(dev.hyperj.chain.keys.Keystore.decrypt(
                            json, AccountCommand.password(java.util.Optional.empty(), false))
                    .privateKey());
        } catch (IllegalArgumentException e) {
            throw new CliException("key file " + p + ": " + e.getMessage());
        }
    }

    /** "0x" + 40 hex digits, or a dev account name. */
    static AccountId account(String s) {
        for (DevAccounts a : DevAccounts.values()) {
            if (a.name().equalsIgnoreCase(s)) return a.account();
        }
        try {
            return AccountId.fromHex(s);
        } catch (IllegalArgumentException e) {
            throw new CliException("'" + s + "' is not an account: give 0x + 40 hex digits or a dev account name");
        }
    }

    /** TENSOR with up to 18 decimals ("1.5"), or smallest units with a "u" suffix ("1000u"). */
    static BigInteger amount(String s) {
        try {
            BigInteger v = s.endsWith("u")
                    ? new BigInteger(s.substring(0, s.length() - 1))
                    : new BigDecimal(s).multiply(new BigDecimal(U128.ONE_E18)).toBigIntegerExact();
            if (v.signum() < 0 || v.bitLength() > 128) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CliException(
                    "'" + s + "' is not an amount: give TENSOR with up to 18 decimals (1.5) or smallest units (1000u)");
        }
    }

    /** A percentage "10" or "10%" -> 10^17 (fixed point, 10^18 = 100%). */
    static BigInteger percent(String s) {
        try {
            String t = s.endsWith("%") ? s.substring(0, s.length() - 1) : s;
            BigInteger v = new BigDecimal(t)
                    .multiply(new BigDecimal(U128.ONE_E18))
                    .divide(BigDecimal.valueOf(100))
                    .toBigIntegerExact();
            if (v.signum() < 0 || v.compareTo(U128.ONE_E18) > 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CliException("'" + s + "' is not a percentage in [0, 100]");
        }
    }

    static Bytes multiaddr(String s) {
        try {
            return Bytes.of(dev.hyperj.p2p.multiformats.Multiaddr.parse(s).bytes());
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    "'" + s + "' is not a multiaddr (e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...): " + e.getMessage());
        }
    }

    /** peerId=multiaddr pairs as the runtime's bootnode map (insertion order kept). */
    static java.util.Map<String, Bytes> multiaddrs(java.util.Map<String, String> byPeer) {
        java.util.Map<String, Bytes> out = new java.util.LinkedHashMap<>();
        byPeer.forEach((k, v) -> out.put(k, multiaddr(v)));
        return out;
    }

    /** An optional peer info from a peer id (absent = none) and an optional multiaddr. */
    static java.util.Optional<dev.hyperj.chain.runtime.Model.PeerInfo> peer(String peerId, String multiaddr) {
        if (peerId == null && multiaddr != null)
            throw new CliException("a multiaddr (" + multiaddr + ") needs its peer id");
        return java.util.Optional.ofNullable(peerId)
                .map(p -> new dev.hyperj.chain.runtime.Model.PeerInfo(
                        p, java.util.Optional.ofNullable(multiaddr).map(ChainArgs::multiaddr)));
    }

    /** "0x" + hex digits, or else the text's UTF-8 bytes; at most 1024 bytes. */
    static Bytes bytes(String s) {
        Bytes b;
        if (s.startsWith("0x")) {
            try {
                b = Bytes.fromHex(s);
            } catch (IllegalArgumentException e) {
                throw new CliException("'" + s + "' is not hex (0x + an even number of hex digits)");
            }
        } else {
            b = Bytes.utf8(s);
        }
        if (b.length() > 1024) throw new CliException("a value of " + b.length() + " bytes is too long (at most 1024)");
        return b;
    }

    static int integer(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new CliException("'" + s + "' is not an integer");
        }
    }

    static ChainClient connect(String rpc) {
        try {
            String url = rpc.toLowerCase(Locale.ROOT).startsWith("http") ? "ws" + rpc.substring(4) : rpc;
            return ChainClient.connect(URI.create(url));
        } catch (ChainClientException e) {
            throw new CliException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException("--rpc " + rpc + " is not a URL (e.g. " + DEFAULT_RPC + ")");
        }
    }
}
