package dev.hyperj.bench.noise;

import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.noise.Noise;
import dev.hyperj.p2p.noise.SecureSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;

/** Two in-memory channels running the real Noise handlers against each other, bytes shuttled by hand. */
final class NoisePair {
    /** Counts (and releases) plaintext reaching the application; remembers the session. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        SecureSession session;
        long bytes;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SecureSession s) {
                session = s;
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            bytes += buf.readableBytes();
            buf.release();
        }
    }

    final EmbeddedChannel initiator;
    final EmbeddedChannel responder;
    final Sink initiatorSink = new Sink();
    final Sink responderSink = new Sink();

    NoisePair(PrivateKey initiatorKey, PrivateKey responderKey) {
        initiator = new EmbeddedChannel(Noise.handler(initiatorKey, true, null, Duration.ofSeconds(10)), initiatorSink);
        responder =
                new EmbeddedChannel(Noise.handler(responderKey, false, null, Duration.ofSeconds(10)), responderSink);
    }

    /** Runs the three handshake messages; returns the responder's session. */
    SecureSession handshake() {
        shuttle(initiator, responder); // -> e
        shuttle(responder, initiator); // <- e, ee, s, es
        shuttle(initiator, responder); // -> s, se
        if (initiatorSink.session == null || responderSink.session == null) {
            throw new IllegalStateException("handshake did not complete");
        }
        return responderSink.session;
    }

    /** Moves everything {@code from} wrote into {@code to}'s inbound side. */
    static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        for (Object msg; (msg = from.readOutbound()) != null; ) {
            to.writeInbound(msg);
        }
    }

    void close() {
        initiator.finishAndReleaseAll();
        responder.finishAndReleaseAll();
    }
}
