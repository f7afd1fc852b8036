package dev.hyperj.p2p.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MessageSigningTest {
    private static final PrivateKey ED = Keys.ed25519FromSeed(new byte[32]);

    @Test
    void signedMessageCarriesAuthorSeqnoAndVerifies() {
        Rpc.Message m = MessageSigning.sign(ED, "blocks", "hi".getBytes(StandardCharsets.UTF_8), 258);
        assertThat(m.from()).isEqualTo(PeerId.fromPublicKey(ED.publicKey()).bytes());
        assertThat(m.seqno()).containsExactly(0, 0, 0, 0, 0, 0, 1, 2);
        assertThat(m.key()).as("ed25519 ids embed the key").isNull();
        assertThat(MessageSigning.verify(m)).isNull();
        assertThat(MessageSigning.check(SignaturePolicy.STRICT_SIGN, m)).isNull();
    }

    @Test
    void signatureCoversPrefixAndMessageWithoutSignatureAndKey() {
        Rpc.Message m = MessageSigning.sign(ED, "blocks", new byte[] {1, 2, 3}, 1);
        byte[] body = RpcCodec.encodeMessage(new Rpc.Message(m.from(), m.data(), m.seqno(), m.topic(), null, null));
        byte[] signed = new byte[14 + body.length];
        System.arraycopy("libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII), 0, signed, 0, 14);
        System.arraycopy(body, 0, signed, 14, body.length);
        assertThat(ED.publicKey().verify(signed, m.signature())).isTrue();
    }

    @Test
    void tamperedFieldsFailVerification() {
        Rpc.Message m = MessageSigning.sign(ED, "blocks", new byte[] {1, 2, 3}, 1);
        assertThat(MessageSigning.verify(
                        new Rpc.Message(m.from(), new byte[] {1, 2, 4}, m.seqno(), m.topic(), m.signature(), null)))
                .isEqualTo(MessageSigning.Failure.INVALID_SIGNATURE);
        assertThat(MessageSigning.verify(new Rpc.Message(
                        m.from(), m.data(), new byte[] {0, 0, 0, 0, 0, 0, 0, 2}, m.topic(), m.signature(), null)))
                .isEqualTo(MessageSigning.Failure.INVALID_SIGNATURE);
        assertThat(MessageSigning.verify(new Rpc.Message(m.from(), m.data(), m.seqno(), "other", m.signature(), null)))
                .isEqualTo(MessageSigning.Failure.INVALID_SIGNATURE);
        byte[] sig = m.signature();
        sig[0] ^= 1;
        assertThat(MessageSigning.verify(new Rpc.Message(m.from(), m.data(), m.seqno(), m.topic(), sig, null)))
                .isEqualTo(MessageSigning.Failure.INVALID_SIGNATURE);
    }

    @Test
    void missingOrForeignAuthorFieldsFail() {
        Rpc.Message m = MessageSigning.sign(ED, "t", new byte[] {1}, 1);
        assertThat(MessageSigning.verify(new Rpc.Message(null, m.data(), m.seqno(), "t", m.signature(), null)))
                .isEqualTo(MessageSigning.Failure.MISSING_FROM);
        assertThat(MessageSigning.verify(new Rpc.Message(m.from(), m.data(), null, "t", m.signature(), null)))
                .isEqualTo(MessageSigning.Failure.MISSING_SEQNO);
        assertThat(MessageSigning.verify(new Rpc.Message(m.from(), m.data(), m.seqno(), "t", null, null)))
                .isEqualTo(MessageSigning.Failure.MISSING_SIGNATURE);
        assertThat(MessageSigning.verify(
                        new Rpc.Message(new byte[] {1, 2, 3}, m.data(), m.seqno(), "t", m.signature(), null)))
                .isEqualTo(MessageSigning.Failure.BAD_FROM);
        PrivateKey other = Keys.ed25519FromSeed(filled(7));
        assertThat(MessageSigning.verify(new Rpc.Message(
                        m.from(),
                        m.data(),
                        m.seqno(),
                        "t",
                        m.signature(),
                        other.publicKey().marshal())))
                .isEqualTo(MessageSigning.Failure.KEY_MISMATCH);
        assertThat(MessageSigning.verify(
                        new Rpc.Message(m.from(), m.data(), m.seqno(), "t", m.signature(), new byte[] {1, 2})))
                .isEqualTo(MessageSigning.Failure.BAD_KEY);
    }

    @Test
    void rsaAuthorsSendTheirKey() {
        PrivateKey rsa = Keys.generate(KeyType.RSA, new SecureRandom());
        Rpc.Message m = MessageSigning.sign(rsa, "t", new byte[] {5}, 9);
        assertThat(m.key()).isEqualTo(rsa.publicKey().marshal());
        assertThat(MessageSigning.verify(m)).isNull();
        assertThat(MessageSigning.verify(new Rpc.Message(m.from(), m.data(), m.seqno(), "t", m.signature(), null)))
                .as("without the key field an RSA id cannot be verified")
                .isEqualTo(MessageSigning.Failure.BAD_KEY);
    }

    @Test
    void secp256k1AuthorsVerify() {
        PrivateKey k = Keys.generate(KeyType.SECP256K1, new SecureRandom());
        Rpc.Message m = MessageSigning.sign(k, "t", new byte[] {5}, 9);
        assertThat(MessageSigning.verify(m)).isNull();
    }

    @Test
    void strictNoSignRejectsAuthoredMessages() {
        Rpc.Message signed = MessageSigning.sign(ED, "t", new byte[] {1}, 1);
        assertThat(MessageSigning.check(SignaturePolicy.STRICT_NO_SIGN, signed))
                .isEqualTo(MessageSigning.Failure.UNEXPECTED_SIGNATURE);
        Rpc.Message authored = new Rpc.Message(signed.from(), signed.data(), signed.seqno(), "t", null, null);
        assertThat(MessageSigning.check(SignaturePolicy.STRICT_NO_SIGN, authored))
                .isEqualTo(MessageSigning.Failure.UNEXPECTED_AUTHOR);
        Rpc.Message anonymous = MessageSigning.anonymous("t", new byte[] {1});
        assertThat(MessageSigning.check(SignaturePolicy.STRICT_NO_SIGN, anonymous))
                .isNull();
        assertThat(MessageSigning.check(SignaturePolicy.STRICT_SIGN, anonymous))
                .isEqualTo(MessageSigning.Failure.MISSING_FROM);
    }

    @Test
    void defaultMessageIdIsFromThenSeqno() {
        Rpc.Message m = MessageSigning.sign(ED, "t", new byte[] {1}, 1);
        byte[] expected = new byte[m.from().length + 8];
        System.arraycopy(m.from(), 0, expected, 0, m.from().length);
        expected[expected.length - 1] = 1;
        assertThat(MessageIdFunction.FROM_AND_SEQNO.apply(m).bytes()).isEqualTo(expected);
    }

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }
}
