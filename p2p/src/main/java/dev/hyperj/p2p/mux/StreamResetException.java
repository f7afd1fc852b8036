package dev.hyperj.p2p.mux;

import java.io.IOException;

/** Fails the pending writes of a stream that was reset (by either side) or whose connection died. */
public final class StreamResetException extends IOException {
    public StreamResetException(String message) {
        super(message);
    }
}
