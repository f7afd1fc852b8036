package dev.hyperj.p2p.mux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A stream multiplexer for one secured connection. Install it as the last handler of the
 * connection's pipeline: it reads plaintext ByteBufs and writes plaintext ByteBufs to the handler
 * before it. Each stream is a child {@link Channel} (also a {@link MuxedStream}) on the connection's
 * event loop with its own pipeline. Closing the connection closes every stream.
 *
 * <p>Protocol violations by the remote (malformed frames, data beyond the window, frames for
 * streams that never existed, oversized frames) are logged with their reason and close the
 * connection (Yamux first sends a GoAway with the protocol-error code).
 */
public interface StreamMuxer extends ChannelHandler {

    /**
     * @param initiator                true on the dialing side (Yamux client: odd stream ids)
     * @param inboundStreamInitializer called on the event loop for each new inbound stream, before any
     *                                 of its data is read, to install handlers on its pipeline
     */
    static StreamMuxer create(
            MuxerProtocol protocol, boolean initiator, MuxerConfig config, Consumer<Channel> inboundStreamInitializer) {
        return switch (protocol) {
            case YAMUX -> new YamuxSession(initiator, config, inboundStreamInitializer);
            case MPLEX -> new MplexSession(initiator, config, inboundStreamInitializer);
        };
    }

    /**
     * Opens an outbound stream: a child channel on the connection's event loop, registered and
     * active once the future succeeds; the caller adds handlers to its pipeline. Fails if the
     * muxer is not installed yet, the connection is closing or went away, or at the stream limit.
     */
    Future<Channel> openStream();

    /** Streams currently open (inbound and outbound). */
    int openStreams();

    /** Stops accepting and opening new streams (Yamux sends GoAway); open streams may finish. */
    void goAway();

    /** The protocol this muxer speaks. */
    MuxerProtocol protocol();
}
