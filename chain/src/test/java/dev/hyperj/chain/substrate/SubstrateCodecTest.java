package dev.hyperj.chain.substrate;

import static org.junit.jupiter.api.Assertions.*;

import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.NodeConfig;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.chain.substrate.TypeDef.Field;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The codec, hashers, eras and metadata bounds, without a node. */
class SubstrateCodecTest {
    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void twoxMatchesSubstratesKnownPrefixes() {
        // System.Account's key prefix, as every Substrate tool prints it
        assertEquals(
                "26aa394eea5630e07c48ae0c9558cef7", hex(Xxh64.twox("System".getBytes(StandardCharsets.UTF_8), 16)));
        assertEquals(
                "b99d880ec681799c0cf30e8886371da9", hex(Xxh64.twox("Account".getBytes(StandardCharsets.UTF_8), 16)));
        assertEquals(0xef46db3751d8e999L, Xxh64.hash(new byte[0], 0)); // the xxHash64 reference for ""
        byte[] long40 = "0123456789012345678901234567890123456789".getBytes(StandardCharsets.UTF_8);
        assertEquals(32, Xxh64.twox(long40, 32).length);
        assertNotEquals(hex(Xxh64.twox(long40, 8)), hex(Xxh64.twox("1".getBytes(StandardCharsets.UTF_8), 8)));
    }

    @Test
    void everyHasherHasItsLengthAndConcatHashersKeepTheKey() {
        byte[] k = {1, 2, 3};
        assertEquals(16, StorageKeys.hash(Metadata.Hasher.BLAKE2_128, k).length);
        assertEquals(32, StorageKeys.hash(Metadata.Hasher.BLAKE2_256, k).length);
        assertEquals(
                "010203",
                hex(StorageKeys.hash(Metadata.Hasher.BLAKE2_128_CONCAT, k)).substring(32));
        assertEquals(16, StorageKeys.hash(Metadata.Hasher.TWOX_128, k).length);
        assertEquals(32, StorageKeys.hash(Metadata.Hasher.TWOX_256, k).length);
        assertEquals(
                "010203",
                hex(StorageKeys.hash(Metadata.Hasher.TWOX_64_CONCAT, k)).substring(16));
        assertEquals("010203", hex(StorageKeys.hash(Metadata.Hasher.IDENTITY, k)));
    }

    @Test
    void erasEncodeAsSubstrateDoes() {
        assertEquals("00", hex(Era.IMMORTAL.encode()));
        Era e = Era.mortal(64, 42);
        assertEquals(new Era(64, 42), e);
        assertEquals("a502", hex(e.encode())); // period 64 -> 5, phase 42 << 4
        assertEquals(e, Era.decode(e.encode()));
        Era big = Era.mortal(65536, 100_000);
        assertEquals(big, Era.decode(big.encode()));
        assertEquals(42, Era.mortal(64, 42).birth(42));
        assertEquals(106, Era.mortal(64, 42).birth(110));
        assertThrows(IllegalArgumentException.class, () -> new Era(48, 1));
    }

