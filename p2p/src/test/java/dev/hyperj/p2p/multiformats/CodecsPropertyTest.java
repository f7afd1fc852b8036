package dev.hyperj.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Round trips for every multiformat codec, and proof that garbage only ever raises FormatException. */
class CodecsPropertyTest {

    // ---- varint

    @Property
    void varintRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long v) {
        byte[] enc = Varint.encode(v);
        assertThat(enc).hasSize(Varint.encodedLength(v)).hasSizeLessThanOrEqualTo(9);
        assertThat(Varint.decode(enc)).isEqualTo(v);
    }

    @Property(tries = 3000)
    void varintGarbageOnlyThrowsFormatException(@ForAll @Size(max = 12) byte[] input) {
        rejectsCleanly(input, bytes -> {
            long v = Varint.decode(ByteBuffer.wrap(bytes));
            assertThat(v).isNotNegative();
            // anything accepted is the minimal encoding of its value
            assertThat(Arrays.copyOf(bytes, Varint.encodedLength(v))).isEqualTo(Varint.encode(v));
            return v;
        });
    }

    // ---- bases

    @Property
    void base58RoundTrips(@ForAll @Size(max = 80) byte[] data) {
        assertThat(Base58.decode(Base58.encode(data))).isEqualTo(data);
    }

    @Property
    void base32RoundTrips(@ForAll @Size(max = 80) byte[] data) {
        String s = Base32.encode(data);
        assertThat(s).matches("[a-z2-7]*");
        assertThat(Base32.decode(s)).isEqualTo(data);
    }

    @Property
    void multibaseRoundTrips(@ForAll Multibase.Base base, @ForAll @Size(max = 80) byte[] data) {
        String s = Multibase.encode(base, data);
        assertThat(Multibase.baseOf(s)).isEqualTo(base);
        assertThat(Multibase.decode(s)).isEqualTo(data);
    }

    @Provide
    Arbitrary<String> textGarbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .withChars("zbBfFmu123456789abcdefgABCDEFG0OIl+/-_=:!/ \u00e9\u0661")
                        .ofMaxLength(40),
                Arbitraries.strings().ofMaxLength(40));
    }

    @Property(tries = 3000)
    void textDecodersOnlyThrowFormatException(@ForAll("textGarbage") String text) {
        rejectsCleanly(text, Base58::decode);
        rejectsCleanly(text, Base32::decode);
        rejectsCleanly(text, s -> {
            byte[] b = Multibase.decode(s);
            // canonical: what decodes re-encodes to the same text
            assertThat(Multibase.encode(Multibase.baseOf(s), b)).isEqualTo(s);
            return b;
        });
        rejectsCleanly(text, Cid::parse);
        rejectsCleanly(text, PeerId::parse);
        rejectsCleanly(text, Multiaddr::parse);
        rejectsCleanly("/" + text, Multiaddr::parse);
    }

    // ---- multihash, CID, peer id

    @Property
    void multihashAndCidRoundTrip(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long code,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long codec,
            @ForAll @Size(max = 64) byte[] digest) {
        if (code == Multihash.SHA2_256 && digest.length != 32) {
            return;
        }
        Multihash mh = Multihash.of(code, digest);
        assertThat(Multihash.decode(mh.bytes())).isEqualTo(mh);
        Cid cid = Cid.v1(codec, mh);
        assertThat(Cid.decode(cid.bytes())).isEqualTo(cid);
        assertThat(Cid.parse(cid.toString())).isEqualTo(cid);
    }

    /** Generated once: key generation would dominate the run time otherwise. */
    private static final java.util.List<PeerId> PEER_IDS = java.util.stream.IntStream.range(0, 60)
            .mapToObj(i -> PeerId.fromPublicKey(
                    Keys.generate(KeyType.values()[1 + i % 3]).publicKey()))
            .toList();

    @Provide
    Arbitrary<PeerId> peerIds() {
        return Arbitraries.of(PEER_IDS);
    }

    @Property(tries = 200)
    void peerIdRoundTrips(@ForAll("peerIds") PeerId id) {
        assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
        assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
        assertThat(PeerId.fromBytes(id.bytes())).isEqualTo(id);
    }

    @Property(tries = 3000)
    void binaryDecodersOnlyThrowFormatException(@ForAll @Size(max = 80) byte[] input) {
        rejectsCleanly(input, Multihash::decode);
        rejectsCleanly(input, Cid::decode);
        rejectsCleanly(input, b -> PeerId.fromBytes(b).publicKey());
        rejectsCleanly(input, Multiaddr::fromBytes);
    }

    @Property(tries = 3000)
    void mutatedPeerIdsOnlyThrowFormatException(
            @ForAll("peerIds") PeerId id, @ForAll int position, @ForAll byte value, @ForAll boolean truncate) {
        byte[] mutated = mutate(id.bytes(), position, value, truncate);
        rejectsCleanly(mutated, b -> {
            PeerId p = PeerId.fromBytes(b);
            assertThat(PeerId.parse(p.toBase58())).isEqualTo(p);
            // an inlined key, when valid, is the id's own key
            p.publicKey().ifPresent(k -> assertThat(PeerId.fromPublicKey(k)).isEqualTo(p));
            return p;
        });
        rejectsCleanly(
                mutate(id.toBase58().getBytes(), position, value, truncate),
                b -> PeerId.parse(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)));
        rejectsCleanly(
                mutate(id.toCid().getBytes(), position, value, truncate),
                b -> PeerId.parse(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)));
    }

    // ---- multiaddr

    @Provide
    Arbitrary<Multiaddr> multiaddrs() {
        Arbitrary<Multiaddr.Component> component = Arbitraries.oneOf(
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofSize(4)
                        .map(b -> Multiaddr.Component.of(Protocol.IP4, IpText.formatIp4(b, 0))),
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofSize(16)
                        .map(b -> Multiaddr.Component.of(Protocol.IP6, IpText.formatIp6(b))),
                Arbitraries.integers()
                        .between(0, 65535)
                        .map(p -> Multiaddr.Component.of(Protocol.TCP, Integer.toString(p))),
                Arbitraries.integers()
                        .between(0, 65535)
                        .map(p -> Multiaddr.Component.of(Protocol.UDP, Integer.toString(p))),
                Arbitraries.of(Protocol.DNS, Protocol.DNS4, Protocol.DNS6, Protocol.DNSADDR)
                        .flatMap(p -> Arbitraries.strings()
                                .alpha()
                                .numeric()
                                .withChars(".-\u00e9")
                                .ofMinLength(1)
                                .ofMaxLength(60)
                                .map(name -> Multiaddr.Component.of(p, name))),
                peerIds().map(id -> Multiaddr.Component.of(Protocol.P2P, id.toBase58())),
                Arbitraries.of(
                                Protocol.WS,
                                Protocol.WSS,
                                Protocol.QUIC_V1,
                                Protocol.QUIC,
                                Protocol.TLS,
                                Protocol.NOISE,
                                Protocol.P2P_CIRCUIT)
                        .map(p -> Multiaddr.Component.of(p, null)));
        return component.list().ofMaxSize(6).map(Multiaddr::of);
    }

    @Property(tries = 500)
    void multiaddrTextAndBinaryRoundTrip(@ForAll("multiaddrs") Multiaddr m) {
        assertThat(Multiaddr.parse(m.toString())).isEqualTo(m);
        assertThat(Multiaddr.fromBytes(m.bytes())).isEqualTo(m);
        assertThat(Multiaddr.fromBytes(m.bytes()).toString()).isEqualTo(m.toString());
    }

    @Property(tries = 3000)
    void mutatedMultiaddrsOnlyThrowFormatException(
            @ForAll("multiaddrs") Multiaddr m, @ForAll int position, @ForAll byte value, @ForAll boolean truncate) {
        byte[] bin = m.bytes();
        if (bin.length == 0) {
            return;
        }
        rejectsCleanly(mutate(bin, position, value, truncate), b -> {
            Multiaddr back = Multiaddr.fromBytes(b);
            assertThat(Multiaddr.parse(back.toString())).isEqualTo(back);
            Multiaddr.isValidChainMultiaddr(b);
            return back;
        });
        String text = m.toString();
        rejectsCleanly(
                mutate(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), position, value, truncate),
                b -> Multiaddr.parse(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)));
    }

    @Property(tries = 1000)
    void hostileLengthPrefixesAllocateNoMoreThanTheInput(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long length) {
        // a dns4 component claiming `length` bytes, followed by 3 bytes
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put(Varint.encode(Protocol.DNS4.code())).put(Varint.encode(length)).put(new byte[] {'a', 'b', 'c'});
        byte[] input = Arrays.copyOf(b.array(), b.position());
        if (length == 3) {
            assertThat(Multiaddr.fromBytes(input).toString()).isEqualTo("/dns4/abc");
        } else {
            rejectsCleanly(input, Multiaddr::fromBytes);
        }
    }

    private static byte[] mutate(byte[] input, int position, byte value, boolean truncate) {
        if (input.length == 0) {
            return input;
        }
        int at = Math.floorMod(position, input.length);
        if (truncate) {
            return Arrays.copyOf(input, at);
        }
        byte[] out = input.clone();
        out[at] = value;
        return out;
    }

    /** Runs the decoder; success is fine, FormatException is fine, any other throwable fails the property. */
    private static <T> void rejectsCleanly(T input, Function<T, ?> decoder) {
        try {
            var unused = decoder.apply(input);
        } catch (FormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
