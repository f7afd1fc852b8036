/**
 * libp2p's Noise secure channel (libp2p/specs noise/README.md) for Netty connections.
 *
 * <p>Public API: {@link dev.hyperj.p2p.noise.Noise#handler Noise.handler(...)} to put on a connection
 * once multistream-select chose {@code /noise}, the {@link dev.hyperj.p2p.noise.SecureSession} user
 * event it fires when the remote peer is authenticated, and {@link dev.hyperj.p2p.noise.NoiseException}
 * for every way a session fails.
 *
 * <p>Inside: {@code HandshakeState}, {@code SymmetricState} and {@code CipherState} follow the Noise
 * specification (revision 34) for {@code Noise_XX_25519_ChaChaPoly_SHA256} with X25519 from
 * BouncyCastle, ChaCha20, SHA-256 and HMAC from the JDK and our own {@code Poly1305} (faster than the
 * JDK's without AVX-512; the AEAD is byte-identical to the JDK's ChaCha20-Poly1305); the cacophony and snow test
 * vectors pin them byte for byte. {@code NoiseHandshakeHandler} adds the libp2p identity payload and
 * the 2-byte length framing, then hands over to {@code NoiseTransportCodec}.
 */
package dev.hyperj.p2p.noise;
