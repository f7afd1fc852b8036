package dev.hyperj.p2p.multistream;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** Wire format of multistream-select messages: uvarint(len) UTF-8 text '\n'. Bounded. */
final class MultistreamCodec {
    private MultistreamCodec() {}

    static void checkSendable(String protocol) {
        if (protocol == null || protocol.isEmpty() || protocol.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("invalid protocol id: " + protocol);
        }
        if (protocol.getBytes(StandardCharsets.UTF_8).length + 1 > MultistreamSelect.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("protocol id too long: " + protocol.length() + " chars");
        }
    }

    static void write(ByteBuf out, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, text.length + 1);
        out.writeBytes(text);
        out.writeByte('\n');
    }

    /** The {@code ls} answer: one message whose body is the protocols, each as a message itself. */
    static void writeList(ByteBuf out, Collection<String> protocols) {
        ByteBuf body = out.alloc().heapBuffer();
        try {
            for (String p : protocols) {
                int size = encodedSize(p);
                if (body.readableBytes() + size + 1 > MultistreamSelect.MAX_MESSAGE_LENGTH) {
                    break; // cut an over-long list rather than send a message the peer must refuse
                }
                write(body, p);
            }
            writeVarint(out, body.readableBytes() + 1);
            out.writeBytes(body);
            out.writeByte('\n');
        } finally {
            body.release();
        }
    }

    static int encodedSize(String message) {
        int length = message.getBytes(StandardCharsets.UTF_8).length + 1;
        return varintSize(length) + length;
    }

    static void writeVarint(ByteBuf out, int value) {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    static int varintSize(int value) {
        int n = 1;
        while ((value & ~0x7F) != 0) {
            n++;
            value >>>= 7;
        }
        return n;
    }

    /**
     * Reads one message (without its newline) if it is complete in {@code in}, else returns null
     * and leaves {@code in} untouched.
     * @throws MultistreamException on an oversized, empty, non-minimal, non-newline-terminated or non-UTF-8 message
     */
    static String read(ByteBuf in) throws MultistreamException {
        int start = in.readerIndex();
        int length = 0;
        int shift = 0;
        int i = start;
        while (true) {
            if (i >= in.writerIndex()) {
                return null;
            }
            int b = in.getByte(i++) & 0xFF;
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw new MultistreamException("non-minimal message length varint");
                }
                break;
            }
            shift += 7;
            if (shift > 7) { // 3+ varint bytes: at least 16384, far over the limit
                throw new MultistreamException(
                        "message longer than " + MultistreamSelect.MAX_MESSAGE_LENGTH + " bytes");
            }
        }
        if (length > MultistreamSelect.MAX_MESSAGE_LENGTH) {
            throw new MultistreamException(
                    "message of " + length + " bytes, longer than " + MultistreamSelect.MAX_MESSAGE_LENGTH);
        }
        if (length == 0) {
            throw new MultistreamException("empty message");
        }
        if (in.writerIndex() - i < length) {
            return null;
        }
        if (in.getByte(i + length - 1) != '\n') {
            throw new MultistreamException("message not terminated by a newline");
        }
        ByteBuffer text =
                in.nioBufferCount() == 1 ? in.nioBuffer(i, length - 1) : ByteBuffer.wrap(readBytes(in, i, length - 1));
        String message;
        try {
            message = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(text)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MultistreamException("message is not UTF-8");
        }
        in.readerIndex(i + length);
        return message;
    }

    private static byte[] readBytes(ByteBuf in, int index, int length) {
        byte[] bytes = new byte[length];
        in.getBytes(index, bytes);
        return bytes;
    }
}
