package dev.hyperj.p2p.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpcCodecTest {
    private final RpcCodec codec = new RpcCodec(RpcLimits.defaults());

    static Rpc fullRpc() {
        Rpc.Message m = new Rpc.Message(
                new byte[] {0, 36, 8, 1},
                "hello".getBytes(),
                new byte[] {0, 0, 0, 0, 0, 0, 0, 7},
                "topic-a",
                new byte[] {9, 9},
                new byte[] {8, 1, 18, 0});
        MessageId id1 = MessageId.of(new byte[] {1, 2, 3});
        MessageId id2 = MessageId.of(new byte[] {4});
        Rpc.Control c = new Rpc.Control(
                List.of(new Rpc.IHave("topic-a", List.of(id1, id2))),
                List.of(new Rpc.IWant(List.of(id2))),
                List.of(new Rpc.Graft("topic-b")),
                List.of(new Rpc.Prune(
                        "topic-c",
                        List.of(
                                new Rpc.PeerInfo(new byte[] {1, 2}, new byte[] {3}),
                                new Rpc.PeerInfo(new byte[] {5}, null)),
                        60)),
                List.of(new Rpc.IDontWant(List.of(id1))));
        return new Rpc(List.of(new Rpc.SubOpts(true, "topic-a"), new Rpc.SubOpts(false, "topic-b")), List.of(m), c);
    }

    @Test
    void roundTripsEveryField() {
        Rpc rpc = fullRpc();
        byte[] bytes = codec.encode(rpc);
        assertThat(RpcCodec.encodedSize(rpc)).isEqualTo(bytes.length);
        assertThat(codec.decode(bytes)).isEqualTo(rpc);
    }

    @Test
    void encodesFieldNumbersOfTheSpec() {
        // SubOpts{subscribe=1: true, topicid=2: "t"} inside RPC field 1.
        Rpc rpc = new Rpc(List.of(new Rpc.SubOpts(true, "t")), List.of(), Rpc.Control.EMPTY);
        assertThat(HexFormat.of().formatHex(codec.encode(rpc))).isEqualTo("0a050801120174");
        // Message{data=2: 0x01, topic=4: "t"} inside RPC field 2.
        Rpc pub = Rpc.ofMessages(List.of(new Rpc.Message(null, new byte[] {1}, null, "t", null, null)));
        assertThat(HexFormat.of().formatHex(codec.encode(pub))).isEqualTo("1206120101220174");
        // ControlMessage{idontwant=5: {messageIDs=1: 0xaa}} inside RPC field 3.
        Rpc idw = Rpc.ofControl(new Rpc.Control(
                List.of(), List.of(), List.of(), List.of(), List.of(new Rpc.IDontWant(List.of(MessageId.of(new byte[] {
                    (byte) 0xaa
                }))))));
        assertThat(HexFormat.of().formatHex(codec.encode(idw))).isEqualTo("1a052a030a01aa");
    }

    @Test
    void emptyRpcIsZeroBytes() {
        assertThat(codec.encode(Rpc.EMPTY)).isEmpty();
        assertThat(codec.decode(new byte[0])).isEqualTo(Rpc.EMPTY);
    }

    @Test
    void skipsUnknownFields() {
        byte[] known = codec.encode(fullRpc());
        // field 15 varint 1, field 14 bytes "x": a newer peer's extension.
        byte[] extra = HexFormat.of().parseHex("7801" + "720178");
        byte[] both = new byte[known.length + extra.length];
        System.arraycopy(extra, 0, both, 0, extra.length);
        System.arraycopy(known, 0, both, extra.length, known.length);
        assertThat(codec.decode(both)).isEqualTo(fullRpc());
    }

    @Test
    void rejectsOversizedRpcs() {
        RpcLimits small = new RpcLimits(100, 10, 10, 10, 10, 10, 64, 64);
        RpcCodec c = new RpcCodec(small);
        Rpc big = Rpc.ofMessages(List.of(new Rpc.Message(null, new byte[200], null, "t", null, null)));
        assertThatThrownBy(() -> c.encode(big)).isInstanceOf(GossipCodecException.class);
        assertThatThrownBy(() -> c.decode(codec.encode(big)))
                .isInstanceOf(GossipCodecException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void boundsCountsPerRpc() {
        RpcLimits small = new RpcLimits(1 << 20, 2, 2, 2, 3, 1, 64, 8);
        RpcCodec c = new RpcCodec(small);
        List<Rpc.Message> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) three.add(new Rpc.Message(null, new byte[] {(byte) i}, null, "t", null, null));
        assertThatThrownBy(() -> c.decode(codec.encode(Rpc.ofMessages(three))))
                .isInstanceOf(GossipCodecException.class)
                .hasMessageContaining("messages");
        List<MessageId> ids = List.of(
                MessageId.of(new byte[] {1}),
                MessageId.of(new byte[] {2}),
                MessageId.of(new byte[] {3}),
                MessageId.of(new byte[] {4}));
        Rpc manyIds =
                Rpc.ofControl(new Rpc.Control(List.of(), List.of(new Rpc.IWant(ids)), List.of(), List.of(), List.of()));
        assertThatThrownBy(() -> c.decode(codec.encode(manyIds))).hasMessageContaining("message ids");
        Rpc manyGrafts = Rpc.ofControl(new Rpc.Control(
                List.of(),
                List.of(),
                List.of(new Rpc.Graft("a"), new Rpc.Graft("b"), new Rpc.Graft("c")),
                List.of(),
                List.of()));
        assertThatThrownBy(() -> c.decode(codec.encode(manyGrafts))).hasMessageContaining("control entries");
        Rpc longId = Rpc.ofControl(new Rpc.Control(
                List.of(),
                List.of(new Rpc.IWant(List.of(MessageId.of(new byte[9])))),
                List.of(),
                List.of(),
                List.of()));
        assertThatThrownBy(() -> c.decode(codec.encode(longId))).hasMessageContaining("message id of 9 bytes");
    }

    @Test
    void rejectsWrongWireTypesAndMissingTopics() {
        // RPC field 2 (message) as a varint.
        assertThatThrownBy(() -> codec.decode(new byte[] {0x10, 0x01})).isInstanceOf(GossipCodecException.class);
        // Message without topic.
        assertThatThrownBy(() -> codec.decode(HexFormat.of().parseHex("1203120101")))
                .isInstanceOf(GossipCodecException.class)
                .hasMessageContaining("without topic");
        // Truncated length.
        assertThatThrownBy(() -> codec.decode(new byte[] {0x12, 0x05, 0x01})).isInstanceOf(GossipCodecException.class);
        // Invalid UTF-8 topic.
        assertThatThrownBy(() -> codec.decode(HexFormat.of().parseHex("0a041202c328")))
                .isInstanceOf(GossipCodecException.class);
    }

    @Test
    void framesAreReadOnlyWhenComplete() {
        byte[] framed = codec.encodeFramed(fullRpc());
        ByteBuffer partial = ByteBuffer.wrap(framed, 0, framed.length - 1).slice();
        assertThat(codec.readFrame(partial)).isNull();
        assertThat(partial.position()).isZero();
        ByteBuffer two =
                ByteBuffer.allocate(framed.length * 2).put(framed).put(framed).flip();
        assertThat(codec.decode(codec.readFrame(two))).isEqualTo(fullRpc());
        assertThat(codec.decode(codec.readFrame(two))).isEqualTo(fullRpc());
        assertThat(codec.readFrame(two)).isNull();
    }

    @Test
    void rejectsOversizedAndMalformedFrameLengths() {
        assertThatThrownBy(() ->
                        codec.readFrame(ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, 0x01})))
                .isInstanceOf(GossipCodecException.class)
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> codec.readFrame(ByteBuffer.wrap(
                        new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01})))
                .isInstanceOf(GossipCodecException.class);
        assertThatThrownBy(() -> codec.readFrame(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0x00})))
                .hasMessageContaining("non-minimal");
    }
}