    /** A registry: 0 u8, 1 u32, 2 Vec<u8>, 3 (u32, u8), 4 Vec<(u32,u8)>, 5 BTreeMap<u32,u8>, 6 Option<u32>, 7 struct {a: u32, b: Vec<u8>}, 8 enum, 9 u128, 10 Compact<u128>, 11 Vec<Vec<...>> self */
    static ScaleCodec registry() {
        List<SubstrateType> t = List.of(
                new SubstrateType(0, List.of(), List.of(), new TypeDef.Primitive(TypeDef.Prim.U8), List.of()),
                new SubstrateType(1, List.of(), List.of(), new TypeDef.Primitive(TypeDef.Prim.U32), List.of()),
                new SubstrateType(2, List.of(), List.of(), new TypeDef.Sequence(0), List.of()),
                new SubstrateType(3, List.of(), List.of(), new TypeDef.Tuple(List.of(1, 0)), List.of()),
                new SubstrateType(4, List.of(), List.of(), new TypeDef.Sequence(3), List.of()),
                new SubstrateType(
                        5,
                        List.of("BTreeMap"),
                        List.of(),
                        new TypeDef.Composite(List.of(new Field(Optional.empty(), 4, Optional.empty(), List.of()))),
                        List.of()),
                new SubstrateType(
                        6,
                        List.of("Option"),
                        List.of(),
                        new TypeDef.Enum(List.of(
                                new TypeDef.Variant("None", 0, List.of(), List.of()),
                                new TypeDef.Variant(
                                        "Some",
                                        1,
                                        List.of(new Field(Optional.empty(), 1, Optional.empty(), List.of())),
                                        List.of()))),
                        List.of()),
                new SubstrateType(
                        7,
                        List.of("S"),
                        List.of(),
                        new TypeDef.Composite(List.of(
                                new Field(Optional.of("a"), 1, Optional.empty(), List.of()),
                                new Field(Optional.of("b"), 2, Optional.empty(), List.of()))),
                        List.of()),
                new SubstrateType(
                        8,
                        List.of("E"),
                        List.of(),
                        new TypeDef.Enum(List.of(
                                new TypeDef.Variant("A", 0, List.of(), List.of()),
                                new TypeDef.Variant(
                                        "B",
                                        5,
                                        List.of(new Field(Optional.empty(), 7, Optional.empty(), List.of())),
                                        List.of()))),
                        List.of()),
                new SubstrateType(9, List.of(), List.of(), new TypeDef.Primitive(TypeDef.Prim.U128), List.of()),
                new SubstrateType(10, List.of(), List.of(), new TypeDef.Compact(9), List.of()),
                new SubstrateType(11, List.of(), List.of(), new TypeDef.Sequence(11), List.of()));
        TypeRegistry r = new TypeRegistry(t);
        r.checkReferences();
        return new ScaleCodec(r);
    }

    @Test
    void valuesRoundTripThroughTheRegistry() {
        ScaleCodec c = registry();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("a", 7L);
        s.put("b", new byte[] {9, 9});
        byte[] enc = c.encode(8, EnumValue.of("B", s));
        assertEquals("05" + "07000000" + "08" + "0909", hex(enc));
        EnumValue back = (EnumValue) c.decodeAll(8, enc);
        assertEquals("B", back.name());
        assertEquals(7L, ((Map<?, ?>) back.value()).get("a"));
        assertEquals(Optional.of(5L), c.decodeAll(6, c.encode(6, Optional.of(5L))));
        assertEquals(Optional.empty(), c.decodeAll(6, c.encode(6, Optional.empty())));
        BigInteger big = BigInteger.TWO.pow(127).add(BigInteger.ONE);
        assertEquals(big, c.decodeAll(9, c.encode(9, big)));
        assertEquals(big, c.decodeAll(10, c.encode(10, big)));
        assertThrows(MetadataException.class, () -> c.encode(1, 1L << 32), "u32 overflow");
        assertThrows(MetadataException.class, () -> c.encode(9, BigInteger.ONE.negate()));
        assertThrows(MetadataException.class, () -> c.encode(8, EnumValue.of("C")));
        assertThrows(MetadataException.class, () -> c.encode(7, Map.of("a", 1L)), "missing field");
    }

    @Test
    void btreeMapsAreEncodedInKeyOrderAsTheRuntimeReEncodesThem() {
        ScaleCodec c = registry();
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(300L, 1L);
        m.put(2L, 2L);
        m.put(70000L, 3L);
        byte[] enc = c.encode(5, m);
        assertEquals("0c" + "0200000002" + "2c01000001" + "7011010003", hex(enc));
    }

