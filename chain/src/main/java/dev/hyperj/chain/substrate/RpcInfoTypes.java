package dev.hyperj.chain.substrate;

import dev.hyperj.chain.scale.ScaleException;
import dev.hyperj.chain.scale.ScaleReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decoders for result types that a runtime encodes by hand and its metadata does not describe
 * (the {@code Vec<u8>} answers of Hypertensor's {@code NetworkRuntimeApi}), written as Rust-like
 * type expressions: {@code u8 u32 u64 u128 bool AccountId Hash PeerId}, {@code Vec<T>},
 * {@code Option<T>}, {@code BTreeMap<K, V>}, {@code BTreeSet<T>}, tuples {@code (A, B)}, a struct
 * declared with {@link #struct}, or a registry type by its Rust path ({@code pallet_network::pallet::PeerInfo}),
 * decoded by the metadata. Structs decode to maps in declaration order.
 */
public final class RpcInfoTypes {
    private final ScaleCodec codec;
    private final Map<String, List<Map.Entry<String, String>>> structs = new LinkedHashMap<>();
    private final Map<String, Function<ScaleReader, Object>> compiled = new java.util.concurrent.ConcurrentHashMap<>();

    public RpcInfoTypes(ScaleCodec codec) {
        this.codec = codec;
    }

    /** Declares a struct: {@code fields} as "name: Type, name: Type, ...". */
    public RpcInfoTypes struct(String name, String fields) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String f : splitTop(fields)) {
            int colon = f.indexOf(':');
            if (colon < 0) throw new IllegalArgumentException("field without a type in " + name + ": " + f);
            out.add(Map.entry(
                    f.substring(0, colon).strip(), f.substring(colon + 1).strip()));
        }
        structs.put(name, out);
        return this;
    }

    /** Decodes {@code bytes} as {@code type}, all of them (trailing bytes mean the runtime's layout differs). */
    public Object decode(String type, byte[] bytes) {
        ScaleReader r = new ScaleReader(bytes);
        Object v = decoder(type).apply(r);
        r.expectEnd();
        return v;
    }

    private Function<ScaleReader, Object> decoder(String type) {
        String t = type.strip();
        Function<ScaleReader, Object> d = compiled.get(t);
        if (d == null) {
            d = compile(t);
            compiled.put(t, d);
        }
        return d;
    }

    private Function<ScaleReader, Object> compile(String t) {
        switch (t) {
            case "u8":
                return r -> (long) r.u8();
            case "u16":
                return r -> (long) r.u16();
            case "u32":
                return r -> Integer.toUnsignedLong(r.u32());
            case "u64":
                return r -> new BigInteger(Long.toUnsignedString(r.u64()));
            case "u128":
                return ScaleReader::u128;
            case "bool":
                return ScaleReader::bool;
            case "AccountId":
                return r -> r.raw(20);
            case "Hash":
                return r -> r.raw(32);
            case "PeerId":
            case "Vec<u8>":
                return r -> r.bytes(r.remaining());
            default:
        }
        if (structs.containsKey(t)) {
            List<Map.Entry<String, String>> fields = structs.get(t);
            return r -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<String, String> f : fields) {
                    try {
                        out.put(f.getKey(), decoder(f.getValue()).apply(r));
                    } catch (ScaleException e) {
                        throw new ScaleException(t + "." + f.getKey() + ": " + e.getMessage(), e);
                    }
                }
                return out;
            };
        }
        if (t.startsWith("(") && t.endsWith(")")) {
            List<String> parts = splitTop(t.substring(1, t.length() - 1));
            return r -> {
                List<Object> out = new ArrayList<>();
                for (String p : parts) out.add(decoder(p).apply(r));
                return out;
            };
        }
        int lt = t.indexOf('<');
        if (lt > 0 && t.endsWith(">")) {
            String outer = t.substring(0, lt);
            List<String> args = splitTop(t.substring(lt + 1, t.length() - 1));
            switch (outer) {
                case "Vec", "BTreeSet" -> {
                    Function<ScaleReader, Object> e = decoder(args.get(0));
                    return r -> {
                        int n = r.length(r.remaining());
                        List<Object> out = new ArrayList<>(Math.min(n, 1024));
                        for (int i = 0; i < n; i++) out.add(e.apply(r));
                        return out;
                    };
                }
                case "Option" -> {
                    Function<ScaleReader, Object> e = decoder(args.get(0));
                    return r -> switch (r.u8()) {
                        case 0 -> java.util.Optional.empty();
                        case 1 -> java.util.Optional.of(e.apply(r));
                        default -> throw new ScaleException("invalid Option tag");
                    };
                }
                case "BTreeMap" -> {
                    Function<ScaleReader, Object> k = decoder(args.get(0)), v = decoder(args.get(1));
                    return r -> {
                        int n = r.length(r.remaining());
                        List<Map.Entry<Object, Object>> out = new ArrayList<>(Math.min(n, 1024));
                        for (int i = 0; i < n; i++) out.add(Map.entry(k.apply(r), v.apply(r)));
                        return out;
                    };
                }
                default -> throw new IllegalArgumentException("unknown generic type " + t);
            }
        }
        if (t.contains("::")) {
            SubstrateType st = codec.types()
                    .byPath(t)
                    .orElseThrow(() -> new MetadataException("the runtime's metadata has no type " + t));
            int id = st.id();
            return r -> codec.decode(id, r);
        }
        throw new IllegalArgumentException("unknown type " + t);
    }

    /** Splits at commas outside angle brackets and parentheses. */
    static List<String> splitTop(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<' || c == '(') depth++;
            else if (c == '>' || c == ')') depth--;
            else if (c == ',' && depth == 0) {
                if (!s.substring(start, i).isBlank())
                    out.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!s.substring(start).isBlank()) out.add(s.substring(start).strip());
        return out;
    }
}
