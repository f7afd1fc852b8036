package dev.hyperj.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * CipherState's ChaChaPoly (JDK ChaCha20 + our Poly1305) against two independent implementations:
 * the JDK's one-piece ChaCha20-Poly1305 (byte-identical ciphertexts and tags) and BouncyCastle's
 * Poly1305 (identical tags, including the limbs' extreme values).
 */
class ChaChaPolyTest {

    private static byte[] jdkAead(int mode, byte[] key, long n, byte[] ad, byte[] input) throws Exception {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        if (ad != null) {
            c.updateAAD(ad);
        }
        return c.doFinal(input);
    }

    private static byte[] bcPoly1305(byte[] key, byte[] message) {
        Poly1305 bc = new Poly1305();
        bc.init(new KeyParameter(key));
        bc.update(message, 0, message.length);
        byte[] tag = new byte[16];
        bc.doFinal(tag, 0);
        return tag;
    }

    private static byte[] ourPoly1305(byte[] key, byte[] message) {
        dev.hyperj.p2p.noise.Poly1305 p = new dev.hyperj.p2p.noise.Poly1305();
        p.init(key, 0);
        p.blocks(message, 0, message.length);
        byte[] tag = new byte[16];
        p.finish(tag, 0);
        return tag;
    }

    @Property(tries = 300)
    void encryptsExactlyAsTheJdkAeadAndDecryptsBack(
            @ForAll @Size(32) byte[] key,
            @ForAll long nonce,
            @ForAll @Size(max = 80) byte[] ad,
            @ForAll @Size(max = 2000) byte[] plaintext,
            @ForAll boolean noAd)
            throws Exception {
        if (nonce == -1L) {
            nonce = 0; // reserved
        }
        byte[] associated = noAd ? null : ad;
        CipherState sender = new CipherState();
        sender.initializeKey(key);
        sender.setNonce(nonce);
        byte[] ciphertext = sender.encryptWithAd(associated, plaintext);
        assertThat(ciphertext).isEqualTo(jdkAead(Cipher.ENCRYPT_MODE, key, nonce, associated, plaintext));
        assertThat(sender.nonce()).isEqualTo(nonce + 1);

        CipherState receiver = new CipherState();
        receiver.initializeKey(key);
        receiver.setNonce(nonce);
        assertThat(receiver.decryptWithAd(associated, ciphertext, 0, ciphertext.length))
                .isEqualTo(plaintext);
        assertThat(receiver.nonce()).isEqualTo(nonce + 1);
    }

    @Property(tries = 300)
    void anyFlippedBitFailsAuthenticationAndKeepsTheNonce(
            @ForAll @Size(32) byte[] key,
            @ForAll @Size(max = 300) byte[] plaintext,
            @ForAll @IntRange(min = 0, max = 10_000) int bitSeed,
            @ForAll boolean flipAd)
            throws Exception {
        byte[] ad = {1, 2, 3};
        CipherState sender = new CipherState();
        sender.initializeKey(key);
        byte[] ciphertext = sender.encryptWithAd(ad, plaintext);
        byte[] badAd = ad.clone();
        if (flipAd) {
            badAd[bitSeed % 3] ^= (byte) (1 << (bitSeed % 8));
        } else {
            int bit = bitSeed % (ciphertext.length * 8);
            ciphertext[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        CipherState receiver = new CipherState();
        receiver.initializeKey(key);
        byte[] out = new byte[ciphertext.length];
        assertThatThrownBy(() -> receiver.decryptWithAd(badAd, ciphertext, 0, ciphertext.length, out, 0))
                .isInstanceOf(NoiseException.class)
                .hasMessageContaining("authentication");
        assertThat(receiver.nonce()).isZero();
        assertThat(out).as("nothing decrypted from a forged message").containsOnly(0);
    }

    @Test
    void wholeTransportFramesMatchTheJdk() throws Exception {
        Random rnd = new Random(7);
        byte[] key = new byte[32];
        rnd.nextBytes(key);
        for (int length : new int[] {0, 1, 15, 16, 17, 63, 64, 65, 4096, 65519}) {
            byte[] plaintext = new byte[length];
            rnd.nextBytes(plaintext);
            CipherState s = new CipherState();
            s.initializeKey(key);
            s.setNonce(length * 1_000_003L);
            assertThat(s.encryptWithAd(null, plaintext))
                    .as("length " + length)
                    .isEqualTo(jdkAead(Cipher.ENCRYPT_MODE, key, length * 1_000_003L, null, plaintext));
        }
    }

    @Property(tries = 500)
    void poly1305MatchesBouncyCastle(
            @ForAll @Size(32) byte[] key,
            @ForAll @Size(max = 40) byte[] blocksSeed,
            @ForAll @IntRange(min = 0, max = 3) int shape) {
        byte[] k = key.clone();
        int blocks = blocksSeed.length;
        byte[] message = new byte[16 * blocks];
        new Random(Arrays.hashCode(blocksSeed)).nextBytes(message);
        switch (shape) { // the extremes: every limb and the final subtraction at their largest
            case 1 -> Arrays.fill(message, (byte) 0xff);
            case 2 -> Arrays.fill(k, 0, 16, (byte) 0xff);
            case 3 -> {
                Arrays.fill(message, (byte) 0xff);
                Arrays.fill(k, (byte) 0xff);
            }
            default -> {}
        }
        assertThat(ourPoly1305(k, message)).isEqualTo(bcPoly1305(k, message));
    }

    @Test
    void poly1305RejectsPartialBlocks() {
        dev.hyperj.p2p.noise.Poly1305 p = new dev.hyperj.p2p.noise.Poly1305();
        p.init(new byte[32], 0);
        assertThatThrownBy(() -> p.blocks(new byte[17], 0, 17)).isInstanceOf(IllegalArgumentException.class);
    }
}
