package dev.hyperj.p2p.mux;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and tuning of one multiplexed connection (Yamux or mplex).
 *
 * @param maxStreams           streams (inbound plus outbound) open at once on one connection; inbound
 *                             streams beyond it are refused with a reset, outbound opens fail
 * @param initialWindow        Yamux receive window granted to each new stream; at least the
 *                             protocol's 256 KiB (a larger value is advertised with the SYN/ACK)
 * @param maxWindow            Yamux receive window a stream may grow to when the sender is limited by
 *                             round trips
 * @param keepAliveInterval    Yamux ping interval; a ping unanswered for the larger of one interval
 *                             and one second closes the connection. {@link Duration#ZERO} turns
 *                             keep-alive off
 * @param maxFrameSize         largest data frame accepted (mplex; the spec's 1 MiB) and the cap on
 *                             frames we send
 * @param maxBufferedPerStream mplex: inbound bytes buffered for a stream whose reader does not keep
 *                             up (autoRead off); beyond it the stream is reset
 */
public record MuxerConfig(
        int maxStreams,
        int initialWindow,
        int maxWindow,
        Duration keepAliveInterval,
        int maxFrameSize,
        int maxBufferedPerStream) {

    /** The window every Yamux stream starts with, by the protocol. */
    public static final int YAMUX_DEFAULT_WINDOW = 256 * 1024;

    public MuxerConfig {
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        if (maxStreams < 1) throw new IllegalArgumentException("maxStreams < 1: " + maxStreams);
        if (initialWindow < YAMUX_DEFAULT_WINDOW)
            throw new IllegalArgumentException("initialWindow below 256 KiB: " + initialWindow);
        if (maxWindow < initialWindow)
            throw new IllegalArgumentException("maxWindow " + maxWindow + " < initialWindow " + initialWindow);
        if (keepAliveInterval.isNegative()) throw new IllegalArgumentException("negative keepAliveInterval");
        if (maxFrameSize < 1024 || maxFrameSize > 16 * 1024 * 1024)
            throw new IllegalArgumentException("maxFrameSize out of [1 KiB, 16 MiB]: " + maxFrameSize);
        if (maxBufferedPerStream < 1) throw new IllegalArgumentException("maxBufferedPerStream < 1");
    }

    /** 1024 streams, 256 KiB growing to 16 MiB windows, 30 s keep-alive, 1 MiB frames, 4 MiB buffered. */
    public static MuxerConfig defaults() {
        return new MuxerConfig(
                1024, YAMUX_DEFAULT_WINDOW, 16 * 1024 * 1024, Duration.ofSeconds(30), 1024 * 1024, 4 * 1024 * 1024);
    }

    public MuxerConfig withMaxStreams(int v) {
        return new MuxerConfig(v, initialWindow, maxWindow, keepAliveInterval, maxFrameSize, maxBufferedPerStream);
    }

    public MuxerConfig withWindows(int initial, int max) {
        return new MuxerConfig(maxStreams, initial, max, keepAliveInterval, maxFrameSize, maxBufferedPerStream);
    }

    public MuxerConfig withKeepAliveInterval(Duration v) {
        return new MuxerConfig(maxStreams, initialWindow, maxWindow, v, maxFrameSize, maxBufferedPerStream);
    }

    public MuxerConfig withMaxFrameSize(int v) {
        return new MuxerConfig(maxStreams, initialWindow, maxWindow, keepAliveInterval, v, maxBufferedPerStream);
    }

    public MuxerConfig withMaxBufferedPerStream(int v) {
        return new MuxerConfig(maxStreams, initialWindow, maxWindow, keepAliveInterval, maxFrameSize, v);
    }
}
