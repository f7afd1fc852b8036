package dev.hyperj.p2p.noise;

import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a local libp2p identity brings to every Noise handshake: a static X25519 key and the identity
 * key's signature over it. The spec allows one static key for all sessions ("MAY generate a new
 * static Noise keypair for each new session. Alternatively, a single static keypair may be
 * generated..."), so both are made once per identity: an RSA or ECDSA signature per handshake would
 * otherwise cost more than the whole rest of it. Kept in memory only, never written anywhere.
 */
record LocalIdentity(
        X25519KeyPair staticKey, byte[] identityKey, byte[] signature, PublicKey publicKey, PeerId peerId) {
    static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
    static final SecureRandom RANDOM = new SecureRandom();

    /** Weak keys: an identity nobody holds any more takes its Noise key with it. Values never refer to the key. */
    private static final Map<PrivateKey, LocalIdentity> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    static LocalIdentity of(PrivateKey identity) {
        LocalIdentity cached = CACHE.get(identity);
        if (cached == null) {
            cached = create(identity);
            CACHE.put(identity, cached);
        }
        return cached;
    }

    static LocalIdentity create(PrivateKey identity) {
        X25519KeyPair staticKey = X25519KeyPair.generate(RANDOM);
        PublicKey publicKey = identity.publicKey();
        byte[] signature = identity.sign(signedData(staticKey.publicKeyRef()));
        return new LocalIdentity(staticKey, publicKey.marshal(), signature, publicKey, PeerId.fromPublicKey(publicKey));
    }

    static byte[] signedData(byte[] staticPublicKey) {
        byte[] data = new byte[SIGNATURE_PREFIX.length + staticPublicKey.length];
        System.arraycopy(SIGNATURE_PREFIX, 0, data, 0, SIGNATURE_PREFIX.length);
        System.arraycopy(staticPublicKey, 0, data, SIGNATURE_PREFIX.length, staticPublicKey.length);
        return data;
    }

    byte[] payload(List<String> streamMuxers) {
        return new HandshakePayload(identityKey, signature, List.of(), streamMuxers).encode();
    }
}
