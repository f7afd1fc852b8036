package dev.hyperj.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.interop.JsInterop;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same keys through js-libp2p ({@code @libp2p/crypto} 5, {@code @libp2p/peer-id} 6, run by Node 22
 * from interop/js): equal public-key bytes and peer ids, and signatures verified both ways.
 */
@Timeout(180)
class JsKeyInteropTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void findNode() throws Exception {
        JsInterop.node();
    }

    @Test
    void javaKeysGiveTheSamePeerIdsPublicKeysAndSignaturesInJs() throws Exception {
        SecureRandom random = new SecureRandom();
        List<PrivateKey> keys = new ArrayList<>();
        for (KeyType type : KeyType.values()) {
            keys.add(Keys.generate(type, random));
        }
        keys.add(Keys.generate(KeyType.ED25519, random));
        keys.add(Keys.generate(KeyType.SECP256K1, random));
        // the Python template's 36-byte form, read by Java, handed to js in the libp2p form
        keys.add(Keys.unmarshalPrivateKey(Keys.marshalEd25519Seed(Keys.generate(KeyType.ED25519, random))));
        byte[] message = new byte[100];
        random.nextBytes(message);

        ObjectNode request = JSON.createObjectNode();
        request.put("message", HEX.formatHex(message));
        request.put("otherMessage", HEX.formatHex("another message".getBytes(StandardCharsets.UTF_8)));
        ArrayNode list = request.putArray("keys");
        for (PrivateKey k : keys) {
            list.addObject()
                    .put("privateKey", HEX.formatHex(k.marshal()))
                    .put("signature", HEX.formatHex(k.sign(message)));
        }
        JsonNode answer = runScript(request);

        JsonNode results = answer.get("keys");
        assertThat(results).hasSize(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            PrivateKey k = keys.get(i);
            JsonNode js = results.get(i);
            String what = k.type() + " key #" + i;
            assertThat(js.get("privateKey").asText())
                    .as(what + " private key re-encoded by js")
                    .isEqualTo(HEX.formatHex(k.marshal()));
            assertThat(js.get("javaSignatureValid").asBoolean())
                    .as(what + ": js verifies Java's signature")
                    .isTrue();
            assertThat(js.get("javaSignatureValidForOtherMessage").asBoolean())
                    .as(what + ": js rejects it for another message")
                    .isFalse();
            assertThat(k.publicKey()
                            .verify(message, HEX.parseHex(js.get("signature").asText())))
                    .as(what + ": Java verifies js's signature")
                    .isTrue();
            if (k.type() == KeyType.ECDSA) {
                assertEcdsaAgrees(k, js);
            } else {
                PeerId id = PeerId.fromPublicKey(k.publicKey());
                assertThat(js.get("publicKey").asText())
                        .as(what + " public key")
                        .isEqualTo(HEX.formatHex(k.publicKey().marshal()));
                assertThat(js.get("peerId").asText()).as(what + " peer id").isEqualTo(id.toBase58());
                assertThat(js.get("peerIdCid").asText())
                        .as(what + " peer id CID")
                        .isEqualTo(id.toCid());
            }
        }
    }

    @Test
    void jsGeneratedKeysReadInJava() throws Exception {
        byte[] message = "signed by js-libp2p".getBytes(StandardCharsets.UTF_8);
        ObjectNode request = JSON.createObjectNode();
        request.put("message", HEX.formatHex(message));
        ArrayNode generate = request.putArray("generate");
        for (String type : List.of("Ed25519", "secp256k1", "ECDSA", "RSA", "secp256k1", "secp256k1")) {
            generate.add(type);
        }
        JsonNode generated = runScript(request).get("generated");
        assertThat(generated).hasSize(6);
        for (JsonNode js : generated) {
            byte[] privateKey = HEX.parseHex(js.get("privateKey").asText());
            PrivateKey k = Keys.unmarshalPrivateKey(privateKey);
            String what = "js " + js.get("type").asText() + " key";
            assertThat(k.marshal()).as(what + " re-encoded by Java").isEqualTo(privateKey);
            byte[] jsSignature = HEX.parseHex(js.get("signature").asText());
            assertThat(k.publicKey().verify(message, jsSignature))
                    .as(what + ": Java verifies js's signature")
                    .isTrue();
            assertThat(k.publicKey().verify("tampered".getBytes(StandardCharsets.UTF_8), jsSignature))
                    .isFalse();
            if (k.type() == KeyType.ECDSA) {
                assertEcdsaAgrees(k, js);
                continue;
            }
            PublicKey pub =
                    Keys.unmarshalPublicKey(HEX.parseHex(js.get("publicKey").asText()));
            assertThat(pub).isEqualTo(k.publicKey());
            assertThat(pub.marshal()).isEqualTo(HEX.parseHex(js.get("publicKey").asText()));
            PeerId id = PeerId.parse(js.get("peerId").asText());
            assertThat(id).isEqualTo(PeerId.fromPublicKey(pub));
            assertThat(PeerId.parse(js.get("peerIdCid").asText())).isEqualTo(id);
            assertThat(id.toCid()).isEqualTo(js.get("peerIdCid").asText());
        }
    }

    /**
     * js-libp2p 5 does not follow the spec's ECDSA public key encoding (nor derive ECDSA peer ids), so
     * ECDSA is compared on what both sides share: the SEC1 private key bytes and the public point.
     */
    private static void assertEcdsaAgrees(PrivateKey k, JsonNode js) {
        assertThat(js.get("peerIdError").asText())
                .as("js-libp2p 5 derives no ECDSA peer id")
                .isNotBlank();
        byte[] point = ECPrivateKey.getInstance(k.raw()).getPublicKey().getOctets();
        assertThat(js.get("ecdsaPoint").asText()).isEqualTo(HEX.formatHex(point));
        // our SubjectPublicKeyInfo ends with the same uncompressed point
        String spki = HEX.formatHex(k.publicKey().raw());
        assertThat(spki)
                .startsWith("3059301306072a8648ce3d020106082a8648ce3d030107034200")
                .endsWith(HEX.formatHex(point));
    }

    private static JsonNode runScript(JsonNode request) throws Exception {
        return JsInterop.run("keys.mjs", request);
    }
}
