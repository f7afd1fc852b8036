package dev.hyperj.chain.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * BIP39 mnemonics with the English word list: entropy to words with its checksum, validation,
 * and the 64-byte seed (PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" + passphrase, NFKD).
 */
public final class Bip39 {
    private static final List<String> WORDS = load();
    private static final Map<String, Integer> INDEX = new HashMap<>();

    static {
        for (int i = 0; i < WORDS.size(); i++) INDEX.put(WORDS.get(i), i);
    }

    private Bip39() {}

    private static List<String> load() {
        try (InputStream in = Bip39.class.getResourceAsStream("bip39-english.txt")) {
            List<String> w = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .strip()
                    .split("\n"));
            if (w.size() != 2048) throw new IllegalStateException("the BIP39 word list has " + w.size() + " words");
            return w;
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the BIP39 word list is missing from the jar", e);
        }
    }

    /** A new mnemonic of 12, 15, 18, 21 or 24 words. */
    public static String generate(int words, SecureRandom random) {
        if (words % 3 != 0 || words < 12 || words > 24)
            throw new IllegalArgumentException("a mnemonic has 12, 15, 18, 21 or 24 words");
        byte[] entropy = new byte[words / 3 * 4];
        random.nextBytes(entropy);
        return fromEntropy(entropy);
    }

    public static String fromEntropy(byte[] entropy) {
        int bits = entropy.length * 8;
        if (bits < 128 || bits > 256 || bits % 32 != 0)
            throw new IllegalArgumentException("BIP39 entropy is 16, 20, 24, 28 or 32 bytes");
        byte[] hash = sha256(entropy);
        int cs = bits / 32;
        List<String> out = new ArrayList<>();
        for (int w = 0; w < (bits + cs) / 11; w++) {
            int idx = 0;
            for (int b = 0; b < 11; b++) {
                int bit = w * 11 + b;
                int v = bit < bits
                        ? entropy[bit / 8] >> (7 - bit % 8) & 1
                        : hash[(bit - bits) / 8] >> (7 - (bit - bits) % 8) & 1;
                idx = idx << 1 | v;
            }
            out.add(WORDS.get(idx));
        }
        return String.join(" ", out);
    }

    /** The entropy behind a mnemonic; an IllegalArgumentException naming the problem (unknown word, count, checksum). */
    public static byte[] toEntropy(String mnemonic) {
        String[] words = normalize(mnemonic).split(" ");
        if (words.length % 3 != 0 || words.length < 12 || words.length > 24)
            throw new IllegalArgumentException("a mnemonic has 12, 15, 18, 21 or 24 words, this one " + words.length);
        int total = words.length * 11;
        int cs = total / 33;
        int bits = total - cs;
        boolean[] b = new boolean[total];
        for (int w = 0; w < words.length; w++) {
            Integer idx = INDEX.get(words[w]);
            if (idx == null)
                throw new IllegalArgumentException(
                        "word " + (w + 1) + " ('" + words[w] + "') is not in the BIP39 English list");
            for (int k = 0; k < 11; k++) b[w * 11 + k] = (idx >> (10 - k) & 1) == 1;
        }
        byte[] entropy = new byte[bits / 8];
        for (int i = 0; i < bits; i++) if (b[i]) entropy[i / 8] |= (byte) (1 << (7 - i % 8));
        byte[] hash = sha256(entropy);
        for (int i = 0; i < cs; i++)
            if (b[bits + i] != ((hash[i / 8] >> (7 - i % 8) & 1) == 1))
                throw new IllegalArgumentException(
                        "the mnemonic's checksum does not match: a word is wrong or out of order");
        return entropy;
    }

    public static boolean isValid(String mnemonic) {
        try {
            toEntropy(mnemonic);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The BIP39 seed of a (valid) mnemonic and an optional passphrase. */
    public static byte[] seed(String mnemonic, String passphrase) {
        toEntropy(mnemonic);
        PKCS5S2ParametersGenerator g = new PKCS5S2ParametersGenerator(new SHA512Digest());
        g.init(
                normalize(mnemonic).getBytes(StandardCharsets.UTF_8),
                Normalizer.normalize("mnemonic" + passphrase, Normalizer.Form.NFKD)
                        .getBytes(StandardCharsets.UTF_8),
                2048);
        return ((KeyParameter) g.generateDerivedParameters(512)).getKey();
    }

    private static String normalize(String mnemonic) {
        return String.join(
                " ",
                Arrays.stream(Normalizer.normalize(mnemonic, Normalizer.Form.NFKD)
                                .strip()
                                .toLowerCase()
                                .split("\\s+"))
                        .toList());
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
