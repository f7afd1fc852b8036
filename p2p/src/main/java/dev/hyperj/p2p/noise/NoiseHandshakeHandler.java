package dev.hyperj.p2p.noise;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the libp2p Noise XX handshake on a fresh connection, then replaces itself with the
 * {@link NoiseTransportCodec} and fires a {@link SecureSession}. Handshake messages are framed with a
 * 2-byte big-endian length like transport messages; the initiator's first message carries no
 * payload, the responder's message 2 and the initiator's message 3 carry the signed identity payload.
 * Bytes that follow the last handshake message in the same read are handed to the codec.
 */
final class NoiseHandshakeHandler extends DuplexDecoder {
    private static final Logger log = LoggerFactory.getLogger(NoiseHandshakeHandler.class);
    private static final byte[] EMPTY = new byte[0];

    private final LocalIdentity local;
    private final boolean initiator;
    private final PeerId expectedRemote;
    private final Duration timeout;
    private final List<String> streamMuxers;
    private final HandshakeState state;
    private ScheduledFuture<?> timeoutTask;
    private boolean started;
    private boolean done;
    private boolean failed;

    NoiseHandshakeHandler(
            LocalIdentity local,
            boolean initiator,
            PeerId expectedRemote,
            Duration timeout,
            List<String> streamMuxers) {
        this.local = local;
        this.initiator = initiator;
        this.expectedRemote = expectedRemote;
        this.timeout = timeout;
        this.streamMuxers = List.copyOf(streamMuxers);
        // libp2p uses an empty prologue.
        this.state = new HandshakeState(
                initiator, EMPTY, local.staticKey(), () -> X25519KeyPair.generate(LocalIdentity.RANDOM));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeoutTask = ctx.executor()
                .schedule(
                        () -> fail(ctx, new NoiseException("handshake timed out after " + timeout.toMillis() + " ms")),
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started || failed) {
            return;
        }
        started = true;
        if (initiator) {
            try {
                send(ctx, state.writeMessage(EMPTY)); // -> e
            } catch (NoiseException | RuntimeException e) {
                fail(ctx, e);
            }
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!done && !failed && in.readableBytes() >= NoiseTransportCodec.LENGTH_PREFIX) {
            int length = in.getUnsignedShort(in.readerIndex());
            if (in.readableBytes() < NoiseTransportCodec.LENGTH_PREFIX + length) {
                return; // at most one 65537-byte frame is ever buffered
            }
            in.skipBytes(NoiseTransportCodec.LENGTH_PREFIX);
            byte[] message = new byte[length];
            in.readBytes(message);
            try {
                onMessage(ctx, message);
            } catch (NoiseException | RuntimeException e) {
                fail(ctx, e);
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    private void onMessage(ChannelHandlerContext ctx, byte[] message) throws NoiseException {
        if (!started || state.isWriteTurn()) {
            throw new NoiseException("unexpected handshake message while it is our turn to send");
        }
        byte[] payload = state.readMessage(message);
        if (!initiator && !state.isComplete()) {
            // <- e, ee, s, es: our identity travels in the first message that has forward secrecy.
            send(ctx, state.writeMessage(local.payload(streamMuxers)));
            return;
        }
        RemoteIdentity remote = verify(payload, state.remoteStaticKey());
        String muxer = earlyMuxer(remote.streamMuxers());
        if (initiator) {
            send(ctx, state.writeMessage(local.payload(streamMuxers))); // -> s, se
        }
        complete(ctx, remote, muxer);
    }

    private record RemoteIdentity(PublicKey key, PeerId peerId, List<String> streamMuxers) {}

    /**
     * Inlined muxer negotiation (libp2p/specs connections/inlined-muxer-negotiation.md): when both
     * sides listed muxers, the first of the initiator's list that both support wins, and no overlap
     * fails the handshake. If either list is empty the muxer is negotiated as usual (null).
     */
    private String earlyMuxer(List<String> remoteMuxers) throws NoiseException {
        if (streamMuxers.isEmpty() || remoteMuxers.isEmpty()) {
            return null;
        }
        List<String> initiatorList = initiator ? streamMuxers : remoteMuxers;
        List<String> responderList = initiator ? remoteMuxers : streamMuxers;
        for (String muxer : initiatorList) {
            if (responderList.contains(muxer)) {
                return muxer;
            }
        }
        throw new NoiseException("no common stream muxer: we offer " + streamMuxers + ", the remote " + remoteMuxers);
    }

    private RemoteIdentity verify(byte[] payloadBytes, byte[] remoteStatic) throws NoiseException {
        HandshakePayload payload = HandshakePayload.decode(payloadBytes);
        if (payload.identityKey() == null || payload.identitySignature() == null) {
            throw new NoiseException("handshake payload lacks the identity key or its signature");
        }
        PublicKey key;
        try {
            key = Keys.unmarshalPublicKey(payload.identityKey());
        } catch (RuntimeException e) { // KeyFormatException, or anything a hostile key trips over
            throw new NoiseException("bad identity key in handshake payload: " + e.getMessage(), e);
        }
        boolean valid;
        try {
            valid = key.verify(LocalIdentity.signedData(remoteStatic), payload.identitySignature());
        } catch (RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new NoiseException("identity signature over the static Noise key does not verify");
        }
        PeerId peerId = PeerId.fromPublicKey(key);
        if (expectedRemote != null && !expectedRemote.equals(peerId)) {
            throw new NoiseException("peer id mismatch: dialed " + expectedRemote + " but the remote is " + peerId);
        }
        return new RemoteIdentity(key, peerId, payload.streamMuxers());
    }

    private void complete(ChannelHandlerContext ctx, RemoteIdentity remote, String muxer) {
        done = true;
        cancelTimeout();
        if (muxer != null) {
            ctx.channel().attr(Noise.EARLY_MUXER).set(muxer);
        }
        HandshakeState.TransportKeys keys = state.split();
        ctx.pipeline().replace(this, ctx.name(), new NoiseTransportCodec(keys.sender(), keys.receiver()));
        log.debug("Noise session with {} on {} established", remote.peerId(), ctx.channel());
        // Fired through our old context, whose next handler is now the codec; leftover bytes of
        // this read follow once ByteToMessageDecoder finishes our removal.
        ctx.fireUserEventTriggered(new SecureSession(remote.peerId(), remote.key(), local.peerId(), initiator));
    }

    private void send(ChannelHandlerContext ctx, byte[] message) {
        ByteBuf frame = ctx.alloc().buffer(NoiseTransportCodec.LENGTH_PREFIX + message.length);
        frame.writeShort(message.length).writeBytes(message);
        ctx.writeAndFlush(frame).addListener(f -> {
            if (!f.isSuccess() && ctx.channel().isOpen()) {
                fail(ctx, f.cause());
            }
        });
    }

    /** Writes from handlers behind us before the session exists would leave in clear: refuse them. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
        promise.setFailure(new IllegalStateException("write before the Noise handshake completed"));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!done && !failed) {
            failed = true;
            cancelTimeout();
            log.debug("Noise handshake on {} failed: connection closed during the handshake", ctx.channel());
            ctx.fireExceptionCaught(new NoiseException("connection closed during the Noise handshake"));
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        NoiseException error =
                cause instanceof NoiseException n ? n : new NoiseException("handshake failed: " + cause, cause);
        if (failed || done) {
            return;
        }
        failed = true;
        cancelTimeout();
        log.debug("Noise handshake on {} failed: {}", ctx.channel(), error.getMessage());
        ctx.fireExceptionCaught(error);
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
            timeoutTask = null;
        }
    }
}
