package dev.hyperj.chain.substrate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The runtime's portable type registry: types by id (0..n-1) and by Rust path. */
public final class TypeRegistry {
    private final List<SubstrateType> types;
    private final Map<String, SubstrateType> byPath = new HashMap<>();

    TypeRegistry(List<SubstrateType> types) {
        this.types = List.copyOf(types);
        for (SubstrateType t : this.types) if (!t.path().isEmpty()) byPath.putIfAbsent(t.pathName(), t);
    }

    public int size() {
        return types.size();
    }

    public SubstrateType get(int id) {
        if (id < 0 || id >= types.size()) throw new MetadataException("no type " + id + " in the registry");
        return types.get(id);
    }

    /** The first type with this Rust path, e.g. {@code pallet_network::SubnetState}; generic types share a path. */
    public Optional<SubstrateType> byPath(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    public TypeDef.Enum enumOf(int id) {
        if (get(id).def() instanceof TypeDef.Enum e) return e;
        throw new MetadataException("type " + id + " (" + get(id).pathName() + ") is not an enum");
    }

    int check(int id, String what) {
        if (id < 0 || id >= types.size())
            throw new MetadataException(
                    "the " + what + " refers to type " + id + ", not in the registry of " + types.size());
        return id;
    }

    /** Every type id a definition refers to exists (so codecs never meet a dangling reference). */
    void checkReferences() {
        for (SubstrateType t : types) {
            String what = "type " + t.id() + " (" + t.pathName() + ")";
            switch (t.def()) {
                case TypeDef.Composite c -> c.fields().forEach(f -> check(f.type(), what));
                case TypeDef.Enum e -> e.variants().forEach(v -> v.fields().forEach(f -> check(f.type(), what)));
                case TypeDef.Sequence s -> check(s.element(), what);
                case TypeDef.Array a -> check(a.element(), what);
                case TypeDef.Tuple tu -> tu.elements().forEach(x -> check(x, what));
                case TypeDef.Compact c -> check(c.inner(), what);
                case TypeDef.BitSequence b -> {
                    check(b.store(), what);
                    check(b.order(), what);
                }
                case TypeDef.Primitive p -> {}
            }
            t.params().forEach(p -> p.type().ifPresent(x -> check(x, what)));
        }
    }
}
