package dev.hyperj.p2p.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RpcCodecPropertiesTest {
    private final RpcCodec codec = new RpcCodec(RpcLimits.defaults());

    @Property(tries = 300)
    void roundTrips(@ForAll("rpcs") Rpc rpc) {
        byte[] bytes = codec.encode(rpc);
        assertThat(RpcCodec.encodedSize(rpc)).isEqualTo(bytes.length);
        assertThat(codec.decode(bytes)).isEqualTo(rpc);
    }

    @Property(tries = 300)
    void framedRoundTripsAcrossAnySplit(@ForAll("rpcs") Rpc rpc, @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] framed = codec.encodeFramed(rpc);
        int at = cut % (framed.length + 1);
        ByteBuffer buf = ByteBuffer.allocate(framed.length);
        buf.put(framed, 0, at).flip();
        byte[] first = codec.readFrame(buf);
        if (at < framed.length) {
            assertThat(first).isNull();
            buf.compact().put(framed, at, framed.length - at).flip();
            first = codec.readFrame(buf);
        }
        assertThat(codec.decode(first)).isEqualTo(rpc);
    }

    @Property(tries = 1000)
    void mutatedBytesOnlyRaiseTheCodecException(@ForAll("rpcs") Rpc rpc, @ForAll long seed) {
        byte[] bytes = codec.encode(rpc);
        Random r = new Random(seed);
        int mutations = 1 + r.nextInt(4);
        for (int i = 0; i < mutations && bytes.length > 0; i++) {
            switch (r.nextInt(3)) {
                case 0 -> bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
                case 1 -> bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
                default -> bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8));
            }
        }
        decodeExpectingOnlyCodecErrors(bytes);
    }

    @Property(tries = 1000)
    void randomBytesOnlyRaiseTheCodecException(@ForAll byte[] bytes) {
        decodeExpectingOnlyCodecErrors(bytes);
        try {
            codec.readFrame(ByteBuffer.wrap(bytes));
        } catch (GossipCodecException expected) {
            // the only acceptable failure
        }
    }

    private void decodeExpectingOnlyCodecErrors(byte[] bytes) {
        try {
            Rpc decoded = codec.decode(bytes);
            // Whatever decodes must re-encode within limits and decode to the same value.
            assertThat(codec.decode(codec.encode(decoded))).isEqualTo(decoded);
        } catch (GossipCodecException expected) {
            // the only acceptable failure
        }
    }

    @Provide
    Arbitrary<Rpc> rpcs() {
        Arbitrary<String> topics = Arbitraries.strings().ofMinLength(0).ofMaxLength(20);
        Arbitrary<byte[]> optBytes =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.3);
        Arbitrary<MessageId> ids = Arbitraries.bytes()
                .array(byte[].class)
                .ofMinSize(0)
                .ofMaxSize(48)
                .map(MessageId::of);
        Arbitrary<Rpc.SubOpts> subs =
                Combinators.combine(Arbitraries.of(true, false), topics).as(Rpc.SubOpts::new);
        Arbitrary<Rpc.Message> msgs = Combinators.combine(optBytes, optBytes, optBytes, topics, optBytes, optBytes)
                .as(Rpc.Message::new);
        Arbitrary<Rpc.IHave> ihave =
                Combinators.combine(topics, ids.list().ofMaxSize(5)).as(Rpc.IHave::new);
        Arbitrary<Rpc.IWant> iwant = ids.list().ofMaxSize(5).map(Rpc.IWant::new);
        Arbitrary<Rpc.Graft> graft = topics.map(Rpc.Graft::new);
        Arbitrary<Rpc.PeerInfo> info = Combinators.combine(optBytes, optBytes).as(Rpc.PeerInfo::new);
        Arbitrary<Rpc.Prune> prune = Combinators.combine(
                        topics, info.list().ofMaxSize(3), Arbitraries.longs().between(0, 86_400))
                .as(Rpc.Prune::new);
        Arbitrary<Rpc.IDontWant> idw = ids.list().ofMaxSize(5).map(Rpc.IDontWant::new);
        Arbitrary<Rpc.Control> control = Combinators.combine(
                        ihave.list().ofMaxSize(3),
                        iwant.list().ofMaxSize(3),
                        graft.list().ofMaxSize(3),
                        prune.list().ofMaxSize(3),
                        idw.list().ofMaxSize(3))
                .as(Rpc.Control::new);
        return Combinators.combine(subs.list().ofMaxSize(4), msgs.list().ofMaxSize(4), control)
                .as(Rpc::new);
    }
}
