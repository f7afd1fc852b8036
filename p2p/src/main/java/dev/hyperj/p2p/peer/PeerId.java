package dev.hyperj.p2p.peer;

import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.crypto.KeyFormatException;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.multiformats.Base58;
import dev.hyperj.p2p.multiformats.Cid;
import dev.hyperj.p2p.multiformats.FormatException;
import dev.hyperj.p2p.multiformats.Multihash;
import java.util.Optional;

/**
 * A libp2p peer id: the multihash of a peer's protobuf-encoded public key, the identity multihash
 * when that encoding is at most 42 bytes (Ed25519, secp256k1: {@code 12D3KooW...},
 * {@code 16Uiu2...}), sha2-256 otherwise (RSA, ECDSA: {@code Qm...}). Equality, hashing and
 * ordering (unsigned lexicographic) are on the multihash bytes.
 */
public final class PeerId implements Comparable<PeerId> {
    /** Keys whose protobuf encoding is at most this long are inlined (identity multihash). */
    public static final int MAX_INLINE_KEY_LENGTH = 42;
    /** Longest multihash accepted as a peer id (an inlined key is far shorter). */
    public static final int MAX_BYTES = 128;

    private final Bytes bytes;
    /** The inlined key's protobuf encoding (identity ids only), decoded on first use. */
    private final byte[] inlinedKey;

    private volatile Optional<PublicKey> publicKey;
    private String base58;

    private PeerId(byte[] bytes, byte[] inlinedKey, PublicKey knownKey) {
        this.bytes = Bytes.of(bytes);
        this.inlinedKey = inlinedKey;
        this.publicKey = inlinedKey == null ? Optional.empty() : knownKey == null ? null : Optional.of(knownKey);
    }

    public static PeerId fromPublicKey(PublicKey key) {
        byte[] encoded = key.marshal();
        if (encoded.length <= MAX_INLINE_KEY_LENGTH) {
            return new PeerId(Multihash.identity(encoded).bytes(), encoded, key);
        }
        return new PeerId(Multihash.sha256(encoded).bytes(), null, null);
    }

    /**
     * A peer id from its binary multihash: sha2-256 (32-byte digest), or identity over the canonical
     * protobuf encoding of an Ed25519 or secp256k1 public key (the only keys short enough to be
     * inlined). Like go- and js-libp2p, this checks the encoding but defers the costly curve-point
     * check to {@link #publicKey()}.
     *
     * @throws FormatException otherwise
     */
    public static PeerId fromBytes(byte[] multihash) {
        if (multihash.length > MAX_BYTES) {
            throw new FormatException("peer id longer than " + MAX_BYTES + " bytes");
        }
        Multihash mh = Multihash.decode(multihash);
        if (mh.code() == Multihash.SHA2_256) {
            return new PeerId(mh.bytes(), null, null);
        }
        if (mh.code() != Multihash.IDENTITY) {
            throw new FormatException(
                    "peer id multihash must be identity or sha2-256, not code 0x" + Long.toHexString(mh.code()));
        }
        byte[] key = mh.digest();
        if (!isInlinableKeyEncoding(key)) {
            throw new FormatException(
                    "identity peer id does not hold the canonical encoding of an Ed25519 or secp256k1 public key");
        }
        return new PeerId(mh.bytes(), key, null);
    }

    /** {@code 08 01 12 20 <32 bytes>} (Ed25519) or {@code 08 02 12 21 <02|03> <32 bytes>} (compressed secp256k1). */
    private static boolean isInlinableKeyEncoding(byte[] k) {
        if (k.length == 36) {
            return k[0] == 0x08 && k[1] == KeyType.ED25519.code() && k[2] == 0x12 && k[3] == 32;
        }
        if (k.length == 37) {
            return k[0] == 0x08
                    && k[1] == KeyType.SECP256K1.code()
                    && k[2] == 0x12
                    && k[3] == 33
                    && (k[4] == 2 || k[4] == 3);
        }
        return false;
    }

    /**
     * Parses the text forms: base58btc multihash ({@code 1...}, {@code Qm...}) or a multibase CIDv1
     * with the libp2p-key codec ({@code bafz...}, also other multibases such as {@code z...}).
     *
     * @throws FormatException if the text is neither
     */
    public static PeerId parse(String text) {
        if (text.isEmpty()) {
            throw new FormatException("empty peer id");
        }
        if (text.length() > 2 * MAX_BYTES + 16) {
            throw new FormatException("peer id text too long");
        }
        if (text.charAt(0) == '1' || text.startsWith("Qm")) {
            return fromBytes(Base58.decode(text));
        }
        Cid cid = Cid.parse(text);
        if (cid.codec() != Cid.LIBP2P_KEY) {
            throw new FormatException("CID codec 0x" + Long.toHexString(cid.codec()) + " is not libp2p-key (0x72)");
        }
        return fromBytes(cid.multihash().bytes());
    }

    /** The binary multihash (a copy). */
    public byte[] bytes() {
        return bytes.value();
    }

    public String toBase58() {
        String s = base58;
        if (s == null) {
            s = Base58.encode(bytes.value());
            base58 = s;
        }
        return s;
    }

    /** CIDv1, codec libp2p-key, base32: {@code bafz...}. */
    public String toCid() {
        return Cid.v1(Cid.LIBP2P_KEY, Multihash.decode(bytes.value())).toString();
    }

    /**
     * The public key inlined in an identity-multihash peer id; empty for hashed (sha2-256) ids, and
     * for identity ids whose inlined bytes are not a point on the curve (such a peer can never
     * authenticate).
     */
    public Optional<PublicKey> publicKey() {
        Optional<PublicKey> k = publicKey;
        if (k == null) {
            try {
                k = Optional.of(Keys.unmarshalPublicKey(inlinedKey));
            } catch (KeyFormatException e) {
                k = Optional.empty();
            }
            publicKey = k;
        }
        return k;
    }

    /** Whether {@code key} is this peer's key. */
    public boolean matches(PublicKey key) {
        return equals(fromPublicKey(key));
    }

    /**
     * The chain's {@code validate_peer_id} rule (CHAIN.md), on the UTF-8 bytes of the peer id text
     * as stored on chain: 32..128 bytes, starting with {@code '1'}, or {@code "Qm"}, or one of the CID
     * multibase prefixes {@code 'f' 'b' 'z' 'm'}. It checks the shape only, as the chain does; it
     * does not decode.
     */
    public static boolean isValidChainPeerId(byte[] utf8Base58) {
        if (utf8Base58 == null || utf8Base58.length < 32 || utf8Base58.length > 128) {
            return false;
        }
        byte first = utf8Base58[0];
        return first == '1'
                || (first == 'Q' && utf8Base58[1] == 'm')
                || first == 'f'
                || first == 'b'
                || first == 'z'
                || first == 'm';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId p && bytes.equals(p.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    @Override
    public int compareTo(PeerId o) {
        return bytes.compareTo(o.bytes);
    }

    /** The base58btc form. */
    @Override
    public String toString() {
        return toBase58();
    }
}
