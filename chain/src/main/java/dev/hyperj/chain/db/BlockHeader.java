package dev.hyperj.chain.db;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.scale.ScaleReader;
import dev.hyperj.chain.scale.ScaleWriter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A block header. Its hash is blake2b-256 of its SCALE encoding
 * {@code (parent hash [32], number u64, state root [32], extrinsics root [32], author AccountId, timestamp ms u64)}.
 */
public record BlockHeader(
        byte[] parentHash, long number, byte[] stateRoot, byte[] extrinsicsRoot, AccountId author, long timestamp) {
    public BlockHeader {
        parentHash = check(parentHash);
        stateRoot = check(stateRoot);
        extrinsicsRoot = check(extrinsicsRoot);
        if (number < 0) throw new IllegalArgumentException("negative block number");
    }

    private static byte[] check(byte[] h) {
        if (h == null || h.length != 32) throw new IllegalArgumentException("a hash is 32 bytes");
        return h.clone();
    }

    @Override
    public byte[] parentHash() {
        return parentHash.clone();
    }

    @Override
    public byte[] stateRoot() {
        return stateRoot.clone();
    }

    @Override
    public byte[] extrinsicsRoot() {
        return extrinsicsRoot.clone();
    }

    public byte[] encode() {
        return new ScaleWriter()
                .raw(parentHash)
                .u64(number)
                .raw(stateRoot)
                .raw(extrinsicsRoot)
                .raw(author.bytes())
                .u64(timestamp)
                .toByteArray();
    }

    public static BlockHeader decode(byte[] b) {
        ScaleReader r = new ScaleReader(b);
        BlockHeader h = new BlockHeader(
                r.raw(32), r.u64(), r.raw(32), r.raw(32), AccountId.of(r.raw(AccountId.LENGTH)), r.u64());
        r.expectEnd();
        return h;
    }

    public byte[] hash() {
        return Hashing.blake2b256(encode());
    }

    /** blake2b-256 of SCALE {@code Vec<Vec<u8>>} of the encoded transactions. */
    public static byte[] extrinsicsRoot(List<byte[]> extrinsics) {
        ScaleWriter w = new ScaleWriter().compact(extrinsics.size());
        for (byte[] x : extrinsics) w.bytes(x);
        return Hashing.blake2b256(w.toByteArray());
    }

    static List<byte[]> decodeBody(byte[] b) {
        ScaleReader r = new ScaleReader(b);
        int n = r.length(b.length);
        List<byte[]> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(r.bytes(b.length));
        r.expectEnd();
        return out;
    }

    static byte[] encodeBody(List<byte[]> extrinsics) {
        ScaleWriter w = new ScaleWriter().compact(extrinsics.size());
        for (byte[] x : extrinsics) w.bytes(x);
        return w.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHeader h && Arrays.equals(encode(), h.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "BlockHeader[#" + number + " 0x" + HexFormat.of().formatHex(hash()) + "]";
    }
}
