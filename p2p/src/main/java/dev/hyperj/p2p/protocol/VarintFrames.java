package dev.hyperj.p2p.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Unsigned-varint length-prefixed frames, the framing libp2p protocols (identify, request/response
 * protocols, kad-dht, ...) put on a stream: {@code varint(len) || len bytes}.
 */
public final class VarintFrames {
    /** A length needs at most 5 varint bytes while frames are bounded by an int. */
    private static final int MAX_LENGTH_BYTES = 5;

    private VarintFrames() {}

    /** One frame holding {@code body}, in a buffer from {@code alloc}. */
    public static ByteBuf encode(ByteBufAllocator alloc, byte[] body) {
        ByteBuf out = alloc.buffer(MAX_LENGTH_BYTES + body.length);
        writeLength(out, body.length);
        return out.writeBytes(body);
    }

    /** Writes {@code length} as an unsigned varint. */
    public static void writeLength(ByteBuf out, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        int v = length;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    /**
     * Reads a frame length at {@code in}'s reader index: returns it and advances the index, or returns
     * -1 and leaves the index unchanged if the varint is not complete yet.
     *
     * @throws FrameException if the varint is not minimal, or the length exceeds {@code maxFrame}
     */
    public static long readLength(ByteBuf in, int maxFrame) {
        int start = in.readerIndex();
        long length = 0;
        for (int i = 0; ; i++) {
            if (!in.isReadable()) {
                in.readerIndex(start);
                return -1;
            }
            int b = in.readUnsignedByte();
            length |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new FrameException("frame length varint is not minimally encoded", false);
                }
                break;
            }
            if (i + 1 == MAX_LENGTH_BYTES) {
                throw new FrameException("frame length varint longer than " + MAX_LENGTH_BYTES + " bytes", true);
            }
        }
        if (length > maxFrame) {
            throw new FrameException("frame of " + length + " bytes exceeds the maximum of " + maxFrame, true);
        }
        return length;
    }

    /** A decoder emitting each frame's body as a ByteBuf; it holds at most one frame of {@code maxFrame} bytes. */
    public static ByteToMessageDecoder decoder(int maxFrame) {
        if (maxFrame < 0) {
            throw new IllegalArgumentException("maxFrame " + maxFrame);
        }
        return new Decoder(maxFrame);
    }

    private static final class Decoder extends ByteToMessageDecoder {
        private final int maxFrame;
        private boolean failed;

        Decoder(int maxFrame) {
            this.maxFrame = maxFrame;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (failed) {
                in.skipBytes(in.readableBytes()); // the stream is being closed: nothing after a bad frame counts
                return;
            }
            int start = in.readerIndex();
            long length;
            try {
                length = readLength(in, maxFrame); // rejects an oversized frame before its body arrives
            } catch (FrameException e) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw e;
            }
            if (length < 0) {
                return;
            }
            if (in.readableBytes() < length) {
                in.readerIndex(start);
                return;
            }
            out.add(in.readRetainedSlice((int) length));
        }
    }
}
