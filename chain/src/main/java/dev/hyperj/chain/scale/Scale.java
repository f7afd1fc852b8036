package dev.hyperj.chain.scale;

import dev.hyperj.chain.crypto.AccountId;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SCALE encoding of the chain's value types, derived from their Java shape so every stored item,
 * call and event has exactly one canonical encoding:
 * <ul>
 * <li>{@code boolean} bool; {@code byte} u8; {@code short} u16; {@code int} u32; {@code long} u64;
 * {@link BigInteger} u128; {@link AccountId} 20 raw bytes;</li>
 * <li>{@code byte[]} and {@link String} (UTF-8) as {@code Vec<u8>}; {@link List} as {@code Vec<T>};
 * {@link Map} as {@code BTreeMap} (pairs ordered by key); {@link Optional} as {@code Option<T>};</li>
 * <li>enums as their ordinal (u8); records as their components in order; sealed interfaces as a u8
 * variant index (the order of the permitted subclasses) followed by the variant.</li>
 * </ul>
 * Decoding is bounded: no length may exceed the bytes left, and errors are {@link ScaleException}s.
 */
public final class Scale {
    private static final int MAX_DEPTH = 32;
    private static final Map<Type, Codec> CACHE = new ConcurrentHashMap<>();

    private Scale() {}

    public static byte[] encode(Object value) {
        ScaleWriter w = new ScaleWriter();
        codec(value.getClass()).write(w, value);
        return w.toByteArray();
    }

    /** Encodes with the codec of a declared type (needed for generic containers such as {@code List<Integer>}). */
    public static byte[] encode(Type type, Object value) {
        ScaleWriter w = new ScaleWriter();
        codec(type).write(w, value);
        return w.toByteArray();
    }

    public static void write(ScaleWriter w, Type type, Object value) {
        codec(type).write(w, value);
    }

    @SuppressWarnings("unchecked")
    public static <T> T decode(Class<T> type, byte[] bytes) {
        return (T) decode((Type) type, bytes);
    }

    public static Object decode(Type type, byte[] bytes) {
        ScaleReader r = new ScaleReader(bytes);
        Object v = read(r, type);
        r.expectEnd();
        return v;
    }

    public static Object read(ScaleReader r, Type type) {
        try {
            return codec(type).read(r, 0);
        } catch (ScaleException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ScaleException("invalid SCALE value for " + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }

    interface Codec {
        void write(ScaleWriter w, Object v);

        Object read(ScaleReader r, int depth);
    }

    static Codec codec(Type type) {
        Codec c = CACHE.get(type);
        if (c == null) {
            c = build(type);
            CACHE.putIfAbsent(type, c);
        }
        return c;
    }

    private static Codec lazy(Type type) {
        return new Codec() {
            public void write(ScaleWriter w, Object v) {
                codec(type).write(w, v);
            }

            public Object read(ScaleReader r, int depth) {
                if (depth > MAX_DEPTH) throw new ScaleException("SCALE value nested too deeply");
                return codec(type).read(r, depth + 1);
            }
        };
    }

    private static Codec build(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) return listCodec(lazy(args[0]));
            if (raw == Optional.class) return optionCodec(lazy(args[0]));
            if (raw == Map.class || raw == SortedMap.class) return mapCodec(lazy(args[0]), lazy(args[1]));
            throw new IllegalArgumentException("no SCALE codec for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == boolean.class || c == Boolean.class) return simple((w, v) -> w.bool((Boolean) v), ScaleReader::bool);
        if (c == byte.class || c == Byte.class) return simple((w, v) -> w.u8((Byte) v), r -> (byte) r.u8());
        if (c == short.class || c == Short.class) return simple((w, v) -> w.u16((Short) v), r -> (short) r.u16());
        if (c == int.class || c == Integer.class) return simple((w, v) -> w.u32((Integer) v), ScaleReader::u32);
        if (c == long.class || c == Long.class) return simple((w, v) -> w.u64((Long) v), ScaleReader::u64);
        if (c == BigInteger.class) return simple((w, v) -> w.u128((BigInteger) v), ScaleReader::u128);
        if (c == AccountId.class)
            return simple((w, v) -> w.raw(((AccountId) v).bytes()), r -> AccountId.of(r.raw(AccountId.LENGTH)));
        if (c == byte[].class) return simple((w, v) -> w.bytes((byte[]) v), r -> r.bytes(r.remaining()));
        if (c == String.class)
            return simple(
                    (w, v) -> w.bytes(((String) v).getBytes(StandardCharsets.UTF_8)),
                    r -> utf8(r.bytes(r.remaining())));
        if (c.isEnum()) return enumCodec(c);
        if (c.isRecord()) return recordCodec(c);
        if (c.isSealed()) return sealedCodec(c);
        throw new IllegalArgumentException("no SCALE codec for " + type);
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ScaleException("invalid UTF-8 string");
        }
    }

    private interface Writer {
        void write(ScaleWriter w, Object v);
    }

    private interface Reader {
        Object read(ScaleReader r);
    }

    private static Codec simple(Writer wr, Reader rd) {
        return new Codec() {
            public void write(ScaleWriter w, Object v) {
                wr.write(w, v);
            }

            public Object read(ScaleReader r, int depth) {
                return rd.read(r);
            }
        };
    }

    private static Codec listCodec(Codec element) {
        return new Codec() {
            public void write(ScaleWriter w, Object v) {
                List<?> l = (List<?>) v;
                w.compact(l.size());
                for (Object o : l) element.write(w, o);
            }

            public Object read(ScaleReader r, int depth) {
                int n = r.length(r.remaining());
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) out.add(element.read(r, depth + 1));
                return Collections.unmodifiableList(out);
            }
        };
    }

