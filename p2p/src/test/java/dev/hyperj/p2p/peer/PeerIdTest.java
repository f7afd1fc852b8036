package dev.hyperj.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.FormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerIdTest {
    /** The examples of libp2p/specs peer-ids.md "Decoding". */
    private static final String SPEC_ED25519 = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    private static final String SPEC_SHA256 = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
    private static final String SPEC_SHA256_CID = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";

    @Test
    void specExamplesParse() {
        PeerId ed = PeerId.parse(SPEC_ED25519);
        assertThat(ed.toString()).isEqualTo(SPEC_ED25519);
        assertThat(ed.publicKey()).get().extracting(k -> k.type()).isEqualTo(KeyType.ED25519);
        assertThat(PeerId.fromPublicKey(ed.publicKey().orElseThrow())).isEqualTo(ed);

        PeerId hashed = PeerId.parse(SPEC_SHA256);
        assertThat(hashed.toBase58()).isEqualTo(SPEC_SHA256);
        assertThat(hashed.publicKey()).isEmpty();
        assertThat(hashed.bytes()).hasSize(34).startsWith(0x12, 0x20);

        PeerId fromCid = PeerId.parse(SPEC_SHA256_CID);
        assertThat(fromCid.toCid()).isEqualTo(SPEC_SHA256_CID);
        // the spec's two sha256 examples are the same peer in its two text forms
        assertThat(fromCid).isEqualTo(hashed);
        assertThat(hashed.toCid()).isEqualTo(SPEC_SHA256_CID);
    }

    @Test
    void cidAndBase58FormsAreTheSamePeer() {
        for (KeyType type : KeyType.values()) {
            PeerId id = PeerId.fromPublicKey(Keys.generate(type).publicKey());
            assertThat(id.toCid()).startsWith("bafz");
            assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
            assertThat(PeerId.parse(id.toBase58())).isEqualTo(id).hasSameHashCodeAs(id);
            assertThat(PeerId.fromBytes(id.bytes())).isEqualTo(id);
            assertThat(id.matches(Keys.generate(KeyType.ED25519).publicKey())).isFalse();
        }
    }

    @Test
    void ed25519SeedGivesKnownPeerId() {
        // RFC 8032 test 1 secret key; its public key is d75a98...511a, whose identity peer id is fixed.
        PrivateKey k = Keys.ed25519FromSeed(
                HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(HexFormat.of().formatHex(k.publicKey().raw()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        PeerId id = PeerId.fromPublicKey(k.publicKey());
        assertThat(id.bytes()).startsWith(0x00, 0x24, 0x08, 0x01, 0x12, 0x20);
        assertThat(id.publicKey()).contains(k.publicKey());
    }

    @Test
    void orderingIsUnsignedLexicographicOnBytes() {
        List<PeerId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(PeerId.fromPublicKey(Keys.generate(i % 2 == 0 ? KeyType.ED25519 : KeyType.SECP256K1)
                    .publicKey()));
        }
        ids.add(PeerId.parse(SPEC_SHA256));
        ids.sort(null);
        for (int i = 1; i < ids.size(); i++) {
            assertThat(java.util.Arrays.compareUnsigned(
                            ids.get(i - 1).bytes(), ids.get(i).bytes()))
                    .isLessThanOrEqualTo(0);
        }
        assertThat(ids.get(ids.size() - 1).bytes()[0])
                .isEqualTo((byte) 0x12); // 0x12 sorts after every identity id (0x00)
    }

    @Test
    void rejectsMalformedIds() {
        assertThatThrownBy(() -> PeerId.parse("")).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> PeerId.parse("12D3KooW0OIl")).isInstanceOf(FormatException.class); // not base58
        assertThatThrownBy(() -> PeerId.parse("xyz")).isInstanceOf(FormatException.class); // unknown multibase
        // sha2-256 with a short digest
        assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x12, 0x02, 1, 2}))
                .isInstanceOf(FormatException.class);
        // identity over bytes that are not a key
        assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x00, 0x03, 1, 2, 3}))
                .isInstanceOf(FormatException.class);
        // other hash functions
        assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x13, 0x01, 1})).isInstanceOf(FormatException.class);
        // a CID with a codec other than libp2p-key (0x70 dag-pb)
        String dagPb = "b"
                + dev.hyperj.p2p.multiformats.Base32.encode(
                        concat(new byte[] {1, 0x70}, PeerId.parse(SPEC_SHA256).bytes()));
        assertThatThrownBy(() -> PeerId.parse(dagPb))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("libp2p-key");
    }

    @Test
    void identityIdWithAnOffCurveKeyParsesButHasNoPublicKey() {
        // find a 32-byte string that is not an Ed25519 point (about half of all y values are not)
        byte[] y = new byte[32];
        for (int b = 2; ; b++) {
            y[0] = (byte) b;
            try {
                Keys.unmarshalPublicKey(KeyType.ED25519, y);
            } catch (dev.hyperj.p2p.crypto.KeyFormatException notAPoint) {
                break;
            }
        }
        byte[] id = concat(new byte[] {0x00, 36, 0x08, 0x01, 0x12, 0x20}, y);
        PeerId peer = PeerId.fromBytes(id);
        assertThat(peer.publicKey()).isEmpty();
        assertThat(PeerId.parse(peer.toBase58())).isEqualTo(peer);
        // a valid key in the same place is found
        byte[] good = Keys.generate(KeyType.ED25519).publicKey().marshal();
        assertThat(PeerId.fromBytes(concat(new byte[] {0x00, 36}, good)).publicKey())
                .isPresent();
        // non-canonical or non-inlinable encodings are refused outright
        byte[] nonCanonical =
                concat(new byte[] {0x00, 37, 0x08, (byte) 0x81, 0x00, 0x12, 0x20}, y); // type as a 2-byte varint
        assertThatThrownBy(() -> PeerId.fromBytes(java.util.Arrays.copyOf(nonCanonical, 39)))
                .isInstanceOf(FormatException.class);
        byte[] secpBadPrefix = concat(new byte[] {0x00, 37, 0x08, 0x02, 0x12, 0x21, 0x04}, y);
        assertThatThrownBy(() -> PeerId.fromBytes(secpBadPrefix)).isInstanceOf(FormatException.class);
    }

    @Test
    void chainRuleChecksLengthAndPrefix() {
        assertThat(PeerId.isValidChainPeerId(SPEC_ED25519.getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(PeerId.isValidChainPeerId(SPEC_SHA256.getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(PeerId.isValidChainPeerId(SPEC_SHA256_CID.getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(PeerId.isValidChainPeerId("z".repeat(32).getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(PeerId.isValidChainPeerId("m".repeat(128).getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(PeerId.isValidChainPeerId("1".repeat(31).getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(PeerId.isValidChainPeerId("1".repeat(129).getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(PeerId.isValidChainPeerId(("Qx" + "1".repeat(40)).getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(PeerId.isValidChainPeerId(("2" + "1".repeat(40)).getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(PeerId.isValidChainPeerId(new byte[0])).isFalse();
        assertThat(PeerId.isValidChainPeerId(null)).isFalse();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
