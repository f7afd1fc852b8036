package dev.hyperj.chain.substrate;

import dev.hyperj.chain.scale.ScaleException;
import dev.hyperj.chain.scale.ScaleReader;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.chain.substrate.TypeDef.Field;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SCALE encoding and decoding driven by the runtime's type registry. Values are plain Java:
 * {@code Boolean}; {@code Long} for integers up to 32 bits and signed 64-bit, {@code BigInteger}
 * for u64 and wider; {@code String} for str; {@code byte[]} for sequences and arrays of u8;
 * {@code List} for other sequences, arrays and tuples; {@code Map} (field order kept) for structs;
 * {@link Optional} for {@code Option<T>}; {@link EnumValue} for other enums. A struct with a single
 * unnamed field (a newtype such as {@code AccountId20} or {@code BoundedVec}) is transparent: its
 * value is the inner one.
 *
 * <p>Decoding is bounded: by the input's length (every element takes at least a byte, so a
 * length prefix never makes it allocate more than the input) and by a nesting depth of
 * {@value #MAX_DEPTH}.
 */
public final class ScaleCodec {
    static final int MAX_DEPTH = 64;
    private final TypeRegistry types;

    public ScaleCodec(TypeRegistry types) {
        this.types = types;
    }

    public TypeRegistry types() {
        return types;
    }

    /** Decodes exactly one value of type {@code id} from the whole of {@code bytes}. */
    public Object decodeAll(int id, byte[] bytes) {
        ScaleReader r = new ScaleReader(bytes);
        Object v = decode(id, r);
        r.expectEnd();
        return v;
    }

    public Object decode(int id, ScaleReader r) {
        return decode(id, r, 0);
    }

    private Object decode(int id, ScaleReader r, int depth) {
        if (depth > MAX_DEPTH) throw new ScaleException("SCALE value nested deeper than " + MAX_DEPTH);
        SubstrateType t = types.get(id);
        return switch (t.def()) {
            case TypeDef.Primitive p -> primitive(p.kind(), r);
            case TypeDef.Compact c -> {
                BigInteger v = r.compactBig();
                yield narrow(types.get(c.inner()).def(), v);
            }
            case TypeDef.Sequence s -> {
                int n = r.length(r.remaining());
                if (isU8(s.element())) yield r.raw(n);
                yield elements(s.element(), n, r, depth);
            }
            case TypeDef.Array a -> {
                if (isU8(a.element())) yield r.raw(a.length());
                if (a.length() > r.remaining() && !isZeroSized(a.element(), 0))
                    throw new ScaleException("array of " + a.length() + " over the input left");
                yield elements(a.element(), a.length(), r, depth);
            }
            case TypeDef.Tuple tu -> {
                List<Object> out = new ArrayList<>(tu.elements().size());
                for (int e : tu.elements()) out.add(decode(e, r, depth + 1));
                yield out;
            }
            case TypeDef.Composite c -> fields(c.fields(), r, depth);
            case TypeDef.Enum e -> {
                int index = r.u8();
                TypeDef.Variant v = e.byIndex(index)
                        .orElseThrow(() -> new ScaleException("no variant " + index + " in " + t.pathName()));
                if (isOption(t))
                    yield v.fields().isEmpty()
                            ? Optional.empty()
                            : Optional.of(decode(v.fields().get(0).type(), r, depth + 1));
                yield new EnumValue(v.name(), v.index(), v.fields().isEmpty() ? null : fields(v.fields(), r, depth));
            }
            case TypeDef.BitSequence b ->
                throw new ScaleException("bit sequences are not supported (" + t.pathName() + ")");
        };
    }

    private List<Object> elements(int element, int n, ScaleReader r, int depth) {
        List<Object> out = new ArrayList<>(Math.min(n, 4096));
        for (int i = 0; i < n; i++) out.add(decode(element, r, depth + 1));
        return out;
    }

    private Object fields(List<Field> fields, ScaleReader r, int depth) {
        if (fields.size() == 1 && fields.get(0).name().isEmpty())
            return decode(fields.get(0).type(), r, depth + 1);
        if (!fields.isEmpty() && fields.get(0).name().isPresent()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Field f : fields) out.put(f.name().get(), decode(f.type(), r, depth + 1));
            return out;
        }
        List<Object> out = new ArrayList<>(fields.size());
        for (Field f : fields) out.add(decode(f.type(), r, depth + 1));
        return out;
    }

    private static Object primitive(TypeDef.Prim p, ScaleReader r) {
        return switch (p) {
            case BOOL -> r.bool();
            case U8 -> (long) r.u8();
            case U16 -> (long) r.u16();
            case U32 -> Integer.toUnsignedLong(r.u32());
            case I8 -> (long) (byte) r.u8();
            case I16 -> (long) (short) r.u16();
            case I32 -> (long) r.u32();
            case I64 -> r.u64();
            case U64 -> new BigInteger(Long.toUnsignedString(r.u64()));
            case U128, U256, I128, I256 -> {
                byte[] le = r.raw(p.width());
                byte[] be = new byte[le.length];
                for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
                yield p.signed() ? new BigInteger(be) : new BigInteger(1, be);
            }
            case STR -> new String(r.bytes(r.remaining()), StandardCharsets.UTF_8);
            case CHAR -> throw new ScaleException("char is not a SCALE type a runtime uses");
        };
    }

    private Object narrow(TypeDef inner, BigInteger v) {
        if (inner instanceof TypeDef.Primitive p && p.kind().width() <= 4) {
            if (v.bitLength() > 8 * p.kind().width())
                throw new ScaleException("compact " + v + " does not fit " + p.kind());
            return v.longValue();
        }
        return v;
    }

    private boolean isU8(int id) {
        return types.get(id).def() instanceof TypeDef.Primitive p && p.kind() == TypeDef.Prim.U8;
    }

    private boolean isZeroSized(int id, int depth) {
        if (depth > MAX_DEPTH) return false;
        return switch (types.get(id).def()) {
            case TypeDef.Tuple t -> t.elements().stream().allMatch(e -> isZeroSized(e, depth + 1));
            case TypeDef.Composite c -> c.fields().stream().allMatch(f -> isZeroSized(f.type(), depth + 1));
            case TypeDef.Array a -> a.length() == 0 || isZeroSized(a.element(), depth + 1);
            default -> false;
        };
    }

    static boolean isOption(SubstrateType t) {
        return t.path().size() == 1 && t.path().get(0).equals("Option") && t.def() instanceof TypeDef.Enum;
    }

    // ---- encoding

    public byte[] encode(int id, Object value) {
        ScaleWriter w = new ScaleWriter();
        encode(id, value, w, 0, "value");
        return w.toByteArray();
    }

    public void encode(int id, Object value, ScaleWriter w) {
        encode(id, value, w, 0, "value");
    }

    private void encode(int id, Object value, ScaleWriter w, int depth, String at) {
        if (depth > MAX_DEPTH) throw new MetadataException("value nested deeper than " + MAX_DEPTH + " at " + at);
        SubstrateType t = types.get(id);
        switch (t.def()) {
            case TypeDef.Primitive p -> encodePrimitive(p.kind(), value, w, at);
            case TypeDef.Compact c -> w.compact(integer(value, at));
            case TypeDef.Sequence s -> {
                if (isU8(s.element())) {
                    byte[] b = bytes(value, at);
                    w.bytes(b);
                } else {
                    List<?> l = list(value, at);
                    w.compact(l.size());
                    for (int i = 0; i < l.size(); i++) encode(s.element(), l.get(i), w, depth + 1, at + "[" + i + "]");
                }
            }
            case TypeDef.Array a -> {
                if (isU8(a.element())) {
                    byte[] b = bytes(value, at);
                    if (b.length != a.length())
                        throw new MetadataException(
                                at + ": " + b.length + " bytes where " + a.length() + " are needed");
                    w.raw(b);
                } else {
                    List<?> l = list(value, at);
                    if (l.size() != a.length())
                        throw new MetadataException(
                                at + ": " + l.size() + " elements where " + a.length() + " are needed");
                    for (int i = 0; i < l.size(); i++) encode(a.element(), l.get(i), w, depth + 1, at + "[" + i + "]");
                }
            }
            case TypeDef.Tuple tu -> {
                if (tu.elements().size() == 1 && !(value instanceof List<?>)) {
                    encode(tu.elements().get(0), value, w, depth + 1, at);
                    return;
                }
                List<?> l = list(value, at);
                if (l.size() != tu.elements().size())
                    throw new MetadataException(
                            at + ": a tuple of " + tu.elements().size() + ", got " + l.size());
                for (int i = 0; i < l.size(); i++) encode(tu.elements().get(i), l.get(i), w, depth + 1, at + "." + i);
            }
            case TypeDef.Composite c -> {
                if (t.path().size() == 1
                        && (t.path().get(0).equals("BTreeMap")
                                || t.path().get(0).equals("BTreeSet")))
                    value = sortedForBTree(list(value, at), t.path().get(0).equals("BTreeMap"), at);
                encodeFields(c.fields(), value, w, depth, at);
            }
            case TypeDef.Enum e -> {
                if (isOption(t)) {
                    Optional<?> o = value instanceof Optional<?> opt ? opt : Optional.ofNullable(value);
                    if (o.isEmpty()) w.u8(0);
                    else {
                        w.u8(1);
                        encode(e.byName("Some").orElseThrow().fields().get(0).type(), o.get(), w, depth + 1, at);
                    }
                    return;
                }
                String name;
                Object inner;
                if (value instanceof EnumValue ev) {
                    name = ev.name();
                    inner = ev.value();
                } else if (value instanceof String s) {
                    name = s;
                    inner = null;
                } else
                    throw new MetadataException(
                            at + ": an enum " + t.pathName() + " variant is needed, got " + kind(value));
                TypeDef.Variant v = e.byName(name)
                        .orElseThrow(() -> new MetadataException(at + ": " + t.pathName() + " has no variant " + name));
                w.u8(v.index());
                if (!v.fields().isEmpty()) encodeFields(v.fields(), inner, w, depth, at + "." + name);
            }
            case TypeDef.BitSequence b -> throw new MetadataException(at + ": bit sequences are not supported");
        }
    }

    private void encodeFields(List<Field> fields, Object value, ScaleWriter w, int depth, String at) {
        if (fields.isEmpty()) return;
        if (fields.size() == 1 && fields.get(0).name().isEmpty()) {
            encode(fields.get(0).type(), value, w, depth + 1, at);
            return;
        }
        if (fields.get(0).name().isPresent()) {
            if (!(value instanceof Map<?, ?> m))
                throw new MetadataException(at + ": a struct with fields "
                        + fields.stream().map(f -> f.name().get()).toList() + " is needed, got " + kind(value));
            for (Field f : fields) {
                String n = f.name().get();
                if (!m.containsKey(n)) throw new MetadataException(at + ": field " + n + " is missing");
                encode(f.type(), m.get(n), w, depth + 1, at + "." + n);
            }
            if (m.size() != fields.size()) throw new MetadataException(at + ": unknown fields in " + m.keySet());
            return;
        }
        List<?> l = list(value, at);
        if (l.size() != fields.size())
            throw new MetadataException(at + ": " + fields.size() + " fields, got " + l.size());
        for (int i = 0; i < l.size(); i++) encode(fields.get(i).type(), l.get(i), w, depth + 1, at + "." + i);
    }

    private static void encodePrimitive(TypeDef.Prim p, Object value, ScaleWriter w, String at) {
        switch (p) {
            case BOOL -> {
                if (!(value instanceof Boolean b))
                    throw new MetadataException(at + ": a bool is needed, got " + kind(value));
                w.bool(b);
            }
            case STR -> {
                if (!(value instanceof String s))
                    throw new MetadataException(at + ": a string is needed, got " + kind(value));
                w.bytes(s.getBytes(StandardCharsets.UTF_8));
            }
            case CHAR -> throw new MetadataException(at + ": char is not supported");
            default -> {
                BigInteger v = integer(value, at);
                int bits = 8 * p.width();
                BigInteger min = p.signed() ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
                BigInteger max = (p.signed() ? BigInteger.ONE.shiftLeft(bits - 1) : BigInteger.ONE.shiftLeft(bits))
                        .subtract(BigInteger.ONE);
                if (v.compareTo(min) < 0 || v.compareTo(max) > 0)
                    throw new MetadataException(
                            at + ": " + v + " does not fit " + p.name().toLowerCase());
                BigInteger u = v.signum() < 0 ? v.add(BigInteger.ONE.shiftLeft(bits)) : v;
                byte[] le = new byte[p.width()];
                for (int i = 0; i < le.length; i++) le[i] = u.shiftRight(8 * i).byteValue();
                w.raw(le);
            }
        }
    }

    /**
     * A BTreeMap or BTreeSet is encoded in key order, without duplicates: the runtime re-encodes
     * what it decoded, so any other order would make the signed payload differ (a bad proof).
     */
    private static List<Object> sortedForBTree(List<?> entries, boolean map, String at) {
        java.util.TreeMap<Object, Object> sorted = new java.util.TreeMap<>(ScaleCodec::compareKeys);
        for (Object e : entries) {
            Object key = map ? list(e, at).get(0) : e;
            sorted.put(key, e);
        }
        return new ArrayList<>(sorted.values());
    }

    /** Rust's Ord for the keys a runtime uses: byte strings and accounts lexicographically (unsigned), numbers by value. */
    static int compareKeys(Object a, Object b) {
        if (a instanceof dev.hyperj.chain.crypto.AccountId x) a = x.bytes();
        if (b instanceof dev.hyperj.chain.crypto.AccountId x) b = x.bytes();
        if (a instanceof dev.hyperj.p2p.bytes.Bytes x) a = x.value();
        if (b instanceof dev.hyperj.p2p.bytes.Bytes x) b = x.value();
        if (a instanceof String x) a = x.getBytes(StandardCharsets.UTF_8);
        if (b instanceof String x) b = x.getBytes(StandardCharsets.UTF_8);
        if (a instanceof byte[] x && b instanceof byte[] y) return java.util.Arrays.compareUnsigned(x, y);
        if (a instanceof Number && b instanceof Number) return integer(a, "key").compareTo(integer(b, "key"));
        throw new MetadataException("cannot order map keys of " + kind(a) + " and " + kind(b));
    }

    private static BigInteger integer(Object value, String at) {
        return switch (value) {
            case BigInteger b -> b;
            case Long l -> BigInteger.valueOf(l);
            case Integer i -> BigInteger.valueOf(i);
            case Short s -> BigInteger.valueOf(s);
            case Byte b -> BigInteger.valueOf(b);
            case null, default -> throw new MetadataException(at + ": an integer is needed, got " + kind(value));
        };
    }

    private static byte[] bytes(Object value, String at) {
        if (value instanceof byte[] b) return b;
        if (value instanceof dev.hyperj.p2p.bytes.Bytes b) return b.value();
        if (value instanceof dev.hyperj.chain.crypto.AccountId a) return a.bytes();
        if (value instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
        throw new MetadataException(at + ": bytes are needed, got " + kind(value));
    }

    private static List<?> list(Object value, String at) {
        if (value instanceof List<?> l) return l;
        if (value instanceof Collection<?> c) return List.copyOf(c);
        if (value instanceof Map<?, ?> m) {
            // BTreeMap<K, V> is a sequence of (K, V) tuples
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.add(List.of(e.getKey(), e.getValue()));
            return out;
        }
        throw new MetadataException(at + ": a list is needed, got " + kind(value));
    }

    private static String kind(Object v) {
        return v == null ? "nothing" : v.getClass().getSimpleName();
    }
}
