package dev.hyperj.chain.rpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.p2p.bytes.Bytes;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of the node's RPC, shared by server and remote client: u128 ({@link BigInteger})
 * as decimal strings, longs beyond 2^53 as decimal strings, bytes as "0x" hex, accounts as "0x"
 * hex, events as {@code {"name": "Transfer", "data": {...}}}, headers with their hash.
 */
public final class ChainJson {
    private static final long MAX_SAFE = (1L << 53);
    private static final ObjectMapper MAPPER = build();

    private ChainJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    /** Parses "0x"-prefixed (or bare) hex; IllegalArgumentException if it is not hex. */
    public static byte[] unhex(String s) {
        String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        return HexFormat.of().parseHex(h);
    }

    /** A header as JSON: every field plus its hash. */
    public static Map<String, Object> header(BlockHeader h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", hex(h.hash()));
        m.put("parentHash", hex(h.parentHash()));
        m.put("number", h.number());
        m.put("stateRoot", hex(h.stateRoot()));
        m.put("extrinsicsRoot", hex(h.extrinsicsRoot()));
        m.put("author", h.author());
        m.put("timestamp", h.timestamp());
        return m;
    }

    public static BlockHeader header(JsonNode n) {
        return new BlockHeader(
                unhex(n.get("parentHash").asText()),
                n.get("number").asLong(),
                unhex(n.get("stateRoot").asText()),
                unhex(n.get("extrinsicsRoot").asText()),
                dev.hyperj.chain.crypto.AccountId.fromHex(n.get("author").asText()),
                n.get("timestamp").asLong());
    }

    private static ObjectMapper build() {
        SimpleModule m = new SimpleModule("hyperj-chain");
        m.addSerializer(BigInteger.class, ToStringSerializer.instance);
        JsonSerializer<Long> longs = new JsonSerializer<>() {
            @Override
            public void serialize(Long v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v > MAX_SAFE || v < -MAX_SAFE) g.writeString(Long.toString(v));
                else g.writeNumber(v);
            }
        };
        m.addSerializer(Long.class, longs);
        m.addSerializer(Long.TYPE, longs);
        m.addSerializer(Bytes.class, new JsonSerializer<>() {
            @Override
            public void serialize(Bytes v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(hex(v.value()));
            }
        });
        m.addDeserializer(Bytes.class, new JsonDeserializer<>() {
            @Override
            public Bytes deserialize(JsonParser p, DeserializationContext c) throws IOException {
                try {
                    return Bytes.of(unhex(p.getValueAsString()));
                } catch (RuntimeException e) {
                    throw c.weirdStringException(p.getValueAsString(), Bytes.class, "expected 0x-prefixed hex");
                }
            }
        });
        m.addSerializer(Event.class, new JsonSerializer<>() {
            @Override
            public void serialize(Event e, JsonGenerator g, SerializerProvider p) throws IOException {
                Map<String, Object> data = new LinkedHashMap<>();
                try {
                    for (RecordComponent rc : e.getClass().getRecordComponents())
                        data.put(rc.getName(), rc.getAccessor().invoke(e));
                } catch (ReflectiveOperationException x) {
                    throw new IOException(
                            "cannot serialize event " + e.getClass().getSimpleName(), x);
                }
                g.writeStartObject();
                g.writeStringField("name", e.getClass().getSimpleName());
                g.writeFieldName("data");
                p.defaultSerializeValue(data, g);
                g.writeEndObject();
            }
        });
        m.addDeserializer(Event.class, new JsonDeserializer<>() {
            @Override
            public Event deserialize(JsonParser p, DeserializationContext c) throws IOException {
                JsonNode n = p.readValueAsTree();
                String name = n.path("name").asText();
                for (Class<?> k : Event.class.getPermittedSubclasses()) {
                    if (k.getSimpleName().equals(name))
                        return (Event) p.getCodec().treeToValue(n.path("data"), k);
                }
                throw c.weirdStringException(name, Event.class, "unknown event name");
            }
        });
        ObjectMapper om = new ObjectMapper();
        om.registerModule(new Jdk8Module());
        om.registerModule(m);
        om.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        om.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        return om;
    }
}
