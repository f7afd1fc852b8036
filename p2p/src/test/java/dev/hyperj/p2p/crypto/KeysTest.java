package dev.hyperj.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeysTest {
    private static final byte[] MSG = "hello hyperj".getBytes(StandardCharsets.UTF_8);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void generatedKeysSignVerifyAndRoundTrip(KeyType type) {
        PrivateKey k = Keys.generate(type);
        assertThat(k.type()).isEqualTo(type);
        byte[] sig = k.sign(MSG);
        assertThat(k.publicKey().verify(MSG, sig)).isTrue();
        assertThat(k.publicKey().verify("other".getBytes(StandardCharsets.UTF_8), sig))
                .isFalse();
        assertThat(Keys.generate(type).publicKey().verify(MSG, sig)).isFalse();
        byte[] tampered = sig.clone();
        tampered[tampered.length / 2] ^= 0x40;
        assertThat(k.publicKey().verify(MSG, tampered)).isFalse();
        assertThat(k.publicKey().verify(MSG, new byte[0])).isFalse();
        assertThat(k.publicKey().verify(MSG, null)).isFalse();

        PrivateKey back = Keys.unmarshalPrivateKey(k.marshal());
        assertThat(back).isEqualTo(k).hasSameHashCodeAs(k);
        assertThat(back.marshal()).isEqualTo(k.marshal());
        assertThat(back.publicKey()).isEqualTo(k.publicKey());
        PublicKey pub = Keys.unmarshalPublicKey(k.publicKey().marshal());
        assertThat(pub).isEqualTo(k.publicKey());
        assertThat(pub.verify(MSG, sig)).isTrue();
        assertThat(Keys.unmarshalPublicKey(type, pub.raw())).isEqualTo(pub);
        assertThat(k.toString()).doesNotContain(HexFormat.of().formatHex(k.raw()));
        // the deterministic encoding: Type then Data, minimal varints
        assertThat(pub.marshal()[0]).isEqualTo((byte) 0x08);
        assertThat(pub.marshal()[1]).isEqualTo((byte) type.code());
        assertThat(pub.marshal()[2]).isEqualTo((byte) 0x12);
    }

    @Test
    void ed25519AcceptsTheSeedTheLibp2pAndTheLegacyForms() {
        byte[] seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] pub = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        PrivateKey k = Keys.ed25519FromSeed(seed);
        // RFC 8032 test 1: the signature of the empty message
        assertThat(HexFormat.of().formatHex(k.sign(new byte[0])))
                .isEqualTo(
                        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        byte[] template = Keys.marshalEd25519Seed(k);
        assertThat(template).hasSize(36).startsWith(0x08, 0x01, 0x12, 0x20);
        assertThat(k.marshal()).hasSize(68).startsWith(0x08, 0x01, 0x12, 0x40);
        assertThat(Keys.unmarshalPrivateKey(template)).isEqualTo(k);
        assertThat(Keys.unmarshalPrivateKey(k.marshal())).isEqualTo(k);
        assertThat(Keys.unmarshalPrivateKey(KeyType.ED25519, concat(seed, pub, pub)))
                .isEqualTo(k);

        byte[] wrongPub = pub.clone();
        wrongPub[0] ^= 1;
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(KeyType.ED25519, concat(seed, wrongPub)))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(KeyType.ED25519, concat(seed, pub, wrongPub)))
                .isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(KeyType.ED25519, new byte[33]))
                .isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> Keys.marshalEd25519Seed(Keys.generate(KeyType.SECP256K1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secp256k1SignsLowSAndAcceptsHighS() {
        PrivateKey k = Keys.generate(KeyType.SECP256K1);
        BigInteger n = Secp256k1Keys.DOMAIN.getN();
        for (int i = 0; i < 32; i++) {
            byte[] msg = ("m" + i).getBytes(StandardCharsets.UTF_8);
            byte[] sig = k.sign(msg);
            ASN1Sequence seq = ASN1Sequence.getInstance(sig);
            BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            assertThat(s).isLessThanOrEqualTo(n.shiftRight(1));
            byte[] highS = der(r, n.subtract(s));
            assertThat(k.publicKey().verify(msg, highS)).isTrue();
        }
        assertThat(k.publicKey().raw()).hasSize(33);
        assertThat(k.raw()).hasSize(32);
    }

    @Test
    void secp256k1ReadsUncompressedPublicKeysAndKeepsThemCompressed() {
        PrivateKey k = Keys.generate(KeyType.SECP256K1);
        byte[] uncompressed =
                Secp256k1Keys.DOMAIN.getCurve().decodePoint(k.publicKey().raw()).getEncoded(false);
        PublicKey pub = Keys.unmarshalPublicKey(KeyType.SECP256K1, uncompressed);
        assertThat(pub).isEqualTo(k.publicKey());
        assertThat(pub.raw()).hasSize(33);
        byte[] offCurve = k.publicKey().raw();
        offCurve[0] = 0x05;
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(KeyType.SECP256K1, offCurve))
                .isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(KeyType.SECP256K1, new byte[32]))
                .isInstanceOf(KeyFormatException.class);
        byte[] n = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, Secp256k1Keys.DOMAIN.getN());
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(KeyType.SECP256K1, n)).isInstanceOf(KeyFormatException.class);
    }

    @Test
    void ecdsaSignsDerAndAlsoVerifiesWebCryptoRawSignatures() {
        PrivateKey k = Keys.generate(KeyType.ECDSA);
        byte[] sig = k.sign(MSG);
        assertThat(sig[0]).isEqualTo((byte) 0x30);
        ASN1Sequence seq = ASN1Sequence.getInstance(sig);
        byte[] raw = concat(
                org.bouncycastle.util.BigIntegers.asUnsignedByteArray(
                        32, ASN1Integer.getInstance(seq.getObjectAt(0)).getValue()),
                org.bouncycastle.util.BigIntegers.asUnsignedByteArray(
                        32, ASN1Integer.getInstance(seq.getObjectAt(1)).getValue()));
        assertThat(k.publicKey().verify(MSG, raw)).isTrue();
        raw[5] ^= 1;
        assertThat(k.publicKey().verify(MSG, raw)).isFalse();
        // DER with a trailing byte is not canonical and is refused
        assertThat(k.publicKey().verify(MSG, concat(sig, new byte[] {0}))).isFalse();
    }

    @Test
    void ecdsaPrivateKeyWithAMismatchedPublicKeyIsRejected() {
        byte[] a = Keys.generate(KeyType.ECDSA).raw();
        byte[] b = Keys.generate(KeyType.ECDSA).raw();
        // SEC1 layout: the 65-byte public point is the last 65 bytes of both encodings
        byte[] mixed = a.clone();
        System.arraycopy(b, b.length - 65, mixed, mixed.length - 65, 65);
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(KeyType.ECDSA, mixed))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void rsaBelow2048BitsIsRejected() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024, new SecureRandom());
        RSAPrivateCrtKey small = (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
        byte[] pkcs1 = new org.bouncycastle.asn1.pkcs.RSAPrivateKey(
                        small.getModulus(),
                        small.getPublicExponent(),
                        small.getPrivateExponent(),
                        small.getPrimeP(),
                        small.getPrimeQ(),
                        small.getPrimeExponentP(),
                        small.getPrimeExponentQ(),
                        small.getCrtCoefficient())
                .getEncoded(ASN1Encoding.DER);
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(KeyType.RSA, pkcs1))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("too small");
        byte[] spki = java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.RSAPublicKeySpec(small.getModulus(), small.getPublicExponent()))
                .getEncoded();
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(KeyType.RSA, spki))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("too small");
        assertThatThrownBy(() -> Keys.generateRsa(1024, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void protobufEnvelopeIsStrict() {
        byte[] good = Keys.generate(KeyType.ED25519).publicKey().marshal();
        assertThat(Keys.unmarshalPublicKey(good)).isNotNull();
        // unknown key type 4
        byte[] unknownType = good.clone();
        unknownType[1] = 4;
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(unknownType))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("unknown key type");
        // an extra field 3
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(concat(good, hex("1801"))))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("unknown field");
        // a repeated Data field
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(concat(good, Arrays.copyOfRange(good, 2, good.length))))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("repeats");
        // missing Data / missing Type
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(hex("0801")))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("Data");
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(Arrays.copyOfRange(good, 2, good.length)))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("Type");
        // truncated
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> KeyType.fromCode(7)).isInstanceOf(KeyFormatException.class);
    }

    private static byte[] der(BigInteger r, BigInteger s) {
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)})
                    .getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
