package dev.hyperj.p2p.mux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * Implemented by every stream child channel. Writes of ByteBufs become data frames (respecting the
 * Yamux send window: {@code isWritable()} turns false while writes wait for window); reads deliver
 * ByteBufs and, with autoRead off, only consumed bytes are credited back to the sender. When the
 * remote half-closes, the pipeline sees {@code ChannelInputShutdownEvent} then
 * {@code ChannelInputShutdownReadComplete}; a remote reset fires {@link StreamResetEvent} and closes
 * the channel. The channel closes when both directions are closed or on reset.
 */
public interface MuxedStream {
    /** The wire id (Yamux stream id; mplex stream id, unique together with {@link #isInitiator()}). */
    long streamId();

    /** True if this side opened the stream. */
    boolean isInitiator();

    /** Half-closes: sends FIN (Yamux) / Close (mplex) after pending writes; the remote reads EOF. */
    ChannelFuture closeWrite();

    /** Aborts both directions (Yamux RST / mplex Reset) and closes the channel, dropping pending data. */
    void reset();

    /** The connection channel this stream is multiplexed on. */
    Channel parentConnection();
}