    @Test
    void hostileLengthsAndNestingEndInAClearErrorWithoutAllocating() {
        ScaleCodec c = registry();
        // a Vec<(u32, u8)> claiming 2^30 elements in 5 bytes
        byte[] huge = new ScaleWriter().compact(1L << 30).toByteArray();
        assertThrows(dev.hyperj.chain.scale.ScaleException.class, () -> c.decodeAll(4, huge));
        // a self-nesting Vec<Vec<...>> 100 deep
        byte[] deep = new byte[100];
        java.util.Arrays.fill(deep, (byte) 4); // compact 1
        assertThrows(dev.hyperj.chain.scale.ScaleException.class, () -> c.decodeAll(11, deep));
        // trailing bytes
        assertThrows(dev.hyperj.chain.scale.ScaleException.class, () -> c.decodeAll(1, new byte[5]));
    }

    @Test
    void metadataThatIsNotMetadataOrTruncatedOrHostileIsRefusedClearly() {
        assertTrue(assertThrows(MetadataException.class, () -> Metadata.decode(new byte[] {1, 2, 3, 4, 5}))
                .getMessage()
                .contains("magic"));
        byte[] v13 = {0x6d, 0x65, 0x74, 0x61, 13};
        assertTrue(assertThrows(MetadataException.class, () -> Metadata.decode(v13))
                .getMessage()
                .contains("version 13"));
        // V14 with a type count of 2^30 and nothing behind it
        byte[] hostile = new ScaleWriter()
                .raw(new byte[] {0x6d, 0x65, 0x74, 0x61, 14})
                .compact(1L << 30)
                .toByteArray();
        assertTrue(assertThrows(MetadataException.class, () -> Metadata.decode(hostile))
                .getMessage()
                .contains("type registry"));
        // one type that refers to a type that does not exist
        byte[] dangling = new ScaleWriter()
                .raw(new byte[] {0x6d, 0x65, 0x74, 0x61, 14})
                .compact(1) // one type
                .compact(0) // id 0
                .compact(0) // path
                .compact(0) // params
                .u8(2) // sequence
                .compact(5) // of type 5
                .compact(0) // docs
                .toByteArray();
        assertTrue(assertThrows(MetadataException.class, () -> Metadata.decode(dangling))
                .getMessage()
                .contains("type 5"));
        assertThrows(MetadataException.class, () -> Metadata.decode(new byte[Metadata.MAX_BYTES + 1]));
    }

    @Test
    void aNodeThatIsNotSubstrateIsRefusedWithASentence() {
        try (ChainNode dev = ChainNode.start(NodeConfig.dev(20).withInstantSeal(true));
                RpcServer rpc =
                        RpcServer.start(dev, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults())) {
            ChainClientException e = assertThrows(
                    ChainClientException.class,
                    () -> SubstrateNode.connect(URI.create("ws://127.0.0.1:" + rpc.port())));
            assertTrue(e.getMessage().contains("not a Substrate node"), e.getMessage());
        }
    }

    @Test
    void anUnknownRuntimeVersionIsRefusedBeforeAnythingIsSent() {
        RuntimeVersion future = new RuntimeVersion("hypertensor-node", "hypertensor-node", 7, 2);
        MetadataException e =
                assertThrows(MetadataException.class, () -> HypertensorRuntime.of(future, emptyMetadata()));
        assertTrue(e.getMessage().contains("spec_version 7"), e.getMessage());
    }

    /** The smallest valid V14 metadata: no types but the extrinsic's, no pallets. */
    static Metadata emptyMetadata() {
        byte[] b = new ScaleWriter()
                .raw(new byte[] {0x6d, 0x65, 0x74, 0x61, 14})
                .compact(1)
                .compact(0)
                .compact(1)
                .bytes("UncheckedExtrinsic".getBytes(StandardCharsets.UTF_8))
                .compact(2)
                .bytes("Address".getBytes(StandardCharsets.UTF_8))
                .u8(1)
                .compact(0)
                .bytes("Signature".getBytes(StandardCharsets.UTF_8))
                .u8(1)
                .compact(0)
                .u8(5)
                .u8(3) // u8 primitive as a stand-in
                .compact(0)
                .compact(0) // pallets
                .compact(0) // extrinsic type 0
                .u8(4) // version
                .compact(0) // signed extensions
                .compact(0) // runtime type
                .toByteArray();
        return Metadata.decode(b);
    }
}
