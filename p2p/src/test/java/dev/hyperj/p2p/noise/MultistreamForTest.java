package dev.hyperj.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Just enough multistream-select 1.0 (one protocol, "/noise" unless told otherwise, both roles) to put Noise on a raw TCP
 * connection to js-libp2p; the real implementation belongs to the host. Each message is a one-byte
 * varint length followed by the text and a newline. Once agreed, replaces itself with the Noise
 * handler; bytes already received behind the negotiation go to it.
 */
final class MultistreamForTest extends ByteToMessageDecoder {
    private static final String HEADER = "/multistream/1.0.0\n";

    private final boolean dialer;
    private final String protocol;
    private final Supplier<ChannelHandler> noise;
    private int received;

    MultistreamForTest(boolean dialer, Supplier<ChannelHandler> noise) {
        this(dialer, Noise.PROTOCOL_ID, noise);
    }

    /** Negotiates {@code protocolId} (e.g. {@link Noise#POS_PROTOCOL_ID}) instead of /noise. */
    MultistreamForTest(boolean dialer, String protocolId, Supplier<ChannelHandler> noise) {
        this.dialer = dialer;
        this.protocol = protocolId + "\n";
        this.noise = noise;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (dialer) {
            send(ctx, HEADER);
            send(ctx, protocol);
        }
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 1 && !ctx.isRemoved()) {
            int length = in.getUnsignedByte(in.readerIndex());
            if (length >= 0x80) {
                throw new IllegalStateException("multistream message longer than this test helper handles");
            }
            if (in.readableBytes() < 1 + length) {
                return;
            }
            in.skipBytes(1);
            String message = in.readCharSequence(length, StandardCharsets.UTF_8).toString();
            String expected = received == 0 ? HEADER : protocol;
            if (!message.equals(expected)) {
                throw new IllegalStateException(
                        "multistream: expected " + expected.strip() + ", got " + message.strip());
            }
            received++;
            if (!dialer) {
                send(ctx, message); // echo the header, then accept /noise
            }
            if (received == 2) {
                ctx.pipeline().replace(this, "noise", noise.get());
            }
        }
    }

    private static void send(ChannelHandlerContext ctx, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        ctx.writeAndFlush(
                ctx.alloc().buffer(1 + text.length).writeByte(text.length).writeBytes(text));
    }
}