    private static Codec optionCodec(Codec inner) {
        return new Codec() {
            public void write(ScaleWriter w, Object v) {
                Optional<?> o = (Optional<?>) v;
                if (o.isEmpty()) {
                    w.u8(0);
                } else {
                    w.u8(1);
                    inner.write(w, o.get());
                }
            }

            public Object read(ScaleReader r, int depth) {
                int tag = r.u8();
                if (tag == 0) return Optional.empty();
                if (tag != 1) throw new ScaleException("invalid Option tag " + tag);
                return Optional.of(inner.read(r, depth + 1));
            }
        };
    }

    private static Codec mapCodec(Codec key, Codec value) {
        return new Codec() {
            public void write(ScaleWriter w, Object v) {
                Map<?, ?> m = (Map<?, ?>) v;
                // Pairs ordered by encoded key bytes: one canonical encoding whatever the map type.
                List<byte[][]> pairs = new ArrayList<>(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    ScaleWriter kw = new ScaleWriter();
                    key.write(kw, e.getKey());
                    ScaleWriter vw = new ScaleWriter();
                    value.write(vw, e.getValue());
                    pairs.add(new byte[][] {kw.toByteArray(), vw.toByteArray()});
                }
                pairs.sort(Comparator.comparing((byte[][] p) -> p[0], Arrays::compareUnsigned));
                w.compact(pairs.size());
                for (byte[][] p : pairs) w.raw(p[0]).raw(p[1]);
            }

            @SuppressWarnings({"unchecked", "rawtypes"})
            public Object read(ScaleReader r, int depth) {
                int n = r.length(r.remaining());
                TreeMap out = new TreeMap();
                for (int i = 0; i < n; i++) {
                    Object k = key.read(r, depth + 1);
                    Object v = value.read(r, depth + 1);
                    if (out.put(k, v) != null) throw new ScaleException("duplicate map key");
                }
                return Collections.unmodifiableSortedMap(out);
            }
        };
    }

    private static Codec enumCodec(Class<?> c) {
        Object[] constants = c.getEnumConstants();
        return simple((w, v) -> w.u8(((Enum<?>) v).ordinal()), r -> {
            int i = r.u8();
            if (i >= constants.length) throw new ScaleException("invalid " + c.getSimpleName() + " index " + i);
            return constants[i];
        });
    }

    private static Codec recordCodec(Class<?> c) {
        RecordComponent[] comps = c.getRecordComponents();
        Method[] accessors = new Method[comps.length];
        Codec[] codecs = new Codec[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            accessors[i] = comps[i].getAccessor();
            accessors[i].setAccessible(true);
            codecs[i] = lazy(comps[i].getGenericType());
            types[i] = comps[i].getType();
        }
        Constructor<?> ctor;
        try {
            ctor = c.getDeclaredConstructor(types);
            ctor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        return new Codec() {
            public void write(ScaleWriter w, Object v) {
                try {
                    for (int i = 0; i < comps.length; i++) codecs[i].write(w, accessors[i].invoke(v));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }

            public Object read(ScaleReader r, int depth) {
                Object[] args = new Object[comps.length];
                for (int i = 0; i < comps.length; i++) args[i] = codecs[i].read(r, depth + 1);
                try {
                    return ctor.newInstance(args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw new ScaleException(
                            "invalid " + c.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static Codec sealedCodec(Class<?> c) {
        Class<?>[] variants = c.getPermittedSubclasses();
        if (variants.length > 256) throw new IllegalArgumentException("too many variants in " + c);
        Map<Class<?>, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < variants.length; i++) index.put(variants[i], i);
        return new Codec() {
            public void write(ScaleWriter w, Object v) {
                Integer i = index.get(v.getClass());
                if (i == null) throw new IllegalArgumentException("not a variant of " + c + ": " + v.getClass());
                w.u8(i);
                codec(variants[i]).write(w, v);
            }

            public Object read(ScaleReader r, int depth) {
                int i = r.u8();
                if (i >= variants.length) throw new ScaleException("invalid " + c.getSimpleName() + " variant " + i);
                return codec(variants[i]).read(r, depth + 1);
            }
        };
    }

    /** The variant index of a sealed-interface value (the call or event index). */
    public static int variantIndex(Class<?> sealed, Object value) {
        return Arrays.asList(sealed.getPermittedSubclasses()).indexOf(value.getClass());
    }
}
