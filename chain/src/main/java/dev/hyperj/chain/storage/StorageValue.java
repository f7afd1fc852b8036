package dev.hyperj.chain.storage;

import dev.hyperj.chain.scale.Scale;
import java.lang.reflect.Type;
import java.util.function.Supplier;

/** A single typed value in state (Substrate's {@code StorageValue}); absent reads give the default. */
public final class StorageValue<V> {
    private final byte[] key;
    private final Type type;
    private final Supplier<V> def;

    public StorageValue(String name, Type type, Supplier<V> def) {
        this.key = StorageItems.prefix(name);
        this.type = type;
        this.def = def;
    }

    public V get(StateView s) {
        return StorageItems.orDefault(s.get(key), type, def);
    }

    public void put(Overlay s, V v) {
        s.put(key, Scale.encode(type, v));
    }

    public void kill(Overlay s) {
        s.delete(key);
    }
}
