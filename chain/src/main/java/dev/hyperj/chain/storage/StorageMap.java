package dev.hyperj.chain.storage;

import dev.hyperj.chain.scale.Scale;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** A typed map in state (Substrate's {@code StorageMap}), iterated in encoded-key order. */
public final class StorageMap<K, V> {
    private final byte[] prefix;
    private final Type[] keyType;
    private final Type valueType;
    private final Supplier<V> def;

    public StorageMap(String name, Type keyType, Type valueType, Supplier<V> def) {
        this.prefix = StorageItems.prefix(name);
        this.keyType = new Type[] {keyType};
        this.valueType = valueType;
        this.def = def;
    }

    private byte[] key(K k) {
        return StorageItems.key(prefix, keyType, k);
    }

    /** The value, or the default (null when the map has none). */
    public V get(StateView s, K k) {
        return StorageItems.orDefault(s.get(key(k)), valueType, def);
    }

    public Optional<V> find(StateView s, K k) {
        return Optional.ofNullable(StorageItems.orDefault(s.get(key(k)), valueType, null));
    }

    public boolean contains(StateView s, K k) {
        return s.get(key(k)) != null;
    }

    public void put(Overlay s, K k, V v) {
        s.put(key(k), Scale.encode(valueType, v));
    }

    public void remove(Overlay s, K k) {
        s.delete(key(k));
    }

    @SuppressWarnings("unchecked")
    public void forEach(StateView s, BiConsumer<K, V> f) {
        s.scan(prefix, (k, v) -> {
            K key = (K) Scale.read(StorageItems.suffix(k, prefix.length), keyType[0]);
            f.accept(key, (V) Scale.decode(valueType, v));
            return true;
        });
    }

    public List<K> keys(StateView s) {
        List<K> out = new ArrayList<>();
        forEach(s, (k, v) -> out.add(k));
        return out;
    }

    public void clear(Overlay s) {
        s.deletePrefix(prefix);
    }
}
