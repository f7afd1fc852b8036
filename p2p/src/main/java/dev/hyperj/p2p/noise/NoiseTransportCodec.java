package dev.hyperj.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The post-handshake half of the libp2p Noise wire format: every message is a 2-byte big-endian
 * length followed by a ChaChaPoly ciphertext (plaintext + 16-byte tag), at most 65535 bytes.
 * Inbound bytes may arrive in any slicing; they accumulate until a whole frame is there, so at most
 * one frame (65537 bytes) is ever buffered beyond what the decoder is about to decrypt. A frame that
 * does not authenticate closes the connection. Outbound ByteBufs of any size are cut into frames of
 * at most {@link #MAX_PLAINTEXT} bytes.
 */
final class NoiseTransportCodec extends DuplexDecoder {
    static final int MAX_FRAME = HandshakeState.MAX_MESSAGE_LENGTH;
    static final int MAX_PLAINTEXT = MAX_FRAME - CipherState.TAG_LENGTH;
    static final int LENGTH_PREFIX = 2;
    /**
     * Frames encrypted into one outbound buffer: bounds the copy a huge write makes at once. 15 whole
     * frames (983,055 bytes) stay within Netty's largest pooled buffer (1 MiB); 16 were 16 bytes over,
     * so every batch, and Netty's direct copy of it for the socket, was a fresh zeroed allocation.
     */
    private static final int FRAMES_PER_BUFFER = 15;

    private static final Logger log = LoggerFactory.getLogger(NoiseTransportCodec.class);

    private final CipherState sender;
    private final CipherState receiver;
    /** Staging for frames whose bytes are not in a heap array (e.g. direct socket buffers). */
    private final byte[] scratch = new byte[MAX_FRAME];

    private boolean failed;

    NoiseTransportCodec(CipherState sender, CipherState receiver) {
        this.sender = sender;
        this.receiver = receiver;
    }

    /**
     * One frame per call: ByteToMessageDecoder fires each plaintext before asking for the next frame,
     * so data that authenticated reaches the application before a later bad frame closes the channel.
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < LENGTH_PREFIX) {
            return;
        }
        int length = in.getUnsignedShort(in.readerIndex());
        if (in.readableBytes() < LENGTH_PREFIX + length) {
            return; // wait for the rest of the frame
        }
        in.skipBytes(LENGTH_PREFIX);
        try {
            ByteBuf plaintext = decrypt(ctx, in, length);
            if (plaintext != null) {
                out.add(plaintext);
            }
        } catch (NoiseException e) {
            in.skipBytes(in.readableBytes());
            fail(ctx, e);
        }
    }

    /** Decrypts the {@code length}-byte frame at the reader index; null for an empty plaintext. */
    private ByteBuf decrypt(ChannelHandlerContext ctx, ByteBuf in, int length) throws NoiseException {
        if (length < CipherState.TAG_LENGTH) {
            throw new NoiseException("transport frame of " + length + " bytes is shorter than its tag");
        }
        byte[] src;
        int srcOffset;
        if (in.hasArray()) {
            src = in.array();
            srcOffset = in.arrayOffset() + in.readerIndex();
        } else {
            in.getBytes(in.readerIndex(), scratch, 0, length);
            src = scratch;
            srcOffset = 0;
        }
        int plaintextLength = length - CipherState.TAG_LENGTH;
        if (plaintextLength == 0) {
            // Still authenticate it (and advance the nonce); an empty frame carries nothing to fire.
            receiver.decryptWithAd(null, src, srcOffset, length, scratch, 0);
            in.skipBytes(length);
            return null;
        }
        ByteBuf plaintext = ctx.alloc().heapBuffer(plaintextLength, plaintextLength);
        try {
            int written = receiver.decryptWithAd(
                    null, src, srcOffset, length, plaintext.array(), plaintext.arrayOffset() + plaintext.writerIndex());
            plaintext.writerIndex(plaintext.writerIndex() + written);
            in.skipBytes(length);
            return plaintext;
        } catch (NoiseException | RuntimeException e) {
            plaintext.release();
            throw e;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf data)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalArgumentException(
                    "a Noise channel carries ByteBufs, not " + msg.getClass().getName()));
            return;
        }
        if (failed) {
            data.release();
            promise.setFailure(new NoiseException("Noise session failed"));
            return;
        }
        try {
            if (!data.isReadable()) {
                ctx.write(Unpooled.EMPTY_BUFFER, promise);
                return;
            }
            int frames = (data.readableBytes() + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
            if (frames <= FRAMES_PER_BUFFER) {
                ctx.write(encrypt(ctx, data, frames), promise);
                return;
            }
            PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
            while (data.isReadable()) {
                int batch = Math.min(FRAMES_PER_BUFFER, (data.readableBytes() + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT);
                combiner.add(ctx.write(encrypt(ctx, data, batch)));
            }
            combiner.finish(promise);
        } catch (NoiseException e) {
            promise.tryFailure(e);
            fail(ctx, e);
        } finally {
            data.release();
        }
    }

    /** Encrypts up to {@code frames} frames from {@code data} into one heap buffer. */
    private ByteBuf encrypt(ChannelHandlerContext ctx, ByteBuf data, int frames) throws NoiseException {
        int plaintextBytes = Math.min(data.readableBytes(), frames * MAX_PLAINTEXT);
        int size = plaintextBytes + frames * (LENGTH_PREFIX + CipherState.TAG_LENGTH);
        ByteBuf out = ctx.alloc().heapBuffer(size, size);
        try {
            for (int i = 0; i < frames; i++) {
                int chunk = Math.min(data.readableBytes(), MAX_PLAINTEXT);
                int lengthIndex = out.writerIndex();
                int ciphertextOffset = out.arrayOffset() + lengthIndex + LENGTH_PREFIX;
                int written;
                if (data.hasArray()) {
                    written = sender.encryptWithAd(
                            null,
                            data.array(),
                            data.arrayOffset() + data.readerIndex(),
                            chunk,
                            out.array(),
                            ciphertextOffset);
                } else if (data.nioBufferCount() > 1) {
                    written = encryptParts(data, chunk, out.array(), ciphertextOffset);
                } else {
                    data.getBytes(data.readerIndex(), scratch, 0, chunk);
                    written = sender.encryptWithAd(null, scratch, 0, chunk, out.array(), ciphertextOffset);
                }
                out.setShort(lengthIndex, written);
                out.writerIndex(lengthIndex + LENGTH_PREFIX + written);
                data.skipBytes(chunk);
            }
            return out;
        } catch (NoiseException | RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * One frame from a buffer made of parts (the muxer's composite of headers and payload slices):
     * heap parts are encrypted where they lie, only direct ones are copied first.
     */
    private int encryptParts(ByteBuf data, int chunk, byte[] out, int ciphertextOffset) throws NoiseException {
        sender.beginEncrypt();
        int done = 0;
        for (ByteBuffer part : data.nioBuffers(data.readerIndex(), chunk)) {
            int n = part.remaining();
            if (part.hasArray()) {
                sender.encryptPart(part.array(), part.arrayOffset() + part.position(), n, out, ciphertextOffset + done);
            } else {
                part.get(scratch, 0, n);
                sender.encryptPart(scratch, 0, n, out, ciphertextOffset + done);
            }
            done += n;
        }
        return sender.finishEncrypt(null, out, ciphertextOffset, chunk);
    }

    private void fail(ChannelHandlerContext ctx, NoiseException cause) {
        if (failed) {
            return;
        }
        failed = true;
        log.debug("closing {}: {}", ctx.channel(), cause.getMessage());
        ctx.fireExceptionCaught(cause);
        ctx.close();
    }
}
