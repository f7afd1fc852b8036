package dev.hyperj.p2p.noise;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise CipherState (spec rev 34, section 5.1) with the ChaChaPoly cipher functions: a key k and a
 * 64-bit counter nonce n. The JDK's ChaCha20-Poly1305 does the work; one {@link Cipher} is created
 * per state and re-initialised per message, so a transport frame allocates only the nonce spec.
 * Not thread-safe: a state belongs to one connection's event loop.
 */
final class CipherState {
    static final int KEY_LENGTH = 32;
    static final int TAG_LENGTH = 16;
    /** 2^64-1 is reserved (spec 5.1): reaching it means the key is exhausted. */
    private static final long RESERVED_NONCE = -1L;

    private final byte[] nonceBytes = new byte[12];
    private SecretKeySpec key;
    private long nonce;
    private Cipher cipher;

    /** InitializeKey(k); a null k leaves the state empty (payloads pass in clear). */
    void initializeKey(byte[] k) {
        if (k != null && k.length != KEY_LENGTH) {
            throw new IllegalArgumentException("ChaChaPoly keys are 32 bytes");
        }
        key = k == null ? null : new SecretKeySpec(k, "ChaCha20");
        nonce = 0;
    }

    boolean hasKey() {
        return key != null;
    }

    long nonce() {
        return nonce;
    }

    void setNonce(long n) {
        nonce = n;
    }

    /**
     * EncryptWithAd into {@code out}; returns the bytes written (len + 16 with a key, len without).
     * {@code in} and {@code out} must not overlap.
     */
    int encryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        if (key == null) {
            System.arraycopy(in, inOff, out, outOff, len);
            return len;
        }
        if (nonce == RESERVED_NONCE) {
            throw new NoiseException("nonce exhausted: 2^64-1 messages sent under one key");
        }
        try {
            init(Cipher.ENCRYPT_MODE, ad);
            int written = cipher.doFinal(in, inOff, len, out, outOff);
            nonce++;
            return written;
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small", e);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * DecryptWithAd into {@code out}; returns the plaintext length. On an authentication failure
     * the nonce is not advanced (spec 5.1) and a NoiseException is thrown.
     */
    int decryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        if (key == null) {
            System.arraycopy(in, inOff, out, outOff, len);
            return len;
        }
        if (len < TAG_LENGTH) {
            throw new NoiseException("ciphertext shorter than its authentication tag: " + len + " bytes");
        }
        if (nonce == RESERVED_NONCE) {
            throw new NoiseException("nonce exhausted: 2^64-1 messages received under one key");
        }
        try {
            init(Cipher.DECRYPT_MODE, ad);
            int written = cipher.doFinal(in, inOff, len, out, outOff);
            nonce++;
            return written;
        } catch (AEADBadTagException e) {
            throw new NoiseException("message failed authentication (wrong key, tampered or replayed)");
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small", e);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("decryption failed: " + e.getMessage(), e);
        }
    }

    byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
        byte[] out = new byte[plaintext.length + (key == null ? 0 : TAG_LENGTH)];
        encryptWithAd(ad, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    byte[] decryptWithAd(byte[] ad, byte[] ciphertext, int off, int len) throws NoiseException {
        if (key != null && len < TAG_LENGTH) {
            throw new NoiseException("ciphertext shorter than its authentication tag: " + len + " bytes");
        }
        byte[] out = new byte[len - (key == null ? 0 : TAG_LENGTH)];
        decryptWithAd(ad, ciphertext, off, len, out, 0);
        return out;
    }

    private void init(int mode, byte[] ad) throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (cipher == null) {
            cipher = newCipher();
        }
        // ChaChaPoly nonce: 32 zero bits, then n as a little-endian 64-bit integer (spec 12.3).
        long n = nonce;
        for (int i = 4; i < 12; i++) {
            nonceBytes[i] = (byte) n;
            n >>>= 8;
        }
        cipher.init(mode, key, new IvParameterSpec(nonceBytes));
        if (ad != null && ad.length > 0) {
            cipher.updateAAD(ad);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks ChaCha20-Poly1305", e);
        }
    }
}
