package dev.hyperj.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.peer.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The key test vectors published in libp2p/specs peer-ids.md. */
class SpecVectorsTest {
    private static final Properties VECTORS = new Properties();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = SpecVectorsTest.class.getResourceAsStream("spec-key-vectors.properties")) {
            VECTORS.load(new java.io.InputStreamReader(in, StandardCharsets.US_ASCII));
        }
        assertThat(VECTORS).hasSize(8);
    }

    private static byte[] vector(KeyType type, String which) {
        String name = switch (type) {
            case RSA -> "rsa";
            case ED25519 -> "ed25519";
            case SECP256K1 -> "secp256k1";
            case ECDSA -> "ecdsa";
        };
        return HexFormat.of().parseHex(VECTORS.getProperty(name + "." + which).toLowerCase());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void privateKeyYieldsThePublishedPublicKey(KeyType type) {
        PrivateKey priv = Keys.unmarshalPrivateKey(vector(type, "private"));
        assertThat(priv.type()).isEqualTo(type);
        assertThat(priv.publicKey().marshal()).isEqualTo(vector(type, "public"));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void encodingsRoundTripByteForByte(KeyType type) {
        byte[] priv = vector(type, "private");
        byte[] pub = vector(type, "public");
        assertThat(Keys.unmarshalPrivateKey(priv).marshal()).isEqualTo(priv);
        assertThat(Keys.unmarshalPublicKey(pub).marshal()).isEqualTo(pub);
        assertThat(Keys.unmarshalPublicKey(pub))
                .isEqualTo(Keys.unmarshalPrivateKey(priv).publicKey());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void signaturesOfTheVectorKeysVerify(KeyType type) {
        PrivateKey priv = Keys.unmarshalPrivateKey(vector(type, "private"));
        PublicKey pub = Keys.unmarshalPublicKey(vector(type, "public"));
        byte[] msg = "libp2p spec vector".getBytes(StandardCharsets.UTF_8);
        byte[] sig = priv.sign(msg);
        assertThat(pub.verify(msg, sig)).isTrue();
        msg[0] ^= 1;
        assertThat(pub.verify(msg, sig)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void peerIdUsesIdentityOnlyForShortKeys(KeyType type) {
        PeerId id = PeerId.fromPublicKey(Keys.unmarshalPublicKey(vector(type, "public")));
        boolean inline = vector(type, "public").length <= 42;
        assertThat(id.bytes()[0]).isEqualTo(inline ? (byte) 0x00 : (byte) 0x12);
        assertThat(id.publicKey().isPresent()).isEqualTo(inline);
        String text = id.toBase58();
        switch (type) {
            case ED25519 -> assertThat(text).startsWith("12D3KooW");
            case SECP256K1 -> assertThat(text).startsWith("16Uiu2");
            default -> assertThat(text).startsWith("Qm");
        }
        assertThat(PeerId.parse(text)).isEqualTo(id);
        assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
    }
}
