package dev.hyperj.chain.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.UUID;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Ethereum keystore v3 ("Web3 Secret Storage"): a private key encrypted with AES-128-CTR under a
 * key derived from a password by scrypt (written) or scrypt or PBKDF2-HMAC-SHA256 (read), with a
 * keccak-256 MAC. The files MetaMask, geth, ethers and Moonbeam tools read and write.
 *
 * <p>Reading is bounded: the KDF's cost parameters are capped ({@link #MAX_SCRYPT_N}, r, p,
 * PBKDF2 rounds) so a hostile file cannot make us spend gigabytes or minutes, and a file over
 * 64 KiB is refused.
 */
public final class Keystore {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What geth writes ("standard"); ethers writes 2^17. */
    public static final int DEFAULT_SCRYPT_N = 1 << 18;

    static final int MAX_SCRYPT_N = 1 << 20, MAX_R = 16, MAX_P = 16, MAX_PBKDF2_ROUNDS = 10_000_000;
    static final long MAX_SCRYPT_MEMORY = 1L << 30;
    public static final int MAX_FILE_BYTES = 64 << 10;

    /** A decrypted key and the address the file names. */
    public record Decrypted(byte[] privateKey, AccountId account) {}

    private Keystore() {}

    /** Encrypts {@code privateKey} under {@code password} with scrypt cost {@code n} (a power of two). */
    public static String encrypt(byte[] privateKey, String password, int n, SecureRandom random) {
        if (privateKey.length != 32) throw new IllegalArgumentException("a secp256k1 private key is 32 bytes");
        if (n < 2 || Integer.bitCount(n) != 1 || n > MAX_SCRYPT_N)
            throw new IllegalArgumentException("scrypt N is a power of two up to " + MAX_SCRYPT_N);
        byte[] salt = new byte[32], iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        byte[] dk = SCrypt.generate(pw(password), salt, n, 8, 1, 32);
        byte[] cipher = aesCtr(dk, iv, privateKey);
        byte[] mac = Hashing.keccak256(concat(java.util.Arrays.copyOfRange(dk, 16, 32), cipher));
        HexFormat h = HexFormat.of();
        ObjectNode root = JSON.createObjectNode();
        root.put("address", h.formatHex(AccountId.fromPrivateKey(privateKey).bytes()));
        ObjectNode crypto = root.putObject("crypto");
        crypto.put("cipher", "aes-128-ctr");
        crypto.putObject("cipherparams").put("iv", h.formatHex(iv));
        crypto.put("ciphertext", h.formatHex(cipher));
        crypto.put("kdf", "scrypt");
        ObjectNode kdf = crypto.putObject("kdfparams");
        kdf.put("dklen", 32);
        kdf.put("n", n);
        kdf.put("p", 1);
        kdf.put("r", 8);
        kdf.put("salt", h.formatHex(salt));
        crypto.put("mac", h.formatHex(mac));
        root.put(
                "id",
                new UUID(
                                random.nextLong() & ~0xF000L | 0x4000L,
                                random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L)
                        .toString());
        root.put("version", 3);
        return root.toPrettyString();
    }

    /** True if {@code text} looks like a keystore (a JSON object with a crypto section). */
    public static boolean looksLikeKeystore(String text) {
        String t = text.strip();
        return t.startsWith("{") && (t.contains("\"crypto\"") || t.contains("\"Crypto\""));
    }

