package dev.hyperj.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The handshake handler on in-memory channels, where message boundaries and time are under test control. */
class NoiseHandshakeHandlerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final PrivateKey ALICE = Keys.generate(KeyType.ED25519);
    private static final PrivateKey BOB = Keys.generate(KeyType.SECP256K1);

    /** Everything that reaches the application, in order. */
    static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            seen.add(new String(bytes));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }

        SecureSession session() {
            return seen.stream()
                    .filter(SecureSession.class::isInstance)
                    .map(SecureSession.class::cast)
                    .findFirst()
                    .orElse(null);
        }
    }

    static byte[] drain(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            buf.release();
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    static void deliver(EmbeddedChannel to, byte[] bytes) {
        if (bytes.length > 0 && to.isOpen()) {
            to.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
    }

    @Test
    void bytesBehindTheLastHandshakeMessageReachTheApplicationAfterTheSessionEvent() {
        Events initiatorEvents = new Events();
        Events responderEvents = new Events();
        EmbeddedChannel initiator = new EmbeddedChannel(
                Noise.handler(ALICE, true, PeerId.fromPublicKey(BOB.publicKey()), TIMEOUT), initiatorEvents);
        EmbeddedChannel responder = new EmbeddedChannel();
        responder
                .pipeline()
                .addLast("noise", Noise.handler(BOB, false, null, TIMEOUT))
                .addLast(responderEvents);

        deliver(responder, drain(initiator)); // -> e
        deliver(initiator, drain(responder)); // <- e, ee, s, es
        assertThat(initiatorEvents.session()).isNotNull();
        initiator.writeAndFlush(Unpooled.wrappedBuffer("early".getBytes()));
        byte[] msg3AndData = drain(initiator);
        deliver(responder, msg3AndData); // -> s, se and a transport frame, in one read

        assertThat(responderEvents.seen).hasSize(2);
        assertThat(responderEvents.seen.get(0)).isInstanceOf(SecureSession.class);
        assertThat(responderEvents.seen.get(1)).isEqualTo("early");
        assertThat(responderEvents.session().remotePeer()).isEqualTo(PeerId.fromPublicKey(ALICE.publicKey()));
        assertThat(responder.pipeline().get("noise")).isInstanceOf(NoiseTransportCodec.class);
        assertThat(responderEvents.errors).isEmpty();
        assertThat(initiator.finishAndReleaseAll()).isFalse();
        assertThat(responder.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aPayloadWithAnUndecodableIdentityKeyIsRejected() {
        LocalIdentity honest = LocalIdentity.create(BOB);
        LocalIdentity broken = new LocalIdentity(
                honest.staticKey(),
                new byte[] {8, 9, 18, 1, 0},
                honest.signature(),
                honest.publicKey(),
                honest.peerId());
        Events initiatorEvents = new Events();
        EmbeddedChannel initiator = new EmbeddedChannel(Noise.handler(ALICE, true, null, TIMEOUT), initiatorEvents);
        Events responderEvents = new Events();
        EmbeddedChannel responder = new EmbeddedChannel(
                new NoiseHandshakeHandler(broken, false, null, TIMEOUT, List.of()), responderEvents);
        deliver(responder, drain(initiator));
        deliver(initiator, drain(responder));
        assertThat(initiatorEvents.errors)
                .singleElement()
                .isInstanceOf(NoiseException.class)
                .extracting(Throwable::getMessage)
                .asString()
                .contains("bad identity key");
        assertThat(initiator.isOpen()).isFalse();
        assertThat(responderEvents.session()).isNull();
        initiator.finishAndReleaseAll();
        responder.finishAndReleaseAll();
    }

    /** Runs a handshake between handlers offering the given muxer lists; returns both channels. */
    static EmbeddedChannel[] handshake(
            List<String> initiatorMuxers, List<String> responderMuxers, Events ie, Events re) {
        EmbeddedChannel initiator = new EmbeddedChannel(Noise.handler(ALICE, true, null, TIMEOUT, initiatorMuxers), ie);
        EmbeddedChannel responder = new EmbeddedChannel(Noise.handler(BOB, false, null, TIMEOUT, responderMuxers), re);
        deliver(responder, drain(initiator));
        deliver(initiator, drain(responder));
        deliver(responder, drain(initiator));
        return new EmbeddedChannel[] {initiator, responder};
    }

    @Test
    void inlinedMuxerNegotiationPicksTheInitiatorsFirstCommonChoice() {
        Events ie = new Events();
        Events re = new Events();
        EmbeddedChannel[] ch = handshake(
                List.of("/yamux/1.0.0", "/mplex/6.7.0"), List.of("/other/1", "/mplex/6.7.0", "/yamux/1.0.0"), ie, re);
        assertThat(ie.session()).isNotNull();
        assertThat(re.session()).isNotNull();
        assertThat(Noise.earlyMuxer(ch[0])).contains("/yamux/1.0.0");
        assertThat(Noise.earlyMuxer(ch[1])).contains("/yamux/1.0.0");
        ch[0].finishAndReleaseAll();
        ch[1].finishAndReleaseAll();
    }

    @Test
    void withoutMuxersOnBothSidesTheMuxerIsLeftToMultistream() {
        for (List<List<String>> lists : List.of(
                List.of(List.<String>of(), List.of("/yamux/1.0.0")),
                List.of(List.of("/yamux/1.0.0"), List.<String>of()))) {
            Events ie = new Events();
            Events re = new Events();
            EmbeddedChannel[] ch = handshake(lists.get(0), lists.get(1), ie, re);
            assertThat(ie.session()).isNotNull();
            assertThat(re.session()).isNotNull();
            assertThat(Noise.earlyMuxer(ch[0])).isEmpty();
            assertThat(Noise.earlyMuxer(ch[1])).isEmpty();
            ch[0].finishAndReleaseAll();
            ch[1].finishAndReleaseAll();
        }
    }

    @Test
    void noCommonMuxerFailsTheHandshake() {
        Events ie = new Events();
        Events re = new Events();
        EmbeddedChannel[] ch = handshake(List.of("/yamux/1.0.0"), List.of("/mplex/6.7.0"), ie, re);
        assertThat(ie.errors)
                .singleElement()
                .isInstanceOf(NoiseException.class)
                .extracting(Throwable::getMessage)
                .asString()
                .contains("no common stream muxer");
        assertThat(ie.session()).isNull();
        assertThat(re.session()).isNull(); // the initiator gave up before sending message 3
        assertThat(ch[0].isOpen()).isFalse();
        ch[0].finishAndReleaseAll();
        ch[1].finishAndReleaseAll();
    }

    @Test
    void advertisedStreamMuxersTravelInTheExtensions() throws Exception {
        byte[] encoded = LocalIdentity.of(ALICE).payload(List.of("/yamux/1.0.0", "/mplex/6.7.0"));
        HandshakePayload decoded = HandshakePayload.decode(encoded);
        assertThat(decoded.streamMuxers()).containsExactly("/yamux/1.0.0", "/mplex/6.7.0");
        assertThat(decoded.identityKey()).isEqualTo(ALICE.publicKey().marshal());
        assertThat(ALICE.publicKey()
                        .verify(
                                LocalIdentity.signedData(
                                        LocalIdentity.of(ALICE).staticKey().publicKey()),
                                decoded.identitySignature()))
                .isTrue();
    }

    /**
     * Hostile bytes in place of any one handshake message, delivered in one read or byte by byte:
     * the only exception ever raised is NoiseException, a tampered message never yields a session,
     * and once the handshake timeout passes the channel is closed (nothing waits forever).
     */
    @Property(tries = 300)
    void hostileHandshakeMessagesOnlyEverProduceNoiseException(
            @ForAll @IntRange(min = 0, max = 2) int target,
            @ForAll @IntRange(min = 0, max = 4) int mutation,
            @ForAll @Size(max = 300) byte[] noise,
            @ForAll @IntRange(max = 100_000) int where,
            @ForAll boolean byteByByte) {
        Events initiatorEvents = new Events();
        Events responderEvents = new Events();
        EmbeddedChannel initiator = new EmbeddedChannel(Noise.handler(ALICE, true, null, TIMEOUT), initiatorEvents);
        EmbeddedChannel responder = new EmbeddedChannel(Noise.handler(BOB, false, null, TIMEOUT), responderEvents);
        EmbeddedChannel[] receivers = {responder, initiator, responder};
        EmbeddedChannel[] senders = {initiator, responder, initiator};
        boolean tampered = false;
        for (int m = 0; m < 3; m++) {
            byte[] wire = drain(senders[m]);
            if (m == target) {
                byte[] bad = mutate(wire, mutation, noise, where);
                tampered = !Arrays.equals(bad, wire);
                wire = bad;
            }
            if (byteByByte) {
                for (byte b : wire) {
                    deliver(receivers[m], new byte[] {b});
                }
            } else {
                deliver(receivers[m], wire);
            }
            if (!receivers[m].isOpen() || tampered) {
                break;
            }
        }
        for (EmbeddedChannel ch : List.of(initiator, responder)) {
            ch.advanceTimeBy(TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
        }
        for (Events events : List.of(initiatorEvents, responderEvents)) {
            assertThat(events.errors).allMatch(NoiseException.class::isInstance);
        }
        for (int i = 0; i < 2; i++) {
            EmbeddedChannel ch = i == 0 ? initiator : responder;
            Events events = i == 0 ? initiatorEvents : responderEvents;
            assertThat(events.session() != null || !ch.isOpen())
                    .as("handshake neither done nor closed")
                    .isTrue();
        }
        if (tampered && target > 0) {
            // Messages 2 and 3 are authenticated: tampering must never produce a session on the reader.
            assertThat((target == 1 ? initiatorEvents : responderEvents).session())
                    .isNull();
        }
        initiator.finishAndReleaseAll();
        responder.finishAndReleaseAll();
    }

    private static byte[] mutate(byte[] wire, int mutation, byte[] noise, int where) {
        return switch (mutation) {
            case 0 -> Arrays.copyOf(wire, where % (wire.length + 1));
            case 1 -> {
                byte[] copy = wire.clone();
                copy[where % copy.length] ^= (byte) (1 << (where % 8));
                yield copy;
            }
            case 2 -> noise; // raw garbage, framing included
            case 3 -> { // well framed garbage
                byte[] framed = new byte[noise.length + 2];
                framed[0] = (byte) (noise.length >> 8);
                framed[1] = (byte) noise.length;
                System.arraycopy(noise, 0, framed, 2, noise.length);
                yield framed;
            }
            default -> { // the honest message with bytes spliced into its body, length adjusted
                byte[] body = Arrays.copyOfRange(wire, 2, wire.length);
                int at = where % (body.length + 1);
                byte[] spliced = new byte[body.length + noise.length + 2];
                System.arraycopy(body, 0, spliced, 2, at);
                System.arraycopy(noise, 0, spliced, 2 + at, noise.length);
                System.arraycopy(body, at, spliced, 2 + at + noise.length, body.length - at);
                int len = Math.min(spliced.length - 2, 65535);
                spliced[0] = (byte) (len >> 8);
                spliced[1] = (byte) len;
                yield spliced;
            }
        };
    }
}
