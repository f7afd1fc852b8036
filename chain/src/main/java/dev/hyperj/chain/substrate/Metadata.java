package dev.hyperj.chain.substrate;

import dev.hyperj.chain.scale.ScaleException;
import dev.hyperj.chain.scale.ScaleReader;
import dev.hyperj.chain.substrate.TypeDef.Field;
import dev.hyperj.chain.substrate.TypeDef.Variant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A runtime's metadata (V14 or V15) decoded: the type registry, the pallets with their storage,
 * calls, events, errors and constants, the extrinsic format with its signed extensions and (V15)
 * the runtime APIs. Decoding is bounded: every length is checked against the bytes left, every type
 * id against the registry, and a blob over {@link #MAX_BYTES} is refused, so a truncated or hostile
 * blob ends in a {@link MetadataException} that says where.
 */
public final class Metadata {
    public static final int MAX_BYTES = 64 << 20;
    private static final int MAGIC = 0x6174656d; // "meta" little-endian

    public enum Hasher {
        BLAKE2_128,
        BLAKE2_256,
        BLAKE2_128_CONCAT,
        TWOX_128,
        TWOX_256,
        TWOX_64_CONCAT,
        IDENTITY
    }

    /** A storage item: plain ({@code hashers} empty, {@code key} -1) or a map keyed by a tuple of as many parts as hashers. */
    public record StorageEntry(
            String pallet,
            String prefix,
            String name,
            boolean optional,
            List<Hasher> hashers,
            int key,
            int value,
            byte[] defaultValue,
            List<String> docs) {}

    public record Constant(String name, int type, byte[] value, List<String> docs) {}

    public record Pallet(
            String name,
            int index,
            Optional<String> storagePrefix,
            Map<String, StorageEntry> storage,
            Optional<Integer> calls,
            Optional<Integer> events,
            Optional<Integer> errors,
            Map<String, Constant> constants,
            List<String> docs) {}

    public record SignedExtension(String identifier, int type, int additionalSigned) {}

    public record ApiMethod(String name, List<Map.Entry<String, Integer>> inputs, int output, List<String> docs) {}

    public record RuntimeApi(String name, Map<String, ApiMethod> methods, List<String> docs) {}

    private final int version;
    private final TypeRegistry types;
    private final Map<String, Pallet> pallets;
    private final int extrinsicVersion;
    private final List<SignedExtension> signedExtensions;
    private final Map<String, RuntimeApi> apis;
    private final int addressType, signatureType;

    private Metadata(
            int version,
            TypeRegistry types,
            Map<String, Pallet> pallets,
            int extrinsicVersion,
            List<SignedExtension> signedExtensions,
            Map<String, RuntimeApi> apis,
            int addressType,
            int signatureType) {
        this.version = version;
        this.types = types;
        this.pallets = pallets;
        this.extrinsicVersion = extrinsicVersion;
        this.signedExtensions = signedExtensions;
        this.apis = apis;
        this.addressType = addressType;
        this.signatureType = signatureType;
    }

    /** The type of a signed extrinsic's sender address ({@code AccountId20} on Hypertensor). */
    public int addressType() {
        return addressType;
    }

    /** The type of a signed extrinsic's signature ({@code EthereumSignature}, 65 bytes, on Hypertensor). */
    public int signatureType() {
        return signatureType;
    }

    public int version() {
        return version;
    }

    public TypeRegistry types() {
        return types;
    }

    public Map<String, Pallet> pallets() {
        return pallets;
    }

    public Pallet pallet(String name) {
        Pallet p = pallets.get(name);
        if (p == null) throw new MetadataException("the runtime has no pallet " + name);
        return p;
    }

    public Optional<Pallet> palletByIndex(int index) {
        return pallets.values().stream().filter(p -> p.index() == index).findFirst();
    }

    public StorageEntry storage(String pallet, String item) {
        StorageEntry e = pallet(pallet).storage().get(item);
        if (e == null) throw new MetadataException("the runtime has no storage item " + pallet + "." + item);
        return e;
    }

    public Constant constant(String pallet, String name) {
        Constant c = pallet(pallet).constants().get(name);
        if (c == null) throw new MetadataException("the runtime has no constant " + pallet + "." + name);
        return c;
    }

    /** The call variant {@code pallet.call}, or a MetadataException naming what the runtime lacks. */
    public Variant call(String pallet, String call) {
        Pallet p = pallet(pallet);
        int t = p.calls().orElseThrow(() -> new MetadataException("the pallet " + pallet + " has no calls"));
        return types.enumOf(t)
                .byName(call)
                .orElseThrow(() -> new MetadataException("the runtime has no call " + pallet + "." + call));
    }

    public boolean hasCall(String pallet, String call) {
        Pallet p = pallets.get(pallet);
        return p != null
                && p.calls().isPresent()
                && types.enumOf(p.calls().get()).byName(call).isPresent();
    }

    public int extrinsicVersion() {
        return extrinsicVersion;
    }

    public List<SignedExtension> signedExtensions() {
        return signedExtensions;
    }

    /** Runtime APIs: only V15 metadata lists them (empty for V14). */
    public Map<String, RuntimeApi> apis() {
        return apis;
    }

    /**
     * Decodes {@code state_getMetadata}'s answer or the inside of {@code Metadata_metadata_at_version}'s
     * {@code Option<OpaqueMetadata>}: the "meta" magic, a version byte, then the V14 or V15 body.
     */
    public static Metadata decode(byte[] blob) {
        if (blob == null) throw new MetadataException("no metadata");
        if (blob.length > MAX_BYTES)
            throw new MetadataException("metadata of " + blob.length + " bytes is over the " + MAX_BYTES + " limit");
        ScaleReader r = new ScaleReader(blob);
        String where = "header";
        try {
            if (blob.length < 5 || r.u32() != MAGIC)
                throw new MetadataException("not runtime metadata (no \"meta\" magic at the start)");
            int version = r.u8();
            if (version != 14 && version != 15)
                throw new MetadataException(
                        "metadata version " + version + " is not supported (HyperJ reads V14 and V15)");
            where = "type registry";
            TypeRegistry types = readTypes(r);
            where = "pallets";
            Map<String, Pallet> pallets = readPallets(r, types, version);
            where = "extrinsic metadata";
            int extrinsicVersion, address, signature;
            if (version == 14) {
                SubstrateType xt = types.get(types.check(r.compactInt(), "extrinsic type"));
                extrinsicVersion = r.u8();
                address = param(xt, "Address");
                signature = param(xt, "Signature");
            } else {
                extrinsicVersion = r.u8();
                address = types.check(r.compactInt(), "extrinsic address type");
                types.check(r.compactInt(), "extrinsic call type");
                signature = types.check(r.compactInt(), "extrinsic signature type");
                types.check(r.compactInt(), "extrinsic extra type");
            }
            List<SignedExtension> ext = list(
                    r,
                    () -> new SignedExtension(
                            str(r),
                            types.check(r.compactInt(), "signed extension"),
                            types.check(r.compactInt(), "signed extension")));
            types.check(r.compactInt(), "runtime type");
            Map<String, RuntimeApi> apis = Map.of();
            if (version == 15) {
                where = "runtime APIs";
                apis = readApis(r, types);
                where = "outer enums";
                for (int i = 0; i < 3; i++) types.check(r.compactInt(), "outer enum");
                where = "custom metadata";
                list(r, () -> {
                    str(r);
                    types.check(r.compactInt(), "custom value");
                    return r.bytes(r.remaining());
                });
            }
            r.expectEnd();
            return new Metadata(
                    version,
                    types,
                    Collections.unmodifiableMap(pallets),
                    extrinsicVersion,
                    List.copyOf(ext),
                    apis,
                    address,
                    signature);
        } catch (ScaleException e) {
            throw new MetadataException("malformed metadata (" + where + "): " + e.getMessage(), e);
        }
    }

    private static int param(SubstrateType extrinsic, String name) {
        return extrinsic.params().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .flatMap(SubstrateType.Param::type)
                .orElseThrow(() -> new MetadataException(
                        "the extrinsic type " + extrinsic.pathName() + " names no " + name + " type"));
    }

    private static TypeRegistry readTypes(ScaleReader r) {
        int n = count(r);
        List<SubstrateType> out = new ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            int id = r.compactInt();
            if (id != i) throw new MetadataException("type ids are not sequential: " + id + " at position " + i);
            List<String> path = list(r, () -> str(r));
            List<SubstrateType.Param> params = list(r, () -> new SubstrateType.Param(str(r), option(r, r::compactInt)));
            TypeDef def = switch (r.u8()) {
                case 0 -> new TypeDef.Composite(fields(r));
                case 1 ->
                    new TypeDef.Enum(list(r, () -> {
                        String name = str(r);
                        List<Field> f = fields(r);
                        int index = r.u8();
                        return new Variant(name, index, f, docs(r));
                    }));
                case 2 -> new TypeDef.Sequence(r.compactInt());
                case 3 -> {
                    int len = r.u32();
                    if (len < 0) throw new ScaleException("array length " + Integer.toUnsignedString(len));
                    yield new TypeDef.Array(len, r.compactInt());
                }
                case 4 -> new TypeDef.Tuple(list(r, r::compactInt));
                case 5 -> {
                    int k = r.u8();
                    if (k >= TypeDef.Prim.values().length) throw new ScaleException("unknown primitive " + k);
                    yield new TypeDef.Primitive(TypeDef.Prim.values()[k]);
                }
                case 6 -> new TypeDef.Compact(r.compactInt());
                case 7 -> new TypeDef.BitSequence(r.compactInt(), r.compactInt());
                default -> throw new ScaleException("unknown type definition kind in type " + id);
            };
            out.add(new SubstrateType(id, path, params, def, docs(r)));
        }
        TypeRegistry reg = new TypeRegistry(out);
        reg.checkReferences();
        return reg;
    }

    private static List<Field> fields(ScaleReader r) {
        return list(r, () -> new Field(option(r, () -> str(r)), r.compactInt(), option(r, () -> str(r)), docs(r)));
    }

    private static Map<String, Pallet> readPallets(ScaleReader r, TypeRegistry types, int version) {
        int n = count(r);
        Map<String, Pallet> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = str(r);
            Optional<String> prefix = Optional.empty();
            Map<String, StorageEntry> storage = new LinkedHashMap<>();
            if (r.bool()) {
                String pre = str(r);
                prefix = Optional.of(pre);
                int entries = count(r);
                for (int k = 0; k < entries; k++) {
                    String item = str(r);
                    int modifier = r.u8();
                    if (modifier > 1)
                        throw new ScaleException("storage modifier " + modifier + " in " + name + "." + item);
                    List<Hasher> hashers = List.of();
                    int key = -1, value;
                    switch (r.u8()) {
                        case 0 -> value = types.check(r.compactInt(), name + "." + item);
                        case 1 -> {
                            hashers = list(r, () -> {
                                int h = r.u8();
                                if (h >= Hasher.values().length) throw new ScaleException("unknown hasher " + h);
                                return Hasher.values()[h];
                            });
                            key = types.check(r.compactInt(), name + "." + item);
                            value = types.check(r.compactInt(), name + "." + item);
                        }
                        default -> throw new ScaleException("unknown storage entry type in " + name + "." + item);
                    }
                    byte[] def = r.bytes(r.remaining());
                    storage.put(
                            item, new StorageEntry(name, pre, item, modifier == 0, hashers, key, value, def, docs(r)));
                }
            }
            Optional<Integer> calls = option(r, () -> types.check(r.compactInt(), name + " calls"));
            Optional<Integer> events = option(r, () -> types.check(r.compactInt(), name + " events"));
            Map<String, Constant> constants = new LinkedHashMap<>();
            for (Constant c : list(
                    r,
                    () -> new Constant(
                            str(r), types.check(r.compactInt(), name + " constant"), r.bytes(r.remaining()), docs(r))))
                constants.put(c.name(), c);
            Optional<Integer> errors = option(r, () -> types.check(r.compactInt(), name + " errors"));
            int index = r.u8();
            List<String> docs = version >= 15 ? docs(r) : List.of();
            if (calls.isPresent()) types.enumOf(calls.get());
            if (errors.isPresent()) types.enumOf(errors.get());
            out.put(
                    name,
                    new Pallet(
                            name,
                            index,
                            prefix,
                            Collections.unmodifiableMap(storage),
                            calls,
                            events,
                            errors,
                            Collections.unmodifiableMap(constants),
                            docs));
        }
        return out;
    }

    private static Map<String, RuntimeApi> readApis(ScaleReader r, TypeRegistry types) {
        Map<String, RuntimeApi> out = new LinkedHashMap<>();
        int n = count(r);
        for (int i = 0; i < n; i++) {
            String name = str(r);
            Map<String, ApiMethod> methods = new LinkedHashMap<>();
            int m = count(r);
            for (int k = 0; k < m; k++) {
                String method = str(r);
                List<Map.Entry<String, Integer>> inputs =
                        list(r, () -> Map.entry(str(r), types.check(r.compactInt(), name + "_" + method)));
                int output = types.check(r.compactInt(), name + "_" + method);
                methods.put(method, new ApiMethod(method, inputs, output, docs(r)));
            }
            out.put(name, new RuntimeApi(name, Collections.unmodifiableMap(methods), docs(r)));
        }
        return Collections.unmodifiableMap(out);
    }

    /** A collection length: never more than the bytes left, since every element takes at least one. */
    private static int count(ScaleReader r) {
        return r.length(r.remaining());
    }

    private static <T> List<T> list(ScaleReader r, Supplier<T> element) {
        int n = count(r);
        List<T> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) out.add(element.get());
        return out;
    }

    private static <T> Optional<T> option(ScaleReader r, Supplier<T> some) {
        return switch (r.u8()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(some.get());
            default -> throw new ScaleException("invalid Option tag");
        };
    }

    private static String str(ScaleReader r) {
        return new String(r.bytes(r.remaining()), StandardCharsets.UTF_8);
    }

    private static List<String> docs(ScaleReader r) {
        return list(r, () -> str(r));
    }
}
