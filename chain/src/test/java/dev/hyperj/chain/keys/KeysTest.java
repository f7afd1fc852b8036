package dev.hyperj.chain.keys;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.substrate.Chopsticks;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** BIP39/BIP32 against published vectors, and keystore v3 files exchanged with ethers (npm). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeysTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();
    static final String MOONBEAM_DEV = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

    @Test
    void bip39MatchesTheTrezorVectors() {
        byte[] zero = new byte[16];
        String m = Bip39.fromEntropy(zero);
        assertEquals(
                "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", m);
        assertEquals(
                "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04",
                HEX.formatHex(Bip39.seed(m, "TREZOR")));
        byte[] sevens = new byte[16];
        java.util.Arrays.fill(sevens, (byte) 0x7f);
        String legal = Bip39.fromEntropy(sevens);
        assertEquals("legal winner thank year wave sausage worth useful legal winner thank yellow", legal);
        assertEquals(
                "2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607",
                HEX.formatHex(Bip39.seed(legal, "TREZOR")));
        assertArrayEquals(sevens, Bip39.toEntropy(legal));
        assertEquals(24, Bip39.generate(24, new SecureRandom()).split(" ").length);
    }

    @Test
    void badMnemonicsAreRefusedWithTheReason() {
        String swapped =
                "about abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bip39.toEntropy(swapped))
                .getMessage()
                .contains("checksum"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> Bip39.toEntropy(MOONBEAM_DEV.replace("walk", "walks")))
                .getMessage()
                .contains("'walks'"));
        assertThrows(IllegalArgumentException.class, () -> Bip39.toEntropy("abandon about"));
    }

    @Test
    void bip32MatchesTestVectorOne() {
        byte[] seed = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        assertEquals(
                "e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35",
                HEX.formatHex(Bip32.derive(seed, "m")));
        assertEquals(
                "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea",
                HEX.formatHex(Bip32.derive(seed, "m/0'")));
        assertEquals(
                "3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368",
                HEX.formatHex(Bip32.derive(seed, "m/0'/1")));
        assertEquals(
                "cbce0d719ecf7431d88e6a89fa1483e02e35092af60c042b1df2ff59fa424dca",
                HEX.formatHex(Bip32.derive(seed, "m/0'/1/2'")));
    }

    @Test
    void theMoonbeamDevMnemonicGivesAlithThenBaltathar() {
        byte[] seed = Bip39.seed(MOONBEAM_DEV, "");
        assertArrayEquals(DevAccounts.ALITH.privateKey(), Bip32.derive(seed, Bip32.ethereumPath(0)));
        assertEquals(
                AccountId.fromHex("0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac"),
                AccountId.fromPrivateKey(Bip32.derive(seed, Bip32.ethereumPath(0))));
        assertArrayEquals(DevAccounts.BALTATHAR.privateKey(), Bip32.derive(seed, Bip32.ethereumPath(1)));
    }

    @Test
    void keystoreRoundTripsAndRefusesAWrongPasswordOrHostileCosts() {
        byte[] key = DevAccounts.CHARLETH.privateKey();
        String ks = Keystore.encrypt(key, "secret", 1 << 10, new SecureRandom());
        Keystore.Decrypted d = Keystore.decrypt(ks, "secret");
        assertArrayEquals(key, d.privateKey());
        assertEquals(DevAccounts.CHARLETH.account(), d.account());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keystore.decrypt(ks, "wrong"))
                .getMessage()
                .contains("wrong password"));
        String hostile = ks.replace("\"n\" : 1024", "\"n\" : 1073741824");
        assertNotEquals(ks, hostile);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keystore.decrypt(hostile, "secret"))
                .getMessage()
                .contains("outside what HyperJ accepts"));
        assertThrows(IllegalArgumentException.class, () -> Keystore.decrypt("{\"version\":3}", "x"));
        assertThrows(IllegalArgumentException.class, () -> Keystore.decrypt("not json", "x"));
    }

    static JsonNode ethers(ObjectNode request) throws Exception {
        java.nio.file.Path script = Chopsticks.repoRoot().resolve("interop/chopsticks/ethers-keys.mjs");
        Process p = new ProcessBuilder(Chopsticks.node().toString(), script.toString())
                .directory(script.getParent().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (var in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(request));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "ethers-keys.mjs failed: " + out);
        return JSON.readTree(out);
    }

    @Test
    void ethersReadsOurKeystoresAndWeReadEthersKeystores() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        key[0] = 0x11;
        AccountId account = AccountId.fromPrivateKey(key);

        ObjectNode dec = JSON.createObjectNode();
        dec.put("op", "decrypt");
        dec.put("json", Keystore.encrypt(key, "pässwörd", 1 << 12, new SecureRandom()));
        dec.put("password", "pässwörd");
        JsonNode theirs = ethers(dec);
        assertEquals(account, AccountId.fromHex(theirs.get("address").asText()));
        assertEquals("0x" + HEX.formatHex(key), theirs.get("privateKey").asText());

        ObjectNode enc = JSON.createObjectNode();
        enc.put("op", "encrypt");
        enc.put("privateKey", "0x" + HEX.formatHex(key));
        enc.put("password", "pässwörd");
        enc.put("n", 1 << 12);
        String json = ethers(enc).get("json").asText();
        Keystore.Decrypted ours = Keystore.decrypt(json, "pässwörd");
        assertArrayEquals(key, ours.privateKey());
        assertThrows(IllegalArgumentException.class, () -> Keystore.decrypt(json, "password"));
    }

    @Test
    void ethersDerivesTheSameAddressesFromAMnemonic() throws Exception {
        String phrase = Bip39.generate(12, new SecureRandom());
        byte[] seed = Bip39.seed(phrase, "");
        for (int i : new int[] {0, 7}) {
            ObjectNode req = JSON.createObjectNode();
            req.put("op", "derive");
            req.put("phrase", phrase);
            req.put("path", Bip32.ethereumPath(i));
            JsonNode theirs = ethers(req);
            assertEquals(
                    AccountId.fromPrivateKey(Bip32.derive(seed, Bip32.ethereumPath(i))),
                    AccountId.fromHex(theirs.get("address").asText()));
        }
    }
}
