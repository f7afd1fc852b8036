package dev.hyperj.p2p.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise SymmetricState (spec rev 34, section 5.2) with SHA-256: the chaining key ck, the handshake
 * hash h and a CipherState. HKDF is the spec's HMAC-SHA256 construction (section 4.3).
 */
final class SymmetricState {
    static final int HASH_LENGTH = 32;

    private final MessageDigest sha256;
    private final Mac hmac;
    private final CipherState cipherState = new CipherState();
    private byte[] chainingKey;
    private byte[] handshakeHash;

    /** InitializeSymmetric(protocol_name). */
    SymmetricState(String protocolName) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
            hmac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks SHA-256", e);
        }
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        handshakeHash = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256.digest(name);
        chainingKey = handshakeHash.clone();
    }

    void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = hkdf(chainingKey, inputKeyMaterial);
        chainingKey = out[0];
        cipherState.initializeKey(out[1]); // HASHLEN == 32, so temp_k needs no truncation
    }

    void mixHash(byte[] data) {
        mixHash(data, 0, data.length);
    }

    void mixHash(byte[] data, int off, int len) {
        sha256.update(handshakeHash);
        sha256.update(data, off, len);
        handshakeHash = sha256.digest();
    }

    boolean hasKey() {
        return cipherState.hasKey();
    }

    byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
        byte[] ciphertext = cipherState.encryptWithAd(handshakeHash, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    byte[] decryptAndHash(byte[] ciphertext, int off, int len) throws NoiseException {
        byte[] plaintext = cipherState.decryptWithAd(handshakeHash, ciphertext, off, len);
        mixHash(ciphertext, off, len);
        return plaintext;
    }

    /** Split(): the initiator-to-responder and the responder-to-initiator cipher states. */
    CipherState[] split() {
        byte[][] keys = hkdf(chainingKey, new byte[0]);
        CipherState c1 = new CipherState();
        c1.initializeKey(keys[0]);
        CipherState c2 = new CipherState();
        c2.initializeKey(keys[1]);
        Arrays.fill(keys[0], (byte) 0);
        Arrays.fill(keys[1], (byte) 0);
        Arrays.fill(chainingKey, (byte) 0);
        return new CipherState[] {c1, c2};
    }

    byte[] handshakeHash() {
        return handshakeHash.clone();
    }

    /** HKDF(chaining_key, input_key_material, 2) per spec section 4.3. */
    private byte[][] hkdf(byte[] salt, byte[] inputKeyMaterial) {
        try {
            hmac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] tempKey = hmac.doFinal(inputKeyMaterial);
            hmac.init(new SecretKeySpec(tempKey, "HmacSHA256"));
            byte[] output1 = hmac.doFinal(new byte[] {1});
            hmac.update(output1);
            byte[] output2 = hmac.doFinal(new byte[] {2});
            Arrays.fill(tempKey, (byte) 0);
            return new byte[][] {output1, output2};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 rejected a 32-byte key", e);
        }
    }
}
