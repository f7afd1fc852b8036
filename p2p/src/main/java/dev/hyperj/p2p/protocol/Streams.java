package dev.hyperj.p2p.protocol;

import dev.hyperj.p2p.mux.MuxedStream;
import io.netty.channel.Channel;

/** What protocol handlers do to a stream when they give up on it. */
public final class Streams {
    private Streams() {}

    /**
     * Aborts a stream in both directions so the peer sees an error rather than a clean end: a
     * muxer reset (yamux RST, mplex Reset) on a muxed stream, a plain close on any other channel.
     */
    public static void abort(Channel stream) {
        if (stream instanceof MuxedStream muxed) {
            muxed.reset();
        } else {
            stream.close();
        }
    }
}
