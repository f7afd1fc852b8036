/**
 * {@link dev.hyperj.p2p.peer.PeerId}: a peer's identity, the multihash of its public key (identity
 * hash for small keys, sha2-256 otherwise), in its base58 and CIDv1 text forms.
 */
package dev.hyperj.p2p.peer;
