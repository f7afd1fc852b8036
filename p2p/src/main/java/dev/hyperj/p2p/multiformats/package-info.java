/**
 * The multiformats libp2p speaks: unsigned varints, base32/base58/multibase, multihash, CID and
 * multiaddr (binary and text, with the chain's rules for peer ids and addresses). Parsers are
 * bounded and throw {@link dev.hyperj.p2p.multiformats.FormatException} with what was wrong.
 */
package dev.hyperj.p2p.multiformats;
