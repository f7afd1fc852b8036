package dev.hyperj.p2p.mux;

/** User event fired down a stream's pipeline when the remote resets the stream, just before it closes. */
public final class StreamResetEvent {
    public static final StreamResetEvent INSTANCE = new StreamResetEvent();

    private StreamResetEvent() {}

    @Override
    public String toString() {
        return "StreamResetEvent";
    }
}
