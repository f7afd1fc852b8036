package dev.hyperj.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mplex ({@code /mplex/6.7.0}): frames are a varint header {@code id << 3 | flag}, a varint length
 * and the payload. There is no flow control, so a stream whose reader falls behind by more than
 * {@link MuxerConfig#maxBufferedPerStream()} is reset; frames above {@link MuxerConfig#maxFrameSize()}
 * close the connection. Payloads are sliced out of the input as they arrive, never accumulated.
 */
final class MplexSession extends MuxSession {
    private static final Logger log = LoggerFactory.getLogger(MplexSession.class);

    static final int NEW_STREAM = 0;
    static final int MESSAGE_RECEIVER = 1;
    static final int MESSAGE_INITIATOR = 2;
    static final int CLOSE_RECEIVER = 3;
    static final int CLOSE_INITIATOR = 4;
    static final int RESET_RECEIVER = 5;
    static final int RESET_INITIATOR = 6;
    /** Stream ids must fit the header varint (id << 3 within 63 bits). */
    static final long MAX_ID = (1L << 60) - 1;

    private static final int MAX_VARINT_BYTES = 9;

    // decoder state: header varint, length varint, payload
    private int phase; // 0 header, 1 length, 2 payload
    private long varValue;
    private int varBytes;
    private long frameHeader;
    private long payloadRemaining;
    private StreamChannel payloadTarget;

    private long nextId;

    MplexSession(boolean initiator, MuxerConfig config, Consumer<Channel> inboundStreamInitializer) {
        super(initiator, config, inboundStreamInitializer);
    }

    @Override
    public MuxerProtocol protocol() {
        return MuxerProtocol.MPLEX;
    }

    // ---- encoding

    private static int varintSize(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    static void writeVarint(ByteBuf b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.writeByte((int) v);
    }

    private ByteBuf frame(long id, int flag, byte[] payload) {
        long h = (id << 3) | flag;
        ByteBuf b = ctx.alloc().buffer(varintSize(h) + varintSize(payload.length) + payload.length);
        writeVarint(b, h);
        writeVarint(b, payload.length);
        b.writeBytes(payload);
        return b;
    }

    private static final byte[] EMPTY = new byte[0];

    private static int flag(StreamChannel s, int initiatorFlag) {
        // Receiver flags are one less than the matching initiator flags.
        return s.isInitiator() ? initiatorFlag : initiatorFlag - 1;
    }

    @Override
    long nextOutboundId() {
        if (nextId > MAX_ID) return -1;
        return nextId++;
    }

    @Override
    long keyOf(long id, boolean initiatedLocally) {
        return (id << 1) | (initiatedLocally ? 1 : 0);
    }

    @Override
    void sendOpen(StreamChannel s) {
        writeControl(frame(s.id, NEW_STREAM, Long.toString(s.id).getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    void sendAccept(StreamChannel s) {
        // mplex has no acknowledgement.
    }

    @Override
    void sendRefuse(long id) {
        writeControl(frame(id, RESET_RECEIVER, EMPTY));
    }

    @Override
    void sendFin(StreamChannel s) {
        writeControl(frame(s.id, flag(s, CLOSE_INITIATOR), EMPTY));
    }

    @Override
    void sendReset(StreamChannel s) {
        writeControl(frame(s.id, flag(s, RESET_INITIATOR), EMPTY));
    }

    @Override
    void sendGoAway() {
        // mplex has no GoAway frame: we only refuse new streams from now on.
    }

    @Override
    long sendCredit(StreamChannel s) {
        return Long.MAX_VALUE;
    }

    @Override
    int maxDataFrame() {
        return Math.min(256 * 1024, config.maxFrameSize());
    }

    @Override
    void appendData(StreamChannel s, ByteBuf payload, CompositeByteBuf batch) {
        int n = payload.readableBytes();
        long h = (s.id << 3) | flag(s, MESSAGE_INITIATOR);
        int headerSize = varintSize(h) + varintSize(n);
        if (n <= COPY_THRESHOLD) {
            ByteBuf f = ctx.alloc().buffer(headerSize + n);
            writeVarint(f, h);
            writeVarint(f, n);
            f.writeBytes(payload);
            payload.release();
            batch.addComponent(true, f);
        } else {
            ByteBuf hb = ctx.alloc().buffer(headerSize);
            writeVarint(hb, h);
            writeVarint(hb, n);
            batch.addComponent(true, hb);
            batch.addComponent(true, payload);
        }
    }

    @Override
    void consumed(StreamChannel s, int bytes) {
        // No flow control in mplex.
    }

    // ---- decoding

    @Override
    void decode(ByteBuf in) throws MuxerException {
        while (in.isReadable() && !closed) {
            if (phase == 2) {
                int n = (int) Math.min(payloadRemaining, in.readableBytes());
                StreamChannel target = payloadTarget;
                if (target != null && !target.isClosed() && !target.reset) {
                    if (target.inboundBytes + n > config.maxBufferedPerStream()) {
                        resetStream(target, "reader fell more than " + config.maxBufferedPerStream() + " bytes behind");
                        in.skipBytes(n);
                    } else {
                        target.onData(in.readRetainedSlice(n));
                    }
                } else {
                    in.skipBytes(n);
                }
                payloadRemaining -= n;
                if (payloadRemaining == 0) {
                    payloadTarget = null;
                    phase = 0;
                }
                continue;
            }
            int b = in.readByte() & 0xFF;
            varValue |= (long) (b & 0x7F) << (7 * varBytes);
            varBytes++;
            if ((b & 0x80) != 0) {
                if (varBytes >= MAX_VARINT_BYTES) throw new MuxerException("mplex varint longer than 9 bytes");
                if (phase == 1 && varValue > config.maxFrameSize()) throw tooLarge(varValue);
                continue;
            }
            long value = varValue;
            varValue = 0;
            varBytes = 0;
            if (phase == 0) {
                frameHeader = value;
                phase = 1;
            } else {
                if (value > config.maxFrameSize()) throw tooLarge(value);
                onFrame(frameHeader >>> 3, (int) (frameHeader & 7), (int) value);
            }
        }
    }

    private MuxerException tooLarge(long length) {
        return new MuxerException(
                "mplex frame of " + length + "+ bytes exceeds the maximum of " + config.maxFrameSize());
    }

    private void onFrame(long id, int flag, int length) throws MuxerException {
        if (log.isTraceEnabled()) log.trace("mplex {} recv id={} flag={} length={}", ctx.channel(), id, flag, length);
        StreamChannel target = null;
        switch (flag) {
            case NEW_STREAM -> {
                if (streams.get(keyOf(id, false)) != null) {
                    throw new MuxerException("NewStream for open stream " + id);
                }
                acceptOrRefuse(id); // the payload is the stream's name, which we ignore
            }
            case MESSAGE_RECEIVER, MESSAGE_INITIATOR -> {
                target = streams.get(keyOf(id, flag == MESSAGE_RECEIVER));
                if (target == null)
                    log.debug("mplex {}: {} bytes for unknown stream {}, dropped", ctx.channel(), length, id);
                else if (target.remoteWriteClosed && length > 0) {
                    resetStream(target, "data after the remote closed it");
                    target = null;
                }
            }
            case CLOSE_RECEIVER, CLOSE_INITIATOR -> {
                StreamChannel s = streams.get(keyOf(id, flag == CLOSE_RECEIVER));
                if (s != null && !s.remoteWriteClosed) remoteFinished(s);
            }
            case RESET_RECEIVER, RESET_INITIATOR -> {
                StreamChannel s = streams.get(keyOf(id, flag == RESET_RECEIVER));
                if (s != null) remoteReset(s);
            }
            default -> throw new MuxerException("unknown mplex flag " + flag + " on stream " + id);
        }
        if (length == 0) {
            phase = 0;
        } else {
            phase = 2;
            payloadRemaining = length;
            payloadTarget = target;
        }
    }
}
