package dev.hyperj.chain.substrate;

import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.scale.ScaleReader;
import dev.hyperj.chain.substrate.Metadata.Hasher;
import dev.hyperj.chain.substrate.Metadata.StorageEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage keys as FRAME lays them out: twox128(pallet prefix) ++ twox128(item name) ++ for each
 * key part, its hasher applied to the part's SCALE encoding.
 */
public final class StorageKeys {
    private final ScaleCodec codec;

    public StorageKeys(ScaleCodec codec) {
        this.codec = codec;
    }

    public static byte[] hash(Hasher h, byte[] data) {
        return switch (h) {
            case BLAKE2_128 -> Hashing.blake2b128(data);
            case BLAKE2_256 -> Hashing.blake2b256(data);
            case BLAKE2_128_CONCAT -> concat(Hashing.blake2b128(data), data);
            case TWOX_128 -> Xxh64.twox(data, 16);
            case TWOX_256 -> Xxh64.twox(data, 32);
            case TWOX_64_CONCAT -> concat(Xxh64.twox(data, 8), data);
            case IDENTITY -> data.clone();
        };
    }

    /** The key prefix of an item: every key of a map starts with it. */
    public static byte[] prefix(StorageEntry e) {
        return concat(
                Xxh64.twox(e.prefix().getBytes(StandardCharsets.UTF_8), 16),
                Xxh64.twox(e.name().getBytes(StandardCharsets.UTF_8), 16));
    }

    /**
     * The key of {@code e} at {@code keys} (none for a plain item; for a map, the first
     * {@code keys.length} parts, fewer than the hashers giving a prefix to iterate).
     */
    public byte[] key(StorageEntry e, Object... keys) {
        if (keys.length > e.hashers().size())
            throw new MetadataException(
                    e.pallet() + "." + e.name() + " takes " + e.hashers().size() + " key(s), got " + keys.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix(e));
        List<Integer> parts = keyParts(e);
        for (int i = 0; i < keys.length; i++)
            out.writeBytes(hash(e.hashers().get(i), codec.encode(parts.get(i), keys[i])));
        return out.toByteArray();
    }

    /** The key parts of a map item decoded back from a full key (possible only for the *Concat and Identity hashers). */
    public List<Object> decodeKey(StorageEntry e, byte[] key) {
        byte[] prefix = prefix(e);
        if (key.length < prefix.length) throw new MetadataException("key shorter than its item's prefix");
        ScaleReader r = new ScaleReader(java.util.Arrays.copyOfRange(key, prefix.length, key.length));
        List<Integer> parts = keyParts(e);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Hasher h = e.hashers().get(i);
            switch (h) {
                case BLAKE2_128_CONCAT -> r.raw(16);
                case TWOX_64_CONCAT -> r.raw(8);
                case IDENTITY -> {}
                default ->
                    throw new MetadataException(e.pallet() + "." + e.name() + " hashes key part " + i + " with " + h
                            + ", which cannot be reversed");
            }
            out.add(codec.decode(parts.get(i), r));
        }
        r.expectEnd();
        return out;
    }

    private List<Integer> keyParts(StorageEntry e) {
        if (e.hashers().isEmpty()) return List.of();
        if (e.hashers().size() == 1) return List.of(e.key());
        if (codec.types().get(e.key()).def() instanceof TypeDef.Tuple t
                && t.elements().size() == e.hashers().size()) return t.elements();
        throw new MetadataException(e.pallet() + "." + e.name() + ": its key type does not match its "
                + e.hashers().size() + " hashers");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
