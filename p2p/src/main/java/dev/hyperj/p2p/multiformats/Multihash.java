package dev.hyperj.p2p.multiformats;

import dev.hyperj.p2p.bytes.Bytes;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A multihash: varint hash-function code, varint digest length, digest. Immutable. */
public final class Multihash {
    /** The identity "hash": the digest is the data itself. */
    public static final int IDENTITY = 0x00;

    public static final int SHA2_256 = 0x12;
    /** Digests longer than this are refused when decoding (the longest real hash, e.g. sha3-512, is 64 bytes; identity peer ids stay small too). */
    public static final int MAX_DIGEST_LENGTH = 1 << 16;

    private final long code;
    private final byte[] digest;
    private final Bytes bytes;

    private Multihash(long code, byte[] digest) {
        this.code = code;
        this.digest = digest;
        ByteBuffer b =
                ByteBuffer.allocate(Varint.encodedLength(code) + Varint.encodedLength(digest.length) + digest.length);
        Varint.write(b, code);
        Varint.write(b, digest.length);
        b.put(digest);
        this.bytes = Bytes.of(b.array());
    }

    public static Multihash of(long code, byte[] digest) {
        if (code < 0) {
            throw new IllegalArgumentException("negative multihash code");
        }
        if (code == SHA2_256 && digest.length != 32) {
            throw new IllegalArgumentException("sha2-256 digest must be 32 bytes, got " + digest.length);
        }
        return new Multihash(code, digest.clone());
    }

    public static Multihash identity(byte[] data) {
        return of(IDENTITY, data);
    }

    public static Multihash sha256(byte[] data) {
        try {
            return new Multihash(SHA2_256, MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    /** Decodes a buffer that holds exactly one multihash. */
    public static Multihash decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Multihash m = decode(in);
        if (in.hasRemaining()) {
            throw new FormatException("trailing bytes after multihash");
        }
        return m;
    }

    /** Decodes the multihash at {@code in}'s position, moving past it. */
    public static Multihash decode(ByteBuffer in) {
        long code = Varint.decode(in);
        long len = Varint.decode(in);
        if (len > in.remaining()) {
            throw new FormatException(
                    "multihash digest length " + len + " exceeds the " + in.remaining() + " bytes left");
        }
        if (len > MAX_DIGEST_LENGTH) {
            throw new FormatException("multihash digest longer than " + MAX_DIGEST_LENGTH);
        }
        byte[] digest = new byte[(int) len];
        in.get(digest);
        if (code == SHA2_256 && len != 32) {
            throw new FormatException("sha2-256 multihash with a " + len + "-byte digest");
        }
        return new Multihash(code, digest);
    }

    public long code() {
        return code;
    }

    public byte[] digest() {
        return digest.clone();
    }

    public int digestLength() {
        return digest.length;
    }

    /** The binary multihash. */
    public byte[] bytes() {
        return bytes.value();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash m && bytes.equals(m.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    @Override
    public String toString() {
        return "Multihash[code=0x" + Long.toHexString(code) + ", digest="
                + HexFormat.of().formatHex(digest) + "]";
    }
}
