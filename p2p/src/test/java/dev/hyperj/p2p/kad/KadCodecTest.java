package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KadCodecTest {
    private final KadCodec codec = new KadCodec();

    @Test
    void encodesFindNodeAsTheProtobufSchemaSays() {
        // type=4 (field 1 varint), key=010203 (field 2 bytes): 08 04 12 03 01 02 03
        KadMessage m = KadMessage.request(KadMessage.Type.FIND_NODE, new byte[] {1, 2, 3});
        assertThat(HexFormat.of().formatHex(codec.encode(m))).isEqualTo("0804120301020" + "3");
        assertThat(HexFormat.of().formatHex(codec.encodeFrame(m))).isEqualTo("07" + "08041203010203");
    }

    @Test
    void encodesRecordAndPeersInTheirFields() {
        DhtRecord rec = new DhtRecord(new byte[] {9}, new byte[] {8}, "t");
        KadMessage.WirePeer peer =
                new KadMessage.WirePeer(new byte[] {7}, List.of(new byte[] {6}), KadMessage.Connection.CONNECTED);
        KadMessage m = new KadMessage(KadMessage.Type.PUT_VALUE, new byte[] {5}, rec, List.of(peer), List.of(peer), 0);
        // PUT_VALUE = 0 is the default: not written. key(2) record(3){1,2,5} closer(8){1,2,3} provider(9)
        assertThat(HexFormat.of().formatHex(codec.encode(m)))
                .isEqualTo("120105" + "1a09" + "0a0109" + "120108" + "2a0174" + "4208" + "0a0107" + "120106" + "1801"
                        + "4a08" + "0a0107" + "120106" + "1801");
    }

    @Test
    void readsUnknownFieldsAndOpenEnumsLikeProto3() {
        // type GET_VALUE, unknown field 15 (varint 1), peer with connection 9 (unknown -> NOT_CONNECTED)
        byte[] body = HexFormat.of().parseHex("0801" + "7801" + "4205" + "0a0101" + "1809");
        KadMessage m = codec.decode(body);
        assertThat(m.type()).isEqualTo(KadMessage.Type.GET_VALUE);
        assertThat(m.closerPeers())
                .singleElement()
                .satisfies(p -> assertThat(p.connection()).isEqualTo(KadMessage.Connection.NOT_CONNECTED));
    }

    @Test
    void rejectsUnknownMessageType() {
        assertThatThrownBy(() -> codec.decode(HexFormat.of().parseHex("0809")))
                .isInstanceOf(KadProtocolException.class)
                .hasMessageContaining("type 9");
    }

    @Test
    void rejectsOversizedFramesFromTheLengthPrefixAlone() {
        KadCodec small = new KadCodec(new KadCodec.Limits(100, 1024, 256, 64, 512, 128));
        byte[] prefixOnly = KadCodec.varint(101);
        assertThatThrownBy(() -> small.readLengthPrefix(prefixOnly, 0, prefixOnly.length))
                .isInstanceOf(KadProtocolException.class)
                .hasMessageContaining("exceeds");
        // a 4 GiB claim in a 5-byte prefix, default limits
        byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
        assertThatThrownBy(() -> codec.readLengthPrefix(huge, 0, huge.length)).isInstanceOf(KadProtocolException.class);
        assertThat(codec.readLengthPrefix(new byte[] {(byte) 0x80}, 0, 1))
                .as("needs more bytes")
                .isNull();
    }

    @Test
    void refusesToEncodeBeyondTheLimit() {
        KadCodec small = new KadCodec(new KadCodec.Limits(16, 1024, 256, 64, 512, 128));
        KadMessage m = KadMessage.request(KadMessage.Type.GET_VALUE, new byte[64]);
        assertThatThrownBy(() -> small.encodeFrame(m)).isInstanceOf(KadProtocolException.class);
    }

    @Test
    void enforcesListAndFieldBounds() {
        KadCodec strict = new KadCodec(new KadCodec.Limits(1 << 20, 8, 2, 1, 4, 4));
        KadMessage.WirePeer ok =
                new KadMessage.WirePeer(new byte[] {1}, List.of(new byte[] {1}), KadMessage.Connection.NOT_CONNECTED);
        KadMessage threePeers =
                new KadMessage(KadMessage.Type.FIND_NODE, new byte[] {1}, null, List.of(ok, ok, ok), List.of(), 0);
        assertThatThrownBy(() -> strict.decode(codec.encode(threePeers)))
                .isInstanceOf(KadProtocolException.class)
                .hasMessageContaining("closerPeers");
        KadMessage.WirePeer twoAddrs = new KadMessage.WirePeer(
                new byte[] {1}, List.of(new byte[] {1}, new byte[] {2}), KadMessage.Connection.NOT_CONNECTED);
        assertThatThrownBy(() -> strict.decode(codec.encode(
                        new KadMessage(KadMessage.Type.FIND_NODE, new byte[0], null, List.of(twoAddrs), List.of(), 0))))
                .isInstanceOf(KadProtocolException.class)
                .hasMessageContaining("addresses");
        KadMessage.WirePeer longId =
                new KadMessage.WirePeer(new byte[5], List.of(), KadMessage.Connection.NOT_CONNECTED);
        assertThatThrownBy(() -> strict.decode(codec.encode(
                        new KadMessage(KadMessage.Type.FIND_NODE, new byte[0], null, List.of(), List.of(longId), 0))))
                .isInstanceOf(KadProtocolException.class)
                .hasMessageContaining("peer id");
        assertThatThrownBy(
                        () -> strict.decode(codec.encode(KadMessage.request(KadMessage.Type.GET_VALUE, new byte[9]))))
                .isInstanceOf(KadProtocolException.class)
                .hasMessageContaining("key");
    }

    @Test
    void rejectsFrameWhoseLengthDisagreesWithItsBody() {
        byte[] frame = codec.encodeFrame(KadMessage.request(KadMessage.Type.PING, new byte[0]));
        byte[] longer = java.util.Arrays.copyOf(frame, frame.length + 1);
        assertThatThrownBy(() -> codec.decodeFrame(longer)).isInstanceOf(KadProtocolException.class);
        byte[] nonMinimal = {(byte) 0x80, 0x00};
        assertThatThrownBy(() -> codec.decodeFrame(nonMinimal)).isInstanceOf(KadProtocolException.class);
    }

    @Property(tries = 300)
    void roundTrips(@ForAll("messages") KadMessage m) {
        assertThat(codec.decode(codec.encode(m))).isEqualTo(m);
        assertThat(codec.decodeFrame(codec.encodeFrame(m))).isEqualTo(m);
    }

    @Property(tries = 500)
    void mutatedFramesOnlyRaiseTheCodecsException(
            @ForAll("messages") KadMessage m,
            @ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll byte replacement,
            @ForAll @IntRange(min = 0, max = 2) int mutation) {
        byte[] frame = codec.encodeFrame(m);
        byte[] mutated;
        int at = position % frame.length;
        switch (mutation) {
            case 0 -> {
                mutated = frame.clone();
                mutated[at] = replacement;
            }
            case 1 -> mutated = java.util.Arrays.copyOf(frame, at); // truncated
            default -> {
                mutated = new byte[frame.length + 1]; // inserted byte
                System.arraycopy(frame, 0, mutated, 0, at);
                mutated[at] = replacement;
                System.arraycopy(frame, at, mutated, at + 1, frame.length - at);
            }
        }
        try {
            codec.decodeFrame(mutated);
        } catch (KadProtocolException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 500)
    void randomBytesOnlyRaiseTheCodecsException(@ForAll byte[] junk) {
        try {
            codec.decode(junk);
        } catch (KadProtocolException expected) {
            // fine
        }
        try {
            codec.decodeFrame(junk);
        } catch (KadProtocolException expected) {
            // fine
        }
    }

    @Provide
    Arbitrary<KadMessage> messages() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<DhtRecord> record = Combinators.combine(
                        small,
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40))
                .as(DhtRecord::new);
        Arbitrary<KadMessage.WirePeer> peer = Combinators.combine(
                        small, small.list().ofMaxSize(4), Arbitraries.of(KadMessage.Connection.class))
                .as(KadMessage.WirePeer::new);
        return Combinators.combine(
                        Arbitraries.of(KadMessage.Type.class),
                        small,
                        record.injectNull(0.4),
                        peer.list().ofMaxSize(5),
                        peer.list().ofMaxSize(3),
                        Arbitraries.integers())
                .as((t, k, r, c, p, l) -> new KadMessage(t, k, r, new ArrayList<>(c), new ArrayList<>(p), l));
    }
}
