package dev.hyperj.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Remembered Ed25519 verifications answer exactly as fresh ones: only the same triple hits. */
class VerifiedSignaturesTest {
    @Test
    void aRememberedSuccessNeverVouchesForAnotherKeyMessageOrSignature() {
        PrivateKey alice = Keys.generate(KeyType.ED25519), mallory = Keys.generate(KeyType.ED25519);
        byte[] msg = "pay bob 1".getBytes(StandardCharsets.UTF_8);
        byte[] sig = alice.sign(msg);
        assertThat(alice.publicKey().verify(msg, sig)).isTrue();
        assertThat(alice.publicKey().verify(msg, sig)).isTrue(); // remembered
        // the same signature over other data, under another key, or altered: each still fails
        assertThat(alice.publicKey().verify("pay bob 9".getBytes(StandardCharsets.UTF_8), sig))
                .isFalse();
        assertThat(mallory.publicKey().verify(msg, sig)).isFalse();
        byte[] flipped = sig.clone();
        flipped[10] ^= 1;
        assertThat(alice.publicKey().verify(msg, flipped)).isFalse();
        // a key read back from its bytes (as a peer's is) finds the remembered success
        PublicKey decoded = Keys.unmarshalPublicKey(alice.publicKey().marshal());
        assertThat(decoded.verify(msg, sig)).isTrue();
    }

    @Test
    void itIsBoundedAndStartsOverWhenFull() {
        PrivateKey k = Keys.generate(KeyType.ED25519);
        for (int i = 0; i < VerifiedSignatures.MAX + 10; i++) {
            byte[] m = ("m" + i).getBytes(StandardCharsets.UTF_8);
            assertThat(VerifiedSignatures.verify(k.publicKey().raw(), m, new byte[64], () -> true))
                    .isTrue();
        }
        assertThat(VerifiedSignatures.size()).isLessThanOrEqualTo(VerifiedSignatures.MAX);
        // a remembered triple answers without the check; an unknown one runs it
        byte[] m = "m-last".getBytes(StandardCharsets.UTF_8);
        assertThat(VerifiedSignatures.verify(k.publicKey().raw(), m, new byte[64], () -> false))
                .isFalse();
        VerifiedSignatures.verify(k.publicKey().raw(), m, new byte[64], () -> true);
        assertThat(VerifiedSignatures.verify(k.publicKey().raw(), m, new byte[64], () -> false))
                .isTrue();
    }
}
