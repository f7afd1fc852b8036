package dev.hyperj.p2p.multiformats;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A content identifier. Version 1 ({@code <0x01><codec><multihash>}, printed in multibase) is
 * read and written; version 0 (a bare base58 sha2-256 multihash, {@code Qm...}) is read.
 */
public final class Cid {
    /** Multicodec of a libp2p public key, the codec of peer-id CIDs. */
    public static final int LIBP2P_KEY = 0x72;
    /** Multicodec dag-pb, the implied codec of CIDv0. */
    public static final int DAG_PB = 0x70;

    private final int version;
    private final long codec;
    private final Multihash multihash;

    private Cid(int version, long codec, Multihash multihash) {
        this.version = version;
        this.codec = codec;
        this.multihash = multihash;
    }

    public static Cid v1(long codec, Multihash multihash) {
        if (codec < 0) {
            throw new IllegalArgumentException("negative codec");
        }
        return new Cid(1, codec, multihash);
    }

    /** Decodes binary CID bytes: v1, or a bare sha2-256 multihash for v0. */
    public static Cid decode(byte[] bytes) {
        if (bytes.length == 34 && bytes[0] == Multihash.SHA2_256 && bytes[1] == 32) {
            return new Cid(0, DAG_PB, Multihash.decode(bytes));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long version = Varint.decode(in);
        if (version != 1) {
            throw new FormatException("unsupported CID version " + version);
        }
        long codec = Varint.decode(in);
        Multihash mh = Multihash.decode(in);
        if (in.hasRemaining()) {
            throw new FormatException("trailing bytes after CID");
        }
        return new Cid(1, codec, mh);
    }

    /** Parses CID text: multibase for v1, {@code Qm...} base58 for v0. */
    public static Cid parse(String text) {
        if (text.length() == 46 && text.startsWith("Qm")) {
            return decode(Base58.decode(text));
        }
        byte[] bytes = Multibase.decode(text);
        Cid cid = decode(bytes);
        if (cid.version == 0) {
            throw new FormatException("CIDv0 must be bare base58, not multibase");
        }
        return cid;
    }

    public int version() {
        return version;
    }

    public long codec() {
        return codec;
    }

    public Multihash multihash() {
        return multihash;
    }

    /** The binary form (for v0, the bare multihash). */
    public byte[] bytes() {
        if (version == 0) {
            return multihash.bytes();
        }
        byte[] mh = multihash.bytes();
        ByteBuffer b = ByteBuffer.allocate(1 + Varint.encodedLength(codec) + mh.length);
        Varint.write(b, 1);
        Varint.write(b, codec);
        b.put(mh);
        return b.array();
    }

    /** Text in the given multibase (v1 only). */
    public String toString(Multibase.Base base) {
        if (version == 0) {
            throw new IllegalStateException("CIDv0 has only its base58 form");
        }
        return Multibase.encode(base, bytes());
    }

    /** Base32 ({@code b...}) for v1, base58 ({@code Qm...}) for v0. */
    @Override
    public String toString() {
        return version == 0 ? Base58.encode(multihash.bytes()) : toString(Multibase.Base.BASE32);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid c && version == c.version && codec == c.codec && multihash.equals(c.multihash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new long[] {version, codec, multihash.hashCode()});
    }
}
