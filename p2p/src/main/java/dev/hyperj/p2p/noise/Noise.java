package dev.hyperj.p2p.noise;

import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * libp2p's Noise secure channel ({@code Noise_XX_25519_ChaChaPoly_SHA256} with the signed identity
 * payload of libp2p/specs noise/README.md) as a Netty handler.
 *
 * <p>Add {@link #handler} to a connection's pipeline once multistream-select has chosen
 * {@link #PROTOCOL_ID} (or {@link #POS_PROTOCOL_ID}). It runs the handshake, verifies the remote's
 * identity, replaces itself with the transport codec and fires a {@link SecureSession} user event.
 * From then on, handlers after it read and write plaintext ByteBufs: inbound, one ByteBuf per Noise
 * frame; outbound, ByteBufs of any size, cut into frames of at most {@link #MAX_PLAINTEXT_FRAME}
 * bytes. Any failure (bad signature, peer id mismatch, malformed message, timeout, a frame that does
 * not decrypt) is logged at debug level, fired as a {@link NoiseException} through
 * {@code exceptionCaught}, and closes the channel. Writes issued before the session exists fail.
 */
public final class Noise {
    /** The multistream-select protocol id of libp2p Noise. */
    public static final String PROTOCOL_ID = "/noise";
    /** The same handshake under the id Hypertensor's Python template offers. */
    public static final String POS_PROTOCOL_ID = "/pos-transport/1.0.0";

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Largest plaintext one Noise transport message carries: 65535 minus the 16-byte tag. */
    public static final int MAX_PLAINTEXT_FRAME = NoiseTransportCodec.MAX_PLAINTEXT;

    static final AttributeKey<String> EARLY_MUXER = AttributeKey.valueOf(Noise.class, "earlyMuxer");

    private Noise() {}

    /**
     * The stream muxer the Noise handshake on {@code channel} agreed on (see
     * {@link #handler(PrivateKey, boolean, PeerId, Duration, List)}), once {@link SecureSession} was fired;
     * empty when it is to be negotiated with multistream-select.
     */
    public static Optional<String> earlyMuxer(Channel channel) {
        return Optional.ofNullable(channel.attr(EARLY_MUXER).get());
    }

    /**
     * A handler for one connection.
     *
     * @param identity         this node's libp2p identity key, which signs its Noise static key
     * @param initiator        true on the dialing side
     * @param expectedRemote   the peer id the dialer expects (from {@code /p2p/...}), or null to accept any
     * @param handshakeTimeout how long the whole handshake may take before the connection is dropped
     */
    public static ChannelHandler handler(
            PrivateKey identity, boolean initiator, PeerId expectedRemote, Duration handshakeTimeout) {
        return handler(identity, initiator, expectedRemote, handshakeTimeout, List.of());
    }

    /** {@link #handler(PrivateKey, boolean, PeerId, Duration)} with the default 10 s handshake timeout. */
    public static ChannelHandler handler(PrivateKey identity, boolean initiator, PeerId expectedRemote) {
        return handler(identity, initiator, expectedRemote, DEFAULT_HANDSHAKE_TIMEOUT, List.of());
    }

    /**
     * As {@link #handler(PrivateKey, boolean, PeerId, Duration)}, also offering inlined muxer
     * negotiation: {@code streamMuxers} (e.g. "/yamux/1.0.0"), in order of preference, go into the
     * payload's NoiseExtensions. When the remote lists muxers too, the first of the initiator's list
     * that both support is chosen and {@link #earlyMuxer(Channel)} returns it: the caller must then
     * install that muxer directly, without multistream-select, because the remote does the same
     * (js-libp2p and go-libp2p do). No common muxer fails the handshake. If the remote lists none,
     * {@code earlyMuxer} is empty and the muxer is negotiated with multistream-select as usual.
     * An empty {@code streamMuxers} never changes the upgrade: whatever the remote lists is ignored.
     */
    public static ChannelHandler handler(
            PrivateKey identity,
            boolean initiator,
            PeerId expectedRemote,
            Duration handshakeTimeout,
            List<String> streamMuxers) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + handshakeTimeout);
        }
        return new NoiseHandshakeHandler(
                LocalIdentity.of(identity), initiator, expectedRemote, handshakeTimeout, streamMuxers);
    }
}
