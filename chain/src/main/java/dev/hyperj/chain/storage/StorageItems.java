package dev.hyperj.chain.storage;

import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.scale.Scale;
import dev.hyperj.chain.scale.ScaleReader;
import dev.hyperj.chain.scale.ScaleWriter;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Shared key layout of typed storage items: blake2b-128(name) then the SCALE-encoded keys. */
final class StorageItems {
    private StorageItems() {}

    static byte[] prefix(String name) {
        return Hashing.blake2b128(name.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] key(byte[] prefix, Type[] keyTypes, Object... keys) {
        ScaleWriter w = new ScaleWriter().raw(prefix);
        for (int i = 0; i < keys.length; i++) Scale.write(w, keyTypes[i], keys[i]);
        return w.toByteArray();
    }

    static ScaleReader suffix(byte[] key, int from) {
        return new ScaleReader(java.util.Arrays.copyOfRange(key, from, key.length));
    }

    static <V> V orDefault(byte[] raw, Type type, Supplier<V> def) {
        if (raw == null) return def == null ? null : def.get();
        @SuppressWarnings("unchecked")
        V v = (V) Scale.decode(type, raw);
        return v;
    }
}
