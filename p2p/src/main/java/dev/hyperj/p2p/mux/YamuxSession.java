package dev.hyperj.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Yamux ({@code /yamux/1.0.0}, hashicorp's spec as used by libp2p): 12-byte headers, per-stream
 * credit-based flow control with windows that grow when the sender is round-trip bound, ping,
 * GoAway. Data payloads are never accumulated: they are sliced out of the connection's input as
 * they arrive and queued on the stream, bounded by the window we granted.
 */
final class YamuxSession extends MuxSession {
    private static final Logger log = LoggerFactory.getLogger(YamuxSession.class);

    static final int HEADER_SIZE = 12;
    static final int VERSION = 0;
    static final int TYPE_DATA = 0;
    static final int TYPE_WINDOW_UPDATE = 1;
    static final int TYPE_PING = 2;
    static final int TYPE_GO_AWAY = 3;
    static final int FLAG_SYN = 1;
    static final int FLAG_ACK = 2;
    static final int FLAG_FIN = 4;
    static final int FLAG_RST = 8;
    static final int GO_AWAY_NORMAL = 0;
    static final int GO_AWAY_PROTOCOL_ERROR = 1;
    static final int GO_AWAY_INTERNAL_ERROR = 2;
    static final long MAX_ID = 0xFFFF_FFFFL;
    /** Largest data frame we send: big enough to amortise headers, small enough to interleave streams. */
    static final int MAX_DATA_FRAME = 256 * 1024;
    /** Shortest time a keep-alive ping may stay unanswered before the connection counts as dead. */
    static final long MIN_PING_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A send window can never legitimately exceed what a u32 delta stream could add up to. */
    private static final long MAX_SEND_WINDOW = 1L << 32;

    // decoder state
    private final byte[] header = new byte[HEADER_SIZE];
    private int headerFill;
    private long payloadRemaining;
    private StreamChannel payloadTarget;
    private int payloadFlags;

    private long nextLocalId;
    private long highestRemoteId;

    // ping / RTT
    private long rttNanos;
    private int pingId;
    private int outstandingPing = -1;
    private long pingSentAt;

    YamuxSession(boolean initiator, MuxerConfig config, Consumer<Channel> inboundStreamInitializer) {
        super(initiator, config, inboundStreamInitializer);
        nextLocalId = initiator ? 1 : 2;
    }

    @Override
    public MuxerProtocol protocol() {
        return MuxerProtocol.YAMUX;
    }

    /** Smoothed round-trip time measured by our pings, 0 before the first answer. */
    long rttNanos() {
        return rttNanos;
    }

    @Override
    void onStart() {
        // A first ping measures the round-trip time the window tuning needs.
        sendPing();
        long interval = config.keepAliveInterval().toMillis();
        if (interval > 0) schedule(this::keepAlive, interval, true);
    }

    private void keepAlive() {
        if (closed) return;
        // Short intervals must not turn scheduling jitter (a loaded machine, a GC pause on either
        // side) into a dead connection: a ping gets at least MIN_PING_TIMEOUT to come back.
        long timeout = Math.max(config.keepAliveInterval().toNanos(), MIN_PING_TIMEOUT_NANOS);
        if (outstandingPing >= 0 && System.nanoTime() - pingSentAt >= timeout) {
            fail(
                    new MuxerException(
                            "keep-alive ping unanswered for " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms"),
                    false);
            return;
        }
        if (outstandingPing < 0) sendPing();
    }

    private void sendPing() {
        outstandingPing = pingId++ & 0x7FFF_FFFF;
        pingSentAt = System.nanoTime();
        writeControl(frame(TYPE_PING, FLAG_SYN, 0, outstandingPing));
    }

    // ---- encoding

    private ByteBuf frame(int type, int flags, long streamId, long length) {
        ByteBuf b = ctx.alloc().buffer(HEADER_SIZE);
        writeHeader(b, type, flags, streamId, length);
        return b;
    }

    static void writeHeader(ByteBuf b, int type, int flags, long streamId, long length) {
        b.writeByte(VERSION)
                .writeByte(type)
                .writeShort(flags)
                .writeInt((int) streamId)
                .writeInt((int) length);
    }

    @Override
    long nextOutboundId() {
        long id = nextLocalId;
        if (id > MAX_ID) return -1;
        nextLocalId += 2;
        return id;
    }

    @Override
    long keyOf(long id, boolean initiatedLocally) {
        return id;
    }

    @Override
    void sendOpen(StreamChannel s) {
        writeControl(
                frame(TYPE_WINDOW_UPDATE, FLAG_SYN, s.id, config.initialWindow() - MuxerConfig.YAMUX_DEFAULT_WINDOW));
    }

    @Override
    void sendAccept(StreamChannel s) {
        writeControl(
                frame(TYPE_WINDOW_UPDATE, FLAG_ACK, s.id, config.initialWindow() - MuxerConfig.YAMUX_DEFAULT_WINDOW));
    }

    @Override
    void sendRefuse(long id) {
        writeControl(frame(TYPE_WINDOW_UPDATE, FLAG_RST, id, 0));
    }

    @Override
    void sendFin(StreamChannel s) {
        writeControl(frame(TYPE_WINDOW_UPDATE, FLAG_FIN, s.id, 0));
    }

    @Override
    void sendReset(StreamChannel s) {
        writeControl(frame(TYPE_WINDOW_UPDATE, FLAG_RST, s.id, 0));
    }

    @Override
    void sendGoAway() {
        writeControl(frame(TYPE_GO_AWAY, 0, 0, GO_AWAY_NORMAL));
    }

    @Override
    void onFailure(MuxerException e, boolean protocolError) {
        writeControl(frame(TYPE_GO_AWAY, 0, 0, protocolError ? GO_AWAY_PROTOCOL_ERROR : GO_AWAY_INTERNAL_ERROR));
    }

    @Override
    long sendCredit(StreamChannel s) {
        return s.sendWindow;
    }

    @Override
    int maxDataFrame() {
        return Math.min(MAX_DATA_FRAME, config.maxFrameSize());
    }

    @Override
    void appendData(StreamChannel s, ByteBuf payload, CompositeByteBuf batch) {
        int n = payload.readableBytes();
        s.sendWindow -= n;
        if (n <= COPY_THRESHOLD) {
            ByteBuf f = ctx.alloc().buffer(HEADER_SIZE + n);
            writeHeader(f, TYPE_DATA, 0, s.id, n);
            f.writeBytes(payload);
            payload.release();
            batch.addComponent(true, f);
        } else {
            ByteBuf h = ctx.alloc().buffer(HEADER_SIZE);
            writeHeader(h, TYPE_DATA, 0, s.id, n);
            batch.addComponent(true, h);
            batch.addComponent(true, payload);
        }
    }

    @Override
    void consumed(StreamChannel s, int bytes) {
        if (closed || s.reset) return;
        s.recvConsumed += bytes;
        if (s.remoteWriteClosed || s.recvConsumed < s.recvWindow / 2) return;
        long now = System.nanoTime();
        long grow = 0;
        // The sender used up half the window within a few round trips: it is waiting on our
        // updates, not on the reader, so a bigger window buys throughput.
        if (rttNanos > 0 && s.recvWindow < config.maxWindow() && now - s.epochStart < 4 * rttNanos) {
            int grown = (int) Math.min(config.maxWindow(), 2L * s.recvWindow);
            grow = grown - s.recvWindow;
            s.recvWindow = grown;
        }
        s.epochStart = now;
        long delta = s.recvConsumed + grow;
        s.recvConsumed = 0;
        s.recvCredit += delta;
        writeControl(frame(TYPE_WINDOW_UPDATE, 0, s.id, delta));
    }

    // ---- decoding

    @Override
    void decode(ByteBuf in) throws MuxerException {
        while (in.isReadable() && !closed) {
            if (payloadRemaining > 0) {
                int n = (int) Math.min(payloadRemaining, in.readableBytes());
                StreamChannel target = payloadTarget;
                if (target != null && !target.isClosed() && !target.reset) {
                    target.onData(in.readRetainedSlice(n));
                } else {
                    in.skipBytes(n);
                    if (target != null) consumed(target, n);
                }
                payloadRemaining -= n;
                if (payloadRemaining == 0) endOfFrame();
                continue;
            }
            int n = Math.min(HEADER_SIZE - headerFill, in.readableBytes());
            in.readBytes(header, headerFill, n);
            headerFill += n;
            if (headerFill == HEADER_SIZE) {
                headerFill = 0;
                onHeader();
            }
        }
    }

    private void onHeader() throws MuxerException {
        int version = header[0] & 0xFF;
        int type = header[1] & 0xFF;
        int flags = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        long streamId = readU32(4);
        long length = readU32(8);
        if (log.isTraceEnabled()) {
            log.trace(
                    "yamux {} recv type={} flags={} stream={} length={}", ctx.channel(), type, flags, streamId, length);
        }
        if (version != VERSION) throw new MuxerException("unsupported yamux version " + version);
        switch (type) {
            case TYPE_DATA, TYPE_WINDOW_UPDATE -> onStreamFrame(type, flags, streamId, length);
            case TYPE_PING -> onPing(flags, streamId, length);
            case TYPE_GO_AWAY -> onGoAway(streamId, length);
            default -> throw new MuxerException("unknown yamux frame type " + type);
        }
    }

    private long readU32(int at) {
        return ((header[at] & 0xFFL) << 24)
                | ((header[at + 1] & 0xFFL) << 16)
                | ((header[at + 2] & 0xFFL) << 8)
                | (header[at + 3] & 0xFFL);
    }

    private void onPing(int flags, long streamId, long opaque) throws MuxerException {
        if (streamId != 0) throw new MuxerException("ping on stream " + streamId);
        if ((flags & FLAG_SYN) != 0) {
            writeControl(frame(TYPE_PING, FLAG_ACK, 0, opaque));
        } else if ((flags & FLAG_ACK) != 0) {
            if (opaque == outstandingPing) {
                long sample = System.nanoTime() - pingSentAt;
                rttNanos = rttNanos == 0 ? sample : (rttNanos * 7 + sample) / 8;
                outstandingPing = -1;
            }
        } else {
            throw new MuxerException("ping without SYN or ACK");
        }
    }

    private void onGoAway(long streamId, long code) throws MuxerException {
        if (streamId != 0) throw new MuxerException("go-away on stream " + streamId);
        remoteGoAway = true;
        if (code == GO_AWAY_NORMAL) log.debug("yamux {}: remote sent GoAway", ctx.channel());
        else log.info("yamux {}: remote sent GoAway with error code {}", ctx.channel(), code);
    }

    private boolean isRemoteId(long id) {
        return (id & 1) == (initiator ? 0 : 1);
    }

    private boolean everOpened(long id) {
        return isRemoteId(id) ? id <= highestRemoteId : id < nextLocalId;
    }

    private void onStreamFrame(int type, int flags, long id, long length) throws MuxerException {
        if (id == 0) throw new MuxerException("stream frame (type " + type + ") on stream 0");
        StreamChannel s = streams.get(id);
        if ((flags & FLAG_SYN) != 0) {
            if (!isRemoteId(id)) throw new MuxerException("SYN for stream " + id + " with our parity");
            if (id <= highestRemoteId) throw new MuxerException("SYN reuses stream id " + id);
            highestRemoteId = id;
            s = acceptOrRefuse(id);
            if (s == null) {
                // Refused: its data may still arrive; the protocol caps it at the default window.
                if (type == TYPE_DATA) discard(id, length, MuxerConfig.YAMUX_DEFAULT_WINDOW);
                return;
            }
        } else if (s == null) {
            if (!everOpened(id)) {
                throw new MuxerException("frame (type " + type + ", flags " + flags + ") for unknown stream " + id);
            }
            // A stream we already forgot (reset or fully closed): in-flight frames are harmless.
            if (type == TYPE_DATA) discard(id, length, config.maxWindow());
            return;
        }
        if (type == TYPE_WINDOW_UPDATE && length > 0) {
            s.sendWindow += length;
            if (s.sendWindow > MAX_SEND_WINDOW) {
                throw new MuxerException("window of stream " + id + " overflows: " + s.sendWindow);
            }
            if (!s.isClosed() && !s.reset && s.sendWindow > 0) s.resumeWrites();
        }
        if ((flags & FLAG_RST) != 0) {
            remoteReset(s);
            if (type == TYPE_DATA) discard(id, length, config.maxWindow());
            return;
        }
        if (type == TYPE_DATA) {
            if (length > s.recvCredit) {
                throw new MuxerException("data frame of " + length + " bytes exceeds the window of " + s.recvCredit
                        + " on stream " + id);
            }
            if (s.remoteWriteClosed && length > 0) throw new MuxerException("data after FIN on stream " + id);
            s.recvCredit -= length;
            if (length > 0) {
                payloadTarget = s;
                payloadRemaining = length;
                payloadFlags = flags;
                return;
            }
        }
        applyFin(s, flags);
    }

    private void discard(long id, long length, long limit) throws MuxerException {
        if (length > limit) {
            throw new MuxerException(
                    "data frame of " + length + " bytes for closed stream " + id + " exceeds any window");
        }
        payloadTarget = null;
        payloadRemaining = length;
        payloadFlags = 0;
    }

    private void endOfFrame() {
        StreamChannel s = payloadTarget;
        payloadTarget = null;
        if (s != null) applyFin(s, payloadFlags);
    }

    private void applyFin(StreamChannel s, int flags) {
        if ((flags & FLAG_FIN) != 0 && !s.remoteWriteClosed) remoteFinished(s);
    }
}
