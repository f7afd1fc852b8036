package dev.hyperj.chain.storage;

import dev.hyperj.chain.scale.Scale;
import dev.hyperj.chain.scale.ScaleWriter;
import java.lang.reflect.Type;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** A typed two-key map (Substrate's {@code StorageDoubleMap}); all entries of a first key iterate together. */
public final class StorageDoubleMap<K1, K2, V> {
    private final byte[] prefix;
    private final Type[] keyTypes;
    private final Type valueType;
    private final Supplier<V> def;

    public StorageDoubleMap(String name, Type key1, Type key2, Type valueType, Supplier<V> def) {
        this.prefix = StorageItems.prefix(name);
        this.keyTypes = new Type[] {key1, key2};
        this.valueType = valueType;
        this.def = def;
    }

    private byte[] key(K1 a, K2 b) {
        return StorageItems.key(prefix, keyTypes, a, b);
    }

    private byte[] prefix(K1 a) {
        ScaleWriter w = new ScaleWriter().raw(prefix);
        Scale.write(w, keyTypes[0], a);
        return w.toByteArray();
    }

    public V get(StateView s, K1 a, K2 b) {
        return StorageItems.orDefault(s.get(key(a, b)), valueType, def);
    }

    public Optional<V> find(StateView s, K1 a, K2 b) {
        return Optional.ofNullable(StorageItems.orDefault(s.get(key(a, b)), valueType, null));
    }

    public boolean contains(StateView s, K1 a, K2 b) {
        return s.get(key(a, b)) != null;
    }

    public void put(Overlay s, K1 a, K2 b, V v) {
        s.put(key(a, b), Scale.encode(valueType, v));
    }

    public void remove(Overlay s, K1 a, K2 b) {
        s.delete(key(a, b));
    }

    @SuppressWarnings("unchecked")
    public void forEachIn(StateView s, K1 a, BiConsumer<K2, V> f) {
        byte[] p = prefix(a);
        s.scan(p, (k, v) -> {
            K2 k2 = (K2) Scale.read(StorageItems.suffix(k, p.length), keyTypes[1]);
            f.accept(k2, (V) Scale.decode(valueType, v));
            return true;
        });
    }

    /** Every entry: (k1, k2, value). */
    @SuppressWarnings("unchecked")
    public void forEach(StateView s, TriConsumer<K1, K2, V> f) {
        s.scan(prefix, (k, v) -> {
            var r = StorageItems.suffix(k, prefix.length);
            K1 a = (K1) Scale.read(r, keyTypes[0]);
            K2 b = (K2) Scale.read(r, keyTypes[1]);
            f.accept(a, b, (V) Scale.decode(valueType, v));
            return true;
        });
    }

    public void removePrefix(Overlay s, K1 a) {
        s.deletePrefix(prefix(a));
    }

    @FunctionalInterface
    public interface TriConsumer<A, B, C> {
        void accept(A a, B b, C c);
    }
}
