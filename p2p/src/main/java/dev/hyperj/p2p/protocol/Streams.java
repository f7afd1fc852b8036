package dev.hyperj.p2p.protocol;

import io.netty.channel.Channel;

/** What protocol handlers do to a stream when they give up on it. */
public final class Streams {
    private Streams() {
    }

    /** Aborts a stream in both directions, so the peer sees an error rather than a clean end. */
    public static void abort(Channel stream) {
        stream.close();
    }
}
