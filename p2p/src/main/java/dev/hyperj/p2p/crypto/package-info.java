/**
 * Keys of the four libp2p key types (Ed25519, secp256k1, ECDSA P-256, RSA): generation, signing,
 * verification and the libp2p protobuf key encoding ({@link dev.hyperj.p2p.crypto.Keys} is the
 * entry point). Every decoder bounds its input and throws
 * {@link dev.hyperj.p2p.crypto.KeyFormatException} on anything malformed.
 */
package dev.hyperj.p2p.crypto;