    /** Decrypts a keystore v3; an IllegalArgumentException says what is wrong (format, limits, or the password). */
    public static Decrypted decrypt(String json, String password) {
        if (json.length() > MAX_FILE_BYTES)
            throw new IllegalArgumentException("a keystore file is at most " + MAX_FILE_BYTES + " bytes");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a keystore: not JSON");
        }
        if (root == null || root.path("version").asInt() != 3)
            throw new IllegalArgumentException("not a keystore v3 (no \"version\": 3)");
        JsonNode c = root.has("crypto") ? root.get("crypto") : root.path("Crypto");
        if (!"aes-128-ctr".equals(c.path("cipher").asText()))
            throw new IllegalArgumentException(
                    "keystore cipher " + c.path("cipher").asText() + " is not supported (aes-128-ctr is)");
        HexFormat h = HexFormat.of();
        byte[] iv, cipher, mac, salt;
        try {
            iv = h.parseHex(strip0x(c.path("cipherparams").path("iv").asText()));
            cipher = h.parseHex(strip0x(c.path("ciphertext").asText()));
            mac = h.parseHex(strip0x(c.path("mac").asText()));
            salt = h.parseHex(strip0x(c.path("kdfparams").path("salt").asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("keystore field is not hex: " + e.getMessage());
        }
        if (iv.length != 16 || cipher.length != 32 || mac.length != 32 || salt.length > 1024)
            throw new IllegalArgumentException(
                    "keystore fields have the wrong lengths (iv 16, ciphertext 32, mac 32 bytes)");
        JsonNode k = c.path("kdfparams");
        if (k.path("dklen").asInt() != 32) throw new IllegalArgumentException("keystore dklen must be 32");
        byte[] dk = switch (c.path("kdf").asText()) {
            case "scrypt" -> {
                long n = k.path("n").asLong(),
                        r = k.path("r").asLong(),
                        p = k.path("p").asLong();
                if (n < 2
                        || Long.bitCount(n) != 1
                        || n > MAX_SCRYPT_N
                        || r < 1
                        || r > MAX_R
                        || p < 1
                        || p > MAX_P
                        || 128L * r * n > MAX_SCRYPT_MEMORY)
                    throw new IllegalArgumentException(
                            "keystore scrypt parameters n=" + n + " r=" + r + " p=" + p
                                    + " are outside what HyperJ accepts (n a power of two <= 2^20, r <= 16, p <= 16, memory <= 1 GiB)");
                yield SCrypt.generate(pw(password), salt, (int) n, (int) r, (int) p, 32);
            }
            case "pbkdf2" -> {
                int rounds = k.path("c").asInt();
                if (!"hmac-sha256".equals(k.path("prf").asText()) || rounds < 1 || rounds > MAX_PBKDF2_ROUNDS)
                    throw new IllegalArgumentException(
                            "keystore pbkdf2 must use hmac-sha256 with at most " + MAX_PBKDF2_ROUNDS + " rounds");
                PKCS5S2ParametersGenerator g = new PKCS5S2ParametersGenerator(new SHA256Digest());
                g.init(pw(password), salt, rounds);
                yield ((KeyParameter) g.generateDerivedParameters(256)).getKey();
            }
            default ->
                throw new IllegalArgumentException(
                        "keystore kdf " + c.path("kdf").asText() + " is not supported (scrypt, pbkdf2)");
        };
        byte[] expected = Hashing.keccak256(concat(java.util.Arrays.copyOfRange(dk, 16, 32), cipher));
        if (!MessageDigest.isEqual(expected, mac))
            throw new IllegalArgumentException("wrong password for this keystore (MAC mismatch)");
        byte[] key = aesCtr(dk, iv, cipher);
        AccountId account = AccountId.fromPrivateKey(key);
        String named = strip0x(root.path("address").asText(""));
        if (!named.isEmpty() && !named.equalsIgnoreCase(h.formatHex(account.bytes())))
            throw new IllegalArgumentException(
                    "the keystore names address 0x" + named + " but holds the key of " + account);
        return new Decrypted(key, account);
    }

    /** The address a keystore names, without decrypting it (empty if it names none). */
    public static java.util.Optional<AccountId> address(String json) {
        try {
            String a = strip0x(JSON.readTree(json).path("address").asText(""));
            return a.length() == 40 ? java.util.Optional.of(AccountId.fromHex("0x" + a)) : java.util.Optional.empty();
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }

    private static byte[] aesCtr(byte[] dk, byte[] iv, byte[] in) {
        SICBlockCipher ctr = new SICBlockCipher(AESEngine.newInstance());
        ctr.init(true, new ParametersWithIV(new KeyParameter(dk, 0, 16), iv));
        byte[] out = new byte[in.length];
        ctr.processBytes(in, 0, in.length, out, 0);
        return out;
    }

    private static byte[] pw(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8);
    }

    private static String strip0x(String s) {
        return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
